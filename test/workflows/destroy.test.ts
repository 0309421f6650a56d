import assert from 'node:assert/strict'
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {runBundle} from '../helpers/run-bundle.ts'
import {need} from '../helpers/testbed.ts'
import {loadStage, variableNames} from '../terraform-stages/stage.ts'
import {condition, interpolate} from './expressions.ts'
import {
  ancestors,
  assignedNames,
  expr,
  jobIn,
  loadWorkflow,
  needsOf,
  only,
  runScript,
  stepsUsing,
  type Job,
  type Step,
  type WorkflowCall
} from './workflow.ts'

const {doc} = loadWorkflow('destroy.yml')
const stage = loadWorkflow('stage.yml').doc
const stageCall = stage.on.workflow_call as WorkflowCall
const jobs = doc.jobs
const STAGE = './.github/workflows/stage.yml'

const job = (name: string): Job => jobIn('destroy.yml', doc, name)
const checkStep = (): Step =>
  only(
    (job('confirm').steps ?? []).filter(
      s => s.run === 'bash .github/scripts/mesh-input.sh'
    ),
    'mesh-input.sh step in the confirm job'
  )
const cloud = (j: Job) =>
  typeof j.permissions === 'object' && j.permissions['id-token'] === 'write'

const FORM = {
  AWS_PLAN_ROLE_ARN: 'arn:aws:iam::123456789012:role/mesh-plan',
  AWS_MESH_ROLE_ARN: 'arn:aws:iam::123456789012:role/mesh-exchange',
  AWS_VERIFY_ROLE_ARN: 'arn:aws:iam::123456789012:role/mesh-verify',
  CLUSTERS: 'cluster-1,cluster-2',
  REGION: 'eu-west-1',
  MESH_ADMIN_PRINCIPAL_ARNS: '["arn:aws:iam::123456789012:role/mesh-apply"]',
  DEFAULT_BRANCH: 'main',
  GITHUB_REF: 'refs/heads/main'
}

/** A destroy run: from main, everything before succeeded. */
const destroyRun = (
  over: {ref?: string; status?: 'success' | 'failure' | 'cancelled'} = {}
) => ({
  contexts: {
    github: {
      ref: over.ref ?? 'refs/heads/main',
      event: {repository: {default_branch: 'main'}}
    }
  },
  status: over.status ?? 'success'
})

test('destroy.yml: started by hand, with the clusters, the region and a typed confirmation', () => {
  assert.deepEqual(Object.keys(doc.on), ['workflow_dispatch'])
  const inputs = (
    doc.on.workflow_dispatch as {
      inputs: Record<string, {type: string; required?: boolean}>
    }
  ).inputs
  assert.deepEqual(Object.keys(inputs).sort(), [
    'clusters',
    'confirm',
    'region'
  ])
  for (const input of Object.values(inputs)) {
    assert.equal(input.type, 'string')
    assert.equal(input.required, true)
  }
})

test('destroy.yml: the confirmation is checked first, without credentials, and every other job waits for it', () => {
  const confirm = job('confirm')
  assert.deepEqual(needsOf(confirm), [])
  assert.ok(!cloud(confirm), 'the check itself gets no cloud credentials')
  assert.equal(confirm.environment, undefined)
  assert.deepEqual(confirm.permissions, {contents: 'read', actions: 'read'})
  for (const [name, j] of Object.entries(jobs)) {
    if (name === 'confirm') continue
    assert.ok(needsOf(j).includes('confirm'), `${name} does not need confirm`)
    assert.ok(cloud(j), `${name} is expected to be an AWS job`)
    // Never past a failed or cancelled check, never off the default branch.
    assert.equal(condition(j.if, destroyRun()), true, name)
    for (const status of ['failure', 'cancelled'] as const) {
      assert.equal(condition(j.if, destroyRun({status})), false, name)
    }
    for (const ref of ['refs/heads/feature', 'refs/tags/main']) {
      assert.equal(condition(j.if, destroyRun({ref})), false, `${name} ${ref}`)
    }
  }
  const step = checkStep()
  assert.equal(expr(step.env?.CONFIRM), '${{ inputs.confirm }}')
  assert.equal(expr(step.env?.CLUSTERS), '${{ inputs.clusters }}')
  assert.equal(expr(step.env?.REGION), '${{ inputs.region }}')
  assert.equal(
    expr(step.env?.DEFAULT_BRANCH),
    '${{ github.event.repository.default_branch }}'
  )
  for (const out of ['clusters', 'cluster-list', 'region', 'admins']) {
    assert.equal(
      expr(confirm.outputs?.[out]),
      `\${{ steps.${step.id}.outputs.${out} }}`
    )
  }
})

