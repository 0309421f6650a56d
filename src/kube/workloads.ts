import type {KubeClient} from './client.ts'

/** An object as a manifest gives it (what server-side apply takes). */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: {
    name: string
    namespace?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    [key: string]: unknown
  }
  [key: string]: unknown
}

/** The kinds this module knows the REST paths of, without discovery. */
const RESOURCES: Record<string, {plural: string; namespaced: boolean}> = {
  'v1/Namespace': {plural: 'namespaces', namespaced: false},
  'v1/ServiceAccount': {plural: 'serviceaccounts', namespaced: true},
  'v1/Service': {plural: 'services', namespaced: true},
  'v1/Pod': {plural: 'pods', namespaced: true},
  'apps/v1/Deployment': {plural: 'deployments', namespaced: true}
}

const groupVersionPath = (apiVersion: string) =>
  apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`

/** The REST path of an object of a known kind. */
export function objectPath(
  obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>
): string {
  const r = RESOURCES[`${obj.apiVersion}/${obj.kind}`]
  if (!r)
    throw new Error(`no REST path known for ${obj.apiVersion} ${obj.kind}`)
  const ns = obj.metadata.namespace
  if (r.namespaced && !ns) {
    throw new Error(`${obj.kind} ${obj.metadata.name} has no namespace`)
  }
  const scope = r.namespaced ? `/namespaces/${encodeURIComponent(ns!)}` : ''
  return `${groupVersionPath(obj.apiVersion)}${scope}/${r.plural}/${encodeURIComponent(obj.metadata.name)}`
}

export const label = (o: Pick<KubeObject, 'kind' | 'metadata'>) =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`

const okOr404 = (s: number) => (s >= 200 && s < 300) || s === 404

/** The object, or undefined when it does not exist. */
export async function getObject<T = KubeObject>(
  kube: KubeClient,
  path: string
): Promise<T | undefined> {
  const res = await kube.call({method: 'GET', path}, okOr404)
  return res.status === 404 ? undefined : (res.body as T)
}

interface Versioned {
  metadata?: {resourceVersion?: string}
}

/**
 * Server-side apply with force (`kubectl apply --server-side
 * --force-conflicts`). 'unchanged' when the API server kept the object as it
 * was: an apply that changes nothing does not move its resourceVersion.
 */
export async function applyObject(
  kube: KubeClient,
  obj: KubeObject,
  fieldManager: string
): Promise<'created' | 'updated' | 'unchanged'> {
  const path = objectPath(obj)
  const before = await getObject<Versioned>(kube, path)
  const res = await kube.call({
    method: 'PATCH',
    path: `${path}?fieldManager=${encodeURIComponent(fieldManager)}&force=true`,
    body: obj,
    contentType: 'application/apply-patch+yaml'
  })
  const after = (res.body as Versioned).metadata?.resourceVersion
  if (!before) return 'created'
  return before.metadata?.resourceVersion === after ? 'unchanged' : 'updated'
}

/** Deletes in the background (dependents by the garbage collector). */
export async function deleteObject(
  kube: KubeClient,
  obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>
): Promise<'deleted' | 'absent'> {
  const res = await kube.call(
    {method: 'DELETE', path: `${objectPath(obj)}?propagationPolicy=Background`},
    okOr404
  )
  return res.status === 404 ? 'absent' : 'deleted'
}

export interface ContainerStatus {
  name: string
  ready?: boolean
  restartCount?: number
  state?: {
    waiting?: {reason?: string; message?: string}
    terminated?: {reason?: string; exitCode?: number}
    running?: unknown
  }
}

export interface Condition {
  type: string
  status: string
  reason?: string
  message?: string
}

export interface Pod {
  metadata: {
    name: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    deletionTimestamp?: string
  }
  spec?: {
    nodeName?: string
    containers?: {name: string}[]
    initContainers?: {name: string; restartPolicy?: string}[]
  }
  status?: {
    phase?: string
    conditions?: Condition[]
    containerStatuses?: ContainerStatus[]
    initContainerStatuses?: ContainerStatus[]
  }
}

export interface Deployment {
  metadata: {name: string; generation?: number}
  spec?: {
    replicas?: number
    selector?: {matchLabels?: Record<string, string>}
  }
  status?: {
    observedGeneration?: number
    replicas?: number
    updatedReplicas?: number
    readyReplicas?: number
    availableReplicas?: number
    conditions?: Condition[]
  }
}

export const selectorOf = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')

