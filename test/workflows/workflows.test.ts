import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'
import {parse} from 'yaml'
import {ROOT} from '../helpers/run-bundle.ts'
import {testbed} from '../helpers/testbed.ts'

const WORKFLOWS = join(ROOT, '.github', 'workflows')
const files = readdirSync(WORKFLOWS).filter(f => /\.ya?ml$/.test(f))

interface Step {
  uses?: string
  run?: string
}
interface Job {
  permissions?: unknown
  'timeout-minutes'?: number
  steps?: Step[]
  uses?: string
}
interface Workflow {
  on: Record<string, unknown> | string | string[]
  permissions?: unknown
  jobs: Record<string, Job>
}

const load = (file: string) => {
  const text = readFileSync(join(WORKFLOWS, file), 'utf8')
  return {text, doc: parse(text) as Workflow}
}

test('actionlint finds nothing in the workflows', () => {
  const r = spawnSync(testbed().actionlint, ['-no-color', '-oneline'], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  assert.equal(r.status, 0, r.stdout + r.stderr)
})

test('zizmor finds nothing of medium or high severity', () => {
  const r = spawnSync(
    testbed().zizmor,
    ['--offline', '--no-progress', '--min-severity', 'medium', '.'],
    {cwd: ROOT, encoding: 'utf8'}
  )
  assert.equal(r.status, 0, r.stdout + r.stderr)
})

for (const file of files) {
  const {text, doc} = load(file)

  test(`${file}: grants nothing at the top, each job only what it needs`, () => {
    assert.deepEqual(doc.permissions, {})
    for (const [name, job] of Object.entries(doc.jobs)) {
      assert.ok(job.permissions !== undefined, `job ${name} has no permissions`)
    }
  })

  test(`${file}: every job has a timeout`, () => {
    for (const [name, job] of Object.entries(doc.jobs)) {
      if (job.uses) continue // a called workflow sets its own
      assert.equal(typeof job['timeout-minutes'], 'number', `job ${name}`)
    }
  })

  test(`${file}: remote actions are pinned by full SHA with a version comment`, () => {
    // From the parsed workflow, so a `uses:` inside a comment is no step.
    const refs = Object.values(doc.jobs).flatMap(job => [
      ...(job.uses ? [job.uses] : []),
      ...(job.steps ?? []).flatMap(step => (step.uses ? [step.uses] : []))
    ])
    for (const ref of refs.filter(r => !r.startsWith('./'))) {
      assert.match(ref, /@[0-9a-f]{40}$/, ref)
      const line = text.split('\n').find(l => l.includes(`uses: ${ref}`))
      assert.match(line ?? '', /#\s*v\d+/, `${ref} has no # vX.Y.Z comment`)
    }
  })

  test(`${file}: no dangerous triggers and no expressions inside run`, () => {
    const triggers =
      typeof doc.on === 'string'
        ? [doc.on]
        : Array.isArray(doc.on)
          ? doc.on
          : Object.keys(doc.on)
    for (const bad of [
      'pull_request_target',
      'workflow_run',
      'issue_comment'
    ]) {
      assert.ok(!triggers.includes(bad), bad)
    }
    for (const job of Object.values(doc.jobs)) {
      for (const step of job.steps ?? []) {
        assert.ok(!step.run?.includes('${{'), `run: ${step.run}`)
      }
    }
  })

  test(`${file}: no check in run: can fail without failing its step`, () => {
    // bash -e ignores a failure inside an && list unless it is the last
    // command: `test a && test b` on any line but the last checks nothing.
    for (const job of Object.values(doc.jobs)) {
      for (const step of job.steps ?? []) {
        const lines = (step.run ?? '')
          .split('\n')
          .map(l => l.trim())
          .filter(l => l && !l.startsWith('#'))
        for (const line of lines.slice(0, -1)) {
          assert.doesNotMatch(
            line,
            /^(test|\[)\b.*&&/,
            `a check that cannot fail: ${line}`
          )
        }
      }
    }
  })

  test(`${file}: checkouts do not persist credentials`, () => {
    for (const job of Object.values(doc.jobs)) {
      for (const step of job.steps ?? []) {
        if (!step.uses?.startsWith('actions/checkout@')) continue
        const w = (step as {with?: Record<string, unknown>}).with
        assert.equal(w?.['persist-credentials'], false)
      }
    }
  })
}
