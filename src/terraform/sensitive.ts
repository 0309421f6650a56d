import {createHash, X509Certificate} from 'node:crypto'
import type {PlanJson, ResourceChange} from './plan-json.ts'

/**
 * Resource types that hold secrets whether or not the provider flags them
 * (digger#2677 leaked these). Only the attributes named here as public are
 * ever printed or left unmasked; every other attribute of these types is a
 * secret, flagged or not, so an attribute a newer provider adds stays hidden
 * until someone decides it is public.
 */
const PUBLIC_ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = {
  kubernetes_secret: kubernetesSecretAttributes(),
  kubernetes_secret_v1: kubernetesSecretAttributes(),
  tls_private_key: new Set([
    'id',
    'algorithm',
    'ecdsa_curve',
    'rsa_bits',
    'public_key_pem',
    'public_key_openssh',
    'public_key_fingerprint_md5',
    'public_key_fingerprint_sha256'
  ]),
  random_password: new Set([
    'id',
    'keepers',
    'length',
    'lower',
    'upper',
    'numeric',
    'number',
    'special',
    'min_lower',
    'min_upper',
    'min_numeric',
    'min_special',
    'override_special'
  ]),
  aws_secretsmanager_secret_version: new Set([
    'id',
    'arn',
    'secret_id',
    'version_id',
    'version_stages',
    'secret_string_wo_version',
    'has_secret_string_wo'
  ])
}

function kubernetesSecretAttributes(): ReadonlySet<string> {
  // metadata holds name, namespace, labels and annotations; `data`,
  // `binary_data` and the write-only `data_wo` are not here.
  return new Set([
    'id',
    'metadata',
    'type',
    'immutable',
    'wait_for_service_account_token',
    'data_wo_revision',
    'timeouts'
  ])
}

export const SECRET_BEARING_TYPES: ReadonlySet<string> = new Set(
  Object.keys(PUBLIC_ATTRIBUTES)
)

/** Short values are left out: masking `true` or `1` would garble logs. */
export const MIN_SECRET_LENGTH = 6

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g

/**
 * The certificates of a value made only of PEM CERTIFICATE blocks (a
 * certificate or a chain, as `ca-cert.pem`, `cert-chain.pem`, `ca.crt`),
 * every one parsing; undefined for anything else, a key bundled in included.
 */
export function certificatesOf(value: unknown): X509Certificate[] | undefined {
  if (typeof value !== 'string') return undefined
  if (!value.includes('-----BEGIN CERTIFICATE-----')) return undefined
  const blocks = [...value.matchAll(PEM_BLOCK)]
  if (blocks.length === 0) return undefined
  if (value.replace(PEM_BLOCK, '').trim() !== '') return undefined
  if (blocks.some(b => b[1] !== 'CERTIFICATE')) return undefined
  try {
    return blocks.map(b => new X509Certificate(b[0]))
  } catch {
    return undefined
  }
}

/** How a public certificate value is shown: subject and DER SHA-256. */
export function describeCertificates(certs: X509Certificate[]): string {
  const one = (c: X509Certificate) =>
    `"${c.subject.replace(/\n/g, ', ')}" SHA-256 ${createHash('sha256').update(c.raw).digest('hex')}`
  return certs.length === 1
    ? `(certificate ${one(certs[0]!)})`
    : `(${certs.length} certificates: ${certs.map(one).join('; ')})`
}

type Path = readonly (string | number)[]

function metadataNamespace(value: unknown): unknown {
  const metadata = (value as {metadata?: unknown} | null)?.metadata
  const first = Array.isArray(metadata) ? metadata[0] : metadata
  return (first as {namespace?: unknown} | undefined)?.namespace
}

/**
 * In a Kubernetes secret's `data`, which the provider flags as a whole,
 * certificates are public, and so is the `namespace` key the token
 * controller writes (it repeats metadata's namespace): these are shown and
 * never masked, flagged or not.
 */
function isPublicSecretData(
  type: string,
  path: Path,
  leaf: unknown,
  resource: unknown
): boolean {
  const [attribute, key] = path
  if (!type.startsWith('kubernetes_secret') || attribute !== 'data') {
    return false
  }
  if (certificatesOf(leaf)) return true
  return key === 'namespace' && leaf === metadataNamespace(resource)
}

