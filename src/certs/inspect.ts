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
 * Parses a stored pair with node's own X.509 code (independent of the
 * library that issued it) and says whether it is usable as a CA.
 */
export function inspectCa(pem: StoredCa): CaFacts {
  if (pem.cert === undefined) return {defect: 'the certificate is missing'}
  let cert: X509Certificate
  try {
    cert = new X509Certificate(pem.cert)
  } catch {
    return {defect: 'the certificate does not parse'}
  }
  const facts: CaFacts = {
    notAfter: new Date(cert.validTo),
    fingerprint: fingerprintOf(cert)
  }
  if (pem.key === undefined) return {...facts, defect: 'the key is missing'}
  let key
  try {
    key = createPrivateKey(pem.key)
  } catch {
    return {...facts, defect: 'the key does not parse'}
  }
  if (!cert.checkPrivateKey(key)) {
    return {...facts, defect: 'the key does not match the certificate'}
  }
  if (!cert.ca) return {...facts, defect: 'the certificate is not a CA'}
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
 * matches, and the intermediate may sign certificates.
 */
export function verifyChain(intermediate: CaPem, root: CaPem, now: Date): void {
  const cert = new X509Certificate(intermediate.cert)
  const rootCert = new X509Certificate(root.cert)
  const problems: string[] = []
  if (!rootCert.verify(rootCert.publicKey)) {
    problems.push('the root is not self-signed')
  }
  if (!isSignedBy(intermediate.cert, root.cert)) {
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
