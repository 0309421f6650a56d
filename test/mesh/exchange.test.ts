import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  kubeClient,
  type KubeRequest,
  type KubeResponse
} from '../../src/kube/client.ts'
import type {ClusterTarget} from '../../src/kube/kubeconfig.ts'
import {
  exchange,
  TOKEN_ATTEMPTS,
  type ExchangeOptions
} from '../../src/mesh/exchange.ts'
import {remoteKubeconfig} from '../../src/mesh/remote-secret.ts'

type Stored = {
  metadata: Record<string, unknown> & {name: string; resourceVersion: string}
  type?: string
  data?: Record<string, string>
}

/**
 * An in-memory API server holding Secrets, for the orchestration: it
 * follows the real one's statuses (404 on a missing object, apply creates
 * or replaces) and counts writes.
 */
function fakeCluster(name: string) {
  const secrets = new Map<string, Stored>()
  let version = 0
  const writes: string[] = []
  const requests: KubeRequest[] = []
  const transport = async (req: KubeRequest): Promise<KubeResponse> => {
    requests.push(req)
    const [path, query = ''] = req.path.split('?')
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/.exec(
      path!
    )
    if (!m) return {status: 404, body: {reason: 'NotFound'}}
    const key = `${m[1]}/${m[2]}`
    if (req.method === 'GET' && !m[2]) {
      const selector = new URLSearchParams(query).get('labelSelector') ?? ''
      const [lk, lv] = selector.split('=')
      const items = [...secrets.entries()]
        .filter(([k]) => k.startsWith(`${m[1]}/`))
        .map(([, s]) => s)
        .filter(
          s => (s.metadata.labels as Record<string, string>)?.[lk!] === lv
        )
      return {status: 200, body: {items}}
    }
    if (req.method === 'GET') {
      const s = secrets.get(key)
      return s
        ? {status: 200, body: structuredClone(s)}
        : {status: 404, body: {reason: 'NotFound'}}
    }
    if (req.method === 'PATCH') {
      writes.push(key)
      const body = req.body as Stored
      const s = {
        ...body,
        type: 'Opaque',
        metadata: {...body.metadata, resourceVersion: String(++version)}
      }
      secrets.set(key, s)
      return {status: 200, body: s}
    }
    if (req.method === 'DELETE') {
      writes.push(`delete ${key}`)
      return secrets.delete(key)
        ? {status: 200, body: {}}
        : {status: 404, body: {reason: 'NotFound'}}
    }
    return {status: 405, body: {reason: 'MethodNotAllowed'}}
  }
  const target: ClusterTarget = {
    name,
    server: `https://${name}.example`,
    kube: kubeClient(name, transport, {sleep: async () => {}})
  }
  const tokenSecret = (token: string | undefined) =>
    secrets.set('istio-system/reader-token', {
      metadata: {
        name: 'reader-token',
        resourceVersion: String(++version),
        annotations: {'kubernetes.io/service-account.name': 'reader'}
      },
      type: 'kubernetes.io/service-account-token',
      data: {
        'ca.crt': Buffer.from(`CA of ${name}`).toString('base64'),
        ...(token ? {token: Buffer.from(token).toString('base64')} : {})
      }
    })
  return {target, secrets, writes, requests, tokenSecret}
}

const options = (clusters: ClusterTarget[]): ExchangeOptions => ({
  clusters,
  namespace: 'istio-system',
  serviceAccount: 'reader',
  tokenSecret: 'reader-token',
  mode: 'apply',
  prune: false,
  fieldManager: 'test'
})

function deps() {
  const masked: string[] = []
  const sleeps: number[] = []
  return {
    masked,
    sleeps,
    mask: (s: string) => void masked.push(s),
    log: () => {},
    sleep: async (ms: number) => void sleeps.push(ms),
    clientFromKubeconfig: () => {
      throw new Error('not in apply')
    }
  }
}

test('N=3: six secrets, each with its source token; a rerun writes nothing', async () => {
  const cs = ['a', 'b', 'c'].map(fakeCluster)
  cs.forEach((c, i) => c.tokenSecret(`jwt-${i}`))
  const d = deps()
  const first = await exchange(options(cs.map(c => c.target)), d)
  assert.equal(first.length, 6)
  assert.ok(first.every(r => r.status === 'created'))
  const inB = cs[1]!.secrets.get('istio-system/istio-remote-secret-a')!
  assert.equal(
    Buffer.from(inB.data!.a!, 'base64').toString(),
    remoteKubeconfig({
      name: 'a',
      server: 'https://a.example',
      caData: Buffer.from('CA of a').toString('base64'),
      token: 'jwt-0'
    })
  )
  for (const token of ['jwt-0', 'jwt-1', 'jwt-2', inB.data!.a!]) {
    assert.ok(d.masked.includes(token), `masked ${token}`)
  }
  const writes = cs.map(c => c.writes.length)
  const second = await exchange(options(cs.map(c => c.target)), deps())
  assert.ok(second.every(r => r.status === 'unchanged'))
  assert.deepEqual(
    cs.map(c => c.writes.length),
    writes
  )
})

test('a token filled late is waited for, 1 s apart', async () => {
  const [a, b] = ['a', 'b'].map(fakeCluster)
  a!.tokenSecret('jwt-a')
  b!.tokenSecret(undefined)
  const d = deps()
  let gets = 0
  const slow = {
    ...b!.target,
    kube: {
      ...b!.target.kube,
      call: async (req: KubeRequest, ok?: (s: number) => boolean) => {
        if (req.method === 'GET' && ++gets === 3) b!.tokenSecret('jwt-b')
        return b!.target.kube.call(req, ok)
      }
    }
  }
  const results = await exchange(options([a!.target, slow]), d)
  assert.ok(results.every(r => r.status === 'created'))
  assert.deepEqual(d.sleeps, [1000, 1000])
})