/** A leaf of a secret-bearing type is secret unless known to be public. */
function isSecretLeaf(
  type: string,
  path: Path,
  leaf: unknown,
  flagged: boolean,
  resource: unknown
): boolean {
  if (isPublicSecretData(type, path, leaf, resource)) return false
  if (flagged) return true
  return !(PUBLIC_ATTRIBUTES[type]?.has(String(path[0])) ?? false)
}

/**
 * The secret leaves of one side (before or after) of a change, as a tree
 * shaped like `*_sensitive`: `true` on each secret leaf. For most types that
 * is what the provider flagged; for secret-bearing types every leaf not
 * known to be public, flagged or not, and a public certificate even when
 * flagged.
 */
export function secretFlags(
  type: string | undefined,
  value: unknown,
  flags: unknown
): unknown {
  // Other types: exactly what the provider flagged, as it flagged it.
  if (!SECRET_BEARING_TYPES.has(type ?? '')) return flags
  const walk = (v: unknown, f: unknown, path: Path): unknown => {
    if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v)
        ? v.map((c, i) => [i, c] as const)
        : Object.entries(v as Record<string, unknown>)
      const childFlags = (k: string | number) =>
        f === true
          ? true
          : f !== null && typeof f === 'object'
            ? (f as Record<string | number, unknown>)[k]
            : undefined
      const out = (Array.isArray(v) ? [] : {}) as Record<
        string | number,
        unknown
      >
      for (const [k, c] of entries) {
        const flag = walk(c, childFlags(k), [...path, k])
        if (flag !== undefined && flag !== false) out[k] = flag
      }
      return out
    }
    if (v === null || v === undefined) return f === true ? true : undefined
    return isSecretLeaf(type!, path, v, f === true, value) ? true : undefined
  }
  return walk(value, flags, [])
}

/** The secret leaves of both sides of a resource change. */
export function resourceSecrets(rc: Pick<ResourceChange, 'type' | 'change'>): {
  before: unknown
  after: unknown
} {
  return {
    before: secretFlags(rc.type, rc.change.before, rc.change.before_sensitive),
    after: secretFlags(rc.type, rc.change.after, rc.change.after_sensitive)
  }
}

function collect(value: unknown, flags: unknown, out: Set<string>): void {
  if (value === null || value === undefined || !flags) return
  if (typeof value !== 'object') {
    if (flags !== true) return
    const text = String(value)
    if (text.length >= MIN_SECRET_LENGTH) out.add(text)
    return
  }
  const children = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value as Record<string, unknown>)
  for (const [key, child] of children) {
    const childFlags =
      flags === true ? true : (flags as Record<string | number, unknown>)[key]
    collect(child, childFlags, out)
  }
}

interface ConfigVariables {
  configuration?: {
    root_module?: {variables?: Record<string, {sensitive?: boolean}>}
  }
  variables?: Record<string, {value?: unknown}>
}

/**
 * The values to mask in logs and remove from anything sent to GitHub: the
 * secret leaves of every resource change and drift (see secretFlags), every
 * sensitive output and every sensitive root variable. Names, namespaces,
 * labels, types and public certificates are not among them: masking them
 * would garble logs and make the runner drop outputs that mention them.
 */
export function sensitiveValues(plan: PlanJson & ConfigVariables): string[] {
  const out = new Set<string>()
  const changes = [
    ...(plan.resource_changes ?? []),
    ...(plan.resource_drift ?? [])
  ]
  for (const rc of changes) {
    const secrets = resourceSecrets(rc)
    collect(rc.change.before, secrets.before, out)
    collect(rc.change.after, secrets.after, out)
  }
  for (const oc of Object.values(plan.output_changes ?? {})) {
    collect(oc.before, oc.before_sensitive, out)
    collect(oc.after, oc.after_sensitive, out)
  }
  const declared = plan.configuration?.root_module?.variables ?? {}
  for (const [name, v] of Object.entries(declared)) {
    if (v.sensitive) collect(plan.variables?.[name]?.value, true, out)
  }
  return [...out]
}
