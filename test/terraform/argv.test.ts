import assert from 'node:assert/strict'
import {test} from 'node:test'
import {applyArgs, planArgs} from '../../src/terraform/argv.ts'

// Rule 19: apply never runs with -lock=false; only a preview's plan may.
const plan = (lock: boolean, destroy = false) =>
  planArgs({
    planFile: '/tmp/p.tfplan',
    varFiles: [],
    lockTimeoutMs: 300_000,
    destroy,
    lock
  })

test('a locked plan waits lock-timeout; an unlocked preview passes -lock=false', () => {
  assert.ok(plan(true).includes('-lock-timeout=300s'))
  assert.ok(!plan(true).some(a => a.startsWith('-lock=')))
  assert.ok(plan(false).includes('-lock=false'))
  assert.ok(!plan(false).some(a => a.startsWith('-lock-timeout')))
  assert.ok(plan(true, true).includes('-destroy'))
})

test('apply always takes the lock, with the timeout', () => {
  const args = applyArgs('/tmp/p.tfplan', 90_000)
  assert.equal(args[0], 'apply')
  assert.ok(args.includes('-lock-timeout=90s'))
  assert.ok(!args.some(a => a.startsWith('-lock=')))
  assert.equal(args.at(-1), '/tmp/p.tfplan')
})
