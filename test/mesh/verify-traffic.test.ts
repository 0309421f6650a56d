import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  addAttempts,
  addExecError,
  autoRequests,
  curlCommand,
  emptyTally,
  matrixJson,
  nextBatch,
  parseTranscript,
  RECORD_MARK,
  sourceDone,
  trafficVerdict
} from '../../src/mesh/verify-traffic.ts'

test('requests auto for N = 2..8: the reference table, and the smallest k by direct search', () => {
  // reference/istio-multicluster.md section e, "1e-6 for the whole run".
  const table: Record<number, number> = {2: 22, 3: 40, 4: 58, 8: 135}
  for (let n = 2; n <= 8; n++) {
    // Independently: the smallest k with N * N * (1 - 1/N)^k <= 1e-6.
    let k = 0
    while (n * n * Math.pow(1 - 1 / n, k) > 1e-6) k++
    assert.equal(autoRequests(n), k, `N=${n}`)
    if (table[n] !== undefined)
      assert.equal(autoRequests(n), table[n], `N=${n}`)
  }
  assert.deepEqual([5, 6, 7].map(autoRequests), [77, 96, 115])
  assert.equal(autoRequests(1), 1)
  assert.throws(() => autoRequests(0))
})

test('the per-source false-failure bound holds at k and not at k - 1', () => {
  for (let n = 2; n <= 8; n++) {
    const k = autoRequests(n)
    const runBound = (kk: number) => n * n * Math.pow(1 - 1 / n, kk)
    assert.ok(runBound(k) <= 1e-6, `N=${n} k=${k}`)
    assert.ok(runBound(k - 1) > 1e-6, `N=${n} k-1`)
  }
})

test('the curl command: no shell, one URL per request, a write-out line after each', () => {
  const cmd = curlCommand('sample', 3)
  assert.deepEqual(cmd.slice(0, 6), [
    'curl',
    '-sS',
    '--max-time',
    '5',
    '-w',
    `\\n${RECORD_MARK} %{http_code} %{exitcode} %{errormsg}\\n`
  ])
  assert.deepEqual(cmd.slice(6), [
    'http://helloworld.sample:5000/hello',
    'http://helloworld.sample:5000/hello',
    'http://helloworld.sample:5000/hello'
  ])
})

// What curl writes with that command: helloworld's own answer (app.py ends
// it with a newline), then the write-out line.
const ok = (version: string, instance: string) =>
  `Hello version: ${version}, instance: ${instance}\n\n${RECORD_MARK} 200 0 \n`
const envoy = (status: number, body: string) =>
  `${body}\n${RECORD_MARK} ${status} 0 \n`
const curlError = (exit: number, message: string, partial = '') =>
  `${partial}\n${RECORD_MARK} 000 ${exit} ${message}\n`

test('a transcript of real answers, Envoy errors, resets and timeouts', () => {
  const transcript = [
    ok('v1', 'helloworld-v1-86f77cd7bd-cpxhv'),
    envoy(503, 'no healthy upstream'),
    envoy(
      503,
      'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused'
    ),
    curlError(56, 'Recv failure: Connection reset by peer'),
    curlError(
      28,
      'Operation timed out after 5002 milliseconds with 0 bytes received'
    ),
    curlError(56, 'Recv failure: Connection reset by peer', 'Hello vers'),
    ok('v2', 'helloworld-v2-79d5467d55-8xk6r')
  ].join('')
  const attempts = parseTranscript(transcript)
  assert.deepEqual(attempts, [
    {ok: true, version: 'v1', instance: 'helloworld-v1-86f77cd7bd-cpxhv'},
    {ok: false, error: 'HTTP 503: no healthy upstream'},
    {
      ok: false,
      error:
        'HTTP 503: upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused'
    },
    {ok: false, error: 'curl exit 56: Recv failure: Connection reset by peer'},
    {
      ok: false,
      error:
        'curl exit 28: Operation timed out after 5002 milliseconds with 0 bytes received'
    },
    {
      ok: false,
      error:
        "curl exit 56: Recv failure: Connection reset by peer after partial output 'Hello vers'"
    },
    {ok: true, version: 'v2', instance: 'helloworld-v2-79d5467d55-8xk6r'}
  ])
})

