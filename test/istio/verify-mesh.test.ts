// verify-mesh's control-plane check against the test bed's real istiods
// (four under `npm test`: 12 pairs), reached at the `istiod-urls` the test
// bed gives: it passes once exchange-secrets has joined every cluster, and
// fails naming the pair when one pair's secret is gone or istiod lacks one
// cluster's endpoints. The mesh is left as the other Istio tests expect it.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {
  applyObjects,
  deleteObjects,
  type KubeObject
} from '../../src/kube/apply.ts'
import {sampleObjects, sampleSlice} from '../../src/cli/sample.ts'
import {orderedPairs} from '../../src/mesh/remote-secret.ts'
import {acquireLock} from '../../scripts/lib/lock.mjs'
import {restartIstiods} from '../../scripts/testbed/istio-up.mjs'
import {admin} from '../helpers/istio-fixture.ts'
import {
  eventually,
  istiod,
  meshClusters,
  syncedRemotes
} from '../helpers/istio-testbed.ts'
import {ROOT, runBundle} from '../helpers/run-bundle.ts'
import {need} from '../helpers/testbed.ts'

const clusters = meshClusters()
if (clusters.length < 2)
  throw new Error('the test bed needs istio on two clusters')
const ISTIO_NS = 'istio-system'
const env = {KUBECONFIG: need('kubeconfig')}
const ns = `vm-cp-${process.pid}-${Date.now().toString(36)}`
const pairs = orderedPairs(clusters).length
const others = (c: string) => clusters.filter(x => x !== c).sort()
const istiodUrls = clusters.map(c => `${c}=${istiod(c).debug}`).join('\n')

const exchange = (inputs: Record<string, string> = {}) =>
  runBundle(
    'exchange-secrets',
    {clusters: clusters.join(','), provider: 'kubeconfig', ...inputs},
    {env, defaultsFrom: 'exchange-secrets'}
  )

const verify = (inputs: Record<string, string> = {}) =>
  runBundle(
    'verify-mesh',
    {
      clusters: clusters.join(','),
      provider: 'kubeconfig',
      namespace: ns,
      checks: 'control-plane',
      'istiod-urls': istiodUrls,
      timeout: '2m',
      ...inputs
    },
    {env, defaultsFrom: 'verify-mesh'}
  )

type Cell = Record<string, string | number | null>
const controlPlane = (outputs: Record<string, string>) =>
  JSON.parse(outputs['control-plane-json'] ?? '{}') as Record<
    string,
    Record<string, Cell>
  >

/** The summary's failure lines (`- ...` after **Failed:**). */
const failures = (summary: string) =>
  (summary.split('**Failed:**')[1] ?? '')
    .split('\n')
    .filter(l => l.startsWith('- '))
    .map(l => l.slice(2))

async function allSynced() {
  for (const c of clusters) {
    await eventually(
      `${c} istiod synced with ${others(c).join(', ')}`,
      () => syncedRemotes(c),
      synced => synced.join() === others(c).join(),
      90_000
    )
  }
}

/**
 * helloworld as istiod sees it without pods, as the demo registers it: a
 * selector-less Service and one EndpointSlice per cluster.
 */
const sliceOf = (i: number) => sampleSlice(i, ns)
const sample = (i: number) => sampleObjects(i, ns)
const applySample = (c: string, objects: KubeObject[]) =>
  applyObjects(admin(c).kube, objects, {
    fieldManager: 'istio-test',
    namespace: ns
  })

let release: () => void
before(async () => {
  release = await acquireLock(join(ROOT, '.testbed', 'istio.lock'))
  for (const [i, c] of clusters.entries()) await applySample(c, sample(i))
})

after(async () => {
  try {
    for (const [i, c] of clusters.entries()) {
      await deleteObjects(admin(c).kube, sample(i), ns)
    }
    // As remote-secrets.test.ts leaves it: every remote synced, then none
    // (a remote that never synced must not be deleted: docs/testbed.md).
    await exchange()
    await allSynced().catch(() => restartIstiods(clusters))
    await allSynced()
    const r = await exchange({mode: 'revoke'})
    assert.equal(r.status, 0, r.stdout)
  } finally {
    release()
  }
})

