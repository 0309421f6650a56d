import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {commentMarker} from '../../src/github/comments.ts'
import {startFakeGitHub, type FakeGitHub} from '../helpers/fake-github.ts'
import {ROOT} from '../helpers/run-bundle.ts'
import {condition} from './expressions.ts'
import {
  expr,
  jobIn,
  loadWorkflow,
  only,
  stepsUsing,
  workflowFiles,
  type WorkflowCall
} from './workflow.ts'

const {doc} = loadWorkflow('preview.yml')
const call = doc.on.workflow_call as WorkflowCall
const stageCall = loadWorkflow('stage.yml').doc.on.workflow_call as WorkflowCall
const plan = jobIn('preview.yml', doc, 'plan')
const comment = jobIn('preview.yml', doc, 'comment')
const commentStep = only(
  (comment.steps ?? []).filter(s => s.run?.includes('pr-comment.ts')),
  'pr-comment step'
)

test('preview.yml: called only, and only by plan.yml', () => {
  assert.deepEqual(Object.keys(doc.on), ['workflow_call'])
  const callers = workflowFiles().filter(file =>
    Object.values(loadWorkflow(file).doc.jobs).some(
      j => j.uses === './.github/workflows/preview.yml'
    )
  )
  assert.deepEqual(callers, ['plan.yml'])
})

test('preview.yml: the plan job only plans, through stage.yml', () => {
  assert.equal(plan.uses, './.github/workflows/stage.yml')
  assert.equal(plan.with?.apply, false)
  assert.equal(plan.with?.command, undefined)
  assert.equal(plan.with?.['allow-destroy'], undefined)
  const inputs = stageCall.inputs ?? {}
  for (const key of Object.keys(plan.with ?? {})) {
    assert.ok(key in inputs, `stage.yml has no input ${key}`)
  }
  for (const [key, input] of Object.entries(inputs)) {
    if (input.required) assert.ok(key in (plan.with ?? {}), key)
  }
  for (const key of Object.keys(call.inputs ?? {})) {
    assert.equal(
      expr(plan.with?.[key]),
      `\${{ inputs.${key} }}`,
      `input ${key} is passed on as it is`
    )
  }
  assert.deepEqual(plan.secrets, {
    TF_ENCRYPTION: '${{ secrets.TF_ENCRYPTION }}'
  })
})

test('preview.yml: cloud credentials and the pull-request write are in different jobs', () => {
  assert.deepEqual(plan.permissions, {contents: 'read', 'id-token': 'write'})
  assert.deepEqual(comment.permissions, {
    contents: 'read',
    'pull-requests': 'write'
  })
  assert.equal(comment.environment, undefined)
  assert.equal(comment.secrets, undefined)
  assert.doesNotMatch(JSON.stringify(comment), /secrets\.|aws-actions/)
})

test('no job anywhere holds both cloud credentials and a pull-request write', () => {
  for (const file of workflowFiles()) {
    for (const [name, j] of Object.entries(loadWorkflow(file).doc.jobs)) {
      if (j.uses) continue // the called jobs are checked in their own file
      const perms = typeof j.permissions === 'object' ? j.permissions : {}
      assert.notEqual(j.permissions, 'write-all', `${file} ${name}`)
      if (perms['pull-requests'] === 'write') {
        assert.equal(perms['id-token'], undefined, `${file} job ${name}`)
        assert.deepEqual([file, name], ['preview.yml', 'comment'])
      }
    }
  }
})

test('preview.yml: the plan is commented on pull requests, a failed one too, a cancelled one not', () => {
  const run = (
    event_name: string,
    status: 'success' | 'failure' | 'cancelled'
  ) => condition(comment.if, {contexts: {github: {event_name}}, status})
  assert.equal(run('pull_request', 'success'), true)
  assert.equal(run('pull_request', 'failure'), true)
  assert.equal(run('pull_request', 'cancelled'), false)
  assert.equal(run('workflow_dispatch', 'success'), false)
  assert.deepEqual(comment.needs, 'plan')
  assert.equal(
    expr(commentStep.env?.SUMMARY),
    '${{ needs.plan.outputs.summary }}'
  )
  assert.equal(expr(commentStep.env?.STAGE), '${{ inputs.stage }}')
  assert.equal(expr(commentStep.env?.INSTANCE), '${{ inputs.instance }}')
  assert.equal(expr(commentStep.env?.GITHUB_TOKEN), '${{ github.token }}')
  assert.equal(
    expr(stageCall.outputs?.summary?.value),
    '${{ jobs.plan.outputs.summary }}'
  )
  // No install script runs in the job that holds the write token.
  const install = only(
    (comment.steps ?? []).filter(s => /\bnpm\b/.test(s.run ?? '')),
    'npm step'
  )
  assert.match(install.run!, /^npm ci --ignore-scripts\b/)
  const node = only(stepsUsing(comment, 'actions/setup-node'), 'setup-node')
  assert.equal(node.with?.['node-version-file'], '.node-version')
})

