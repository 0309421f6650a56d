import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {inputEnvName} from '../../src/common/inputs.ts'
import {getObject} from '../../src/kube/workloads.ts'
import {startFakeGitHub, type FakeGitHub} from '../helpers/fake-github.ts'
import {adminTargets} from '../helpers/istio-fixture.ts'
import {parseOutputFile, ROOT, runBundle} from '../helpers/run-bundle.ts'
import {need} from '../helpers/testbed.ts'

const [c1, c2] = need('clusters') as [string, string]
const [t1, t2] = adminTargets([c1, c2])
const env = {KUBECONFIG: need('kubeconfig')}
const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`
const made: string[] = []
const ns = (name: string) => {
  const n = `vm-${name}-${suffix}`
  made.push(n)
  return n
}
// An empty Istio namespace of our own: other tests own the real one.
const istioNs = ns('istio')

after(async () => {
  for (const n of made) {
    for (const t of [t1!, t2!]) {
      await t.kube.call(
        {method: 'DELETE', path: `/api/v1/namespaces/${n}`},
        s => s < 300 || s === 404
      )
    }
  }
})

const run = (inputs: Record<string, string>, extra: NodeJS.ProcessEnv = {}) =>
  runBundle(
    'verify-mesh',
    {
      clusters: `${c1},${c2}`,
      provider: 'kubeconfig',
      'istio-namespace': istioNs,
      ...inputs
    },
    {env: {...env, ...extra}, defaultsFrom: 'verify-mesh'}
  )

const deployment = (t: typeof t1, namespace: string, name: string) =>
  getObject(
    t!.kube,
    `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`
  )
const namespaceOf = (t: typeof t1, namespace: string) =>
  getObject<{
    metadata: {labels?: Record<string, string>; deletionTimestamp?: string}
  }>(t!.kube, `/api/v1/namespaces/${namespace}`)

async function foreignNamespaceWithoutRoomForPods(namespace: string) {
  for (const t of [t1!, t2!]) {
    for (const [path, body] of [
      [
        `/api/v1/namespaces/${namespace}`,
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {name: namespace, labels: {team: 'theirs'}}
        }
      ],
      [
        `/api/v1/namespaces/${namespace}/resourcequotas/no-pods`,
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: {name: 'no-pods', namespace},
          spec: {hard: {pods: '0'}}
        }
      ]
    ] as const) {
      await t.kube.call({
        method: 'PATCH',
        path: `${path}?fieldManager=test&force=true`,
        body,
        contentType: 'application/apply-patch+yaml'
      })
    }
  }
}

test('bad input fails before any cluster is touched, naming the input', async () => {
  const namespace = ns('bad')
  for (const [inputs, message] of [
    [
      {'istiod-urls': 'cluster-9=http://127.0.0.1:1'},
      /input 'istiod-urls' names cluster 'cluster-9'/
    ],
    [
      {requests: '0'},
      /input 'requests' must be auto or a whole number from 1 to 10000, got '0'/
    ],
    [
      {timeout: 'soon'},
      /input 'timeout' must be a duration like 30s, 5m or 1h30m, got 'soon'/
    ],
    [
      {clusters: `${c1},nowhere`},
      /input 'clusters' names kubeconfig contexts that do not exist: 'nowhere'/
    ]
  ] as const) {
    const r = await run({namespace, ...inputs})
    assert.equal(r.status, 1, r.stdout)
    assert.match(r.stdout, message)
    assert.doesNotMatch(r.stdout, /verify-mesh: \d+ cluster/)
  }
  assert.equal(
    await namespaceOf(t1, namespace),
    undefined,
    'nothing was deployed'
  )
})

test('the sample is applied, re-applied without changes, and cleaned up with its namespace', async () => {
  const namespace = ns('sample')
  // The test bed's injector webhook calls istiod through its Service,
  // which the API server cannot reach (istiod is a process, not a pod): pods
  // in the labelled namespace are refused, as on an EKS cluster without the
  // control plane's rule for TCP 15017, and the wait times out saying so.
  need('istiod')
  const first = await run({
    namespace,
    checks: 'traffic',
    cleanup: 'false',
    timeout: '5s'
  })
  assert.equal(first.status, 1)
  assert.equal(first.outputs.result, 'fail')
  assert.match(
    first.stdout,
    new RegExp(
      `${c1}: applied 6 objects \\(6 created, 0 updated, 0 unchanged\\), helloworld v1`
    )
  )
  assert.match(
    first.stdout,
    new RegExp(
      `${c2}: applied 6 objects \\(6 created, 0 updated, 0 unchanged\\), helloworld v2`
    )
  )
  assert.match(
    first.summary,
    new RegExp(
      `${c1} ${namespace}/curl: not done within the timeout; 0 of 1 replicas updated; FailedCreate: Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io"`
    )
  )
  assert.match(
    first.summary,
    /No request was sent: the workloads did not become ready\./
  )
  const ns1 = await namespaceOf(t1, namespace)
  assert.deepEqual(ns1?.metadata.labels, {
    'app.kubernetes.io/managed-by': 'eks-istio-mesh',
    'istio-injection': 'enabled',
    'kubernetes.io/metadata.name': namespace
  })
  assert.ok(await deployment(t2, namespace, 'helloworld-v2'))

  const second = await run({
    namespace,
    checks: 'traffic',
    cleanup: 'false',
    timeout: '2s'
  })
  assert.match(
    second.stdout,
    new RegExp(
      `${c1}: applied 6 objects \\(0 created, 0 updated, 6 unchanged\\)`
    )
  )
  assert.match(
    second.stdout,
    new RegExp(
      `${c2}: applied 6 objects \\(0 created, 0 updated, 6 unchanged\\)`
    )
  )

  const third = await run({namespace, checks: 'traffic', timeout: '2s'})
  assert.match(
    third.stdout,
    new RegExp(
      `${c1}: cleanup deleted 6 object\\(s\\), namespace ${namespace} included`
    )
  )
  for (const t of [t1, t2]) {
    const left = await namespaceOf(t, namespace)
    assert.ok(
      !left || left.metadata.deletionTimestamp,
      `${t!.name}: namespace deleted`
    )
  }
})