export async function listPods(
  kube: KubeClient,
  namespace: string,
  labelSelector: string
): Promise<Pod[]> {
  const res = await kube.call({
    method: 'GET',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?labelSelector=${encodeURIComponent(labelSelector)}`
  })
  return (res.body as {items?: Pod[]}).items ?? []
}

export const SIDECAR = 'istio-proxy'

/** Whether the pod has Istio's sidecar (a container or a native sidecar). */
export function hasSidecar(pod: Pod): boolean {
  return (
    (pod.spec?.containers ?? []).some(c => c.name === SIDECAR) ||
    (pod.spec?.initContainers ?? []).some(c => c.name === SIDECAR)
  )
}

const condition = (conditions: Condition[] | undefined, type: string) =>
  (conditions ?? []).find(c => c.type === type)

export const isPodReady = (pod: Pod) =>
  condition(pod.status?.conditions, 'Ready')?.status === 'True' &&
  !pod.metadata.deletionTimestamp

/** Why a pod is not ready, in a few words, as `kubectl get pods` would say. */
export function podProblem(pod: Pod): string {
  const name = pod.metadata.name
  const scheduled = condition(pod.status?.conditions, 'PodScheduled')
  if (!pod.spec?.nodeName) {
    return `pod ${name} is not scheduled${scheduled?.message ? ` (${scheduled.message})` : ''}`
  }
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? [])
  ]
  for (const s of statuses) {
    const waiting = s.state?.waiting
    if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      return `pod ${name} container ${s.name}: ${waiting.reason}${waiting.message ? ` (${waiting.message.slice(0, 200)})` : ''}`
    }
    const terminated = s.state?.terminated
    if (terminated && terminated.reason !== 'Completed') {
      return `pod ${name} container ${s.name}: terminated ${terminated.reason ?? ''} exit ${terminated.exitCode ?? '?'}`
    }
  }
  const notReady = statuses.filter(s => !s.ready).map(s => s.name)
  return `pod ${name} is ${pod.status?.phase ?? 'Pending'}${notReady.length ? `, not ready: ${notReady.join(', ')}` : ''}`
}

export interface RolloutState {
  done: boolean
  /** What is still awaited, or that the rollout is complete. */
  message: string
  /** Set when waiting longer cannot help. */
  failed?: string
}

/**
 * A Deployment's rollout as `kubectl rollout status` judges it, plus its
 * pods: every ready pod must carry Istio's sidecar (injection happens at
 * creation, so a pod without one never gets it).
 */
export function rolloutState(
  d: Deployment | undefined,
  pods: readonly Pod[],
  options: {requireSidecar: boolean}
): RolloutState {
  if (!d) return {done: false, message: 'the Deployment does not exist'}
  const name = d.metadata.name
  const s = d.status ?? {}
  const want = d.spec?.replicas ?? 1
  const progressing = condition(s.conditions, 'Progressing')
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      done: false,
      message: 'exceeded its progress deadline',
      failed: `deployment ${name} exceeded its progress deadline`
    }
  }
  const live = pods.filter(p => !p.metadata.deletionTimestamp)
  if (options.requireSidecar) {
    const bare = live.find(p => !hasSidecar(p))
    if (bare) {
      return {
        done: false,
        message: `pod ${bare.metadata.name} has no ${SIDECAR} sidecar`,
        failed: `pod ${bare.metadata.name} of ${name} has no ${SIDECAR} sidecar: the namespace is not labelled for injection, or the injector did not run (delete the pod, or run with cleanup)`
      }
    }
  }
  const failure = condition(s.conditions, 'ReplicaFailure')
  const why =
    failure?.status === 'True' && failure.message
      ? `; ${failure.reason ?? 'ReplicaFailure'}: ${failure.message.slice(0, 300)}`
      : ''
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) {
    return {
      done: false,
      message: 'waiting for the spec to be observed'
    }
  }
  const updated = s.updatedReplicas ?? 0
  if (updated < want) {
    return {
      done: false,
      message: `${updated} of ${want} replicas updated${why}`
    }
  }
  if ((s.replicas ?? 0) > updated) {
    return {
      done: false,
      message: `${(s.replicas ?? 0) - updated} old replica(s) pending termination`
    }
  }
  const available = s.availableReplicas ?? 0
  if (available < updated) {
    const waiting = live.filter(p => !isPodReady(p)).map(podProblem)
    return {
      done: false,
      message: `${available} of ${updated} updated replicas available${waiting.length ? `; ${waiting.join('; ')}` : why}`
    }
  }
  return {done: true, message: `${available} of ${want} available`}
}

export interface WaitDeps {
  now: () => number
  sleep: (ms: number) => Promise<void>
  /** Progress: called when what is awaited changes. */
  log: (message: string) => void
  signal?: AbortSignal
}

/** Thrown when a wait runs out of time or is cancelled. */
export class WaitError extends Error {
  override name = 'WaitError'
}

export const POLL_MS = 2000

/**
 * Polls `probe` until it reports done, fails, or the deadline passes; logs
 * each new state once. The error names what was still awaited.
 */
export async function waitUntil<
  T extends {done: boolean; message: string; failed?: string}
>(
  what: string,
  probe: () => Promise<T>,
  deadline: number,
  deps: WaitDeps
): Promise<T> {
  let last = ''
  for (;;) {
    if (deps.signal?.aborted) throw new WaitError(`${what}: cancelled`)
    const state = await probe()
    if (state.failed) throw new WaitError(`${what}: ${state.failed}`)
    if (state.done) return state
    if (state.message !== last) deps.log(`${what}: ${state.message}`)
    last = state.message
    const left = deadline - deps.now()
    if (left <= 0) {
      throw new WaitError(
        `${what}: not done within the timeout; ${state.message}`
      )
    }
    await deps.sleep(Math.min(POLL_MS, left))
  }
}

/** Waits for one Deployment's rollout (and, if asked, its sidecars). */
export async function waitForRollout(
  kube: KubeClient,
  namespace: string,
  name: string,
  options: {requireSidecar: boolean; deadline: number},
  deps: WaitDeps
): Promise<RolloutState> {
  const path = objectPath({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, namespace}
  })
  return waitUntil(
    `${kube.cluster} ${namespace}/${name}`,
    async () => {
      const d = await getObject<Deployment>(kube, path)
      const match = d?.spec?.selector?.matchLabels
      const pods = match
        ? await listPods(kube, namespace, selectorOf(match))
        : []
      return rolloutState(d, pods, options)
    },
    options.deadline,
    deps
  )
}
