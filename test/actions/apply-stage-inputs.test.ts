import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'
import {readActionMetadata} from '../../src/common/action-metadata.ts'
import {ConfigurationError} from '../../src/common/errors.ts'
import {readInputs} from '../../src/common/inputs.ts'
import {spec, stageInputs} from '../../src/actions/apply-stage/inputs.ts'
import {actionEnv} from '../helpers/action-env.ts'
import {ROOT} from '../helpers/run-bundle.ts'

const meta = readActionMetadata('apply-stage', ROOT)

test('the outputs are the ones the design names', () => {
  assert.deepEqual(Object.keys(meta.outputs).sort(), [
    'add',
    'change',
    'destroy',
    'drift',
    'has-changes',
    'outputs-json',
    'plan-digest',
    'plan-file',
    'replace',
    'summary',
    'summary-json'
  ])
})

test('the github token is masked as soon as it is read', () => {
  const masked: string[] = []
  readInputs(
    spec,
    {INPUT_STAGE: 's', 'INPUT_GITHUB-TOKEN': 'ghs_CANARY'},
    {onSecret: s => void masked.push(s)}
  )
  assert.deepEqual(masked, ['ghs_CANARY'])
})

const bad: [string, string, RegExp][] = [
  ['instance', '../escape', /input 'instance' must be a name/],
  ['instance', 'a b', /input 'instance'/],
  ['command', 'deploy', /input 'command' must be one of plan, apply, destroy/],
  ['backend', 'gcs', /input 'backend' must be one of local, s3/],
  ['vars', 'not a var=1', /input 'vars' must name Terraform variables/],
  ['lock-timeout', 'soon', /input 'lock-timeout' must be a duration/],
  [
    'expected-plan-digest',
    'abc',
    /input 'expected-plan-digest' must be a plan-digest/
  ],
  ['allow-destroy', 'yes', /input 'allow-destroy' must be true or false/]
]
for (const [name, value, message] of bad) {
  test(`input '${name}' refuses '${value}'`, () => {
    assert.throws(
      () =>
        readInputs(spec, {
          INPUT_STAGE: 's',
          [`INPUT_${name.toUpperCase()}`]: value
        }),
      (e: Error) => e instanceof ConfigurationError && message.test(e.message)
    )
  })
}

test('a digest may carry the sha256: prefix and upper case', () => {
  const i = readInputs(spec, {
    INPUT_STAGE: 's',
    'INPUT_EXPECTED-PLAN-DIGEST': `sha256:${'AB'.repeat(32)}`
  })
  assert.equal(i['expected-plan-digest'], 'ab'.repeat(32))
})

/** The settings stageInputs makes from action.yml's defaults plus `inputs`. */
function settings(
  inputs: Record<string, string>,
  extraEnv: NodeJS.ProcessEnv = {}
) {
  const ws = mkdtempSync(join(tmpdir(), 'apply-stage-inputs-'))
  after(() => rmSync(ws, {recursive: true, force: true}))
  const env = {
    ...actionEnv(meta, {stage: 'stages/basic', ...inputs}, ws),
    RUNNER_TEMP: ws,
    ...extraEnv
  }
  const warnings: string[] = []
  const parsed = stageInputs(readInputs(spec, env), env, m => warnings.push(m))
  return {parsed, warnings}
}

test('lock defaults to true; false is accepted for command plan', () => {
  assert.equal(settings({}).parsed.lock, true)
  assert.equal(settings({lock: 'false'}).parsed.lock, false)
})

for (const command of ['apply', 'destroy']) {
  test(`lock false with command ${command} is refused, naming the input`, () => {
    assert.throws(
      () => settings({command, lock: 'false'}),
      (e: Error) =>
        e instanceof ConfigurationError &&
        /^input 'lock' may be false only with command 'plan' \(previews and drift checks\); command '\w+' always takes the state lock$/.test(
          e.message
        )
    )
  })
}

test('in GitHub Actions a saved plan is applied only with expected-plan-digest', () => {
  const apply = {command: 'apply', 'plan-file': 'p.tfplan'}
  assert.throws(
    () => settings(apply, {GITHUB_ACTIONS: 'true'}),
    (e: Error) =>
      e instanceof ConfigurationError &&
      /^input 'expected-plan-digest' is required to apply a saved plan \('plan-file'\) in GitHub Actions: give it the plan job's 'plan-digest' output/.test(
        e.message
      )
  )
  const digest = 'ab'.repeat(32)
  const given = settings(
    {...apply, 'expected-plan-digest': digest},
    {GITHUB_ACTIONS: 'true'}
  )
  assert.equal(given.parsed.expectedDigest, digest)
  assert.deepEqual(given.warnings, [])
  // Apply without a saved plan plans and applies in one step: nothing to bind.
  assert.deepEqual(
    settings({command: 'apply'}, {GITHUB_ACTIONS: 'true'}).warnings,
    []
  )
})

test('outside GitHub Actions a saved plan without a digest is applied with a warning', () => {
  const r = settings({command: 'apply', 'plan-file': 'p.tfplan'})
  assert.deepEqual(r.warnings, [
    `input 'expected-plan-digest' is empty: the saved plan in 'plan-file' is applied without checking that it is the reviewed one (allowed outside GitHub Actions only)`
  ])
  assert.deepEqual(
    settings({command: 'apply', 'plan-file': 'p.tfplan'}, {GITHUB_ACTIONS: ''})
      .warnings.length,
    1
  )
})