test('timeout: the wait names what it waited for, and cleanup keeps a namespace it did not make', async () => {
  const namespace = ns('quota')
  await foreignNamespaceWithoutRoomForPods(namespace)
  const r = await run({namespace, checks: 'traffic', timeout: '6s'})
  assert.equal(r.status, 1)
  assert.match(
    r.summary,
    new RegExp(
      `${c1} ${namespace}/curl: not done within the timeout; 0 of 1 replicas updated; FailedCreate: `
    )
  )
  assert.match(
    r.stdout,
    new RegExp(
      `${c1}: cleanup deleted 5 object\\(s\\); namespace ${namespace} kept \\(not made by verify-mesh\\)`
    )
  )
  for (const t of [t1, t2]) {
    const kept = await namespaceOf(t, namespace)
    assert.equal(kept?.metadata.deletionTimestamp, undefined)
    assert.equal(kept?.metadata.labels?.team, 'theirs')
    assert.equal(
      kept?.metadata.labels?.['app.kubernetes.io/managed-by'],
      undefined,
      'never marked as ours'
    )
    assert.equal(await deployment(t, namespace, 'curl'), undefined)
  }
})

test('cancellation (SIGTERM, as the runner sends it) stops the wait and cleans up', async () => {
  const namespace = ns('cancel')
  await foreignNamespaceWithoutRoomForPods(namespace)
  const dir = mkdtempSync(join(tmpdir(), 'vm-cancel-'))
  const output = join(dir, 'output')
  writeFileSync(output, '')
  writeFileSync(join(dir, 'summary'), '')
  const inputs: Record<string, string> = {
    clusters: `${c1},${c2}`,
    provider: 'kubeconfig',
    'istio-namespace': istioNs,
    namespace,
    checks: 'traffic',
    timeout: '5m',
    requests: 'auto',
    cleanup: 'true',
    'helloworld-image': 'registry.istio.io/release/examples-helloworld-v1:1.0',
    'helloworld-v2-image':
      'registry.istio.io/release/examples-helloworld-v2:1.0',
    'curl-image': 'docker.io/curlimages/curl:8.16.0',
    'report-issue': 'false',
    'istiod-urls': '',
    kubeconfig: ''
  }
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'verify-mesh', 'index.js')],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        ...env,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        GITHUB_WORKSPACE: dir,
        RUNNER_TEMP: dir,
        ...Object.fromEntries(
          Object.entries(inputs).map(([k, v]) => [inputEnvName(k), v])
        )
      }
    }
  )
  let stdout = ''
  child.stdout.on('data', d => (stdout += d))
  const exited = new Promise<number | null>(r =>
    child.on('close', code => r(code))
  )
  for (let i = 0; i < 200 && !stdout.includes('wait for rollouts'); i++) {
    await new Promise(r => setTimeout(r, 100))
  }
  assert.ok(await deployment(t1, namespace, 'curl'), stdout)
  await new Promise(r => setTimeout(r, 1000))
  const sent = Date.now()
  child.kill('SIGTERM')
  const code = await exited
  assert.ok(
    Date.now() - sent < 15_000,
    'it stops within the runner cancellation grace'
  )
  assert.equal(code, 1, stdout)
  assert.match(
    stdout,
    /::warning::verify-mesh: SIGTERM received: stopping, then cleaning up/
  )
  assert.match(stdout, /::error::verify-mesh failed: .*cancelled/)
  assert.equal(parseOutputFile(readFileSync(output, 'utf8')).result, 'fail')
  for (const t of [t1, t2]) {
    for (const name of ['curl', `helloworld-v1`, 'helloworld-v2']) {
      assert.equal(
        await deployment(t, namespace, name),
        undefined,
        `${t!.name} ${name}`
      )
    }
  }
})

