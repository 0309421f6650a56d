import assert from 'node:assert/strict'
import {after, test} from 'node:test'
import {
  clientFromKubeconfigText,
  type ClusterTarget
} from '../../src/kube/kubeconfig.ts'
import {remoteKubeconfig} from '../../src/mesh/remote-secret.ts'
import {
  admin,
  istioReady,
  removeIstio,
  rotateToken,
  TOKEN_SECRET
} from '../helpers/istio-fixture.ts'
import {runBundle} from '../helpers/run-bundle.ts'
import {need} from '../helpers/testbed.ts'

const [c1, c2] = need('clusters')
if (!c1 || !c2) throw new Error('the test bed needs two clusters')
const clusters = [c1, c2]
const env = {KUBECONFIG: need('kubeconfig')}
const run = (inputs: Record<string, string>) =>
  runBundle(
    'exchange-secrets',
    {clusters: clusters.join(','), provider: 'kubeconfig', ...inputs},
    {env, defaultsFrom: 'exchange-secrets'}
  )

// All tests share the test bed's clusters: each uses its own namespaces.
const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`
const made: string[] = []
const ns = (name: string) => {
  const n = `xs-${name}-${suffix}`
  made.push(n)
  return n
}

after(async () => {
  for (const n of made) {
    for (const c of clusters) await removeIstio(c, n)
  }
})

type Secret = {
  metadata: {
    resourceVersion: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
  }
  type?: string
  data: Record<string, string>
}

async function getSecret(t: ClusterTarget, namespace: string, name: string) {
  const res = await t.kube.call(
    {method: 'GET', path: `/api/v1/namespaces/${namespace}/secrets/${name}`},
    s => s === 200 || s === 404
  )
  return res.status === 404 ? undefined : (res.body as Secret)
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString()

/** Who the API server says the kubeconfig's user is. */
async function whoAmI(kubeconfig: string): Promise<string> {
  const kube = clientFromKubeconfigText('reader', kubeconfig)
  const res = await kube.call({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: {apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'}
  })
  return (res.body as {status: {userInfo: {username: string}}}).status.userInfo
    .username
}

const matrix = (outputs: Record<string, string>) =>
  JSON.parse(outputs['matrix-json'] ?? 'null')

test('apply, rerun, rotate, check, prune and revoke on the real API servers', async () => {
  const namespace = ns('main')
  for (const c of clusters) await istioReady(c, namespace)
  const [t1, t2] = [admin(c1), admin(c2)]

  const first = await run({namespace})
  assert.equal(first.status, 0, first.stdout)
  assert.deepEqual(
    [first.outputs.created, first.outputs.updated, first.outputs.unchanged],
    ['2', '0', '0']
  )
  assert.deepEqual(matrix(first.outputs), {
    [c1]: {[c2]: 'created'},
    [c2]: {[c1]: 'created'}
  })
  assert.match(first.summary, new RegExp(`\\| ${c1} \\| — \\| created \\|`))

  const versions: string[] = []
  for (const [source, target] of [
    [t1, t2],
    [t2, t1]
  ] as const) {
    const secret = await getSecret(
      target,
      namespace,
      `istio-remote-secret-${source.name}`
    )
    assert.ok(secret, `the secret for ${source.name} in ${target.name}`)
    versions.push(secret.metadata.resourceVersion)
    assert.equal(secret.type, 'Opaque')
    assert.equal(secret.metadata.labels?.['istio/multiCluster'], 'true')
    assert.equal(
      secret.metadata.annotations?.['networking.istio.io/cluster'],
      source.name
    )
    assert.deepEqual(Object.keys(secret.data), [source.name])
    const token = await getSecret(source, namespace, TOKEN_SECRET)
    const expected = remoteKubeconfig({
      name: source.name,
      server: source.server,
      caData: token!.data['ca.crt']!,
      token: decode(token!.data.token!)
    })
    const kubeconfig = decode(secret.data[source.name]!)
    assert.equal(kubeconfig, expected)
    assert.equal(
      await whoAmI(kubeconfig),
      `system:serviceaccount:${namespace}:istio-reader-service-account`,
      'the kubeconfig authenticates to the source as the reader'
    )
  }

  const second = await run({namespace})
  assert.equal(second.status, 0, second.stdout)
  assert.deepEqual(
    [second.outputs.created, second.outputs.updated, second.outputs.unchanged],
    ['0', '0', '2']
  )
  assert.match(
    second.stdout,
    /nothing written: all 2 remote secret\(s\) were up to date/
  )
  const again = [
    (await getSecret(t2, namespace, `istio-remote-secret-${c1}`))!.metadata
      .resourceVersion,
    (await getSecret(t1, namespace, `istio-remote-secret-${c2}`))!.metadata
      .resourceVersion
  ]
  assert.deepEqual(again, versions, 'a rerun writes nothing')

  await rotateToken(c1, namespace)
  const rotated = await run({namespace})
  assert.equal(rotated.status, 0, rotated.stdout)
  assert.deepEqual(matrix(rotated.outputs), {
    [c1]: {[c2]: 'updated'},
    [c2]: {[c1]: 'unchanged'}
  })

  const check = await run({namespace, mode: 'check'})
  assert.equal(check.status, 0, check.stdout)
  assert.deepEqual(matrix(check.outputs), {
    [c1]: {[c2]: 'pass'},
    [c2]: {[c1]: 'pass'}
  })

  // A stale remote secret of a cluster no longer listed, and one not ours.
  for (const [name, labels] of [
    ['istio-remote-secret-gone', {'istio/multiCluster': 'true'}],
    ['istio-remote-secret-unlabelled', {}]
  ] as const) {
    await t1.kube.call({
      method: 'PATCH',
      path: `/api/v1/namespaces/${namespace}/secrets/${name}?fieldManager=test`,
      body: {apiVersion: 'v1', kind: 'Secret', metadata: {name, labels}},
      contentType: 'application/apply-patch+yaml'
    })
  }
  const pruned = await run({namespace, prune: 'true'})
  assert.equal(pruned.status, 0, pruned.stdout)
  assert.equal(matrix(pruned.outputs).gone?.[c1], 'deleted')
  assert.equal(
    await getSecret(t1, namespace, 'istio-remote-secret-gone'),
    undefined
  )
  assert.ok(await getSecret(t1, namespace, 'istio-remote-secret-unlabelled'))

  const revoke = await run({namespace, mode: 'revoke'})
  assert.equal(revoke.status, 0, revoke.stdout)
  assert.deepEqual(matrix(revoke.outputs), {
    [c1]: {[c2]: 'deleted'},
    [c2]: {[c1]: 'deleted'}
  })
  assert.equal(
    await getSecret(t2, namespace, `istio-remote-secret-${c1}`),
    undefined
  )
  assert.equal(
    await getSecret(t1, namespace, `istio-remote-secret-${c2}`),
    undefined
  )
  const revokeAgain = await run({namespace, mode: 'revoke'})
  assert.equal(revokeAgain.status, 0)
  assert.equal(matrix(revokeAgain.outputs)[c1][c2], 'absent')
})

test('check fails, naming the pair, when a source reader lacks its RBAC', async () => {
  const namespace = ns('norbac')
  await istioReady(c1, namespace)
  await istioReady(c2, namespace, {rbac: false})
  const apply = await run({namespace})
  assert.equal(apply.status, 0, apply.stdout)
  const check = await run({namespace, mode: 'check'})
  assert.notEqual(check.status, 0)
  assert.deepEqual(matrix(check.outputs), {
    [c1]: {[c2]: 'pass'},
    [c2]: {[c1]: 'fail'}
  })
  assert.match(
    check.stdout,
    new RegExp(
      `::error::check failed for 1 pair\\(s\\): ${c2} -> ${c1}; the reader may not get config.istio.io/\\*`
    )
  )
  assert.match(check.summary, /\*\*Failed:\*\*/)
})

test('bad input fails before any write, naming the input', async () => {
  const namespace = ns('bad')
  for (const c of clusters) await istioReady(c, namespace)
  const cases: [Record<string, string>, RegExp][] = [
    [
      {clusters: `${c1},no-such-context`},
      /input 'clusters' names kubeconfig contexts that do not exist: 'no-such-context'/
    ],
    [{clusters: `${c1},Bad_Name`}, /input 'clusters' .*got 'Bad_Name'/],
    [{mode: 'replace'}, /input 'mode' must be one of apply, check, revoke/],
    [{kubeconfig: '/etc/passwd'}, /input 'kubeconfig' must be a path inside/]
  ]
  for (const [inputs, message] of cases) {
    const r = await run({namespace, ...inputs})
    assert.notEqual(r.status, 0, JSON.stringify(inputs))
    assert.match(r.stdout, message)
  }
  assert.equal(
    await getSecret(admin(c2), namespace, `istio-remote-secret-${c1}`),
    undefined
  )
  assert.equal(
    await getSecret(admin(c1), namespace, `istio-remote-secret-${c2}`),
    undefined
  )
})

test('a missing token secret fails naming the cluster and the secret, writing nothing', async () => {
  const namespace = ns('notoken')
  await istioReady(c1, namespace)
  const r = await run({namespace})
  assert.notEqual(r.status, 0)
  assert.match(
    r.stdout,
    new RegExp(
      `secret ${namespace}/${TOKEN_SECRET} in cluster ${c2} does not exist \\(tried 5 times\\)`
    )
  )
  assert.equal(
    await getSecret(admin(c1), namespace, `istio-remote-secret-${c2}`),
    undefined
  )
})

test('canary: no reader token or kubeconfig reaches the log, outputs or summary', async () => {
  const namespace = ns('canary')
  for (const c of clusters) await istioReady(c, namespace)
  const runs = [
    await run({namespace}),
    await run({namespace, mode: 'check'}),
    await run({namespace, mode: 'revoke'})
  ]
  const secrets: string[] = []
  for (const c of clusters) {
    const s = await getSecret(admin(c), namespace, TOKEN_SECRET)
    secrets.push(decode(s!.data.token!), s!.data.token!)
  }
  for (const r of runs) {
    assert.equal(r.status, 0, r.stdout)
    for (const secret of secrets) {
      const leaks = r.stdout
        .split('\n')
        .filter(
          line => line.includes(secret) && !line.startsWith('::add-mask::')
        )
      assert.deepEqual(leaks, [], 'stdout outside mask commands')
      assert.ok(!JSON.stringify(r.outputs).includes(secret), 'outputs')
      assert.ok(!r.summary.includes(secret), 'summary')
      assert.ok(!r.stderr.includes(secret), 'stderr')
    }
  }
  assert.ok(
    runs[0]!.stdout.includes(`::add-mask::${secrets[0]}`),
    'the reader token is masked'
  )
})

test('the root action dispatches to it with its own defaults', async () => {
  const namespace = ns('root')
  for (const c of clusters) await istioReady(c, namespace)
  const r = await runBundle(
    'root',
    {
      action: 'exchange-secrets',
      clusters: clusters.join(','),
      provider: 'kubeconfig',
      namespace
    },
    {env}
  )
  assert.equal(r.status, 0, r.stdout)
  assert.equal(r.outputs.created, '2')
  assert.equal(
    await getSecret(admin(c1), namespace, `istio-remote-secret-${c2}`).then(
      s => s?.metadata.annotations?.['networking.istio.io/cluster']
    ),
    c2
  )
})