test('a token never filled fails naming the cluster and secret, before any write', async () => {
  const [a, b] = ['a', 'b'].map(fakeCluster)
  a!.tokenSecret('jwt-a')
  b!.tokenSecret(undefined)
  const d = deps()
  await assert.rejects(
    exchange(options([a!.target, b!.target]), d),
    /secret istio-system\/reader-token in cluster b has no token yet \(tried 5 times\)/
  )
  assert.equal(d.sleeps.length, TOKEN_ATTEMPTS - 1)
  assert.deepEqual([...a!.writes, ...b!.writes], [])
})

test('a token secret of another service account is refused', async () => {
  const [a, b] = ['a', 'b'].map(fakeCluster)
  a!.tokenSecret('jwt-a')
  b!.tokenSecret('jwt-b')
  await assert.rejects(
    exchange({...options([a!.target, b!.target]), serviceAccount: 'x'}, deps()),
    /in cluster a is not a kubernetes.io\/service-account-token secret of service account 'x'/
  )
})

test('prune deletes labelled secrets of unlisted sources only; revoke deletes every pair', async () => {
  const [a, b] = ['a', 'b'].map(fakeCluster)
  a!.tokenSecret('jwt-a')
  b!.tokenSecret('jwt-b')
  const label = {'istio/multiCluster': 'true'}
  a!.secrets.set('istio-system/istio-remote-secret-old', {
    metadata: {
      name: 'istio-remote-secret-old',
      resourceVersion: '1',
      labels: label
    }
  })
  const pruned = await exchange(
    {...options([a!.target, b!.target]), prune: true},
    deps()
  )
  assert.deepEqual(
    pruned.filter(r => r.status === 'deleted'),
    [{source: 'old', target: 'a', status: 'deleted'}]
  )
  const revoked = await exchange(
    {...options([a!.target, b!.target]), mode: 'revoke'},
    deps()
  )
  assert.deepEqual(
    revoked.map(r => r.status),
    ['deleted', 'deleted']
  )
  assert.equal(a!.secrets.has('istio-system/istio-remote-secret-b'), false)
})

test('a pair that fails is reported and the others still run', async () => {
  const [a, b, c] = ['a', 'b', 'c'].map(fakeCluster)
  for (const x of [a, b, c]) x!.tokenSecret(`jwt-${x!.target.name}`)
  const broken = {
    ...c!.target,
    kube: kubeClient(
      'c',
      async req =>
        req.method === 'PATCH'
          ? {status: 403, body: {reason: 'Forbidden', message: 'jwt-a'}}
          : await c!.target.kube.call(req, s => s < 500),
      {sleep: async () => {}}
    )
  }
  const results = await exchange(
    options([a!.target, b!.target, broken]),
    deps()
  )
  const failed = results.filter(r => r.status === 'error')
  assert.deepEqual(
    failed.map(r => `${r.source}>${r.target}`),
    ['a>c', 'b>c']
  )
  assert.match(failed[0]!.detail!, /^c: PATCH .* failed: 403 Forbidden$/)
  assert.ok(!failed[0]!.detail!.includes('jwt-a'))
  assert.equal(results.filter(r => r.status === 'created').length, 4)
})

test('check reviews each source once, yet reads and judges every pair, tampered ones apart', async () => {
  const cs = ['a', 'b', 'c'].map(fakeCluster)
  cs.forEach((c, i) => c.tokenSecret(`jwt-${i}`))
  await exchange(options(cs.map(c => c.target)), deps())
  // The secret of a in c names a different token: its own review, denied.
  const tampered = cs[2]!.secrets.get('istio-system/istio-remote-secret-a')!
  const text = Buffer.from(tampered.data!.a!, 'base64').toString()
  tampered.data!.a = Buffer.from(text.replace('jwt-0', 'jwt-forged')).toString(
    'base64'
  )
  const reviews = new Map<string, number>()
  const d = {
    ...deps(),
    clientFromKubeconfig: (label: string, kubeconfig: string) =>
      kubeClient(
        label,
        async () => {
          const token = /token: (\S+)/.exec(kubeconfig)![1]!
          reviews.set(token, (reviews.get(token) ?? 0) + 1)
          return {
            status: 201,
            body: {status: {allowed: token !== 'jwt-forged'}}
          }
        },
        {sleep: async () => {}}
      )
  }
  const results = await exchange(
    {...options(cs.map(c => c.target)), mode: 'check'},
    d
  )
  assert.deepEqual(
    results.map(r => `${r.source}>${r.target}:${r.status}`).sort(),
    ['a>b:pass', 'a>c:fail', 'b>a:pass', 'b>c:pass', 'c>a:pass', 'c>b:pass']
  )
  const perKubeconfig = [...reviews.values()]
  assert.equal(reviews.size, 4, 'three sources and the tampered copy')
  assert.ok(
    perKubeconfig.every(n => n === perKubeconfig[0]),
    'one full set of reviews per distinct kubeconfig'
  )
  for (const c of cs) {
    const reads = c.requests.filter(
      r => r.method === 'GET' && r.path.includes('istio-remote-secret-')
    )
    assert.equal(
      reads.length,
      2 + 2,
      `${c.target.name}: apply and check read both secrets`
    )
  }
})
