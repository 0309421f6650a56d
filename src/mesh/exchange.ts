import {createHash} from 'node:crypto'
import {parse} from 'yaml'
import {
  applySecret,
  deleteSecret,
  getSecret,
  listSecrets,
  selfSubjectAccessReview,
  type Secret
} from '../kube/api.ts'
import {KubeError, type KubeClient} from '../kube/client.ts'
import type {ClusterTarget} from '../kube/kubeconfig.ts'
import {mapLimit} from '../kube/limit.ts'
import {describeAccess, readerAccesses, type Access} from './reader-rules.ts'
import {
  MULTICLUSTER_LABEL,
  orderedPairs,
  pruneCandidates,
  remoteSecret,
  remoteSecretName,
  secretMatches,
  type SourceCluster
} from './remote-secret.ts'

export type Mode = 'apply' | 'check' | 'revoke'
export type PairStatus =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'pass'
  | 'fail'
  | 'deleted'
  | 'absent'
  | 'error'

export interface PairResult {
  source: string
  target: string
  status: PairStatus
  /** Why a pair failed: statuses, reasons and denied accesses, no secrets. */
  detail?: string
}

export interface ExchangeOptions {
  clusters: readonly ClusterTarget[]
  namespace: string
  serviceAccount: string
  tokenSecret: string
  mode: Mode
  prune: boolean
  fieldManager: string
}

export interface ExchangeDeps {
  /** Registers a secret with the log masker before it can go anywhere. */
  mask: (secret: string) => void
  log: (message: string) => void
  sleep: (ms: number) => Promise<void>
  /** A client from a remote secret's kubeconfig, in memory (check). */
  clientFromKubeconfig: (label: string, text: string) => KubeClient
  concurrency?: number
}

/** As istioctl: 5 tries, 1 s apart, for the controller to fill the token. */
export const TOKEN_ATTEMPTS = 5
export const TOKEN_RETRY_MS = 1000
const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token'
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name'

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8')

function why(err: unknown): string {
  if (err instanceof KubeError) return err.message
  return err instanceof Error ? err.message : String(err)
}

/**
 * The source's reader token and CA from its token secret, waiting briefly
 * for the token controller. Never creates the secret or any RBAC: the
 * cluster stage and the Istio charts own those.
 */
export async function readSource(
  target: ClusterTarget,
  o: Pick<ExchangeOptions, 'namespace' | 'serviceAccount' | 'tokenSecret'>,
  deps: Pick<ExchangeDeps, 'mask' | 'sleep'>
): Promise<SourceCluster> {
  const where = `secret ${o.namespace}/${o.tokenSecret} in cluster ${target.name}`
  let secret: Secret | undefined
  for (let attempt = 1; attempt <= TOKEN_ATTEMPTS; attempt++) {
    secret = await getSecret(target.kube, o.namespace, o.tokenSecret)
    if (secret?.data?.token) deps.mask(secret.data.token)
    if (secret?.data?.token && secret.data['ca.crt']) break
    if (attempt < TOKEN_ATTEMPTS) await deps.sleep(TOKEN_RETRY_MS)
  }
  if (!secret) {
    throw new Error(
      `${where} does not exist (tried ${TOKEN_ATTEMPTS} times): the cluster stage or the Istio base chart creates it`
    )
  }
  const data = secret.data ?? {}
  if (!data.token || !data['ca.crt']) {
    throw new Error(
      `${where} has no ${data.token ? 'ca.crt' : 'token'} yet (tried ${TOKEN_ATTEMPTS} times): is the token controller running?`
    )
  }
  const owner = secret.metadata?.annotations?.[SA_NAME_ANNOTATION]
  if (secret.type !== SA_TOKEN_TYPE || owner !== o.serviceAccount) {
    throw new Error(
      `${where} is not a ${SA_TOKEN_TYPE} secret of service account '${o.serviceAccount}' (type ${secret.type ?? 'none'}, account ${owner ?? 'none'})`
    )
  }
  const token = decode(data.token)
  deps.mask(token)
  return {
    name: target.name,
    server: target.server,
    caData: data['ca.crt'],
    token
  }
}

async function applyPair(
  source: SourceCluster,
  target: ClusterTarget,
  o: ExchangeOptions,
  deps: ExchangeDeps
): Promise<PairStatus> {
  const desired = remoteSecret(source, o.namespace)
  // The token is already masked; its base64-wrapped kubeconfig is a new form.
  for (const value of Object.values(desired.data)) deps.mask(value)
  const stored = await getSecret(
    target.kube,
    o.namespace,
    desired.metadata.name
  )
  if (stored && secretMatches(stored, desired)) return 'unchanged'
  await applySecret(target.kube, desired, o.fieldManager)
  deps.log(
    `${source.name} -> ${target.name}: ${stored ? 'updated' : 'created'} ${o.namespace}/${desired.metadata.name}`
  )
  return stored ? 'updated' : 'created'
}

/** The reader token inside a remote secret's kubeconfig, to mask it bare. */
function kubeconfigToken(text: string): string | undefined {
  try {
    const doc = parse(text) as {users?: {user?: {token?: unknown}}[]}
    const token = doc?.users?.[0]?.user?.token
    return typeof token === 'string' ? token : undefined
  } catch {
    return undefined
  }
}