let gh: FakeGitHub
let dir: string
before(async () => {
  gh = await startFakeGitHub()
  dir = mkdtempSync(join(tmpdir(), 'pr-comment-'))
})
after(async () => {
  await gh.close()
  rmSync(dir, {recursive: true, force: true})
})

const TOKEN = 'ghs_CANARYtoken0123456789abcdefghijklmn'

/** The comment step's script, run as the runner would run it. */
async function commentPlan(env: Record<string, string>, pr = 7) {
  const event = join(dir, `event-${pr}.json`)
  writeFileSync(event, JSON.stringify({pull_request: {number: pr}}))
  const child = spawn(process.execPath, [commentStep.run!.split(' ')[1]!], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: 'example-org/eks-istio-mesh',
      GITHUB_EVENT_PATH: event,
      GITHUB_WORKSPACE: ROOT,
      GITHUB_TOKEN: TOKEN,
      ...env
    }
  })
  let out = ''
  child.stdout.on('data', d => (out += d))
  child.stderr.on('data', d => (out += d))
  const status = await new Promise<number | null>(r => child.on('close', r))
  assert.ok(!out.includes(TOKEN), 'the token reached the log')
  return {status, out}
}

test("pr-comment.ts: one comment per stage and instance, under apply-stage's marker, edited in place", async () => {
  const issue = gh.issue('example-org', 'eks-istio-mesh', 7)
  const marker = commentMarker('apply-stage', {
    stage: 'terraform/cluster',
    instance: 'cluster-1'
  })
  // A comment apply-stage itself wrote before commenting moved here.
  gh.addComment('example-org', 'eks-istio-mesh', 7, `${marker}\nold plan`)
  const first = await commentPlan({
    SUMMARY: '### plan\n+1 ~0 -0',
    STAGE: 'terraform/cluster',
    INSTANCE: 'cluster-1'
  })
  assert.equal(first.status, 0, first.out)
  assert.match(first.out, /pull-request comment updated/)
  const again = await commentPlan({
    SUMMARY: '### plan\n+1 ~0 -0',
    STAGE: './terraform/cluster/',
    INSTANCE: 'cluster-1'
  })
  assert.match(again.out, /pull-request comment unchanged/)
  const vpc = await commentPlan({SUMMARY: 'vpc plan', STAGE: 'terraform/vpc'})
  assert.equal(vpc.status, 0, vpc.out)
  assert.match(vpc.out, /pull-request comment created/)
  assert.deepEqual(
    issue.comments.map(c => c.body),
    [
      `${marker}\n### plan\n+1 ~0 -0`,
      `${commentMarker('apply-stage', {stage: 'terraform/vpc', instance: 'default'})}\nvpc plan`
    ]
  )
})

test('pr-comment.ts: no summary, no comment, and a warning that says where to look', async () => {
  const before = gh.requests.length
  const r = await commentPlan({SUMMARY: '', STAGE: 'terraform/vpc'}, 8)
  assert.equal(r.status, 0)
  assert.match(
    r.out,
    /^::warning::the plan job reported no summary for terraform\/vpc default/m
  )
  assert.equal(gh.requests.length, before, 'nothing was sent to GitHub')
})

test('pr-comment.ts: fails clearly outside a pull request and when the API refuses', async () => {
  const noPr = await commentPlan({
    SUMMARY: 'x',
    STAGE: 'terraform/vpc',
    GITHUB_EVENT_PATH: join(dir, 'missing.json')
  })
  assert.equal(noPr.status, 1)
  assert.match(noPr.out, /::error::not a pull_request event/)
  gh.fail({method: 'GET', status: 403, message: 'Resource not accessible'})
  const refused = await commentPlan({SUMMARY: 'x', STAGE: 'terraform/vpc'}, 9)
  assert.equal(refused.status, 1)
  assert.match(refused.out, /::error::pull-request comment not written: .*403/)
})
