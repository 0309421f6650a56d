import assert from 'node:assert/strict'
import {test} from 'node:test'
import {applyArgs, initArgs, planArgs} from '../../src/terraform/argv.ts'
import {
  backendOverride,
  buildBackendConfig
} from '../../src/terraform/backend.ts'
import {ConfigurationError} from '../../src/common/errors.ts'

test('local state lives under <stage>/.state/<instance>.tfstate', () => {
  assert.deepEqual(
    buildBackendConfig({
      kind: 'local',
      stageDir: '/w/terraform/vpc',
      config: {}
    }),
    {
      path: '.state/default.tfstate'
    }
  )
  assert.deepEqual(
    buildBackendConfig({
      kind: 'local',
      stageDir: '/w/terraform/cluster',
      instance: 'c1',
      config: {}
    }),
    {path: '.state/c1.tfstate'}
  )
  assert.equal(
    buildBackendConfig({
      kind: 'local',
      stageDir: '/s',
      config: {path: '/x.tfstate'}
    }).path,
    '/x.tfstate'
  )
})

test('s3 derives the key, adds encrypt and use_lockfile, keeps what is given', () => {
  assert.deepEqual(
    buildBackendConfig({
      kind: 's3',
      stageDir: '/w/terraform/cluster',
      instance: 'c1',
      config: {bucket: 'b', region: 'eu-west-1'}
    }),
    {
      key: 'cluster/c1/terraform.tfstate',
      bucket: 'b',
      region: 'eu-west-1',
      encrypt: 'true',
      use_lockfile: 'true'
    }
  )
  const given = buildBackendConfig({
    kind: 's3',
    stageDir: '/w/vpc',
    config: {key: 'k', encrypt: 'false', use_lockfile: 'false'}
  })
  assert.deepEqual(
    [given.key, given.encrypt, given.use_lockfile],
    ['k', 'false', 'false']
  )
})

for (const key of ['access_key', 'secret_key', 'token', 'sse_customer_key']) {
  test(`s3 refuses ${key} in backend-config without echoing it`, () => {
    assert.throws(
      () =>
        buildBackendConfig({
          kind: 's3',
          stageDir: '/s',
          config: {[key]: 'CANARY-value'}
        }),
      (e: Error) =>
        e instanceof ConfigurationError &&
        e.message.includes(key) &&
        !e.message.includes('CANARY')
    )
  })
}

test('the override file names the backend and nothing else', () => {
  assert.match(backendOverride('s3'), /terraform \{\n {2}backend "s3" \{\}\n\}/)
})

test('init passes backend settings and the lock timeout, never -lock=false', () => {
  assert.deepEqual(initArgs({bucket: 'b'}, 300_000), [
    'init',
    '-input=false',
    '-no-color',
    '-json',
    '-reconfigure',
    '-lock-timeout=300s',
    '-backend-config=bucket=b'
  ])
})

test('plan keeps the lock with its timeout, and variables only in var files', () => {
  const args = planArgs({
    planFile: '/t/p',
    varFiles: ['/t/v.json'],
    lockTimeoutMs: 90_000,
    destroy: true,
    lock: true
  })
  assert.deepEqual(args, [
    'plan',
    '-input=false',
    '-no-color',
    '-json',
    '-detailed-exitcode',
    '-out=/t/p',
    '-lock-timeout=90s',
    '-destroy',
    '-var-file=/t/v.json'
  ])
  assert.ok(!args.some(a => a.startsWith('-var=')))
})

test('apply takes the saved plan, the lock and its timeout', () => {
  const args = applyArgs('/t/p', 1000)
  assert.equal(args.at(-1), '/t/p')
  assert.ok(args.includes('-lock-timeout=1s'))
  assert.ok(!args.includes('-lock=false'))
})
