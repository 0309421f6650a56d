import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {cell, driftedReadmes, renderReadme} from '../../scripts/docs.mjs'
import {
  ACTION_NAMES,
  readActionMetadata
} from '../../src/common/action-metadata.ts'
import {ROOT} from '../helpers/run-bundle.ts'

// Descriptions are written in action.yml; the README tables must not drift
// from it: every input with its default, every output, no extra names.
const tableRows = (markdown: string) =>
  markdown
    .split('\n')
    .filter(line => line.startsWith('| `'))
    .map(line => line.split('|').map(cell => cell.trim()))

for (const name of ACTION_NAMES) {
  const readme = join(ROOT, 'actions', name, 'README.md')
  if (!existsSync(join(ROOT, 'actions', name, 'action.yml'))) continue

  test(`${name}: the README documents every input with its default`, () => {
    const meta = readActionMetadata(name, ROOT)
    const rows = tableRows(readFileSync(readme, 'utf8'))
    for (const [input, def] of Object.entries(meta.inputs)) {
      const row = rows.find(cells => cells[1] === `\`${input}\``)
      assert.ok(row, `README lacks a row for input '${input}'`)
      const documented = row[2]!
      if (def.required) {
        assert.match(documented, /required/, input)
      } else if (def.default !== undefined && def.default !== '') {
        assert.equal(documented, `\`${def.default}\``, `default of '${input}'`)
      } else {
        assert.equal(documented, '', `'${input}' has no default`)
      }
    }
  })

  test(`${name}: the README documents every output`, () => {
    const meta = readActionMetadata(name, ROOT)
    const rows = tableRows(readFileSync(readme, 'utf8'))
    for (const output of Object.keys(meta.outputs)) {
      assert.ok(
        rows.some(cells => cells[1]!.split(', ').includes(`\`${output}\``)),
        `README lacks a row for output '${output}'`
      )
    }
  })
}

// `npm run docs` writes the tables between markers from action.yml; they
// must be what it would write now.
test('every action README has the tables npm run docs writes from its action.yml', () => {
  assert.deepEqual(
    driftedReadmes(ROOT).map((r: {file: string}) => r.file),
    []
  )
})

test('docs --check fails on a README whose action.yml changed, and npm run docs repairs it', () => {
  const root = mkdtempSync(join(tmpdir(), 'docs-'))
  cpSync(join(ROOT, 'actions'), join(root, 'actions'), {recursive: true})
  cpSync(join(ROOT, 'scripts'), join(root, 'scripts'), {recursive: true})
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'))
  const yml = join(root, 'actions', 'generate-certs', 'action.yml')
  writeFileSync(
    yml,
    readFileSync(yml, 'utf8').replace(
      'Validity of a new root CA, in days.',
      'How long a new root CA is valid, in days.'
    )
  )
  const docs = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, 'scripts', 'docs.mjs'), ...args], {
      encoding: 'utf8'
    })
  const check = docs('--check')
  assert.equal(check.status, 1)
  assert.match(
    check.stderr,
    /generate-certs\/README\.md: inputs\/outputs tables differ/
  )
  assert.equal(docs().status, 0)
  assert.match(
    readFileSync(join(root, 'actions', 'generate-certs', 'README.md'), 'utf8'),
    /\| `root-days` \| `3650` \| How long a new root CA is valid, in days\. \|/
  )
  assert.equal(docs('--check').status, 0)
})

test('tables keep to one line per row, escape pipes and show <placeholders>', () => {
  assert.equal(cell('a|b\n c <x> `<y>|`'), 'a\\|b c &lt;x> `<y>\\|`')
  const meta = {
    inputs: {
      a: {description: 'needed', required: true},
      b: {description: 'has one', default: 'x'},
      c: {description: 'none', default: ''}
    },
    outputs: {o: {description: 'out'}}
  }
  const readme = [
    '# t',
    '<!-- inputs:t -->',
    'old',
    '<!-- /inputs:t -->',
    'prose stays',
    '<!-- outputs:t -->',
    '<!-- /outputs:t -->'
  ].join('\n')
  assert.equal(
    renderReadme('t', readme, meta),
    [
      '# t',
      '<!-- inputs:t -->',
      '| name | default | description |',
      '| --- | --- | --- |',
      '| `a` | required | needed |',
      '| `b` | `x` | has one |',
      '| `c` |  | none |',
      '<!-- /inputs:t -->',
      'prose stays',
      '<!-- outputs:t -->',
      '| name | description |',
      '| --- | --- |',
      '| `o` | out |',
      '<!-- /outputs:t -->'
    ].join('\n')
  )
  assert.throws(
    () => renderReadme('t', '# no markers', meta),
    /needs the markers <!-- inputs:t --> and <!-- \/inputs:t -->/
  )
})
