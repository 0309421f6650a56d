// istiod judges the remote secrets: after exchange-secrets every istiod
// must sync every other cluster and see their endpoints, and what the
// toolkit writes must be what istioctl writes. Runs on every cluster of the
// test bed that has an istiod (four under `npm test`: 12 pairs).
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {parseAllDocuments} from 'yaml'
import {
  applyObjects,
  deleteObjects,
  parseManifests,
  type KubeObject
} from '../../src/kube/apply.ts'
import {sampleObjects} from '../../src/cli/sample.ts'
import {orderedPairs} from '../../src/mesh/remote-secret.ts'
import {admin} from '../helpers/istio-fixture.ts'
import {
  clusterz,
  endpointClusters,
  eventually,
  meshClusters,
  syncedRemotes
} from '../helpers/istio-testbed.ts'
import {acquireLock} from '../../scripts/lib/lock.mjs'
import {restartIstiods} from '../../scripts/testbed/istio-up.mjs'
import {ROOT, runBundle} from '../helpers/run-bundle.ts'
import {need} from '../helpers/testbed.ts'

const clusters = meshClusters()
if (clusters.length < 2)
  throw new Error('the test bed needs istio on two clusters')
const NS = 'istio-system'
const env = {KUBECONFIG: need('kubeconfig')}
const unique = `${process.pid}-${Date.now().toString(36)}`
const others = (c: string) => clusters.filter(x => x !== c).sort()

const exchange = (inputs: Record<string, string>, list = clusters) =>
  runBundle(
    'exchange-secrets',
    {clusters: list.join(','), provider: 'kubeconfig', ...inputs},
    {env, defaultsFrom: 'exchange-secrets'}
  )

const matrix = (outputs: Record<string, string>) =>
  JSON.parse(outputs['matrix-json'] ?? '{}') as Record<
    string,
    Record<string, string>
  >

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

/** The objects of a cluster's rendered Istio, as the test bed applied them. */
function rendered(cluster: string): KubeObject[] {
  const file = join(ROOT, '.testbed', 'clusters', cluster, 'istio.yaml')
  return parseManifests(readFileSync(file, 'utf8'), file)
}

let release: () => void
before(async () => {
  release = await acquireLock(join(ROOT, '.testbed', 'istio.lock'))
  // Start from a mesh with no remote secrets, whatever ran before.
  const r = await exchange({mode: 'revoke'})
  assert.equal(r.status, 0, r.stdout)
})

after(async () => {
  try {
    // Repair before revoking: deleting a remote that never synced hangs
    // istiod (see below), and a failed test may have left one.
    await exchange({})
    await allSynced().catch(() => restartIstiods(clusters))
    await allSynced()
    await exchange({mode: 'revoke'})
  } finally {
    release()
  }
})

test(`exchange-secrets: every istiod syncs every other cluster (${clusters.length} istiods, ${orderedPairs(clusters).length} pairs), and check agrees`, async () => {
  const n = orderedPairs(clusters).length
  const first = await exchange({})
  assert.equal(first.status, 0, first.stdout)
  assert.equal(first.outputs.created, String(n))
  await allSynced()
  for (const c of clusters) {
    for (const r of (await clusterz(c)).filter(x => x.id !== c)) {
      assert.equal(r.secretName, `${NS}/istio-remote-secret-${r.id}`)
    }
  }
  const check = await exchange({mode: 'check'})
  assert.equal(check.status, 0, check.stdout)
  for (const [source, targets] of Object.entries(matrix(check.outputs))) {
    for (const [target, status] of Object.entries(targets)) {
      assert.equal(status, 'pass', `check ${source} -> ${target}`)
    }
  }
  const again = await exchange({})
  assert.equal(again.outputs.unchanged, String(n), 'a rerun writes nothing')
})