test('output cut off inside a request, and answers that are not helloworld', () => {
  const attempts = parseTranscript(
    ok('v3', 'helloworld-v3-5b8f9c7d6-abcde') +
      envoy(200, 'Hello world') +
      'Hello version: v1, inst'
  )
  assert.deepEqual(attempts, [
    {ok: true, version: 'v3', instance: 'helloworld-v3-5b8f9c7d6-abcde'},
    {ok: false, error: "unexpected answer 'Hello world'"},
    {
      ok: false,
      error: "output ended inside a request: 'Hello version: v1, inst'"
    }
  ])
  assert.deepEqual(parseTranscript(''), [])
})

test('a tally counts answers per version, errors and the last error', () => {
  const versions = ['v1', 'v2']
  let t = emptyTally('cluster-1')
  t = addAttempts(
    t,
    parseTranscript(
      ok('v1', 'a') +
        envoy(503, 'no healthy upstream') +
        ok('v1', 'a') +
        ok('v9', 'x')
    ),
    versions
  )
  assert.deepEqual(t, {
    source: 'cluster-1',
    counts: {v1: 2},
    answered: 2,
    errors: 1,
    lastError: 'HTTP 503: no healthy upstream',
    unexpected: {v9: 1}
  })
  assert.equal(sourceDone(t, versions, 22), false)
  assert.equal(nextBatch(t, 22), 10)
  assert.equal(nextBatch({...t, answered: 19}, 22), 3)
  const later = addAttempts(t, parseTranscript(ok('v2', 'b')), versions)
  assert.equal(sourceDone(later, versions, 22), true, 'every version answered')
  assert.equal(
    sourceDone({...t, answered: 22}, versions, 22),
    true,
    'k answers'
  )
  const failed = addExecError(t, 'exec failed')
  assert.equal(failed.errors, 2)
  assert.equal(failed.lastError, 'exec failed')
  assert.equal(t.errors, 1, 'tallies are not changed in place')
})

test('the verdict passes only when every source reached every version, and names what is missing', () => {
  const versions = ['v1', 'v2', 'v3']
  const owner = {v1: 'c1', v2: 'c2', v3: 'c3'}
  const full = (s: string) =>
    addAttempts(
      emptyTally(s),
      parseTranscript(ok('v1', 'a') + ok('v2', 'b') + ok('v3', 'c')),
      versions
    )
  assert.deepEqual(
    trafficVerdict(['c1', 'c2', 'c3'].map(full), versions, owner),
    {
      ok: true,
      failures: []
    }
  )
  const localOnly = addAttempts(
    emptyTally('c2'),
    parseTranscript(
      ok('v2', 'b').repeat(40) +
        envoy(
          503,
          'upstream connect error or disconnect/reset before headers. reset reason: connection timeout'
        )
    ),
    versions
  )
  const silent = addExecError(emptyTally('c3'), 'no ready curl pod')
  const v = trafficVerdict([full('c1'), localOnly, silent], versions, owner)
  assert.equal(v.ok, false)
  assert.deepEqual(v.failures, [
    'c2 never reached v1 (c1), v3 (c3); 1 error(s), last: HTTP 503: upstream connect error or disconnect/reset before headers. reset reason: connection timeout',
    'c3 never reached v1 (c1), v2 (c2), v3 (c3); 1 error(s), last: no ready curl pod'
  ])
  assert.equal(
    matrixJson([full('c1'), localOnly], versions),
    '{"c1":{"v1":1,"v2":1,"v3":1},"c2":{"v1":0,"v2":40,"v3":0}}'
  )
})
