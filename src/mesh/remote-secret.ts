import {parse} from 'yaml'

/** The label istiod watches for; name and annotations it ignores. */
export const MULTICLUSTER_LABEL = 'istio/multiCluster'
export const CLUSTER_ANNOTATION = 'networking.istio.io/cluster'
export const REMOTE_SECRET_PREFIX = 'istio-remote-secret-'

export interface SourceCluster {
  /** The cluster ID: the data key, secret suffix and kubeconfig names. */
  name: string
  /** The source API server URL. */
  server: string
  /** The token secret's data["ca.crt"], base64, exactly as the API gave it. */
  caData: string
  /** The reader token, a plain JWT. */
  token: string
}

export interface SecretObject {
  apiVersion: 'v1'
  kind: 'Secret'
  metadata: {
    name: string
    namespace: string
    annotations: Record<string, string>
    labels: Record<string, string>
  }
  data: Record<string, string>
}

export function remoteSecretName(source: string): string {
  return `${REMOTE_SECRET_PREFIX}${source}`
}

/**
 * go-yaml (client-go's encoder) quotes a string that YAML 1.1 would read as
 * something else, such as a cluster named `123` or `yes`.
 */
function scalar(value: string): string {
  let read: unknown
  try {
    read = parse(value, {version: '1.1'})
  } catch {
    read = undefined
  }
  return read === value ? value : JSON.stringify(value)
}

/**
 * The kubeconfig `istioctl create-remote-secret` writes for the source, key
 * for key in client-go's order, ending in one newline (no `preferences`, no
 * `tls-server-name`).
 */
export function remoteKubeconfig(source: SourceCluster): string {
  const name = scalar(source.name)
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${scalar(source.caData)}`,
    `    server: ${scalar(source.server)}`,
    `  name: ${name}`,
    'contexts:',
    '- context:',
    `    cluster: ${name}`,
    `    user: ${name}`,
    `  name: ${name}`,
    `current-context: ${name}`,
    'kind: Config',
    'users:',
    `- name: ${name}`,
    '  user:',
    `    token: ${scalar(source.token)}`,
    ''
  ].join('\n')
}

/**
 * The Secret istioctl's output becomes once applied: `stringData` stored as
 * `data`, no `type` (so Opaque).
 */
export function remoteSecret(
  source: SourceCluster,
  namespace: string
): SecretObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: remoteSecretName(source.name),
      namespace,
      annotations: {[CLUSTER_ANNOTATION]: source.name},
      labels: {[MULTICLUSTER_LABEL]: 'true'}
    },
    data: {
      [source.name]: Buffer.from(remoteKubeconfig(source)).toString('base64')
    }
  }
}

/** What a Secret read back from the API holds that the comparison needs. */
export interface StoredSecret {
  metadata?: {
    annotations?: Record<string, string>
    labels?: Record<string, string>
    resourceVersion?: string
  }
  type?: string
  data?: Record<string, string>
}

/**
 * Whether the stored secret already says what we would apply, so the run
 * writes nothing. Extra keys count as a difference: istiod would register
 * every data key as a cluster.
 */
export function secretMatches(
  stored: StoredSecret,
  desired: SecretObject
): boolean {
  const meta = stored.metadata ?? {}
  const same = (a: Record<string, string> = {}, b: Record<string, string>) =>
    Object.entries(b).every(([k, v]) => a[k] === v)
  const data = stored.data ?? {}
  return (
    (stored.type === undefined || stored.type === 'Opaque') &&
    same(meta.annotations, desired.metadata.annotations) &&
    same(meta.labels, desired.metadata.labels) &&
    Object.keys(data).length === Object.keys(desired.data).length &&
    same(data, desired.data)
  )
}

/** Ordered pairs (source, target), source != target, in input order. */
export function orderedPairs(
  clusters: readonly string[]
): {source: string; target: string}[] {
  return clusters.flatMap(source =>
    clusters
      .filter(target => target !== source)
      .map(target => ({source, target}))
  )
}

/**
 * Remote secrets in a target whose source is no longer listed: the ones
 * `prune` deletes. Only ours by name and label; the cluster's own ID is
 * never a remote.
 */
export function pruneCandidates(
  stored: readonly {name: string; labels?: Record<string, string>}[],
  clusters: readonly string[]
): {name: string; source: string}[] {
  return stored
    .filter(
      s =>
        s.name.startsWith(REMOTE_SECRET_PREFIX) &&
        s.labels?.[MULTICLUSTER_LABEL] === 'true'
    )
    .map(s => ({
      name: s.name,
      source: s.name.slice(REMOTE_SECRET_PREFIX.length)
    }))
    .filter(s => !clusters.includes(s.source))
}