test('istioctl create-remote-secret and exchange-secrets write the same secret, for every pair', async () => {
  const istioctl = need('istioctl')
  for (const {source, target} of orderedPairs(clusters)) {
    const r = spawnSync(
      istioctl,
      [
        'create-remote-secret',
        `--kubeconfig=${need('kubeconfig')}`,
        `--context=${source}`,
        `--name=${source}`,
        `--namespace=${NS}`,
        '--create-service-account=false'
      ],
      {encoding: 'utf8'}
    )
    assert.equal(r.status, 0, r.stderr)
    const docs = parseAllDocuments(r.stdout)
      .map(d => d.toJS())
      .filter(Boolean) as {
      metadata: {name: string; labels: object; annotations: object}
      stringData: Record<string, string>
    }[]
    assert.equal(docs.length, 1, 'one Secret')
    const reference = docs[0]!
    const res = await admin(target).kube.call({
      method: 'GET',
      path: `/api/v1/namespaces/${NS}/secrets/istio-remote-secret-${source}`
    })
    const ours = res.body as {
      metadata: {name: string; labels: object; annotations: object}
      data: Record<string, string>
      type: string
    }
    const label = `${source} -> ${target}`
    assert.equal(ours.metadata.name, reference.metadata.name, label)
    assert.deepEqual(ours.metadata.labels, reference.metadata.labels, label)
    assert.deepEqual(
      ours.metadata.annotations,
      reference.metadata.annotations,
      label
    )
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(ours.data).map(([k, v]) => [
          k,
          Buffer.from(v, 'base64').toString('utf8')
        ])
      ),
      reference.stringData,
      `${label}: data, byte for byte`
    )
    assert.equal(ours.type, 'Opaque')
  }
})

test('service discovery: every istiod knows the service from every cluster; a removed secret removes its shard', async () => {
  const ns = `sd-${unique}`
  const host = `helloworld.${ns}.svc.cluster.local`
  const all = [...clusters].sort()
  try {
    for (const [i, c] of clusters.entries()) {
      await applyObjects(admin(c).kube, sampleObjects(i, ns), {
        fieldManager: 'istio-test',
        namespace: ns
      })
    }
    for (const c of clusters) {
      await eventually(
        `${c} istiod has ${host} endpoints from ${all.join(', ')}`,
        () => endpointClusters(c, host, ns),
        shards => shards.join() === all.join()
      )
    }
    const [first] = clusters
    const last = clusters.at(-1)!
    await admin(first!).kube.call({
      method: 'DELETE',
      path: `/api/v1/namespaces/${NS}/secrets/istio-remote-secret-${last}`
    })
    await eventually(
      `${first} istiod drops the shard of ${last}`,
      () => endpointClusters(first!, host, ns),
      shards => shards.join() === all.filter(c => c !== last).join()
    )
    for (const c of clusters.slice(1)) {
      assert.deepEqual(
        await endpointClusters(c, host, ns),
        all,
        `${c} keeps every shard`
      )
    }
    const restore = await exchange({})
    assert.equal(restore.outputs.created, '1')
    await eventually(
      `${first} istiod has the shard of ${last} again`,
      () => endpointClusters(first!, host, ns),
      shards => shards.join() === all.join()
    )
  } finally {
    for (const [i, c] of clusters.entries()) {
      await deleteObjects(admin(c).kube, sampleObjects(i, ns), ns)
    }
  }
})

test('revoke of a pair and prune of a cluster remove exactly those clusters from the istiods', async () => {
  await allSynced()
  const [first, second] = clusters as [string, string]
  const last = clusters.at(-1)!
  const revoked = await exchange({mode: 'revoke'}, [first, last])
  assert.equal(revoked.status, 0, revoked.stdout)
  assert.deepEqual(matrix(revoked.outputs), {
    [first]: {[last]: 'deleted'},
    [last]: {[first]: 'deleted'}
  })
  await eventually(
    `${first} forgets ${last}`,
    () => syncedRemotes(first),
    s =>
      s.join() ===
      others(first)
        .filter(c => c !== last)
        .join()
  )
  await eventually(
    `${last} forgets ${first}`,
    () => syncedRemotes(last),
    s =>
      s.join() ===
      others(last)
        .filter(c => c !== first)
        .join()
  )
  if (clusters.length > 2) {
    assert.deepEqual(
      await syncedRemotes(second),
      others(second),
      `${second} is untouched`
    )
  }

  assert.equal((await exchange({})).status, 0)
  await allSynced()
  const kept = clusters.filter(c => c !== last)
  const pruned = await exchange({prune: 'true'}, kept)
  assert.equal(pruned.status, 0, pruned.stdout)
  for (const c of kept) {
    assert.equal(
      matrix(pruned.outputs)[last]?.[c],
      'deleted',
      `prune deletes ${last}'s secret in ${c}`
    )
    await eventually(
      `${c} forgets ${last}`,
      () => syncedRemotes(c),
      s => !s.includes(last) && s.length === kept.length - 1
    )
  }
  assert.equal((await exchange({})).status, 0)
  await allSynced()
})

