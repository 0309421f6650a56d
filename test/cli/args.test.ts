import assert from 'node:assert/strict'
import {test} from 'node:test'
import {parseCliArgs} from '../../src/cli/args.ts'

test('inputs become INPUT_* variables, repeats join as lines', () => {
  const args = parseCliArgs([
    'apply-stage',
    '--stage',
    'terraform/vpc',
    '--vars=a=1',
    '--vars',
    'b=2'
  ])
  assert.equal(args.action, 'apply-stage')
  assert.deepEqual(args.env, {
    INPUT_STAGE: 'terraform/vpc',
    INPUT_VARS: 'a=1\nb=2'
  })
})

test('an input without a value is refused', () => {
  assert.throws(
    () => parseCliArgs(['generate-certs', '--clusters']),
    /'--clusters' needs a value/
  )
})

test('no action prints help', () => {
  assert.equal(parseCliArgs([]).help, true)
})
