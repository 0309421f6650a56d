/**
 * The control-plane half of verify-mesh as plain functions: reading what
 * each cluster's API server and istiod say, and judging it. No I/O here.
 *
 * istiod's debug API (pilot/pkg/xds/debug.go), as istiod 1.31 answers it:
 * - `/debug/clusterz`: `[{"id", "secretName", "syncStatus"}]`, the config
 *   cluster first (secretName ""), then one entry per cluster of each remote
 *   secret (secretName `<namespace>/<name>`); syncStatus is one of
 *   synced, syncing, timeout, closed (pkg/kube/multicluster/cluster.go).
 * - `/debug/endpointShardz`: `{"<hostname>": {"<namespace>": {"Shards":
 *   {"<provider>/<cluster>": [IstioEndpoint...]}, "ServiceAccounts": ...}}}`
 *   (pilot/pkg/model/endpointshards.go); an IstioEndpoint has no JSON tags,
 *   so its fields keep their Go names, HealthStatus 1 meaning healthy.
 */

export interface RemoteCluster {
  id: string
  secretName: string
  syncStatus: string
}

/** `/debug/clusterz`, checked for shape (null means no clusters). */
export function parseClusterz(json: unknown): RemoteCluster[] {
  if (json === null) return []
  if (!Array.isArray(json)) {
    throw new Error('/debug/clusterz did not answer a list')
  }
  return json.map((item, i) => {
    const r = item as Partial<RemoteCluster> | null
    if (typeof r?.id !== 'string' || typeof r.syncStatus !== 'string') {
      throw new Error(`/debug/clusterz entry ${i + 1} has no id and syncStatus`)
    }
    return {
      id: r.id,
      secretName: typeof r.secretName === 'string' ? r.secretName : '',
      syncStatus: r.syncStatus
    }
  })
}

export interface ShardCount {
  healthy: number
  total: number
}

const HEALTHY = 1

/**
 * The endpoints of one service per cluster, from `/debug/endpointShardz`:
 * the hostname is `<service>.<namespace>.svc.<domain suffix>` (any suffix).
 * Undefined when istiod has no shards for the service at all.
 */
export function serviceShards(
  json: unknown,
  service: string,
  namespace: string
): Record<string, ShardCount> | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error('/debug/endpointShardz did not answer an object')
  }
  const prefix = `${service}.${namespace}.svc.`
  const hosts = Object.entries(json as Record<string, unknown>).filter(
    ([host]) => host.startsWith(prefix)
  )
  if (hosts.length === 0) return undefined
  const counts: Record<string, ShardCount> = {}
  for (const [, byNamespace] of hosts) {
    const entry = (byNamespace as Record<string, unknown> | null)?.[namespace]
    const shards = (entry as {Shards?: unknown} | null)?.Shards
    if (!shards || typeof shards !== 'object') continue
    for (const [key, endpoints] of Object.entries(
      shards as Record<string, unknown>
    )) {
      // ShardKey marshals as "<provider>/<cluster>"; cluster IDs have no '/'.
      const cluster = key.slice(key.indexOf('/') + 1)
      const list = Array.isArray(endpoints) ? endpoints : []
      const c = (counts[cluster] ??= {healthy: 0, total: 0})
      c.total += list.length
      c.healthy += list.filter(e => {
        const h = (e as {HealthStatus?: unknown} | null)?.HealthStatus
        return h === undefined || h === HEALTHY
      }).length
    }
  }
  return counts
}

const SYNC_RANK = ['synced', 'syncing', 'timeout', 'closed']

/**
 * Several istiod replicas each have their own view: a cluster counts as
 * synced only if every replica says so, and the worst status is shown.
 */
export function mergeClusterz(
  views: readonly RemoteCluster[][]
): RemoteCluster[] {
  if (views.length === 1) return views[0]!
  const ids = [...new Set(views.flat().map(r => r.id))]
  return ids.map(id => {
    const entries = views.map(v => v.find(r => r.id === id))
    if (entries.some(e => !e)) {
      return {
        id,
        secretName: entries.find(Boolean)!.secretName,
        syncStatus: 'absent'
      }
    }
    const worst = entries
      .map(e => e!)
      .sort((a, b) => rank(b.syncStatus) - rank(a.syncStatus))[0]!
    return worst
  })
}