/** Recreates `source`'s remote secrets (all synced) so every istiod connects anew. */
async function reconnect(source: string) {
  const targets = others(source)
  for (const t of targets) {
    await exchange({mode: 'revoke'}, [source, t])
  }
  const r = await exchange({})
  assert.equal(r.status, 0, r.stdout)
}

/** check's failed pairs and the pairs whose target istiod gave up on the source. */
async function verdicts(source: string) {
  const check = await exchange({mode: 'check'})
  // 'fail' (denied) or 'error' (the token does not authenticate).
  const failedByCheck = Object.entries(matrix(check.outputs)[source] ?? {})
    .filter(([, s]) => s !== 'pass')
    .map(([t]) => t)
    .sort()
  const notSynced: string[] = []
  for (const t of others(source)) {
    // istiod gives a remote that never syncs up after PILOT_REMOTE_CLUSTER_TIMEOUT (30 s).
    const r = await eventually(
      `${t} istiod's verdict on ${source}`,
      async () => (await clusterz(t)).find(x => x.id === source),
      x => x !== undefined && x.syncStatus !== 'syncing',
      90_000
    )
    if (r!.syncStatus !== 'synced') notSynced.push(t)
  }
  return {check, failedByCheck, notSynced: notSynced.sort()}
}

// A remote that never synced must not be deleted or replaced and then
// deleted here: istiod 1.30 (and 1.31-dev) then hangs in the informer
// shutdown of that remote, and its secret controller ignores every later
// remote secret until it restarts (docs/testbed.md). So the cases below heal
// the remote as an operator would (restore the binding; apply a good secret
// over the bad one, then restart the istiod that saw the bad one).

test('a reader without its ClusterRoleBinding fails check and istiod sync for the same pairs; restoring it heals both', async () => {
  const source = clusters.at(-1)!
  const binding = rendered(source).filter(
    o =>
      o.kind === 'ClusterRoleBinding' &&
      o.metadata.name === `istio-reader-clusterrole-${NS}`
  )
  assert.equal(binding.length, 1, 'the rendered reader binding')
  await deleteObjects(admin(source).kube, binding, NS)
  try {
    await reconnect(source)
    const v = await verdicts(source)
    assert.equal(v.check.status, 1, 'check fails the run')
    assert.deepEqual(v.failedByCheck, others(source))
    assert.deepEqual(v.notSynced, v.failedByCheck, 'istiod and check agree')
  } finally {
    await applyObjects(admin(source).kube, binding, {
      fieldManager: 'testbed-istio',
      namespace: NS
    })
  }
  await allSynced()
  const check = await exchange({mode: 'check'})
  assert.equal(check.status, 0, check.stdout)
})

test('a remote secret with a wrong token fails check and istiod sync for that pair only; exchange-secrets repairs it', async () => {
  const [target] = clusters as [string]
  const source = clusters.at(-1)!
  const kube = admin(target).kube
  const name = `istio-remote-secret-${source}`
  const path = `/api/v1/namespaces/${NS}/secrets/${name}`
  const secret = (await kube.call({method: 'GET', path})).body as {
    data: Record<string, string>
  }
  const kubeconfig = Buffer.from(secret.data[source]!, 'base64').toString(
    'utf8'
  )
  const forged = kubeconfig.replace(/token: .*/, 'token: not-a-valid-token')
  assert.notEqual(forged, kubeconfig)
  // A new secret, not an edit of a synced one: on an edit istiod keeps the
  // old registry serving until the new one syncs (make-before-break), and
  // the old token still works here.
  await kube.call({method: 'DELETE', path})
  await eventually(
    `${target} forgets ${source}`,
    () => clusterz(target),
    l => !l.some(x => x.id === source)
  )
  await kube.call({
    method: 'POST',
    path: `/api/v1/namespaces/${NS}/secrets`,
    body: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace: NS,
        labels: {'istio/multiCluster': 'true'},
        annotations: {'networking.istio.io/cluster': source}
      },
      data: {[source]: Buffer.from(forged).toString('base64')}
    }
  })
  const v = await verdicts(source)
  assert.deepEqual(v.failedByCheck, [target], `check: ${v.check.stdout}`)
  assert.deepEqual(v.notSynced, [target], 'istiod and check agree')
  const repaired = await exchange({})
  assert.equal(repaired.outputs.updated, '1', 'the forged secret is rewritten')
  await restartIstiods([target])
  await allSynced()
})
