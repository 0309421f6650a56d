import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  backoffMs,
  transientReason,
  withRetries
} from '../../src/terraform/retry.ts'

const cases: [string, string | undefined][] = [
  ['Error: Failed to install provider: unexpected EOF', 'connection dropped'],
  [
    'Failed to query available provider packages: 503 Service Unavailable',
    'server error (5xx)'
  ],
  ['fork/exec .terraform/providers/x: text file busy', 'plugin binary busy'],
  [
    'operation error S3: GetObject, api error SlowDown: Please reduce your request rate',
    'backend throttled'
  ],
  ['dial tcp: lookup registry.opentofu.org: no such host', 'DNS lookup failed'],
  ['net/http: TLS handshake timeout', 'network timeout'],
  ['429 Too Many Requests', 'rate limited (429)'],
  ['Error acquiring the state lock: ConditionalCheckFailed (503)', undefined],
  ['Saved plan is stale', undefined],
  ['Unclosed configuration block', undefined],
  ['Invalid reference', undefined]
]
for (const [text, reason] of cases) {
  test(`classifies '${text.slice(0, 40)}…' as ${reason ?? 'not transient'}`, () => {
    assert.equal(transientReason(text), reason)
  })
}

const options = (sleeps: number[], retries: string[]) => ({
  attempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 5000,
  sleep: async (ms: number) => void sleeps.push(ms),
  random: () => 1,
  onRetry: (_n: number, reason: string) => void retries.push(reason)
})

test('retries transient failures with growing delays, up to the attempts', async () => {
  const sleeps: number[] = []
  const retries: string[] = []
  let calls = 0
  const r = await withRetries(
    async () => {
      calls++
      return {result: calls, failure: 'unexpected EOF'}
    },
    options(sleeps, retries)
  )
  assert.equal(r, 3)
  assert.deepEqual(sleeps, [1000, 2000])
  assert.deepEqual(retries, ['connection dropped', 'connection dropped'])
})

test('stops at once on a failure that is not transient', async () => {
  const sleeps: number[] = []
  let calls = 0
  await withRetries(
    async () => {
      calls++
      return {result: 0, failure: 'Unsupported argument'}
    },
    options(sleeps, [])
  )
  assert.equal(calls, 1)
  assert.deepEqual(sleeps, [])
})

test('backoff is jittered and capped', () => {
  const o = {baseDelayMs: 1000, maxDelayMs: 5000}
  assert.equal(backoffMs(1, {...o, random: () => 0}), 500)
  assert.equal(backoffMs(10, {...o, random: () => 1}), 5000)
})
