import assert from 'node:assert/strict'
import {after, test} from 'node:test'
import {
  applyObject,
  deleteObject,
  getObject,
  listPods,
  objectPath,
  rolloutState,
  waitForRollout,
  type Deployment,
  type KubeObject,
  type Pod
} from '../../src/kube/workloads.ts'
import {admin} from '../helpers/istio-fixture.ts'
import {need} from '../helpers/testbed.ts'
import {playKubelet} from './kubelet.ts'

const dep = (status: Deployment['status'], generation = 1): Deployment => ({
  metadata: {name: 'helloworld-v1', generation},
  spec: {
    replicas: 1,
    selector: {matchLabels: {app: 'helloworld', version: 'v1'}}
  },
  status
})
const pod = (
  name: string,
  o: {sidecar?: boolean; ready?: boolean; node?: string} = {}
): Pod => ({
  metadata: {name},
  spec: {
    ...(o.node ? {nodeName: o.node} : {}),
    containers: [
      {name: 'helloworld'},
      ...(o.sidecar === false ? [] : [{name: 'istio-proxy'}])
    ]
  },
  status: {
    phase: o.ready ? 'Running' : 'Pending',
    conditions: [{type: 'Ready', status: o.ready ? 'True' : 'False'}]
  }
})

test('rollout states as kubectl rollout status reads them, plus sidecars', () => {
  const sidecar = {requireSidecar: true}
  assert.equal(
    rolloutState(undefined, [], sidecar).message,
    'the Deployment does not exist'
  )
  assert.equal(
    rolloutState(dep({observedGeneration: 1}, 2), [], sidecar).message,
    'waiting for the spec to be observed'
  )
  assert.equal(
    rolloutState(
      dep({
        observedGeneration: 1,
        replicas: 0,
        updatedReplicas: 0,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message:
              'Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": context deadline exceeded'
          }
        ]
      }),
      [],
      sidecar
    ).message,
    '0 of 1 replicas updated; FailedCreate: Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": context deadline exceeded'
  )
  assert.equal(
    rolloutState(
      dep({observedGeneration: 1, replicas: 2, updatedReplicas: 1}),
      [],
      sidecar
    ).message,
    '1 old replica(s) pending termination'
  )
  assert.equal(
    rolloutState(
      dep({
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        availableReplicas: 0
      }),
      [pod('helloworld-v1-abc')],
      sidecar
    ).message,
    '0 of 1 updated replicas available; pod helloworld-v1-abc is not scheduled'
  )
  const done = rolloutState(
    dep({
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      availableReplicas: 1
    }),
    [pod('helloworld-v1-abc', {ready: true, node: 'n1'})],
    sidecar
  )
  assert.deepEqual(done, {
    done: true,
    message: '1 of 1 available'
  })
  const bare = rolloutState(
    dep({
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      availableReplicas: 1
    }),
    [pod('helloworld-v1-abc', {ready: true, sidecar: false})],
    sidecar
  )
  assert.match(
    bare.failed ?? '',
    /^pod helloworld-v1-abc of helloworld-v1 has no istio-proxy sidecar/
  )
  assert.equal(
    rolloutState(
      dep({
        observedGeneration: 1,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded'
          }
        ]
      }),
      [],
      sidecar
    ).failed,
    'deployment helloworld-v1 exceeded its progress deadline'
  )
})

// The real API servers: a Deployment's status is the controllers' work
// (ReplicaSet, Deployment) from its pods' status, which the kubelet writes.
// The test bed has the controllers but no kubelet, so the test plays it.
const [c1] = need('clusters')
const t = admin(c1!)
const ns = `vx-wl-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`
after(async () => {
  await t.kube.call(
    {method: 'DELETE', path: `/api/v1/namespaces/${ns}`},
    s => s < 300 || s === 404
  )
})

const deployment = (name: string, containers: string[]): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {name, namespace: ns, labels: {app: name}},
  spec: {
    replicas: 1,
    selector: {matchLabels: {app: name}},
    template: {
      metadata: {labels: {app: name}},
      spec: {
        containers: containers.map(c => ({
          name: c,
          image: 'registry.example/app:1.0'
        }))
      }
    }
  }
})

