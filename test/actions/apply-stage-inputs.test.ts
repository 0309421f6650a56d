import assert from 'node:assert/strict'
import {test} from 'node:test'
import {readActionMetadata} from '../../src/common/action-metadata.ts'
import {ConfigurationError} from '../../src/common/errors.ts'
import {readInputs} from '../../src/common/inputs.ts'
import {spec} from '../../src/actions/apply-stage/inputs.ts'
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
