import assert from 'node:assert/strict'
import {test} from 'node:test'
import type {GenerateResult} from '../../src/certs/generate.ts'
import {
  isUnchanged,
  renderClustersJson,
  renderSummary
} from '../../src/certs/report.ts'

const notAfter = new Date('2028-01-02T03:04:05Z')
const result = (
  statuses: GenerateResult['root']['status'][],
  written: string[] = [],
  storeChanges: string[] = []
): GenerateResult => ({
  root: {
    status: statuses[0]!,
    reason: 'r',
    fingerprint: 'aa'.repeat(32),
    notAfter
  },
  clusters: statuses.slice(1).map((status, i) => ({
    cluster: `c${i + 1}`,
    status,
    reason: 'r',
    fingerprint: `${i}`.repeat(64),
    notAfter
  })),
  files: {written, unchanged: []},
  storeChanges,
  warnings: []
})

test('unchanged only when every CA was reused and no file written', () => {
  assert.equal(isUnchanged(result(['reused', 'reused'])), true)
  assert.equal(isUnchanged(result(['reused', 'renewed'])), false)
  assert.equal(
    isUnchanged(result(['reused', 'reused'], ['c1/cert-chain.pem'])),
    false
  )
  // Moving the root to the split layout is a change, though no CA is new.
  assert.equal(
    isUnchanged(result(['reused', 'reused'], [], ['moved the root CA'])),
    false
  )
})

test('the summary lists what the store changed and says when it was only read', () => {
  const moved = renderSummary(
    result(
      ['reused', 'reused'],
      [],
      ["moved the root CA from secret 'p/root-ca'"]
    )
  )
  assert.match(moved, /^- moved the root CA from secret 'p\/root-ca'$/m)
  assert.doesNotMatch(moved, /Nothing changed/)
  const fetched = renderSummary(result(['reused', 'reused']), 'fetch')
  assert.match(
    fetched,
    /^### Istio CA certificates \(fetched: the store was only read\)$/m
  )
  assert.match(fetched, /Nothing changed/)
})

test('clusters-json: status, fingerprint and not-after per cluster', () => {
  assert.deepEqual(
    JSON.parse(renderClustersJson(result(['issued', 'issued', 'renewed']))),
    {
      c1: {
        status: 'issued',
        fingerprint: '0'.repeat(64),
        'not-after': '2028-01-02T03:04:05.000Z'
      },
      c2: {
        status: 'renewed',
        fingerprint: '1'.repeat(64),
        'not-after': '2028-01-02T03:04:05.000Z'
      }
    }
  )
})

test('the summary: a row per CA, then what happened', () => {
  const changed = renderSummary(
    result(['reused', 'renewed'], ['c1/ca-cert.pem'])
  )
  assert.match(
    changed,
    /\| root CA \| reused \| `a{64}` \| 2028-01-02T03:04:05.000Z \|/
  )
  assert.match(
    changed,
    /\| c1 \| renewed \| `0{64}` \| 2028-01-02T03:04:05.000Z \|/
  )
  assert.match(changed, /1 file\(s\) written, 0 unchanged\./)
  assert.match(renderSummary(result(['reused', 'reused'])), /Nothing changed/)
})
