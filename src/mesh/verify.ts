import type {ExecRequest, ExecResult} from '../kube/exec.ts'
import type {ClusterTarget} from '../kube/kubeconfig.ts'
import {mapLimit} from '../kube/limit.ts'
import {
  applyObject,
  deleteObject,
  getObject,
  isPodReady,
  label,
  listPods,
  objectPath,
  POLL_MS,
  waitForRollout,
  WaitError,
  type KubeObject,
  type Pod
} from '../kube/workloads.ts'
import {
  controlPlaneVerdict,
  injectorState,
  mergeClusterz,
  mergeShards,
  parseClusterz,
  REMOTE_SECRET_PREFIX,
  remoteSecretPeers,
  serviceShards,
  type ClusterView,
  type ControlPlaneVerdict,
  type WebhookConfiguration
} from './verify-control-plane.ts'
import type {IstiodDebug} from './verify-istiod.ts'
import {
  clusterManifests,
  deploymentNames,
  MANAGED_BY,
  namespaceManifest,
  versionOf,
  type Images
} from './verify-manifests.ts'
import {
  addAttempts,
  addExecError,
  curlCommand,
  emptyTally,
  nextBatch,
  parseTranscript,
  sourceDone,
  trafficVerdict,
  type SourceTally
} from './verify-traffic.ts'

export interface Checks {
  controlPlane: boolean
  traffic: boolean
}

export interface VerifyOptions {
  clusters: readonly ClusterTarget[]
  /** Where the sample runs (`sample`). */
  namespace: string
  /** Where istiod and the remote secrets live (`istio-system`). */
  istioNamespace: string
  checks: Checks
  /** Answered requests per source at most (stops once all versions answer). */
  requests: number
  timeoutMs: number
  cleanup: boolean
  images: Images
  fieldManager: string
  /**
   * Pods must carry Istio's sidecar (default). Only a caller without an
   * injector (a test bed with no Istio) turns this off.
   */
  requireSidecar?: boolean
}

export interface VerifyDeps {
  log: (message: string) => void
  group: <T>(name: string, fn: () => Promise<T>) => Promise<T>
  now: () => number
  /** Resolves early when `signal` aborts. */
  sleep: (ms: number) => Promise<void>
  signal?: AbortSignal
  istiod: (target: ClusterTarget) => IstiodDebug
  exec: (target: ClusterTarget, r: ExecRequest) => Promise<ExecResult>
  concurrency?: number
}

export const SERVICE = 'helloworld'
const REVISION_LABEL = 'istio.io/rev'
const INJECTION_LABEL = 'istio-injection'
const MANAGED_KEY = Object.keys(MANAGED_BY)[0]!
const MANAGED_VALUE = Object.values(MANAGED_BY)[0]!
/** One curl request may take this long; an exec allows for the batch. */
export const REQUEST_TIMEOUT_S = 5

export interface ControlPlaneReport {
  views: ClusterView[]
  verdict: ControlPlaneVerdict
  /** Whether the sample's endpoints were part of the check. */
  endpoints: boolean
  note?: string
}

export interface TrafficReport {
  versions: string[]
  /** version -> the cluster that serves it. */
  versionCluster: Record<string, string>
  tallies: SourceTally[]
  requests: number
  /** Why no request was sent, when none was. */
  skipped?: string
}

export interface VerifyReport {
  result: 'pass' | 'fail'
  failures: string[]
  clusters: string[]
  controlPlane?: ControlPlaneReport
  traffic?: TrafficReport
  /** Phase -> elapsed milliseconds, in the order they ran. */
  timings: {phase: string; ms: number}[]
  cleanup?: {removed: string[]; errors: string[]}
}

const message = (err: unknown) =>
  err instanceof Error ? err.message : String(err)

const WEBHOOKS =
  '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=app%3Dsidecar-injector'
const METADATA_ONLY =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1'

interface SecretMetadata {
  name: string
  annotations: Record<string, string> | undefined
}

/**
 * Every other cluster's remote secret in `target`, each read by name and
 * as metadata only, so its kubeconfig never reaches us. By name, not by a
 * list: the cluster stage's verify role may get these secrets and list
 * none (a list of Secrets, metadata or not, is authorized as a list, and
 * would also return cacerts' key).
 */
async function remoteSecrets(
  target: ClusterTarget,
  o: VerifyOptions
): Promise<SecretMetadata[]> {
  const ns = encodeURIComponent(o.istioNamespace)
  const peers = o.clusters.map(c => c.name).filter(n => n !== target.name)
  const found = await Promise.all(
    peers.map(async (peer): Promise<SecretMetadata | undefined> => {
      const res = await target.kube.call(
        {
          method: 'GET',
          path: `/api/v1/namespaces/${ns}/secrets/${encodeURIComponent(`${REMOTE_SECRET_PREFIX}${peer}`)}`,
          accept: METADATA_ONLY
        },
        s => (s >= 200 && s < 300) || s === 404
      )
      if (res.status === 404) return undefined
      const m = (
        res.body as
          | {metadata?: {name?: string; annotations?: Record<string, string>}}
          | undefined
      )?.metadata
      return {name: m?.name ?? '', annotations: m?.annotations}
    })
  )
  return found.filter((s): s is SecretMetadata => s !== undefined)
}

