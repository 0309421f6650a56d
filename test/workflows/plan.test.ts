import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {test} from 'node:test'
import {buildBackendConfig} from '../../src/terraform/backend.ts'
import {ROOT} from '../helpers/run-bundle.ts'
import {testbed} from '../helpers/testbed.ts'
import {loadStage, variableNames} from '../terraform-stages/stage.ts'
import {
  assignedNames,
  expr,
  loadWorkflow,
  runScript,
  stepsUsing,
  type Job,
  type WorkflowCall
} from './workflow.ts'

const {text, doc} = loadWorkflow('plan.yml')
const stageCall = loadWorkflow('stage.yml').doc.on.workflow_call as WorkflowCall
const stageJobs = loadWorkflow('stage.yml').doc.jobs

const SAME_REPOSITORY =
  'github.event.pull_request.head.repo.full_name == github.repository'

const callers = Object.entries(doc.jobs).filter(
  ([, job]) => job.uses === './.github/workflows/stage.yml'
)
const caller = (stage: string): Job => {
  const found = callers.filter(([, j]) => j.with?.stage === stage)
  assert.equal(found.length, 1, `one job plans ${stage}`)
  return found[0]![1]
}

/** Does the job touch the cloud, a secret or a write permission? */
function privileged(job: Job): boolean {
  const perms = typeof job.permissions === 'object' ? job.permissions : {}
  return (
    job.uses !== undefined ||
    job.secrets !== undefined ||
    Object.values(perms).includes('write') ||
    JSON.stringify(job).includes('secrets.')
  )
}

test('plan.yml: runs on pull requests that touch the stages, and on nothing else', () => {
  assert.deepEqual(Object.keys(doc.on), ['pull_request'])
  const paths = (doc.on.pull_request as {paths?: string[]}).paths ?? []
  for (const p of [
    'terraform/**',
    '.github/workflows/plan.yml',
    '.github/workflows/stage.yml'
  ]) {
    assert.ok(paths.includes(p), `paths lacks ${p}`)
  }
  assert.doesNotMatch(text, /pull_request_target|workflow_run|issue_comment/)
})

test('plan.yml: one plan run per pull request, the older one cancelled', () => {
  assert.equal(
    expr(doc.concurrency?.group),
    'plan-${{ github.event.pull_request.number }}'
  )
  assert.equal(doc.concurrency?.['cancel-in-progress'], true)
})

test('plan.yml: a fork pull request gets the format check, without credentials', () => {
  const unguarded = Object.entries(doc.jobs).filter(
    ([, job]) => !(job.if ?? '').includes(SAME_REPOSITORY)
  )
  assert.ok(unguarded.length > 0, 'no job runs for forks')
  for (const [name, job] of unguarded) {
    assert.ok(!privileged(job), `job ${name} runs for forks with privileges`)
    assert.deepEqual(job.permissions, {contents: 'read'})
  }
  const fmt = doc.jobs.fmt!
  assert.ok(
    (fmt.steps ?? []).some(s =>
      /^tofu fmt -check\b.* terraform$/.test(s.run ?? '')
    ),
    'fmt checks terraform/'
  )
})

test('plan.yml: the format check passes on this tree with the test bed OpenTofu', () => {
  const run = (doc.jobs.fmt!.steps ?? []).find(s => s.run)!.run!
  const args = run.trim().split(/\s+/).slice(1)
  const r = spawnSync(testbed().tofu, args, {cwd: ROOT, encoding: 'utf8'})
  assert.equal(r.status, 0, r.stdout + r.stderr)
})

test('plan.yml: cloud jobs run only for branches of this repository', () => {
  for (const [name, job] of Object.entries(doc.jobs)) {
    if (name === 'fmt') continue // the fork job, checked above
    assert.equal(job.if, SAME_REPOSITORY, `job ${name}`)
  }
  assert.ok(callers.length >= 2, 'vpc and clusters are planned')
})

test('plan.yml: it only plans, the vpc and every cluster of the matrix', () => {
  for (const [name, job] of callers) {
    assert.equal(job.with?.apply, false, `job ${name} would apply`)
    assert.equal(job.with?.['allow-destroy'], undefined)
  }
  assert.equal(caller('terraform/vpc').with?.instance, undefined)
  const cluster = caller('terraform/cluster')
  assert.equal(
    expr(cluster.strategy?.matrix?.cluster),
    '${{ fromJSON(needs.config.outputs.clusters) }}'
  )
  assert.equal(expr(cluster.with?.instance), '${{ matrix.cluster }}')
  assert.equal(expr(cluster.with?.['certs-clusters']), '${{ matrix.cluster }}')
  assert.equal(
    expr(doc.jobs.config!.steps![0]!.env?.MESH_CLUSTERS),
    '${{ vars.MESH_CLUSTERS }}'
  )
})

test('plan.yml: the callers grant what the called jobs need (a call only narrows)', () => {
  const needed: Record<string, string> = {}
  for (const job of Object.values(stageJobs)) {
    for (const [scope, level] of Object.entries(job.permissions ?? {})) {
      if (needed[scope] !== 'write') needed[scope] = level
    }
  }
  for (const [name, job] of callers) {
    assert.deepEqual(job.permissions, needed, `job ${name}`)
  }
})

