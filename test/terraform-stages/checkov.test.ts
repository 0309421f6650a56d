import assert from 'node:assert/strict'
import {test} from 'node:test'
import {TERRAFORM_DIR} from './stage.ts'
import {need} from '../helpers/testbed.ts'
import {run} from './tools.ts'

interface CheckovReport {
  check_type: string
  results: {
    passed_checks: unknown[]
    failed_checks: {
      check_id: string
      check_name: string
      resource: string
      file_path: string
    }[]
  }
  summary: {passed: number; failed: number; skipped: number}
}

test('checkov finds nothing in the stages (offline: every finding counts)', () => {
  const r = run(need('checkov'), [
    '--directory',
    TERRAFORM_DIR,
    '--framework',
    'terraform',
    '--skip-download',
    '--download-external-modules',
    'false',
    '--output',
    'json'
  ])
  const start = r.stdout.indexOf('{')
  assert.ok(start >= 0, `checkov printed no report:\n${r.output}`)
  const parsed = JSON.parse(r.stdout.slice(start))
  const report = (Array.isArray(parsed) ? parsed : [parsed]) as CheckovReport[]
  const terraform = report.find(x => x.check_type === 'terraform')
  assert.ok(terraform, 'checkov ran no terraform checks')
  const failed = terraform.results.failed_checks.map(
    c => `${c.check_id} ${c.resource} (${c.file_path}): ${c.check_name}`
  )
  assert.deepEqual(failed, [])
  assert.ok(terraform.summary.passed > 20, 'checkov checked almost nothing')
  assert.equal(r.status, 0, r.output.slice(0, 2000))
})