test(`control-plane: passes once exchange-secrets has joined ${clusters.length} istiods (${pairs} pairs), each knowing helloworld from every cluster`, async () => {
  const joined = await exchange()
  assert.equal(joined.status, 0, joined.stdout)
  // No wait here: verify-mesh itself waits for istiod to sync and to learn
  // the endpoints, within its timeout.
  const r = await verify()
  assert.equal(r.status, 0, r.stdout)
  assert.equal(r.outputs.result, 'pass')
  const cp = controlPlane(r.outputs)
  assert.deepEqual(Object.keys(cp).sort(), [...clusters].sort())
  for (const c of clusters) {
    assert.deepEqual(
      cp[c]![c],
      {istiod: 'ready', webhook: 'present', synced: 'synced', endpoints: 1},
      `${c} itself`
    )
    for (const p of others(c)) {
      assert.deepEqual(
        cp[c]![p],
        {secret: 'present', synced: 'synced', endpoints: 1},
        `${p} -> ${c}`
      )
    }
  }
  assert.match(r.summary, /### verify-mesh: ✅ pass/)
  assert.match(r.summary, /\/debug\/endpointShardz/)
  assert.doesNotMatch(r.summary, /Failed/)
})

test('control-plane: one revoked secret fails the check at once, naming that pair and what is missing; exchange-secrets restores it', async () => {
  await allSynced()
  const [target] = clusters as [string]
  const source = clusters.at(-1)!
  // A synced remote: deleting its secret is safe for istiod (docs/testbed.md).
  await admin(target).kube.call({
    method: 'DELETE',
    path: `/api/v1/namespaces/${ISTIO_NS}/secrets/istio-remote-secret-${source}`
  })
  const started = Date.now()
  const r = await verify()
  const elapsedMs = Date.now() - started
  assert.equal(r.status, 1, r.stdout)
  assert.equal(r.outputs.result, 'fail')
  // A missing secret is settled: nothing in the mesh will create it, so the
  // check does not wait out its 2 minutes.
  assert.ok(elapsedMs < 60_000, `failed after ${elapsedMs} ms`)
  const pair = `${source} -> ${target}`
  assert.match(
    r.stdout,
    new RegExp(
      `::error::verify-mesh failed: .*${pair}: no remote secret for ${source} in ${target} \\(${ISTIO_NS}/istio-remote-secret-${source}; run exchange-secrets\\)`
    )
  )
  const lines = failures(r.summary)
  assert.ok(lines.length > 0, r.summary)
  for (const line of lines) {
    assert.ok(line.startsWith(`${pair}: `), `only ${pair} is named: ${line}`)
  }
  const cp = controlPlane(r.outputs)
  assert.equal(cp[target]![source]!.secret, 'missing')
  for (const c of clusters) {
    for (const p of others(c)) {
      if (c === target && p === source) continue
      assert.equal(cp[c]![p]!.secret, 'present', `${p} -> ${c} untouched`)
    }
  }

  const restored = await exchange()
  assert.equal(restored.outputs.created, '1', restored.stdout)
  const again = await verify()
  assert.equal(again.status, 0, again.stdout)
})

test("control-plane: istiod's view decides when the secrets are all there: one cluster's endpoints gone fails every pair from that cluster (and the cluster itself), at the timeout", async () => {
  const source = clusters.at(-1)!
  const i = clusters.length - 1
  await deleteObjects(admin(source).kube, [sliceOf(i)], ns)
  try {
    const r = await verify({timeout: '10s'})
    assert.equal(r.status, 1, r.stdout)
    const lines = failures(r.summary)
    const expected = clusters.map(c =>
      c === source
        ? `${c}: istiod knows no ready endpoint of helloworld.${ns} in its own cluster`
        : `${source} -> ${c}: istiod in ${c} knows no ready endpoint of helloworld.${ns} in ${source}`
    )
    assert.deepEqual([...lines].sort(), [...expected].sort(), r.summary)
    const cp = controlPlane(r.outputs)
    for (const c of clusters) {
      assert.equal(cp[c]![source]!.endpoints, 0, `${source} -> ${c}`)
      assert.equal(cp[c]![source]!.synced, 'synced', `${source} -> ${c}`)
    }
  } finally {
    await applySample(source, [sliceOf(i)])
  }
  const again = await verify()
  assert.equal(again.status, 0, again.stdout)
})
