import assert from 'node:assert/strict'
import {after, test} from 'node:test'
import {execInPod} from '../../src/kube/exec.ts'
import {getObject} from '../../src/kube/workloads.ts'
import {portForwardIstiod} from '../../src/mesh/verify-istiod.ts'
import {outputs, renderSummary} from '../../src/mesh/verify-report.ts'
import {verifyMesh, type VerifyOptions} from '../../src/mesh/verify.ts'
import {adminTargets} from '../helpers/istio-fixture.ts'
import {need} from '../helpers/testbed.ts'
import {playKubelet} from '../kube/kubelet.ts'

// verify-mesh's library against the test bed's real API servers and
// controllers. There is no kubelet: the test plays its status writes, so
// rollouts complete, but every exec then meets the API server's real
// refusal of a pod with no node, which the tally must carry to the verdict.
// The test bed's injector cannot be called (istiod is not a pod), so the
// namespace is injected by a revision no webhook serves: pods are created,
// without sidecars, and verify-mesh must leave that label alone.
const [c1, c2] = need('clusters') as [string, string]
const clusters = adminTargets([c1!, c2!])
const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`
const namespaces: string[] = []
after(async () => {
  for (const ns of namespaces) {
    for (const c of clusters) {
      await c.kube.call(
        {method: 'DELETE', path: `/api/v1/namespaces/${ns}`},
        s => s < 300 || s === 404
      )
    }
  }
})

const images = {
  helloworld: 'registry.istio.io/release/examples-helloworld-v1:1.0',
  helloworldV2: 'registry.istio.io/release/examples-helloworld-v2:1.0',
  curl: 'docker.io/curlimages/curl:8.16.0'
}

/** A namespace of someone else's, injected by a revision nobody runs. */
async function revisionNamespace(namespace: string) {
  namespaces.push(namespace)
  for (const c of clusters) {
    await c.kube.call({
      method: 'PATCH',
      path: `/api/v1/namespaces/${namespace}?fieldManager=test&force=true`,
      body: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {name: namespace, labels: {'istio.io/rev': 'none'}}
      },
      contentType: 'application/apply-patch+yaml'
    })
  }
}

const options = (
  namespace: string,
  extra: Partial<VerifyOptions> = {}
): VerifyOptions => ({
  clusters,
  namespace,
  istioNamespace: `vx-istio-${suffix}`,
  checks: {controlPlane: false, traffic: true},
  requests: 22,
  timeoutMs: 15_000,
  cleanup: true,
  images,
  fieldManager: 'eks-istio-mesh',
  ...extra
})

const deps = (log: string[]) => ({
  log: (m: string) => void log.push(m),
  group: async <T>(name: string, fn: () => Promise<T>) => {
    log.push(`== ${name}`)
    return fn()
  },
  now: Date.now,
  sleep: (ms: number) => new Promise<void>(r => setTimeout(r, ms)),
  istiod: (t: (typeof clusters)[number]) =>
    portForwardIstiod(t, `vx-istio-${suffix}`, {timeoutMs: 5000}),
  exec: (t: (typeof clusters)[number], r: Parameters<typeof execInPod>[2]) =>
    execInPod(t.connection!, t.name, r)
})

test('rollouts complete, every curl meets the real exec refusal, the verdict names each pair, cleanup keeps a namespace it did not make', async () => {
  const namespace = `vx-vm-${suffix}`
  await revisionNamespace(namespace)
  const kubelets = clusters.map(c =>
    playKubelet(c.kube, namespace, 'app in (helloworld,curl)')
  )
  const log: string[] = []
  let report
  try {
    report = await verifyMesh(
      options(namespace, {requireSidecar: false}),
      deps(log)
    )
  } finally {
    await Promise.all(kubelets.map(k => k.stop()))
  }
  assert.equal(report.result, 'fail')
  assert.ok(
    log.some(
      l =>
        l ===
        `${c1}: applied 6 objects (5 created, 1 updated, 0 unchanged), helloworld v1`
    ),
    log.join('\n')
  )
  assert.ok(
    log.includes(`${c2}: ${namespace}/helloworld-v2 rolled out`),
    log.join('\n')
  )
  const refusal = new RegExp(
    `^exec in ${namespace}/curl-\\S+ \\(curl\\) failed: 400 BadRequest pod curl-\\S+ does not have a host assigned$`
  )
  for (const tally of report.traffic!.tallies) {
    assert.equal(tally.answered, 0)
    assert.ok(tally.errors >= 2, `${tally.source} retried within the timeout`)
    assert.match(tally.lastError!.replace(`${tally.source}: `, ''), refusal)
  }
  assert.deepEqual(
    report.failures.map(f => f.replace(/; \d+ error\(s\), last: .*/, '')),
    [
      `${c1} never reached v1 (${c1}), v2 (${c2})`,
      `${c2} never reached v1 (${c1}), v2 (${c2})`
    ]
  )
  assert.deepEqual(JSON.parse(outputs(report)['matrix-json']), {
    [c1!]: {v1: 0, v2: 0},
    [c2!]: {v1: 0, v2: 0}
  })
  const summary = renderSummary(report)
  assert.match(
    summary,
    new RegExp(
      `\\| ${c1} \\| ❌ 0 \\| ❌ 0 \\| \\d+ \\| ${c1}: exec in ${namespace}/curl-`
    )
  )
  assert.deepEqual(report.cleanup?.errors, [])
  assert.deepEqual([...report.cleanup!.removed].sort(), [c1, c2].sort())
  for (const c of clusters) {
    const ns = await getObject<{
      metadata: {deletionTimestamp?: string; labels: Record<string, string>}
    }>(c.kube, `/api/v1/namespaces/${namespace}`)
    assert.equal(ns?.metadata.deletionTimestamp, undefined, `${c.name}: kept`)
    assert.equal(ns?.metadata.labels['istio.io/rev'], 'none')
    assert.equal(
      ns?.metadata.labels['istio-injection'],
      undefined,
      'injection by revision left alone'
    )
    const d = await getObject(
      c.kube,
      `/apis/apps/v1/namespaces/${namespace}/deployments/curl`
    )
    assert.equal(d, undefined, `${c.name}: curl deleted`)
  }
})

test('cancellation during the rollout wait still cleans up what was deployed', async () => {
  const namespace = `vx-vc-${suffix}`
  await revisionNamespace(namespace)
  const cancel = new AbortController()
  const log: string[] = []
  const d = {
    ...deps(log),
    signal: cancel.signal,
    sleep: (ms: number) =>
      new Promise<void>(r => {
        const timer = setTimeout(r, ms)
        cancel.signal.addEventListener(
          'abort',
          () => (clearTimeout(timer), r()),
          {once: true}
        )
      })
  }
  // No kubelet: the pods never get ready, so the rollout wait goes on.
  const run = verifyMesh(
    options(namespace, {requireSidecar: false, timeoutMs: 120_000}),
    d
  )
  for (
    let i = 0;
    i < 100 &&
    !log.some(l => l.startsWith('== verify-mesh: wait for rollouts'));
    i++
  ) {
    await new Promise(r => setTimeout(r, 100))
  }
  await new Promise(r => setTimeout(r, 500))
  const started = Date.now()
  cancel.abort()
  const report = await run
  assert.ok(Date.now() - started < 10_000, 'cancelled promptly')
  assert.equal(report.result, 'fail')
  assert.ok(report.failures.includes('cancelled'), report.failures.join('\n'))
  assert.deepEqual(report.cleanup?.errors, [])
  for (const c of clusters) {
    assert.equal(
      await getObject(
        c.kube,
        `/apis/apps/v1/namespaces/${namespace}/deployments/curl`
      ),
      undefined
    )
  }
})

test("the control plane finds each peer's remote secret by name, never by listing secrets", async () => {
  const istioNamespace = `vx-istio-${suffix}`
  namespaces.push(istioNamespace)
  const secret = (name: string, labels: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name, namespace: istioNamespace, labels},
    stringData: {x: 'not read'}
  })
  const [k1] = clusters
  for (const c of clusters) {
    await c.kube.call({
      method: 'PATCH',
      path: `/api/v1/namespaces/${istioNamespace}?fieldManager=test&force=true`,
      body: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {name: istioNamespace}
      },
      contentType: 'application/apply-patch+yaml'
    })
  }
  // In c1: c2's remote secret, and one labelled as a remote secret that
  // names no peer of this run (a list by label would count it).
  for (const s of [
    secret(`istio-remote-secret-${c2}`, {'istio/multiCluster': 'true'}),
    secret('istio-remote-secret-elsewhere', {'istio/multiCluster': 'true'})
  ]) {
    await k1!.kube.call({
      method: 'PATCH',
      path: `/api/v1/namespaces/${istioNamespace}/secrets/${s.metadata.name}?fieldManager=test&force=true`,
      body: s,
      contentType: 'application/apply-patch+yaml'
    })
  }
  const log: string[] = []
  const report = await verifyMesh(
    options(`vx-cp-${suffix}`, {
      checks: {controlPlane: true, traffic: false},
      timeoutMs: 2000
    }),
    deps(log)
  )
  const views = Object.fromEntries(
    report.controlPlane!.views.map(v => [v.cluster, v.secrets])
  )
  assert.deepEqual(views, {[c1]: [c2], [c2]: []})
  assert.ok(
    report.failures.includes(
      `${c1} -> ${c2}: no remote secret for ${c1} in ${c2} (${istioNamespace}/istio-remote-secret-${c1}; run exchange-secrets)`
    ),
    report.failures.join('\n')
  )
  assert.ok(
    !report.failures.some(f => f.includes(`no remote secret for ${c2} in`)),
    report.failures.join('\n')
  )
})
