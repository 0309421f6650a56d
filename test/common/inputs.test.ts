import assert from 'node:assert/strict'
import {test} from 'node:test'
import {ConfigurationError} from '../../src/common/errors.ts'
import {
  awsRegion,
  bool,
  clusterNames,
  duration,
  integer,
  keyValues,
  oneOf,
  optional,
  readInputs,
  required,
  secret,
  text
} from '../../src/common/inputs.ts'

const fails = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigurationError, String(err))
    assert.match(err.message, pattern)
    return true
  })

test('cluster names split on newlines and commas, blanks dropped', () => {
  assert.deepEqual(clusterNames('a, b\n\nc-1,', 'clusters'), ['a', 'b', 'c-1'])
})

for (const bad of ['Cluster1', '-a', 'a-', 'a_b', 'x'.repeat(64), 'a.b']) {
  test(`cluster name '${bad.slice(0, 12)}' is refused, naming the input`, () =>
    fails(() => clusterNames(bad, 'clusters'), /input 'clusters'.*DNS-1123/))
}

test('duplicate cluster names are refused', () =>
  fails(() => clusterNames('a,b,a', 'clusters'), /'a' more than once/))

test('booleans accept only the forms getBooleanInput accepts', () => {
  assert.equal(bool('True', 'x'), true)
  assert.equal(bool('FALSE', 'x'), false)
  fails(() => bool('yes', 'rotate-root'), /input 'rotate-root' must be true/)
})

test('integers are whole and inside their range', () => {
  assert.equal(integer({min: 1})('730', 'd'), 730)
  fails(() => integer()('-1', 'root-days'), /'root-days'.*at least 0.*'-1'/)
  fails(() => integer({min: 1})('1.5', 'd'), /whole number/)
  fails(() => integer({min: 1, max: 10})('11', 'd'), /from 1 to 10/)
})

test('durations add up their parts', () => {
  assert.equal(duration('5m', 't'), 300_000)
  assert.equal(duration('1h30m', 't'), 5_400_000)
  assert.equal(duration('250ms', 't'), 250)
  fails(() => duration('5 minutes', 'lock-timeout'), /'lock-timeout'.*5m/)
  fails(() => duration('5', 'lock-timeout'), /duration/)
})

test('key=value lines keep "=" inside values and refuse repeats', () => {
  assert.deepEqual(keyValues('a=1\n# note\n b = x=y \n', 'vars'), {
    a: '1',
    b: 'x=y'
  })
  fails(() => keyValues('=1', 'vars'), /input 'vars'.*key=value/)
  fails(() => keyValues('a=1\na=2', 'vars'), /'a' more than once/)
})

test('oneOf names the accepted values', () =>
  fails(
    () => oneOf('plan', 'apply')('deploy', 'command'),
    /plan, apply.*deploy/
  ))

test('regions are checked so they are safe inside URLs', () => {
  assert.equal(awsRegion('eu-west-1', 'r'), 'eu-west-1')
  assert.equal(awsRegion('us-gov-west-1', 'r'), 'us-gov-west-1')
  fails(() => awsRegion('eu-west-1/../x', 'aws-region'), /'aws-region'/)
})

test('readInputs parses every input and reports the first missing one', () => {
  const spec = {
    clusters: required(clusterNames),
    'key-type': optional(oneOf('rsa-2048', 'rsa-4096')),
    token: secret(optional(text))
  }
  const seen: string[] = []
  const inputs = readInputs(
    spec,
    {
      INPUT_CLUSTERS: 'a,b',
      'INPUT_KEY-TYPE': 'rsa-2048',
      INPUT_TOKEN: 's3cr3t'
    },
    {onSecret: v => seen.push(v)}
  )
  assert.deepEqual(inputs.clusters, ['a', 'b'])
  assert.equal(inputs['key-type'], 'rsa-2048')
  assert.deepEqual(seen, ['s3cr3t'])
  fails(() => readInputs(spec, {}), /input 'clusters' is required/)
})
