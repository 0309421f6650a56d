import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/**
 * Debian's openssl, the independent verifier: what it says about our files
 * is what istiod's Go code and other tools would say.
 */
export function openssl(args: string[], input?: string): string {
  const r = spawnSync('openssl', args, {encoding: 'utf8', input})
  if (r.error) {
    throw new Error(`openssl is needed to verify certificates: ${r.error}`)
  }
  if (r.status !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`)
  }
  return r.stdout
}

/** `openssl x509 -text` of a PEM certificate. */
export function certText(pem: string): string {
  return openssl(['x509', '-noout', '-text'], pem)
}

/** The SPKI PEM of a certificate, to compare with its key's. */
export function certPublicKey(pem: string): string {
  return openssl(['x509', '-noout', '-pubkey'], pem)
}

export function keyPublicKey(pem: string): string {
  return openssl(['pkey', '-pubout'], pem)
}

/** `openssl verify` of a certificate against a root, at a given time. */
export function verify(
  rootPem: string,
  certPem: string,
  at: Date = new Date()
): string {
  const dir = mkdtempSync(join(tmpdir(), 'verify-'))
  writeFileSync(join(dir, 'root.pem'), rootPem)
  writeFileSync(join(dir, 'cert.pem'), certPem)
  return openssl([
    'verify',
    '-x509_strict',
    '-attime',
    String(Math.floor(at.getTime() / 1000)),
    '-CAfile',
    join(dir, 'root.pem'),
    join(dir, 'cert.pem')
  ]).trim()
}

/** Splits a PEM bundle into its certificates, in file order. */
export function splitPem(bundle: string): string[] {
  return (
    bundle.match(
      /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g
    ) ?? []
  )
}
