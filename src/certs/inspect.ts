import {X509Certificate, createPrivateKey, createHash} from 'node:crypto'
import type {KeyType} from './profile.ts'
import type {StoredCa} from './store.ts'
import {keyTypeOf, type CaPem} from './x509.ts'

/** What the decisions need to know about a stored certificate and key. */
export interface CaFacts {
  /** Why the pair is unusable, or undefined when it parses and matches. */
  defect?: string
  notAfter?: Date
  fingerprint?: string
  keyType?: KeyType
}

/** SHA-256 of the DER, lowercase hex: the fingerprints the action reports. */
function fingerprintOf(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex')
}

/**
 * Parses a certificate alone with node's own X.509 code (independent of the
 * library that issued it): what can be known without the key, which is all
 * `mode: fetch` may know about the root.
 */
export function inspectCert(pem: string | undefined): CaFacts {
  if (pem === undefined) return {defect: 'the certificate is missing'}
  let cert: X509Certificate
  try {
    cert = new X509Certificate(pem)
  } catch {
    return {defect: 'the certificate does not parse'}
  }
  const facts: CaFacts = {
    notAfter: new Date(cert.validTo),
    fingerprint: fingerprintOf(cert)
  }
  if (!cert.ca) return {...facts, defect: 'the certificate is not a CA'}
  return facts
}

/**
 * Parses a stored pair and says whether it is usable as a CA: the
 * certificate as inspectCert sees it, and a key that parses and matches.
 */
export function inspectCa(pem: StoredCa): CaFacts {
  const facts = inspectCert(pem.cert)
  if (facts.defect && facts.notAfter === undefined) return facts
  if (pem.key === undefined) return {...facts, defect: 'the key is missing'}
  let key
  try {
    key = createPrivateKey(pem.key)
  } catch {
    return {...facts, defect: 'the key does not parse'}
  }
  if (!new X509Certificate(pem.cert!).checkPrivateKey(key)) {
    return {...facts, defect: 'the key does not match the certificate'}
  }
  if (facts.defect) return facts
  return {...facts, keyType: keyTypeOf(key)}
}

/** Whether `child` was issued and signed by `issuer` (both PEM). */
export function isSignedBy(childPem: string, issuerPem: string): boolean {
  try {
    const child = new X509Certificate(childPem)
    const issuer = new X509Certificate(issuerPem)
    return child.checkIssued(issuer) && child.verify(issuer.publicKey)
  } catch {
    return false
  }
}

/**
 * Verifies an issued chain before anything is written, the checks istiod
 * makes when it loads cacerts: signed by the root, currently valid, the key
 * matches, and the intermediate may sign certificates. Only the root's
 * certificate is needed, never its key.
 */
export function verifyChain(
  intermediate: CaPem,
  rootPem: string,
  now: Date
): void {
  const cert = new X509Certificate(intermediate.cert)
  const rootCert = new X509Certificate(rootPem)
  const problems: string[] = []
  if (!rootCert.verify(rootCert.publicKey)) {
    problems.push('the root is not self-signed')
  }
  if (!isSignedBy(intermediate.cert, rootPem)) {
    problems.push('not signed by the root')
  }
  for (const c of [cert, rootCert]) {
    if (now < new Date(c.validFrom) || now > new Date(c.validTo)) {
      problems.push(`${c.subject.replace(/\n/g, ', ')} is not valid now`)
    }
  }
  if (!cert.checkPrivateKey(createPrivateKey(intermediate.key))) {
    problems.push('the key does not match the certificate')
  }
  if (!cert.ca) problems.push('the intermediate is not a CA')
  if (problems.length > 0) {
    throw new Error(`chain verification failed: ${problems.join('; ')}`)
  }
}
