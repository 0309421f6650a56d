import assert from 'node:assert/strict'
import {test} from 'node:test'
import {TERRAFORM_DIR} from './stage.ts'
import {need} from '../helpers/testbed.ts'
import {run} from './tools.ts'

test('every stage is formatted as `tofu fmt` writes it', () => {
  const r = run(need('tofu'), [
    'fmt',
    '-check',
    '-recursive',
    '-diff',
    '-no-color',
    TERRAFORM_DIR
  ])
  assert.equal(r.status, 0, `tofu fmt would change:\n${r.output}`)
})