let github: FakeGitHub
before(async () => {
  github = await startFakeGitHub()
})
after(() => github.close())

test('report-issue opens one issue and comments on it; the token goes nowhere but the Authorization header', async () => {
  const namespace = ns('issue')
  const canary = 'ghs_CANARYCANARYCANARY0123456789abcdef'
  const gh = {
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'octo/mesh',
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_RUN_ID: '101',
    GITHUB_RUN_ATTEMPT: '1'
  }
  const inputs = {
    namespace,
    checks: 'control-plane',
    timeout: '2s',
    'report-issue': 'true',
    'github-token': canary
  }
  const first = await run(inputs, gh)
  assert.equal(first.status, 1)
  assert.match(
    first.stdout,
    /report-issue: opened issue #1 https:\/\/github.test\/octo\/mesh\/issues\/1/
  )
  const second = await run(inputs, {...gh, GITHUB_RUN_ID: '102'})
  assert.match(second.stdout, /report-issue: commented issue #1/)
  const issue = github.issue('octo', 'mesh', 1)
  assert.equal(issue.state, 'open')
  assert.deepEqual(issue.labels, [{name: 'mesh-connectivity'}])
  assert.match(
    issue.body,
    /Run: https:\/\/github.test\/octo\/mesh\/actions\/runs\/101/
  )
  assert.match(
    issue.body,
    new RegExp(`${c2} -> ${c1}: no remote secret for ${c2} in ${c1}`)
  )
  assert.equal(issue.comments.length, 1)
  assert.match(
    issue.comments[0]!.body,
    /^<!-- eks-istio-mesh:verify-mesh:v1 run=102.1 -->\nThe mesh connectivity check failed again\./
  )
  assert.equal(
    [...github.issues.keys()].filter(k => k.startsWith('octo/mesh#')).length,
    1
  )

  for (const r of [first, second]) {
    const everywhere = [
      r.stdout,
      r.stderr,
      r.summary,
      JSON.stringify(r.outputs)
    ].join('\n')
    const lines = everywhere.split('\n').filter(l => l.includes(canary))
    assert.deepEqual(
      lines,
      [`::add-mask::${canary}`],
      'only the mask command names the token'
    )
  }
  for (const q of github.requests) {
    assert.ok(!q.body.includes(canary), `${q.method} ${q.path} body`)
    assert.ok(!q.path.includes(canary))
    if (q.headers.authorization)
      assert.equal(q.headers.authorization, `token ${canary}`)
  }
})

test('the root action runs verify-mesh with verify-mesh defaults', async () => {
  const r = await runBundle(
    'root',
    {
      action: 'verify-mesh',
      clusters: `${c1},${c2}`,
      provider: 'kubeconfig',
      checks: 'control-plane',
      'istio-namespace': istioNs,
      timeout: '1s'
    },
    {env}
  )
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /verify-mesh: 2 cluster\(s\) .*; checks control-plane; timeout 1 s/
  )
  assert.equal(r.outputs.result, 'fail')
  assert.deepEqual(Object.keys(JSON.parse(r.outputs['control-plane-json']!)), [
    c1,
    c2
  ])
})
