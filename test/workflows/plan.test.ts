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
  only,
  type Job,
  type WorkflowCall
} from './workflow.ts'
import {condition} from './expressions.ts'

const {text, doc} = loadWorkflow('plan.yml')
const preview = loadWorkflow('preview.yml').doc
const previewCall = preview.on.workflow_call as WorkflowCall
const stageJobs = loadWorkflow('stage.yml').doc.jobs

const callers = Object.entries(doc.jobs).filter(
  ([, job]) => job.uses === './.github/workflows/preview.yml'
)

/** A pull request's run: this repository's branch by a person, unless changed. */
const prRun = (over: {fork?: boolean; author?: string} = {}) => ({
  contexts: {
    github: {
      repository: 'example-org/eks-istio-mesh',
      actor: over.author ?? 'octocat',
      event_name: 'pull_request',
      event: {
        pull_request: {
          user: {login: over.author ?? 'octocat'},
          head: {
            repo: {
              full_name: over.fork
                ? 'someone/eks-istio-mesh'
                : 'example-org/eks-istio-mesh'
            }
          }
        }
      }
    }
  }
})
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

test('plan.yml: a fork or Dependabot pull request gets the format check, without credentials', () => {
  for (const run of [prRun({fork: true}), prRun({author: 'dependabot[bot]'})]) {
    const running = Object.entries(doc.jobs).filter(([, job]) =>
      condition(job.if, run)
    )
    assert.ok(
      running.some(([name]) => name === 'fmt'),
      'fmt runs for everyone'
    )
    for (const [name, job] of running) {
      assert.ok(!privileged(job), `job ${name} runs with privileges`)
      const perms = typeof job.permissions === 'object' ? job.permissions : {}
      assert.ok(
        Object.entries(perms).every(
          ([scope, level]) => scope === 'contents' && level === 'read'
        ),
        `job ${name}: ${JSON.stringify(perms)}`
      )
    }
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

test('plan.yml: cloud jobs run only for branches of this repository, not for Dependabot', () => {
  for (const [name, job] of Object.entries(doc.jobs)) {
    if (!privileged(job) && name !== 'config') continue
    assert.equal(condition(job.if, prRun()), true, `job ${name}`)
    assert.equal(condition(job.if, prRun({fork: true})), false, name)
    assert.equal(
      condition(job.if, prRun({author: 'dependabot[bot]'})),
      false,
      name
    )
  }
  assert.ok(callers.length >= 2, 'vpc and clusters are planned')
})

test('plan.yml: a Dependabot pull request is told why it gets no cloud plan', () => {
  const notice = Object.entries(doc.jobs).filter(([, job]) =>
    (job.steps ?? []).some(s => /::notice/.test(s.run ?? ''))
  )
  const [name, job] = only(notice, 'job with a notice')
  assert.equal(condition(job.if, prRun({author: 'dependabot[bot]'})), true)
  assert.equal(condition(job.if, prRun()), false, `${name} runs for people`)
  assert.deepEqual(job.permissions, {})
  const r = runScript(job.steps![0]!.run!, {})
  assert.equal(r.status, 0, r.stdout)
  assert.match(
    r.stdout,
    /^::notice title=No cloud plan::Dependabot's pull requests .*TF_ENCRYPTION/
  )
  assert.equal(r.stdout.trim().split('\n').length, 1, 'one workflow command')
})

test('plan.yml: it only plans, the vpc and every cluster of the matrix', () => {
  // preview.yml calls stage.yml with apply false, and takes no apply input.
  const calls = Object.values(preview.jobs).filter(
    j => j.uses === './.github/workflows/stage.yml'
  )
  const call = only(calls, 'stage.yml call in preview.yml')
  assert.equal(call.with?.apply, false)
  assert.equal(call.with?.['allow-destroy'], undefined)
  assert.equal(call.with?.command, undefined)
  assert.equal(previewCall.inputs?.apply, undefined)
  assert.equal(caller('terraform/vpc').with?.instance, undefined)
  const cluster = caller('terraform/cluster')
  assert.equal(
    expr(cluster.strategy?.matrix?.cluster),
    '${{ fromJSON(needs.config.outputs.clusters) }}'
  )
  assert.equal(expr(cluster.with?.instance), '${{ matrix.cluster }}')
  assert.equal(expr(cluster.with?.['certs-clusters']), '${{ matrix.cluster }}')
})

test('plan.yml: the callers grant what the called jobs need (a call only narrows)', () => {
  const needed: Record<string, string> = {}
  for (const job of Object.values(preview.jobs)) {
    for (const [scope, level] of Object.entries(job.permissions ?? {})) {
      if (needed[scope] !== 'write') needed[scope] = level
    }
  }
  assert.deepEqual(needed, {
    contents: 'read',
    'id-token': 'write',
    'pull-requests': 'write'
  })
  for (const [name, job] of callers) {
    assert.deepEqual(job.permissions, needed, `job ${name}`)
  }
})

test('plan.yml: each call gives preview.yml what it requires, and nothing it does not take', () => {
  const inputs = previewCall.inputs ?? {}
  const secrets = previewCall.secrets ?? {}
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
    assert.equal(job.with?.['plan-environment'], 'mesh-plan')
    assert.equal(expr(job.with?.protect), '${{ vars.MESH_PROTECT }}')
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
const configStep = () =>
  only(
    (doc.jobs.config!.steps ?? []).filter(s => s.run),
    'run step in the config job'
  )
const VARIABLES = {
  AWS_PLAN_ROLE_ARN: 'arn:aws:iam::123456789012:role/mesh-plan',
  AWS_MESH_ROLE_ARN: 'arn:aws:iam::123456789012:role/mesh-exchange',
  AWS_VERIFY_ROLE_ARN: 'arn:aws:iam::123456789012:role/mesh-verify',
  MESH_CLUSTERS: '["a","b"]',
  REGION: 'eu-west-1',
  MESH_ADMIN_PRINCIPAL_ARNS: ADMINS
}

test('plan.yml: the repository variables reach the shared check through env', () => {
  const step = configStep()
  assert.equal(step.run, 'bash .github/scripts/mesh-input.sh')
  assert.equal(expr(step.env?.MESH_CLUSTERS), '${{ vars.MESH_CLUSTERS }}')
  assert.equal(expr(step.env?.REGION), '${{ vars.AWS_REGION }}')
  assert.equal(
    expr(step.env?.MESH_ADMIN_PRINCIPAL_ARNS),
    '${{ vars.MESH_ADMIN_PRINCIPAL_ARNS }}'
  )
  // Plans change nothing: no default-branch rule, from any branch.
  assert.equal(step.env?.APPLY, undefined)
  assert.equal(step.env?.CLUSTERS, undefined)
})

test('plan.yml: the cluster list is checked before it becomes a matrix', () => {
  const script = configStep().run!
  const cases: [string, string | undefined][] = [
    ['["cluster-1","cluster-2"]', '["cluster-1","cluster-2"]'],
    ['[ "a" , "b", "c" ]', '["a","b","c"]'],
    // A trailing line break around the JSON is JSON whitespace.
    ['["a","b"]\n', '["a","b"]'],
    ['', undefined],
    ['[]', undefined],
    ['["a"]', undefined],
    ['cluster-1,cluster-2', undefined],
    ['["Cluster-1","b"]', undefined],
    ['["a","a"]', undefined],
    ['["a",1]', undefined],
    ['["a b","c"]', undefined],
    // jq's $ matches before a final line break; the check must not.
    ['["a\\n","b"]', undefined],
    ['["a","b\\n"]', undefined],
    ['["\\na","b"]', undefined],
    ['{"a":1}', undefined],
    [`["${'a'.repeat(64)}","b"]`, undefined]
  ]
  for (const [value, json] of cases) {
    const r = runScript(script, {...VARIABLES, MESH_CLUSTERS: value})
    assert.equal(r.status === 0, json !== undefined, `${value}: ${r.stdout}`)
    assert.equal(r.outputs.clusters, json, value)
    if (json === undefined) {
      assert.match(r.stdout, /repository variable MESH_CLUSTERS must be/)
      assert.deepEqual(r.outputs, {}, 'nothing is written on refusal')
    }
  }
})

test('plan.yml: the clusters are planned with their admins named, not the plan role', () => {
  const script = configStep().run!
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
    ['["arn:aws:s3:::bucket"]', false],
    ['["arn:aws:iam::123456789012:role/a\\n"]', false]
  ]
  for (const [value, ok] of cases) {
    const r = runScript(script, {
      ...VARIABLES,
      MESH_ADMIN_PRINCIPAL_ARNS: value
    })
    assert.equal(r.status === 0, ok, `${value}: ${r.stdout}`)
    if (ok) assert.equal(r.outputs.admins, JSON.stringify(JSON.parse(value)))
    else assert.match(r.stdout, /MESH_ADMIN_PRINCIPAL_ARNS/)
  }
  const vars = String(caller('terraform/cluster').with?.vars)
  for (const line of [
    'admin_principal_arns=${{ needs.config.outputs.admins }}',
    // The plan role's read-only entry: planned exactly as provision applies.
    'plan_principal_arns=${{ needs.config.outputs.plan-principals }}',
    'mesh_principal_arns=${{ needs.config.outputs.mesh-principals }}',
    'verify_principal_arns=${{ needs.config.outputs.verify-principals }}'
  ]) {
    assert.ok(vars.split('\n').includes(line), line)
  }
})

test('plan.yml: the fmt job pins the same OpenTofu as stage.yml', () => {
  const pin = (job: Job) =>
    stepsUsing(job, 'opentofu/setup-opentofu').map(s => [s.uses, s.with])
  assert.deepEqual(pin(doc.jobs.fmt!), pin(stageJobs.plan!))
})