const deps = (log: string[], clock = {t: 0}) => ({
  now: () => Date.now() + clock.t,
  sleep: (ms: number) =>
    new Promise<void>(r => setTimeout(r, Math.min(ms, 200))),
  log: (m: string) => void log.push(m)
})

test('apply creates, a second apply of the same object changes nothing, delete removes it', async () => {
  // An apply that sets no field (a bare namespace) owns nothing, and the
  // API server's next write then records a 'before-first-apply' owner:
  // objects here set labels, as verify-mesh's do.
  const nsObj: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {name: ns, labels: {test: 'workloads'}}
  }
  assert.equal(await applyObject(t.kube, nsObj, 'test'), 'created')
  assert.equal(await applyObject(t.kube, nsObj, 'test'), 'unchanged')
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: 'helloworld', namespace: ns, labels: {app: 'helloworld'}},
    spec: {ports: [{port: 5000, name: 'http'}], selector: {app: 'helloworld'}}
  }
  assert.equal(await applyObject(t.kube, svc, 'test'), 'created')
  const rv = (await getObject<{metadata: {resourceVersion: string}}>(
    t.kube,
    objectPath(svc)
  ))!.metadata.resourceVersion
  assert.equal(await applyObject(t.kube, svc, 'test'), 'unchanged')
  assert.equal(
    (await getObject<{metadata: {resourceVersion: string}}>(
      t.kube,
      objectPath(svc)
    ))!.metadata.resourceVersion,
    rv
  )
  assert.equal(
    await applyObject(
      t.kube,
      {...svc, metadata: {...svc.metadata, labels: {app: 'x'}}},
      'test'
    ),
    'updated'
  )
  assert.equal(await deleteObject(t.kube, svc), 'deleted')
  assert.equal(await deleteObject(t.kube, svc), 'absent')
})

test('a rollout is waited for until the pod is ready with its sidecar, with progress in the log', async () => {
  await applyObject(
    t.kube,
    {apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns}},
    'test'
  )
  await applyObject(
    t.kube,
    deployment('injected', ['app', 'istio-proxy']),
    'test'
  )
  const log: string[] = []
  const kubelet = playKubelet(t.kube, ns, 'app=injected', {delayMs: 1500})
  try {
    const state = await waitForRollout(
      t.kube,
      ns,
      'injected',
      {requireSidecar: true, deadline: Date.now() + 30_000},
      deps(log)
    )
    assert.equal(state.message, '1 of 1 available')
  } finally {
    await kubelet.stop()
  }
  assert.ok(
    log.some(l =>
      /^cluster-\d+ vx-wl-\w+\/injected: 0 of 1 updated replicas available; pod injected-\S+ is not scheduled$/.test(
        l
      )
    ),
    log.join('\n')
  )
  const pods = await listPods(t.kube, ns, 'app=injected')
  assert.equal(pods.length, 1)
})

test('a pod without the sidecar fails the wait at once, naming it', async () => {
  await applyObject(t.kube, deployment('bare', ['app']), 'test')
  const started = Date.now()
  await assert.rejects(
    waitForRollout(
      t.kube,
      ns,
      'bare',
      {requireSidecar: true, deadline: Date.now() + 30_000},
      deps([])
    ),
    /vx-wl-\w+\/bare: pod bare-\S+ of bare has no istio-proxy sidecar/
  )
  assert.ok(Date.now() - started < 20_000)
})

test('the timeout names what was awaited: here a quota that refuses the pods', async () => {
  await t.kube.call({
    method: 'PATCH',
    path: `/api/v1/namespaces/${ns}/resourcequotas/no-pods?fieldManager=test&force=true`,
    body: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: {name: 'no-pods', namespace: ns},
      spec: {hard: {pods: '0'}}
    },
    contentType: 'application/apply-patch+yaml'
  })
  await applyObject(
    t.kube,
    deployment('refused', ['app', 'istio-proxy']),
    'test'
  )
  await assert.rejects(
    waitForRollout(
      t.kube,
      ns,
      'refused',
      {requireSidecar: true, deadline: Date.now() + 8000},
      deps([])
    ),
    /refused: not done within the timeout; 0 of 1 replicas updated; FailedCreate: pods "refused-\S+" is forbidden: exceeded quota: no-pods/
  )
})
