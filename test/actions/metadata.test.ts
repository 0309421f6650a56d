import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'
import {
  ACTION_NAMES,
  parseActionMetadata,
  readActionMetadata
} from '../../src/common/action-metadata.ts'
import type {InputSpec} from '../../src/common/inputs.ts'
import {ROOT} from '../helpers/run-bundle.ts'

const root = parseActionMetadata(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
const built = ACTION_NAMES.filter(name =>
  existsSync(join(ROOT, 'actions', name, 'action.yml'))
)

test('the root action runs on node24 from its own bundle', () => {
  assert.equal(root.runs.using, 'node24')
  assert.equal(root.runs.main, 'dist/root/index.js')
  assert.ok(existsSync(join(ROOT, root.runs.main)), 'root bundle is committed')
  assert.equal(root.runs.post, 'dist/root-post/index.js')
  assert.ok(existsSync(join(ROOT, root.runs.post)), 'root post is committed')
})

test('the root action declares no defaults, so each action keeps its own', () => {
  for (const [name, input] of Object.entries(root.inputs)) {
    assert.equal(input.default, undefined, `root input '${name}' has a default`)
  }
})

for (const name of built) {
  test(`${name}: runs on node24 from its committed bundle`, () => {
    const meta = readActionMetadata(name, ROOT)
    assert.equal(meta.runs.using, 'node24')
    assert.equal(meta.runs.main, `../../dist/${name}/index.js`)
    assert.ok(existsSync(join(ROOT, 'dist', name, 'index.js')))
    if (meta.runs.post) {
      assert.equal(meta.runs.post, `../../dist/${name}-post/index.js`)
      assert.ok(existsSync(join(ROOT, 'dist', `${name}-post`, 'index.js')))
    }
  })

  test(`${name}: its input parser reads exactly the inputs of action.yml, with the same required flags`, async () => {
    const {spec} = (await import(`../../src/actions/${name}/inputs.ts`)) as {
      spec: InputSpec
    }
    const meta = readActionMetadata(name, ROOT)
    const fromYaml = Object.fromEntries(
      Object.entries(meta.inputs).map(([n, i]) => [n, i.required === true])
    )
    const fromSpec = Object.fromEntries(
      Object.entries(spec).map(([n, d]) => [n, d.required])
    )
    assert.deepEqual(fromSpec, fromYaml)
  })

  test(`${name}: every input and output is declared by the root action too`, () => {
    const meta = readActionMetadata(name, ROOT)
    for (const input of Object.keys(meta.inputs)) {
      assert.ok(input in root.inputs, `root action.yml lacks input '${input}'`)
      assert.notEqual(root.inputs[input]?.required, true)
    }
    for (const output of Object.keys(meta.outputs)) {
      assert.ok(
        output in root.outputs,
        `root action.yml lacks output '${output}'`
      )
    }
  })
}