/** What one cluster's API server and istiod say, read in parallel. */
async function gatherView(
  target: ClusterTarget,
  o: VerifyOptions,
  deps: VerifyDeps,
  endpoints: boolean
): Promise<ClusterView> {
  const istiod = deps.istiod(target)
  const [ready, webhooks, secrets] = await Promise.all([
    istiod.ready(),
    target.kube.call({method: 'GET', path: WEBHOOKS}),
    remoteSecrets(target, o)
  ])
  const view: ClusterView = {
    cluster: target.name,
    istiod: ready,
    webhook: injectorState(
      (webhooks.body as {items?: WebhookConfiguration[]}).items ?? [],
      o.istioNamespace
    ),
    secrets: remoteSecretPeers(secrets),
    debug: {ok: false, error: 'not asked: istiod is not ready'}
  }
  if (!ready.ready) return view
  try {
    const clusters = mergeClusterz(
      (await istiod.get('/debug/clusterz')).map(parseClusterz)
    )
    const shards = endpoints
      ? mergeShards(
          (await istiod.get('/debug/endpointShardz')).map(j =>
            serviceShards(j, SERVICE, o.namespace)
          )
        )
      : undefined
    view.debug = {ok: true, clusters, ...(shards ? {endpoints: shards} : {})}
  } catch (err) {
    view.debug = {ok: false, error: message(err)}
  }
  return view
}

/**
 * Polls every cluster's control plane until all is well, a problem that
 * waiting cannot fix shows up, or the deadline passes.
 */
async function controlPlane(
  o: VerifyOptions,
  deps: VerifyDeps,
  deadline: number,
  endpoints: boolean
): Promise<{views: ClusterView[]; verdict: ControlPlaneVerdict}> {
  const names = o.clusters.map(c => c.name)
  let last = ''
  for (;;) {
    const views = await mapLimit(o.clusters, deps.concurrency ?? 8, t =>
      gatherView(t, o, deps, endpoints)
    )
    const verdict = controlPlaneVerdict(views, names, {
      endpoints,
      service: SERVICE,
      namespace: o.namespace,
      istioNamespace: o.istioNamespace
    })
    if (verdict.ok) return {views, verdict}
    const now = verdict.problems.map(p => p.text).join('; ')
    if (now !== last) deps.log(`control plane: ${now}`)
    last = now
    if (
      verdict.problems.some(p => p.settled) ||
      deps.now() >= deadline ||
      deps.signal?.aborted
    ) {
      return {views, verdict}
    }
    await deps.sleep(Math.min(POLL_MS, deadline - deps.now()))
  }
}

interface Deployed {
  target: ClusterTarget
  objects: KubeObject[]
  namespace: KubeObject
  /** Made by verify-mesh (now or by an earlier run): cleanup deletes it. */
  ownsNamespace: boolean
}

