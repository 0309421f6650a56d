import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {need} from '../helpers/testbed.ts'

// A workflow with two classic faults: an undefined step output (actionlint)
// and an attacker-controlled expression inside `run:` (zizmor).
const WORKFLOW = `name: smoke
on:
  pull_request_target:
permissions: {}
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - id: a
        run: echo "title=\${{ github.event.pull_request.title }}"
      - run: echo "\${{ steps.nope.outputs.x }}"
`

function repoWith(file: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lint-smoke-'))
  const path = join(dir, file)
  mkdirSync(join(path, '..'), {recursive: true})
  writeFileSync(path, text)
  return dir
}

function run(bin: string, args: string[], cwd: string) {
  const r = spawnSync(bin, args, {
    cwd,
    encoding: 'utf8',
    env: {PATH: process.env.PATH, HOME: cwd, BC_SKIP_MAPPING: 'TRUE'}
  })
  return {status: r.status, out: `${r.stdout}\n${r.stderr}`}
}

test('actionlint reports an undefined step output', () => {
  const dir = repoWith('.github/workflows/smoke.yml', WORKFLOW)
  const r = run(
    need('actionlint'),
    ['-no-color', '.github/workflows/smoke.yml'],
    dir
  )
  assert.equal(r.status, 1, r.out)
  assert.match(r.out, /steps\.nope/)
})

test('zizmor reports template injection offline', () => {
  const dir = repoWith('.github/workflows/smoke.yml', WORKFLOW)
  const r = run(need('zizmor'), ['--offline', '--format', 'plain', '.'], dir)
  assert.notEqual(r.status, 0, r.out)
  assert.match(r.out, /template-injection/)
})

test('checkov reports an unencrypted, public-readable S3 bucket', () => {
  const dir = repoWith(
    'main.tf',
    `resource "aws_s3_bucket" "b" {
  bucket = "smoke"
  acl    = "public-read"
}
`
  )
  const r = run(
    need('checkov'),
    [
      '-d',
      '.',
      '--framework',
      'terraform',
      '--compact',
      '--quiet',
      '-o',
      'json'
    ],
    dir
  )
  assert.equal(r.status, 1, r.out)
  const report = JSON.parse(r.out.slice(r.out.indexOf('{')))
  const failed: string[] = report.results.failed_checks.map(
    (c: {check_id: string}) => c.check_id
  )
  assert.ok(failed.length > 0, r.out)
  assert.ok(
    failed.every(id => /^CKV2?_AWS_\d+$/.test(id)),
    failed.join(',')
  )
})