const rank = (status: string) => {
  const i = SYNC_RANK.indexOf(status)
  return i < 0 ? SYNC_RANK.length : i
}

/** The fewest endpoints any replica knows, per cluster. */
export function mergeShards(
  views: readonly (Record<string, ShardCount> | undefined)[]
): Record<string, ShardCount> | undefined {
  if (views.some(v => v === undefined)) return undefined
  const all = views as Record<string, ShardCount>[]
  const clusters = new Set(all.flatMap(v => Object.keys(v)))
  const out: Record<string, ShardCount> = {}
  for (const c of clusters) {
    out[c] = {
      healthy: Math.min(...all.map(v => v[c]?.healthy ?? 0)),
      total: Math.min(...all.map(v => v[c]?.total ?? 0))
    }
  }
  return out
}

export const REMOTE_SECRET_PREFIX = 'istio-remote-secret-'
export const CLUSTER_ANNOTATION = 'networking.istio.io/cluster'

/**
 * The peers a cluster holds remote secrets for, from the secrets' metadata
 * alone (never their data): the name `istio-remote-secret-<peer>` or the
 * annotation istioctl writes. istiod itself keys on the data, which its
 * /debug/clusterz then shows.
 */
export function remoteSecretPeers(
  secrets: readonly {name: string; annotations?: Record<string, string>}[]
): string[] {
  const peers = new Set<string>()
  for (const s of secrets) {
    if (s.name.startsWith(REMOTE_SECRET_PREFIX)) {
      peers.add(s.name.slice(REMOTE_SECRET_PREFIX.length))
    }
    const annotated = s.annotations?.[CLUSTER_ANNOTATION]
    if (annotated) peers.add(annotated)
  }
  return [...peers]
}

export interface WebhookConfiguration {
  metadata: {name: string}
  webhooks?: {
    name: string
    clientConfig?: {
      caBundle?: string
      url?: string
      service?: {name?: string; namespace?: string}
    }
  }[]
}

export type WebhookState =
  | {state: 'present'; name: string}
  | {state: 'missing'}
  | {state: 'no-ca-bundle'; name: string}

/**
 * Istio's sidecar injector: a MutatingWebhookConfiguration labelled
 * app=sidecar-injector whose webhooks call istiod in its namespace (or a
 * URL). istiod fills in the caBundle when it starts; an empty one means
 * the API server cannot call it yet.
 */
export function injectorState(
  configs: readonly WebhookConfiguration[],
  istioNamespace: string
): WebhookState {
  const ours = configs.filter(c =>
    (c.webhooks ?? []).some(
      w =>
        w.clientConfig?.url ||
        w.clientConfig?.service?.namespace === istioNamespace
    )
  )
  if (ours.length === 0) return {state: 'missing'}
  const complete = ours.find(c =>
    (c.webhooks ?? []).every(w => (w.clientConfig?.caBundle ?? '') !== '')
  )
  return complete
    ? {state: 'present', name: complete.metadata.name}
    : {state: 'no-ca-bundle', name: ours[0]!.metadata.name}
}

/** What one cluster's API server and istiod said. */
export interface ClusterView {
  cluster: string
  istiod: {ready: boolean; detail: string}
  webhook: WebhookState
  /** Peers with a remote secret in this cluster. */
  secrets: string[]
  debug:
    | {
        ok: true
        clusters: RemoteCluster[]
        /** helloworld's endpoints per cluster; undefined: istiod has none. */
        endpoints?: Record<string, ShardCount>
      }
    | {ok: false; error: string}
}

export interface Problem {
  /** The cluster whose control plane has the problem. */
  cluster: string
  /** The cluster it concerns, for a pair (source -> cluster). */
  peer?: string
  text: string
  /** Waiting cannot fix it (nothing in the mesh will create what is missing). */
  settled: boolean
}

export interface ControlPlaneVerdict {
  ok: boolean
  problems: Problem[]
}

/**
 * Per cluster: istiod ready, the injector present, a remote secret of
 * every other cluster, and istiod's own view: every other cluster synced
 * and, when `endpoints` is asked for, the sample service's endpoints
 * known from every cluster, its own included. A pair is named
 * `source -> target` as exchange-secrets names it: the target's istiod
 * reads the source.
 */
