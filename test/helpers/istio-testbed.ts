import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {acquireLock} from '../../scripts/lib/lock.mjs'
import {ROOT} from './run-bundle.ts'
import {need, testbed, type IstiodEndpoints} from './testbed.ts'

/** Where the test bed's generate-certs run keeps the mesh's CA. */
export const CERTS_DIR = join(ROOT, '.testbed', 'certs')

/** The istiod of one test-bed cluster; fails when istio was left out. */
export function istiod(cluster: string): IstiodEndpoints {
  const all = need('istiod')
  const i = all[cluster]
  if (!i) {
    throw new Error(
      `the test bed runs no istiod for ${cluster}: run \`npm run testbed -- up --only istio\``
    )
  }
  return i
}

/** Clusters that have an istiod, in cluster order. */
export function meshClusters(): string[] {
  const bed = testbed()
  return bed.clusters.filter(c => bed.istiod?.[c])
}

/**
 * Tests that change what the istiods see (remote secrets and the CA in
 * istio-system) run one at a time across test files and processes: each
 * holds this lock for its whole run.
 */
export async function withIstioLock<T>(fn: () => Promise<T>): Promise<T> {
  const release = await acquireLock(join(ROOT, '.testbed', 'istio.lock'))
  try {
    return await fn()
  } finally {
    release()
  }
}

async function debug<T>(cluster: string, path: string): Promise<T> {
  const res = await fetch(`${istiod(cluster).debug}${path}`)
  if (res.status !== 200) {
    throw new Error(`${cluster} istiod ${path}: HTTP ${res.status}`)
  }
  return (await res.json()) as T
}

export interface RemoteCluster {
  id: string
  secretName: string
  syncStatus: string
}

/** istiod's own list of remote clusters (`istioctl remote-clusters`). */
export function clusterz(cluster: string): Promise<RemoteCluster[]> {
  return debug<RemoteCluster[] | null>(cluster, '/debug/clusterz').then(
    list => list ?? []
  )
}

/** The remote clusters istiod has synced, sorted (clusterz lists its own too). */
export async function syncedRemotes(cluster: string): Promise<string[]> {
  return (await clusterz(cluster))
    .filter(r => r.id !== cluster && r.syncStatus === 'synced')
    .map(r => r.id)
    .sort()
}

/**
 * The clusters istiod knows endpoints of for one service: the cluster part
 * of each shard key (`<provider>/<cluster>`) of /debug/endpointShardz.
 */
export async function endpointClusters(
  cluster: string,
  host: string,
  namespace: string
): Promise<string[]> {
  const shardz = await debug<
    Record<string, Record<string, {Shards?: Record<string, unknown[]>}>>
  >(cluster, '/debug/endpointShardz')
  const shards = shardz[host]?.[namespace]?.Shards ?? {}
  return Object.entries(shards)
    .filter(([, endpoints]) => (endpoints ?? []).length > 0)
    .map(([key]) => key.split('/').pop()!)
    .sort()
}

/**
 * Polls `probe` until it returns what `done` accepts; fails with the last
 * value seen, so a wrong final state reads like an assertion.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  let error: unknown
  for (;;) {
    try {
      last = await probe()
      error = undefined
      if (done(last)) return last
    } catch (err) {
      error = err
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${timeoutMs / 1000} s; last seen ${error ? String(error) : JSON.stringify(last)}`
      )
    }
    await sleep(250)
  }
}
