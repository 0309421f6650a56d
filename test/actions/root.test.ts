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

test('an action not built yet is named as such, with what is available', async () => {
  const r = await runBundle('root', {action: 'verify-mesh'})
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /::error::action 'verify-mesh' is not available yet in this version of the toolkit; available: generate-certs, apply-stage, exchange-secrets$/m
  )
})
