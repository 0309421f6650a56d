// @peculiar/x509 decorates its ASN.1 schemas at load time and throws unless
// the Reflect metadata polyfill is loaded first.
import 'reflect-metadata'
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  webcrypto,
  type KeyObject
} from 'node:crypto'
import {promisify} from 'node:util'
import * as x509 from '@peculiar/x509'
import {
  BACKDATE_MS,
  DAY_MS,
  INTERMEDIATE_SAN_DNS,
  ROOT_SUBJECT,
  intermediateSubject,
  type KeyType
} from './profile.ts'

x509.cryptoProvider.set(globalThis.crypto)

const generateKeyPairAsync = promisify(generateKeyPair)

/** A CA as PEM text: what the stores keep and the files hold. */
export interface CaPem {
  cert: string
  key: string
}

/**
 * Generates a private key as PKCS#8 PEM (what OpenSSL 3's genrsa writes).
 * The async form runs on libuv's thread pool, so several keys are generated
 * in parallel: RSA-4096 key generation dominates the run time.
 */
export async function generateKey(type: KeyType): Promise<string> {
  const encoding = {
    privateKeyEncoding: {type: 'pkcs8', format: 'pem'},
    publicKeyEncoding: {type: 'spki', format: 'pem'}
  } as const
  const pair =
    type === 'ecdsa-p256'
      ? await generateKeyPairAsync('ec', {namedCurve: 'P-256', ...encoding})
      : await generateKeyPairAsync('rsa', {
          modulusLength: type === 'rsa-4096' ? 4096 : 2048,
          publicExponent: 0x10001,
          ...encoding
        })
  // promisify loses the overload that knows PEM encoding yields strings.
  return (pair as unknown as {privateKey: string}).privateKey
}

/** The key type of a private key, or undefined for any other kind. */
export function keyTypeOf(key: KeyObject): KeyType | undefined {
  const details = key.asymmetricKeyDetails
  if (key.asymmetricKeyType === 'rsa') {
    if (details?.modulusLength === 4096) return 'rsa-4096'
    if (details?.modulusLength === 2048) return 'rsa-2048'
  }
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') {
    return 'ecdsa-p256'
  }
  return undefined
}

// The key types @peculiar/x509 declares; node's webcrypto keys are the same
// objects at run time but typed apart from the DOM's.
type CreateParams = Extract<
  Parameters<typeof x509.X509CertificateGenerator.create>[0],
  {signingKey: unknown}
>
type LibraryKey = CreateParams['signingKey']

interface KeyPair {
  signing: LibraryKey
  public: LibraryKey
}

async function importKeyPair(pem: string): Promise<KeyPair> {
  const privateKey = createPrivateKey(pem)
  const algorithm =
    privateKey.asymmetricKeyType === 'ec'
      ? {name: 'ECDSA', namedCurve: 'P-256'}
      : {name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256'}
  const spki = createPublicKey(privateKey).export({type: 'spki', format: 'der'})
  return {
    signing: privateKey.toCryptoKey(algorithm, false, [
      'sign'
    ]) as unknown as LibraryKey,
    public: (await webcrypto.subtle.importKey('spki', spki, algorithm, true, [
      'verify'
    ])) as unknown as LibraryKey
  }
}

function signingAlgorithm(keys: KeyPair): CreateParams['signingAlgorithm'] {
  return keys.signing.algorithm.name === 'ECDSA'
    ? ({name: 'ECDSA', hash: 'SHA-256'} as CreateParams['signingAlgorithm'])
    : {name: 'RSASSA-PKCS1-v1_5'}
}

/** A positive 128-bit serial, as random as RFC 5280 recommends. */
function randomSerial(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0]! & 0x7f) | 0x10
  return bytes.toString('hex')
}

const CA_KEY_USAGE =
  x509.KeyUsageFlags.digitalSignature |
  x509.KeyUsageFlags.nonRepudiation |
  x509.KeyUsageFlags.keyEncipherment |
  x509.KeyUsageFlags.keyCertSign

function validity(now: Date, days: number, cap?: Date) {
  const notBefore = new Date(
    Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000
  )
  let notAfter = new Date(
    Math.floor(now.getTime() / 1000) * 1000 + days * DAY_MS
  )
  if (cap && notAfter > cap) notAfter = cap
  return {notBefore, notAfter}
}

export interface IssueRootOptions {
  key: string
  days: number
  now: Date
}

/** A self-signed root CA: O=Istio, CN=Root CA, CA:true without pathlen. */
export async function issueRoot(options: IssueRootOptions): Promise<string> {
  const keys = await importKeyPair(options.key)
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: ROOT_SUBJECT,
    issuer: ROOT_SUBJECT,
    ...validity(options.now, options.days),
    publicKey: keys.public,
    signingKey: keys.signing,
    signingAlgorithm: signingAlgorithm(keys),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGE, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.public)
    ]
  })
  return cert.toString('pem') + '\n'
}

/**
 * The AKID repeats the root's own SKI when it has one (a root made by
 * another tool may derive it differently), as OpenSSL 3 does.
 */
async function authorityKeyId(
  root: x509.X509Certificate,
  rootKeys: KeyPair
): Promise<x509.Extension> {
  const ski = root.getExtension(x509.SubjectKeyIdentifierExtension)
  return ski
    ? new x509.AuthorityKeyIdentifierExtension(ski.keyId)
    : x509.AuthorityKeyIdentifierExtension.create(rootKeys.public)
}

export interface IssueIntermediateOptions {
  cluster: string
  key: string
  root: CaPem
  days: number
  now: Date
}

/**
 * An intermediate CA for one cluster: O=Istio, CN=Intermediate CA,
 * L=<cluster>, CA:true pathlen:0, SAN istiod.istio-system.svc, signed by the
 * root. It never outlives the root: a chain is only as valid as its root.
 */
export async function issueIntermediate(
  options: IssueIntermediateOptions
): Promise<string> {
  const [keys, rootKeys] = await Promise.all([
    importKeyPair(options.key),
    importKeyPair(options.root.key)
  ])
  const root = new x509.X509Certificate(options.root.cert)
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: intermediateSubject(options.cluster),
    // The parsed name keeps the root's exact encoding, so issuer and subject
    // match byte for byte even for a root made by another tool.
    issuer: root.subjectName,
    ...validity(options.now, options.days, root.notAfter),
    publicKey: keys.public,
    signingKey: rootKeys.signing,
    signingAlgorithm: signingAlgorithm(rootKeys),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGE, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.public),
      await authorityKeyId(root, rootKeys),
      new x509.SubjectAlternativeNameExtension([
        {type: 'dns', value: INTERMEDIATE_SAN_DNS}
      ])
    ]
  })
  return cert.toString('pem') + '\n'
}