test('destroy.yml: only the exact confirmation, on the default branch, lets it go on', () => {
  const script = checkStep().run!
  const ok = runScript(script, {
    ...FORM,
    CLUSTERS: 'cluster-1, cluster-2',
    CONFIRM: 'destroy cluster-1,cluster-2'
  })
  assert.equal(ok.status, 0, ok.stdout)
  assert.equal(ok.outputs.clusters, '["cluster-1","cluster-2"]')
  assert.equal(ok.outputs['cluster-list'], 'cluster-1,cluster-2')
  for (const confirm of [
    '',
    'destroy',
    'yes',
    'destroy cluster-1',
    'destroy cluster-2,cluster-1',
    'destroy cluster-1, cluster-2',
    'destroy cluster-1,cluster-2 ',
    'Destroy cluster-1,cluster-2',
    'destroy cluster-1,cluster-2,cluster-3',
    'destroy cluster-1,cluster-2\n'
  ]) {
    const r = runScript(script, {...FORM, CONFIRM: confirm})
    assert.notEqual(r.status, 0, JSON.stringify(confirm))
    assert.match(
      r.stdout,
      /input confirm must be exactly: destroy cluster-1,cluster-2/
    )
    assert.deepEqual(r.outputs, {}, 'nothing is written on refusal')
  }
  // A confirmation cannot stand in for a valid cluster list.
  const bad = runScript(script, {
    ...FORM,
    CLUSTERS: 'cluster-1',
    CONFIRM: 'destroy cluster-1'
  })
  assert.notEqual(bad.status, 0)
  assert.match(bad.stdout, /input clusters/)
  // The right words from another branch stop the run too.
  const elsewhere = runScript(script, {
    ...FORM,
    CONFIRM: 'destroy cluster-1,cluster-2',
    GITHUB_REF: 'refs/heads/feature'
  })
  assert.notEqual(elsewhere.status, 0)
  assert.match(elsewhere.stdout, /must start from the default branch \(main\)/)
})

test('destroy.yml: revoke, then the clusters, then the vpc', () => {
  assert.deepEqual(Object.keys(jobs).sort(), [
    'cluster',
    'confirm',
    'revoke',
    'vpc'
  ])
  assert.ok(needsOf(job('cluster')).includes('revoke'))
  assert.ok(needsOf(job('vpc')).includes('cluster'))
  assert.ok(ancestors(doc, 'vpc').has('revoke'))
  const revoke = only(
    stepsUsing(job('revoke'), './actions/exchange-secrets'),
    'exchange-secrets step'
  )
  assert.equal(revoke.with?.mode, 'revoke')
  assert.equal(revoke.with?.provider, 'eks')
  assert.equal(
    expr(revoke.with?.clusters),
    '${{ needs.confirm.outputs.cluster-list }}'
  )
  assert.equal(job('revoke').environment, 'mesh-exchange')
})

test('destroy.yml: each stage is destroyed from a reviewed destroy plan, through stage.yml', () => {
  const inputs = stageCall.inputs ?? {}
  for (const [name, stagePath, instance] of [
    ['cluster', 'terraform/cluster', '${{ matrix.cluster }}'],
    ['vpc', 'terraform/vpc', '']
  ] as const) {
    const call = job(name)
    assert.equal(call.uses, STAGE, name)
    const w = call.with ?? {}
    for (const key of Object.keys(w)) {
      assert.ok(key in inputs, `job ${name}: stage.yml has no input ${key}`)
    }
    for (const [key, input] of Object.entries(inputs)) {
      if (input.required) assert.ok(key in w, `${name}: ${key}`)
    }
    assert.equal(w.stage, stagePath)
    assert.equal(expr(w.instance ?? ''), instance)
    // Planned as a destruction, shown, approved, then that plan applied.
    assert.equal(w.command, 'destroy')
    assert.equal(w.apply, true)
    assert.equal(w['allow-destroy'], true)
    assert.equal(expr(w.protect), '${{ vars.MESH_PROTECT }}')
    assert.equal(w.environment, 'mesh-apply')
    assert.equal(w['plan-environment'], 'mesh-plan')
    assert.equal(expr(w['plan-role-arn']), '${{ vars.AWS_PLAN_ROLE_ARN }}')
    assert.equal(expr(w['apply-role-arn']), '${{ vars.AWS_APPLY_ROLE_ARN }}')
    assert.deepEqual(call.secrets, {
      TF_ENCRYPTION: '${{ secrets.TF_ENCRYPTION }}'
    })
    assert.deepEqual(call.permissions, {contents: 'read', 'id-token': 'write'})
  }
  assert.equal(
    expr(job('cluster').strategy?.matrix?.cluster),
    '${{ fromJSON(needs.confirm.outputs.clusters) }}'
  )
  // The stage refuses to plan without its CA files.
  assert.equal(
    expr(job('cluster').with?.['certs-clusters']),
    '${{ matrix.cluster }}'
  )
})

