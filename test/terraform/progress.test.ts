import assert from 'node:assert/strict'
import {test} from 'node:test'
import {lineSplitter} from '../../src/terraform/cli.ts'
import {
  formatElapsed,
  nextProgressAt,
  progressReader
} from '../../src/terraform/progress.ts'

// UI messages as OpenTofu's `apply -json` writes them (one per line).
const hook = (action: string, extra: object = {}) => ({
  resource: {addr: 'terraform_data.slow', resource_type: 'terraform_data'},
  action,
  ...extra
})
const ui = (type: string, fields: object) =>
  JSON.stringify({'@level': 'info', '@message': 'CANARY-raw', type, ...fields})

test('one readable line per event, built from fields, never from @message', () => {
  const read = progressReader()
  const lines = [
    ui('apply_start', {hook: hook('create', {id_value: 'CANARY-id'})}),
    ui('provision_progress', {
      hook: hook('create', {provisioner: 'local-exec', output: 'CANARY-out'})
    }),
    ui('apply_complete', {
      hook: hook('create', {id_value: 'CANARY-id', elapsed_seconds: 75})
    }),
    ui('apply_start', {hook: hook('delete')}),
    ui('apply_errored', {hook: hook('delete', {elapsed_seconds: 3})}),
    ui('provision_errored', {
      hook: hook('create', {provisioner: 'local-exec'})
    }),
    ui('diagnostic', {
      '@level': 'error',
      diagnostic: {
        severity: 'error',
        summary: 'local-exec provisioner error',
        detail: 'CANARY-detail',
        address: 'terraform_data.slow'
      }
    }),
    ui('change_summary', {
      changes: {add: 1, change: 0, remove: 2, import: 0, operation: 'apply'}
    }),
    ui('change_summary', {
      changes: {add: 3, change: 1, remove: 0, import: 0, operation: 'plan'}
    }),
    ui('outputs', {outputs: {pw: {sensitive: false, value: 'CANARY-output'}}}),
    ui('planned_change', {change: {resource: {addr: 'x'}, action: 'create'}}),
    'not json at all, CANARY-plain',
    '{"broken json CANARY'
  ].map(read)
  assert.deepEqual(lines, [
    'terraform_data.slow: creating',
    undefined,
    'terraform_data.slow: created after 1m15s',
    'terraform_data.slow: destroying',
    'terraform_data.slow: destroying failed after 3s',
    'terraform_data.slow: provisioner local-exec failed',
    'error: local-exec provisioner error (terraform_data.slow)',
    'apply complete: 1 added, 0 changed, 2 destroyed',
    'plan: 3 to add, 1 to change, 0 to destroy',
    undefined,
    undefined,
    undefined,
    undefined
  ])
  assert.doesNotMatch(JSON.stringify(lines), /CANARY/)
})

test('"still creating" lines are throttled per resource: 10s, 30s, then each minute', () => {
  const read = progressReader()
  const shown: string[] = []
  for (const addr of ['terraform_data.a', 'terraform_data.b']) {
    const r = (type: string, extra: object = {}) =>
      read(
        JSON.stringify({
          type,
          hook: {resource: {addr}, action: 'create', ...extra}
        })
      )
    r('apply_start')
    for (let s = 10; s <= 300; s += 10) {
      const line = r('apply_progress', {elapsed_seconds: s})
      if (line) shown.push(line)
    }
  }
  const a = shown.filter(l => l.startsWith('terraform_data.a'))
  assert.deepEqual(
    a.map(l => l.replace('terraform_data.a: still creating, ', '')),
    [
      '10s elapsed',
      '30s elapsed',
      '1m elapsed',
      '2m elapsed',
      '3m elapsed',
      '4m elapsed',
      '5m elapsed'
    ]
  )
  assert.equal(shown.length, 2 * a.length, 'each resource has its own cadence')
})

test('elapsed times and thresholds', () => {
  assert.deepEqual([0, 9, 59, 60, 61, 1200].map(formatElapsed), [
    '0s',
    '9s',
    '59s',
    '1m',
    '1m1s',
    '20m'
  ])
  assert.deepEqual(
    [0, 10, 29, 30, 60, 119, 120].map(nextProgressAt),
    [10, 30, 30, 60, 120, 120, 180]
  )
})

test('lines are cut as bytes arrive, a character split across chunks kept whole', () => {
  const lines: string[] = []
  const split = lineSplitter(l => lines.push(l))
  const text = Buffer.from('{"a":"é"}\n{"b":1}\nlast')
  const at = text.indexOf(Buffer.from('é')) + 1
  split.write(text.subarray(0, at))
  assert.deepEqual(lines, [])
  split.write(text.subarray(at, at + 4))
  assert.deepEqual(lines, ['{"a":"é"}'])
  split.write(text.subarray(at + 4))
  assert.deepEqual(lines, ['{"a":"é"}', '{"b":1}'])
  split.end()
  assert.deepEqual(lines, ['{"a":"é"}', '{"b":1}', 'last'])
})