async function waitNamespaceGone(
  target: ClusterTarget,
  namespace: string,
  deadline: number,
  deps: VerifyDeps
) {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}`
  deps.log(
    `${target.name}: namespace ${namespace} is being deleted; waiting for it to go`
  )
  while (await getObject(target.kube, path)) {
    if (deps.now() >= deadline || deps.signal?.aborted) {
      throw new WaitError(
        `${target.name}: namespace ${namespace} was still terminating at the timeout`
      )
    }
    await deps.sleep(Math.min(POLL_MS, deadline - deps.now()))
  }
}

/** Applies one cluster's objects, registering them for cleanup first. */
async function deploy(
  target: ClusterTarget,
  index: number,
  o: VerifyOptions,
  deps: VerifyDeps,
  deadline: number,
  deployed: Deployed[]
) {
  type Ns = {
    metadata?: {labels?: Record<string, string>; deletionTimestamp?: string}
  }
  const nsPath = `/api/v1/namespaces/${encodeURIComponent(o.namespace)}`
  let existing = await getObject<Ns>(target.kube, nsPath)
  if (existing?.metadata?.deletionTimestamp) {
    await waitNamespaceGone(target, o.namespace, deadline, deps)
    existing = undefined
  }
  const ownsNamespace =
    !existing || existing.metadata?.labels?.[MANAGED_KEY] === MANAGED_VALUE
  const namespace = namespaceManifest(o.namespace)
  if (!ownsNamespace) {
    // Someone else's namespace: labelled for injection, never marked ours.
    delete namespace.metadata.labels![MANAGED_KEY]
  }
  if (existing?.metadata?.labels?.[REVISION_LABEL]) {
    // Injection by revision: istio-injection would take precedence over
    // the namespace's istio.io/rev, so it is left as its owner set it.
    delete namespace.metadata.labels![INJECTION_LABEL]
  }
  const objects = clusterManifests(o.namespace, index, o.images)
  deployed.push({target, objects, namespace, ownsNamespace})
  // In order: the curl ServiceAccount must exist before its Deployment's
  // ReplicaSet creates pods, or they are refused and retried with backoff.
  const results = [await applyObject(target.kube, namespace, o.fieldManager)]
  for (const obj of objects) {
    results.push(await applyObject(target.kube, obj, o.fieldManager))
  }
  const count = (s: string) => results.filter(r => r === s).length
  deps.log(
    `${target.name}: applied ${results.length} objects (${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged), helloworld ${versionOf(index)}`
  )
}

/** Deletes what was deployed, the namespace only when verify-mesh made it. */
async function cleanup(
  deployed: readonly Deployed[],
  deps: Pick<VerifyDeps, 'log'>
): Promise<{removed: string[]; errors: string[]}> {
  const removed: string[] = []
  const errors: string[] = []
  await Promise.all(
    deployed.map(async d => {
      const all = [...d.objects].reverse()
      if (d.ownsNamespace) all.push(d.namespace)
      let n = 0
      for (const obj of all) {
        try {
          if ((await deleteObject(d.target.kube, obj)) === 'deleted') n++
        } catch (err) {
          errors.push(`${d.target.name}: delete ${label(obj)}: ${message(err)}`)
        }
      }
      removed.push(d.target.name)
      deps.log(
        `${d.target.name}: cleanup deleted ${n} object(s)${d.ownsNamespace ? `, namespace ${d.namespace.metadata.name} included` : `; namespace ${d.namespace.metadata.name} kept (not made by verify-mesh)`}`
      )
    })
  )
  return {removed, errors}
}

async function curlPod(target: ClusterTarget, namespace: string): Promise<Pod> {
  const pods = (await listPods(target.kube, namespace, 'app=curl')).filter(
    isPodReady
  )
  const pod = pods.at(-1)
  if (!pod) throw new Error(`${target.name}: no ready curl pod in ${namespace}`)
  return pod
}

/** Curls from one source until every version answered, k answers, or the deadline. */
async function curlFrom(
  target: ClusterTarget,
  o: VerifyOptions,
  deps: VerifyDeps,
  deadline: number,
  versions: readonly string[]
): Promise<SourceTally> {
  let tally = emptyTally(target.name)
  let pod: Pod | undefined
  while (!sourceDone(tally, versions, o.requests)) {
    const left = deadline - deps.now()
    if (left <= 0 || deps.signal?.aborted) break
    const before = tally.answered
    try {
      pod ??= await curlPod(target, o.namespace)
      const n = nextBatch(tally, o.requests)
      const r = await deps.exec(target, {
        namespace: o.namespace,
        pod: pod.metadata.name,
        container: 'curl',
        command: curlCommand(o.namespace, n, REQUEST_TIMEOUT_S),
        timeoutMs: Math.min(left, n * (REQUEST_TIMEOUT_S + 1) * 1000 + 10_000),
        signal: deps.signal
      })
      const attempts = parseTranscript(r.stdout)
      tally = addAttempts(tally, attempts, versions)
      if (attempts.length === 0) {
        tally = addExecError(
          tally,
          `exec: ${r.error ?? (r.stderr.trim().slice(0, 200) || 'no output')}`
        )
      }
    } catch (err) {
      pod = undefined
      tally = addExecError(tally, message(err))
    }
    const seen = versions.filter(v => tally.counts[v])
    deps.log(
      `${target.name}: ${tally.answered} answered (${seen.join(', ') || 'no version yet'}), ${tally.errors} error(s)`
    )
    // Errors early on (sidecars warming up, endpoints still spreading) are
    // retried within the timeout, with a pause so they do not spin.
    if (tally.answered === before)
      await deps.sleep(Math.min(1000, Math.max(0, deadline - deps.now())))
  }
  return tally
}

async function traffic(
  o: VerifyOptions,
  deps: VerifyDeps,
  deadline: number,
  deployed: Deployed[],
  report: VerifyReport,
  time: <T>(phase: string, fn: () => Promise<T>) => Promise<T>
): Promise<void> {
  const versions = o.clusters.map((_, i) => versionOf(i))
  const versionCluster = Object.fromEntries(
    o.clusters.map((c, i) => [versionOf(i), c.name])
  )
  const t: TrafficReport = {
    versions,
    versionCluster,
    tallies: [],
    requests: o.requests
  }
  report.traffic = t
  await time('deploy', () =>
    deps.group('verify-mesh: deploy helloworld and curl', () =>
      mapLimit(
        o.clusters.map((c, i) => ({c, i})),
        deps.concurrency ?? 8,
        ({c, i}) => deploy(c, i, o, deps, deadline, deployed)
      )
    )
  )
  const rollout = await time('rollout', () =>
    deps.group('verify-mesh: wait for rollouts and sidecars', async () => {
      const failures: string[] = []
      await Promise.all(
        o.clusters.flatMap((c, i) =>
          deploymentNames(i).map(async name => {
            try {
              await waitForRollout(
                c.kube,
                o.namespace,
                name,
                {requireSidecar: o.requireSidecar !== false, deadline},
                {...deps, log: m => deps.log(m)}
              )
              deps.log(`${c.name}: ${o.namespace}/${name} rolled out`)
            } catch (err) {
              failures.push(message(err))
            }
          })
        )
      )
      return failures
    })
  )
  if (rollout.length > 0) {
    t.skipped = 'the workloads did not become ready'
    report.failures.push(...rollout)
    return
  }
  if (o.checks.controlPlane) {
    const cp = await time('endpoints', () =>
      deps.group("verify-mesh: istiod's view of the sample's endpoints", () =>
        controlPlane(o, deps, deadline, true)
      )
    )
    report.controlPlane = {...cp, endpoints: true}
    if (!cp.verdict.ok) {
      report.failures.push(...cp.verdict.problems.map(p => p.text))
      t.skipped = "istiod does not know the sample's endpoints in every cluster"
      return
    }
  }
  t.tallies = await time('traffic', () =>
    deps.group('verify-mesh: curl helloworld from every cluster', () =>
      Promise.all(o.clusters.map(c => curlFrom(c, o, deps, deadline, versions)))
    )
  )
  const verdict = trafficVerdict(t.tallies, versions, versionCluster)
  report.failures.push(...verdict.failures)
}

/**
 * verify-mesh: the control plane of every cluster, then (unless only the
 * control plane is asked for) helloworld and curl in every cluster and a
 * curl from each to every version. Whatever was deployed is removed at the
 * end when `cleanup` is on, whether the run passed, failed, timed out or
 * was cancelled (the caller aborts `signal` on SIGINT/SIGTERM).
 */
export async function verifyMesh(
  o: VerifyOptions,
  deps: VerifyDeps
): Promise<VerifyReport> {
  const started = deps.now()
  const deadline = started + o.timeoutMs
  const names = o.clusters.map(c => c.name)
  const report: VerifyReport = {
    result: 'fail',
    failures: [],
    clusters: names,
    timings: []
  }
  const time = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = deps.now()
    try {
      return await fn()
    } finally {
      report.timings.push({phase, ms: deps.now() - t0})
    }
  }
  const deployed: Deployed[] = []
  try {
    if (o.checks.controlPlane) {
      // With traffic, the endpoints are checked once the sample runs; alone,
      // they are checked if the sample's Service is there (cleanup: false,
      // or the user's own).
      let endpoints = false
      let note: string | undefined
      if (!o.checks.traffic) {
        const present = await mapLimit(o.clusters, deps.concurrency ?? 8, c =>
          getObject(
            c.kube,
            objectPath({
              apiVersion: 'v1',
              kind: 'Service',
              metadata: {name: SERVICE, namespace: o.namespace}
            })
          )
        )
        endpoints = present.some(Boolean)
        if (!endpoints) {
          note = `endpoints not checked: no ${SERVICE} Service in namespace ${o.namespace} (run checks traffic, or deploy it)`
        }
      }
      const cp = await time('control plane', () =>
        deps.group('verify-mesh: control plane', () =>
          controlPlane(o, deps, deadline, endpoints)
        )
      )
      report.controlPlane = {...cp, endpoints, ...(note ? {note} : {})}
      if (note) deps.log(note)
      if (!cp.verdict.ok) {
        report.failures.push(...cp.verdict.problems.map(p => p.text))
      }
    }
    if (o.checks.traffic) {
      if (report.failures.length > 0) {
        report.traffic = {
          versions: names.map((_, i) => versionOf(i)),
          versionCluster: Object.fromEntries(
            names.map((n, i) => [versionOf(i), n])
          ),
          tallies: [],
          requests: o.requests,
          skipped: 'the control plane failed'
        }
      } else {
        await traffic(o, deps, deadline, deployed, report, time)
      }
    }
  } catch (err) {
    report.failures.push(message(err))
  } finally {
    if (deps.signal?.aborted) report.failures.push('cancelled')
    if (o.cleanup && deployed.length > 0) {
      report.cleanup = await time('cleanup', () =>
        deps.group('verify-mesh: cleanup', () => cleanup(deployed, deps))
      )
    }
  }
  report.result = report.failures.length === 0 ? 'pass' : 'fail'
  return report
}