test('destroy.yml: the variables passed to each stage are declared by it', async () => {
  for (const [name, folder] of [
    ['vpc', 'vpc'],
    ['cluster', 'cluster']
  ] as const) {
    const declared = variableNames(await loadStage(folder))
    const passed = assignedNames(String(job(name).with?.vars))
    assert.ok(passed.length > 0, name)
    for (const v of passed) {
      assert.ok(declared.includes(v), `terraform/${folder} declares no ${v}`)
    }
  }
})

test('destroy.yml: the stages are destroyed with the state settings provision.yml applied them with', () => {
  const provision = loadWorkflow('provision.yml').doc.jobs
  for (const name of ['vpc', 'cluster']) {
    assert.equal(
      job(name).with?.['backend-config'],
      provision[name]!.with?.['backend-config'],
      name
    )
    assert.equal(
      expr(job(name).with?.['certs-clusters'] ?? ''),
      expr(provision[name]!.with?.['certs-clusters'] ?? ''),
      name
    )
  }
  const lines = (text: unknown) =>
    String(text)
      .split('\n')
      .map(l => l.replace('needs.config.', 'needs.confirm.'))
      .filter(l => l)
  assert.deepEqual(
    lines(job('cluster').with?.vars),
    lines(provision.cluster!.with?.vars)
  )
  assert.deepEqual(
    lines(job('vpc').with?.vars),
    lines(provision.vpc!.with?.vars)
  )
})

test('stage.yml command destroy: OpenTofu plans the destruction, and the apply job applies that plan, protect honoured', async () => {
  const tofu = need('tofu')
  const planStep = only(
    stepsUsing(stage.jobs.plan!, './actions/apply-stage'),
    'apply-stage in the plan job'
  )
  const destroyArgs = String(
    interpolate(planStep.env?.TF_CLI_ARGS_plan, {
      contexts: {inputs: {command: 'destroy'}}
    })
  )
  const ws = mkdtempSync(join(tmpdir(), 'destroy-plan-'))
  try {
    mkdirSync(join(ws, 'stage'))
    writeFileSync(
      join(ws, 'stage', 'main.tf'),
      [
        'resource "terraform_data" "keep" { input = "a" }',
        'resource "terraform_data" "gone" { input = "b" }',
        ''
      ].join('\n')
    )
    const base = {
      stage: 'stage',
      binary: tofu,
      'comment-on-pr': 'false',
      'plugin-cache': 'false'
    }
    const step = (
      inputs: Record<string, string>,
      env: Record<string, string> = {}
    ) =>
      runBundle(
        'apply-stage',
        {...base, ...inputs},
        {defaultsFrom: 'apply-stage', cwd: ws, env}
      )
    // apply-stage's local backend keeps the state here.
    const resources = (): string[] =>
      (
        JSON.parse(
          readFileSync(join(ws, 'stage', '.state', 'default.tfstate'), 'utf8')
        ) as {resources: {type: string; name: string}[]}
      ).resources.map(r => `${r.type}.${r.name}`)
    const created = await step({command: 'apply'})
    assert.equal(created.status, 0, created.stdout + created.stderr)
    assert.deepEqual(resources().sort(), [
      'terraform_data.gone',
      'terraform_data.keep'
    ])

    const planFile = join(ws, 'destroy.tfplan')
    const planned = await step(
      {command: 'plan', 'plan-file': planFile},
      {TF_CLI_ARGS_plan: destroyArgs}
    )
    assert.equal(planned.status, 0, planned.stdout + planned.stderr)
    assert.equal(planned.outputs.destroy, '2', 'a plan of the destruction')
    assert.equal(planned.outputs.add, '0')
    assert.match(planned.outputs['plan-digest']!, /^[0-9a-f]{64}$/)

    const applyInputs = {
      command: 'apply',
      'plan-file': planFile,
      'expected-plan-digest': planned.outputs['plan-digest']!,
      'allow-destroy': 'true'
    }
    const refused = await step({...applyInputs, protect: 'terraform_data.keep'})
    assert.notEqual(refused.status, 0)
    assert.match(refused.stdout, /protected by 'terraform_data\.keep'/)
    assert.equal(resources().length, 2, 'a refused destroy destroys nothing')

    const applied = await step(applyInputs)
    assert.equal(applied.status, 0, applied.stdout + applied.stderr)
    assert.deepEqual(resources(), [], 'everything was destroyed')
  } finally {
    rmSync(ws, {recursive: true, force: true})
  }
})