test('plan.yml: each call gives stage.yml what it requires, and nothing it does not take', () => {
  const inputs = stageCall.inputs ?? {}
  const secrets = stageCall.secrets ?? {}
  for (const [name, job] of callers) {
    for (const key of Object.keys(job.with ?? {})) {
      assert.ok(key in inputs, `job ${name}: stage.yml has no input ${key}`)
    }
    for (const [key, input] of Object.entries(inputs)) {
      if (input.required) assert.ok(key in (job.with ?? {}), `${name}: ${key}`)
    }
    assert.notEqual(job.secrets, 'inherit')
    assert.deepEqual(Object.keys(job.secrets ?? {}), Object.keys(secrets))
    assert.equal(
      expr((job.secrets as Record<string, string>).TF_ENCRYPTION),
      '${{ secrets.TF_ENCRYPTION }}'
    )
    assert.notEqual(job.with?.environment, job.with?.['plan-environment'])
  }
})

test('plan.yml: the variables it passes are declared by each stage', async () => {
  for (const [stage, folder] of [
    ['terraform/vpc', 'vpc'],
    ['terraform/cluster', 'cluster']
  ] as const) {
    const declared = variableNames(await loadStage(folder))
    const passed = assignedNames(String(caller(stage).with?.vars))
    assert.ok(passed.length > 0)
    for (const name of passed) {
      assert.ok(declared.includes(name), `${stage} declares no ${name}`)
    }
  }
  const cluster = String(caller('terraform/cluster').with?.vars)
  assert.ok(assignedNames(cluster).includes('cluster_name'))
})

test('plan.yml: the clusters read the vpc state where apply-stage writes it', () => {
  const lines = String(caller('terraform/cluster').with?.vars).split('\n')
  const config = lines.find(l => l.startsWith('vpc_state_config='))!
  const json = config
    .slice('vpc_state_config='.length)
    .replace(/\$\{\{[^}]*\}\}/g, 'x')
  const parsed = JSON.parse(json) as Record<string, string>
  const vpcBackend = String(caller('terraform/vpc').with?.['backend-config'])
  const key = buildBackendConfig({
    kind: 's3',
    stageDir: 'terraform/vpc',
    config: {}
  }).key
  assert.equal(parsed.key, key)
  assert.ok(lines.includes('vpc_state_backend=s3'))
  // Same bucket and region as the vpc stage's own backend.
  for (const setting of ['bucket', 'region']) {
    const value = /=(.*)$/.exec(
      vpcBackend.split('\n').find(l => l.startsWith(`${setting}=`))!
    )![1]
    assert.ok(config.includes(`"${setting}":"${value}"`), setting)
  }
  assert.deepEqual(
    caller('terraform/cluster').with?.['backend-config'],
    vpcBackend
  )
})

const ADMINS = '["arn:aws:iam::123456789012:role/mesh-apply"]'

test('plan.yml: the cluster list is checked before it becomes a matrix', () => {
  const script = doc.jobs.config!.steps![0]!.run!
  const cases: [string, string | undefined][] = [
    ['["cluster-1","cluster-2"]', '["cluster-1","cluster-2"]'],
    ['[ "a" , "b", "c" ]', '["a","b","c"]'],
    ['', undefined],
    ['[]', undefined],
    ['cluster-1,cluster-2', undefined],
    ['["Cluster-1","b"]', undefined],
    ['["a","a"]', undefined],
    ['["a",1]', undefined],
    ['["a b","c"]', undefined],
    ['{"a":1}', undefined],
    [`["${'a'.repeat(64)}","b"]`, undefined]
  ]
  for (const [value, json] of cases) {
    const r = runScript(script, {
      MESH_CLUSTERS: value,
      MESH_ADMIN_PRINCIPAL_ARNS: ADMINS
    })
    assert.equal(r.status === 0, json !== undefined, `${value}: ${r.stdout}`)
    assert.equal(r.outputs.clusters, json, value)
    if (json === undefined) assert.match(r.stdout, /MESH_CLUSTERS/)
  }
})

test('plan.yml: the clusters are planned with their admins named, not the plan role', () => {
  const script = doc.jobs.config!.steps![0]!.run!
  const cases: [string, boolean][] = [
    [ADMINS, true],
    [
      '["arn:aws:iam::123456789012:role/a","arn:aws-us-gov:iam::123456789012:user/b"]',
      true
    ],
    ['', false],
    ['[]', false],
    ['arn:aws:iam::123456789012:role/a', false],
    ['["arn:aws:iam::1234:role/a"]', false],
    ['["arn:aws:s3:::bucket"]', false]
  ]
  for (const [value, ok] of cases) {
    const r = runScript(script, {
      MESH_CLUSTERS: '["a","b"]',
      MESH_ADMIN_PRINCIPAL_ARNS: value
    })
    assert.equal(r.status === 0, ok, `${value}: ${r.stdout}`)
    if (ok) assert.equal(r.outputs.admins, JSON.stringify(JSON.parse(value)))
    else assert.match(r.stdout, /MESH_ADMIN_PRINCIPAL_ARNS/)
  }
  const vars = String(caller('terraform/cluster').with?.vars)
  assert.ok(
    vars.includes('admin_principal_arns=${{ needs.config.outputs.admins }}')
  )
})

test('plan.yml: the fmt job pins the same OpenTofu as stage.yml', () => {
  const pin = (job: Job) =>
    stepsUsing(job, 'opentofu/setup-opentofu').map(s => [s.uses, s.with])
  assert.deepEqual(pin(doc.jobs.fmt!), pin(stageJobs.plan!))
})
