import assert from 'node:assert/strict'
import {test} from 'node:test'
import {runBundle} from '../helpers/run-bundle.ts'

test('the root action refuses an unknown action, naming the input', async () => {
  const r = await runBundle('root', {action: 'deploy-everything'})
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /::error::input 'action' must be one of generate-certs, apply-stage, exchange-secrets, verify-mesh, got 'deploy-everything'/
  )
})

test('the root action requires its action input', async () => {
  const r = await runBundle('root', {})
  assert.equal(r.status, 1)
  assert.match(r.stdout, /::error::input 'action' must be one of/)
})

test('every action is built: verify-mesh is dispatched with its own inputs', async () => {
  const r = await runBundle('root', {action: 'verify-mesh'})
  assert.equal(r.status, 1)
  assert.match(r.stdout, /::error::input 'clusters' is required$/m)
  assert.doesNotMatch(r.stdout, /not available yet/)
})