export function controlPlaneVerdict(
  views: readonly ClusterView[],
  clusters: readonly string[],
  o: {
    endpoints: boolean
    service: string
    namespace: string
    istioNamespace: string
  }
): ControlPlaneVerdict {
  const problems: Problem[] = []
  for (const v of views) {
    const c = v.cluster
    if (!v.istiod.ready) {
      problems.push({
        cluster: c,
        text: `${c}: istiod is not ready (${v.istiod.detail})`,
        settled: false
      })
    }
    if (v.webhook.state === 'missing') {
      problems.push({
        cluster: c,
        text: `${c}: no sidecar injector (MutatingWebhookConfiguration labelled app=sidecar-injector calling istiod in ${o.istioNamespace})`,
        settled: true
      })
    } else if (v.webhook.state === 'no-ca-bundle') {
      problems.push({
        cluster: c,
        text: `${c}: the sidecar injector ${v.webhook.name} has no caBundle yet (istiod fills it in when it runs)`,
        settled: false
      })
    }
    const peers = clusters.filter(p => p !== c)
    for (const p of peers) {
      if (!v.secrets.includes(p)) {
        problems.push({
          cluster: c,
          peer: p,
          text: `${p} -> ${c}: no remote secret for ${p} in ${c} (${o.istioNamespace}/${REMOTE_SECRET_PREFIX}${p}; run exchange-secrets)`,
          settled: true
        })
      }
    }
    if (!v.debug.ok) {
      // Not asked when istiod is not ready: that problem is named above.
      if (v.istiod.ready) {
        problems.push({
          cluster: c,
          text: `${c}: istiod's debug API did not answer: ${v.debug.error}`,
          settled: false
        })
      }
      continue
    }
    const listed = new Map(v.debug.clusters.map(r => [r.id, r]))
    for (const p of clusters) {
      const r = listed.get(p)
      const who = p === c ? `${c}: istiod` : `${p} -> ${c}: istiod in ${c}`
      if (!r) {
        problems.push({
          cluster: c,
          ...(p === c ? {} : {peer: p}),
          text:
            p === c
              ? `${c}: istiod does not list its own cluster ${c} (is its CLUSTER_ID ${c}?)`
              : `${who} does not list ${p} as a remote cluster`,
          settled: false
        })
      } else if (r.syncStatus !== 'synced') {
        problems.push({
          cluster: c,
          ...(p === c ? {} : {peer: p}),
          text: `${who} lists ${p} as ${r.syncStatus}, not synced`,
          settled: false
        })
      }
    }
    if (!o.endpoints) continue
    for (const p of clusters) {
      const n = v.debug.endpoints?.[p]?.healthy ?? 0
      if (n > 0) continue
      problems.push({
        cluster: c,
        ...(p === c ? {} : {peer: p}),
        text:
          p === c
            ? `${c}: istiod knows no ready endpoint of ${o.service}.${o.namespace} in its own cluster`
            : `${p} -> ${c}: istiod in ${c} knows no ready endpoint of ${o.service}.${o.namespace} in ${p}`,
        settled: false
      })
    }
  }
  return {ok: problems.length === 0, problems}
}

/**
 * The control-plane-json output: cluster -> peer -> what that cluster's
 * control plane says about the peer. The cluster's own entry carries its
 * istiod and injector; `endpoints` is null where not checked.
 */
export function controlPlaneJson(
  views: readonly ClusterView[],
  clusters: readonly string[],
  o: {endpoints: boolean}
): string {
  const out: Record<string, Record<string, Record<string, unknown>>> = {}
  for (const v of views) {
    const listed = v.debug.ok
      ? new Map(v.debug.clusters.map(r => [r.id, r.syncStatus]))
      : undefined
    const row: Record<string, Record<string, unknown>> = {}
    for (const p of clusters) {
      const synced = listed ? (listed.get(p) ?? 'absent') : 'unknown'
      const endpoints =
        o.endpoints && v.debug.ok
          ? (v.debug.endpoints?.[p]?.healthy ?? 0)
          : null
      row[p] =
        p === v.cluster
          ? {
              istiod: v.istiod.ready ? 'ready' : 'not-ready',
              webhook: v.webhook.state,
              synced,
              endpoints
            }
          : {
              secret: v.secrets.includes(p) ? 'present' : 'missing',
              synced,
              endpoints
            }
    }
    out[v.cluster] = row
  }
  return JSON.stringify(out)
}
