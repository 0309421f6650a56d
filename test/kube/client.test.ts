import assert from 'node:assert/strict'
import {createServer} from 'node:http'
import {test} from 'node:test'
import {
  httpsTransport,
  kubeClient,
  KubeError,
  type KubeRequest,
  type KubeResponse
} from '../../src/kube/client.ts'
import {MAX_ATTEMPTS, retryDelay} from '../../src/kube/retry.ts'

test('only 429, 5xx and dropped connections are retried, and boundedly', () => {
  const half = () => 0.5
  const cases: [
    string,
    Parameters<typeof retryDelay>[0],
    number | undefined
  ][] = [
    ['429 with Retry-After 2', {status: 429, retryAfter: '2'}, 2000],
    [
      '429 with a huge Retry-After is capped',
      {status: 429, retryAfter: '600'},
      8000
    ],
    ['429 without Retry-After backs off', {status: 429}, 375],
    ['500', {status: 500}, 375],
    ['503', {status: 503}, 375],
    ['501 is not transient', {status: 501}, undefined],
    ['400', {status: 400}, undefined],
    ['401', {status: 401}, undefined],
    ['403', {status: 403}, undefined],
    ['404', {status: 404}, undefined],
    ['409 conflict', {status: 409}, undefined],
    ['422', {status: 422}, undefined],
    ['connection reset', {code: 'ECONNRESET'}, 375],
    ['timeout', {code: 'ETIMEDOUT'}, 375],
    ['bad certificate', {code: 'DEPTH_ZERO_SELF_SIGNED_CERT'}, undefined]
  ]
  for (const [what, failure, expected] of cases) {
    assert.equal(retryDelay(failure, 1, half), expected, what)
  }
  assert.equal(retryDelay({status: 503}, MAX_ATTEMPTS, half), undefined)
})

function fake(answers: (KubeResponse | Error)[]) {
  const seen: KubeRequest[] = []
  const transport = async (req: KubeRequest) => {
    seen.push(req)
    const next = answers.shift()
    if (!next) throw new Error('no more answers')
    if (next instanceof Error) throw next
    return next
  }
  const sleeps: number[] = []
  const kube = kubeClient('c1', transport, {
    sleep: async ms => void sleeps.push(ms),
    random: () => 0.5
  })
  return {kube, seen, sleeps}
}

const get: KubeRequest = {method: 'GET', path: '/api/v1/namespaces/x/secrets/y'}

test('a 502 then a 200 passes after one wait', async () => {
  const {kube, seen, sleeps} = fake([
    {status: 502, body: undefined},
    {status: 200, body: {ok: 1}}
  ])
  assert.deepEqual((await kube.call(get)).body, {ok: 1})
  assert.equal(seen.length, 2)
  assert.deepEqual(sleeps, [375])
})

test('a reset connection is retried', async () => {
  const {kube, seen} = fake([
    Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'}),
    {status: 200, body: {}}
  ])
  await kube.call(get)
  assert.equal(seen.length, 2)
})

test('a 429 waits for Retry-After', async () => {
  const {kube, sleeps} = fake([
    {status: 429, body: {reason: 'TooManyRequests', retryAfter: '1'}},
    {status: 200, body: {}}
  ])
  await kube.call(get)
  assert.deepEqual(sleeps, [1000])
})

test('a 403 fails at once with status and reason, never the body', async () => {
  const canary = 'CANARY-token-in-a-body'
  const {kube, seen} = fake([
    {
      status: 403,
      body: {kind: 'Status', reason: 'Forbidden', message: canary}
    }
  ])
  await assert.rejects(kube.call(get), (err: unknown) => {
    assert.ok(err instanceof KubeError)
    assert.equal(err.status, 403)
    assert.equal(
      err.message,
      'c1: GET /api/v1/namespaces/x/secrets/y failed: 403 Forbidden'
    )
    assert.ok(!err.message.includes(canary))
    return true
  })
  assert.equal(seen.length, 1)
})

test('a server that keeps failing gives up after the bounded attempts', async () => {
  const {kube, seen} = fake(
    Array.from({length: 10}, () => ({
      status: 503,
      body: {reason: 'ServiceUnavailable'}
    }))
  )
  await assert.rejects(kube.call(get), /503 ServiceUnavailable/)
  assert.equal(seen.length, MAX_ATTEMPTS)
})

test('the query string stays out of error messages', async () => {
  const {kube} = fake([{status: 400, body: {reason: 'BadRequest'}}])
  await assert.rejects(
    kube.call({method: 'PATCH', path: '/api/v1/x?fieldManager=m&force=true'}),
    /^KubeError: c1: PATCH \/api\/v1\/x failed: 400 BadRequest$/
  )
})

test('over HTTP: Retry-After is read from the header, bodies stay out of errors', async () => {
  const answers = [
    {
      status: 429,
      headers: {'retry-after': '1'},
      body: {reason: 'TooManyRequests'}
    },
    {status: 503, headers: {}, body: 'not json'},
    {status: 200, headers: {}, body: {kind: 'Secret'}},
    {status: 403, headers: {}, body: {reason: 'Forbidden', message: 'CANARY'}}
  ]
  const seen: {method?: string; auth?: string; type?: string; body: string}[] =
    []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', c => (body += c))
    req.on('end', () => {
      seen.push({
        method: req.method,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
        body
      })
      const a = answers.shift()!
      res.writeHead(a.status, {
        'content-type': 'application/json',
        ...a.headers
      })
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body))
    })
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  try {
    const {port} = server.address() as {port: number}
    const sleeps: number[] = []
    const kube = kubeClient(
      'c1',
      httpsTransport({
        server: `http://127.0.0.1:${port}/prefix/`,
        insecure: false,
        token: 'T0KEN'
      }),
      {sleep: async ms => void sleeps.push(ms), random: () => 0.5}
    )
    const res = await kube.call({
      method: 'PATCH',
      path: '/api/v1/x?force=true',
      body: {a: 1},
      contentType: 'application/apply-patch+yaml'
    })
    assert.deepEqual(res.body, {kind: 'Secret'})
    assert.deepEqual(sleeps, [1000, 750])
    assert.deepEqual(seen[0], {
      method: 'PATCH',
      auth: 'Bearer T0KEN',
      type: 'application/apply-patch+yaml',
      body: '{"a":1}'
    })
    await assert.rejects(kube.call(get), (err: unknown) => {
      assert.ok(err instanceof KubeError)
      assert.equal(err.status, 403)
      assert.ok(!err.message.includes('CANARY'))
      return true
    })
  } finally {
    server.close()
  }
})