/** Accesses the reader lacks; undefined when the kubeconfig is unusable. */
type Review = (
  source: string,
  kubeconfig: string
) => Promise<Access[] | undefined>

/**
 * Reviews each distinct kubeconfig once. Every target holds the same
 * source's kubeconfig, so the N-1 pairs of a source share one set of access
 * reviews; each pair's own secret is still read and compared.
 */
function reviewer(deps: ExchangeDeps, accesses: readonly Access[]): Review {
  const done = new Map<string, Promise<Access[] | undefined>>()
  const review = async (source: string, text: string) => {
    let reader: KubeClient
    try {
      reader = deps.clientFromKubeconfig(`${source} as reader`, text)
    } catch {
      return undefined
    }
    const allowed = await mapLimit(accesses, 8, a =>
      selfSubjectAccessReview(reader, a)
    )
    return accesses.filter((_, i) => !allowed[i])
  }
  return (source, text) => {
    const key = createHash('sha256')
      .update(source)
      .update('\0')
      .update(text)
      .digest('hex')
    let result = done.get(key)
    if (!result) {
      result = review(source, text)
      done.set(key, result)
    }
    return result
  }
}

async function checkPair(
  source: ClusterTarget,
  target: ClusterTarget,
  o: ExchangeOptions,
  deps: ExchangeDeps,
  review: Review
): Promise<PairResult> {
  const pair = {source: source.name, target: target.name}
  const name = remoteSecretName(source.name)
  const stored = await getSecret(target.kube, o.namespace, name)
  const encoded = stored?.data?.[source.name]
  if (!encoded) {
    return {
      ...pair,
      status: 'fail',
      detail: stored
        ? `${o.namespace}/${name} has no key '${source.name}'`
        : `${o.namespace}/${name} is missing`
    }
  }
  // The kubeconfig is masked by its secret parts: masking the multi-line
  // text would also mask lines such as `kind: Config` in every log line.
  deps.mask(encoded)
  const text = decode(encoded)
  const token = kubeconfigToken(text)
  if (token) deps.mask(token)
  const denied = await review(source.name, text)
  if (denied === undefined) {
    return {
      ...pair,
      status: 'fail',
      detail: `${name} holds no usable kubeconfig`
    }
  }
  if (denied.length === 0) return {...pair, status: 'pass'}
  const shown = denied.slice(0, 5).map(describeAccess).join(', ')
  return {
    ...pair,
    status: 'fail',
    detail: `the reader may not ${shown}${denied.length > 5 ? ` and ${denied.length - 5} more` : ''}`
  }
}

async function prune(
  target: ClusterTarget,
  o: ExchangeOptions,
  names: readonly string[]
): Promise<PairResult[]> {
  const stored = await listSecrets(
    target.kube,
    o.namespace,
    `${MULTICLUSTER_LABEL}=true`
  )
  const stale = pruneCandidates(
    stored.map(s => ({
      name: s.metadata?.name ?? '',
      labels: s.metadata?.labels
    })),
    names
  )
  const results: PairResult[] = []
  for (const s of stale) {
    const status = await deleteSecret(target.kube, o.namespace, s.name)
    results.push({source: s.source, target: target.name, status})
  }
  return results
}

/** Runs a pair, turning its failure into a result so the others go on. */
async function guarded(
  pair: {source: string; target: string},
  fn: () => Promise<PairResult | PairStatus>
): Promise<PairResult> {
  try {
    const r = await fn()
    return typeof r === 'string' ? {...pair, status: r} : r
  } catch (err) {
    return {...pair, status: 'error', detail: why(err)}
  }
}

/**
 * One mode over every ordered pair, concurrently (bounded). In apply mode
 * every source's token is read first, so a missing one fails the run
 * before anything is written.
 */
export async function exchange(
  o: ExchangeOptions,
  deps: ExchangeDeps
): Promise<PairResult[]> {
  const limit = deps.concurrency ?? 8
  const byName = new Map(o.clusters.map(c => [c.name, c]))
  const names = o.clusters.map(c => c.name)
  const pairs = orderedPairs(names)
  const get = (n: string) => byName.get(n)!
  if (o.mode === 'apply') {
    const sources = await mapLimit(o.clusters, limit, c =>
      readSource(c, o, deps)
    )
    const bySource = new Map(sources.map(s => [s.name, s]))
    const applied = await mapLimit(pairs, limit, p =>
      guarded(p, () =>
        applyPair(bySource.get(p.source)!, get(p.target), o, deps)
      )
    )
    if (!o.prune) return applied
    const pruned = await mapLimit(o.clusters, limit, async t => {
      try {
        return await prune(t, o, names)
      } catch (err) {
        return [
          {
            source: '*',
            target: t.name,
            status: 'error',
            detail: why(err)
          } as PairResult
        ]
      }
    })
    return [...applied, ...pruned.flat()]
  }
  if (o.mode === 'check') {
    const review = reviewer(deps, readerAccesses())
    return mapLimit(pairs, limit, p =>
      guarded(p, () => checkPair(get(p.source), get(p.target), o, deps, review))
    )
  }
  return mapLimit(pairs, limit, p =>
    guarded(p, () =>
      deleteSecret(get(p.target).kube, o.namespace, remoteSecretName(p.source))
    )
  )
}
