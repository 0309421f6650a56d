import assert from 'node:assert/strict'
import {test} from 'node:test'
import type {PairResult} from '../../src/mesh/exchange.ts'
import {
  countResults,
  failures,
  matrixJson,
  renderSummary
} from '../../src/mesh/report.ts'

const results: PairResult[] = [
  {source: 'c1', target: 'c2', status: 'created'},
  {source: 'c1', target: 'c3', status: 'unchanged'},
  {source: 'c2', target: 'c1', status: 'updated'},
  {source: 'c2', target: 'c3', status: 'unchanged'},
  {
    source: 'c3',
    target: 'c1',
    status: 'error',
    detail: 'c1: PATCH x failed: 403 Forbidden'
  },
  {source: 'c3', target: 'c2', status: 'created'}
]

test('counts and the matrix follow the pairs', () => {
  assert.deepEqual(countResults(results), {
    created: 2,
    updated: 1,
    unchanged: 2
  })
  assert.deepEqual(JSON.parse(matrixJson(results)), {
    c1: {c2: 'created', c3: 'unchanged'},
    c2: {c1: 'updated', c3: 'unchanged'},
    c3: {c1: 'error', c2: 'created'}
  })
  assert.deepEqual(
    failures(results).map(f => `${f.source}>${f.target}`),
    ['c3>c1']
  )
})

test('the summary is a source x target table with the failures below', () => {
  const md = renderSummary('apply', 'istio-system', results)
  assert.match(md, /^\| source \\ target \| c1 \| c2 \| c3 \|$/m)
  assert.match(md, /^\| c1 \| — \| created \| unchanged \|$/m)
  assert.match(md, /^\| c3 \| error \| created \| — \|$/m)
  assert.match(md, /^- c3 → c1: c1: PATCH x failed: 403 Forbidden$/m)
})
