import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'
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
