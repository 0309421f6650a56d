import assert from 'node:assert/strict'
import {test} from 'node:test'
import {loadStage, variableNames} from '../terraform-stages/stage.ts'
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
  type Step
} from './workflow.ts'

const {doc} = loadWorkflow('destroy.yml')
const stageApply = loadWorkflow('stage.yml').doc.jobs.apply!
const jobs = doc.jobs

const job = (name: string): Job => jobIn('destroy.yml', doc, name)
const applyStage = (name: string): Step =>
  only(stepsUsing(job(name), './actions/apply-stage'), `apply-stage in ${name}`)
const checkStep = (): Step =>
  only(
    (job('confirm').steps ?? []).filter(s => s.run),
    'run step in the confirm job'
  )
const cloud = (j: Job) =>
  typeof j.permissions === 'object' && j.permissions['id-token'] === 'write'

const FORM = {
  CLUSTERS: 'cluster-1,cluster-2',
  REGION: 'eu-west-1',
  MESH_ADMIN_PRINCIPAL_ARNS: '["arn:aws:iam::123456789012:role/mesh-apply"]'
}

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
  for (const [name, j] of Object.entries(jobs)) {
    if (name === 'confirm') continue
    assert.ok(needsOf(j).includes('confirm'), `${name} does not need confirm`)
    assert.equal(j.if, undefined, `${name} could run past a failed check`)
    assert.ok(cloud(j), `${name} is expected to be an AWS job`)
  }
  const step = checkStep()
  assert.equal(expr(step.env?.CONFIRM), '${{ inputs.confirm }}')
  assert.equal(expr(step.env?.CLUSTERS), '${{ inputs.clusters }}')
  assert.equal(expr(step.env?.REGION), '${{ inputs.region }}')
  for (const out of ['clusters', 'cluster-list', 'region', 'admins']) {
    assert.equal(
      expr(confirm.outputs?.[out]),
      `\${{ steps.${step.id}.outputs.${out} }}`
    )
  }
})

test('destroy.yml: only the exact confirmation lets it go on', () => {
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

test('destroy.yml: each stage is destroyed behind the approval gate, in the group of its applies', () => {
  // stage.yml's apply group, with the inputs this workflow would give it.
  const group = (stage: string, instance: string) =>
    expr(stageApply.concurrency?.group)
      .replace('${{ inputs.stage }}', stage)
      .replace('${{ inputs.instance }}', instance)
  for (const [name, stage, instance] of [
    ['cluster', 'terraform/cluster', '${{ matrix.cluster }}'],
    ['vpc', 'terraform/vpc', '']
  ] as const) {
    const j = job(name)
    assert.equal(j.environment, 'mesh-apply', name)
    assert.equal(expr(j.concurrency?.group), group(stage, instance), name)
    assert.equal(j.concurrency?.['cancel-in-progress'], false, name)
    assert.deepEqual(j.permissions, {contents: 'read', 'id-token': 'write'})
    const step = applyStage(name)
    assert.equal(step.with?.command, 'destroy')
    assert.equal(step.with?.['allow-destroy'], true)
    assert.equal(step.with?.stage, stage)
    assert.equal(expr(step.with?.instance ?? ''), instance)
    assert.equal(step.with?.backend, 's3')
    assert.equal(step.with?.['comment-on-pr'], false)
    assert.equal(expr(step.env?.TF_ENCRYPTION), '${{ secrets.TF_ENCRYPTION }}')
    const aws = only(
      stepsUsing(j, 'aws-actions/configure-aws-credentials'),
      'configure-aws-credentials step'
    )
    assert.equal(
      expr(aws.with?.['role-to-assume']),
      '${{ vars.AWS_APPLY_ROLE_ARN }}'
    )
    // Same OpenTofu and state as stage.yml, or the state would not be found.
    assert.deepEqual(
      stepsUsing(j, 'opentofu/setup-opentofu').map(s => [s.uses, s.with]),
      stepsUsing(stageApply, 'opentofu/setup-opentofu').map(s => [
        s.uses,
        s.with
      ])
    )
  }
  assert.equal(
    expr(job('cluster').strategy?.matrix?.cluster),
    '${{ fromJSON(needs.confirm.outputs.clusters) }}'
  )
})

test('destroy.yml: a cluster is destroyed with its CA files, from Secrets Manager', () => {
  const j = job('cluster')
  const certs = only(stepsUsing(j, './actions/generate-certs'), 'certs step')
  assert.equal(expr(certs.with?.clusters), '${{ matrix.cluster }}')
  assert.equal(certs.with?.store, 'aws-secrets-manager')
  const steps = j.steps ?? []
  assert.ok(steps.indexOf(certs) < steps.indexOf(applyStage('cluster')))
  assert.match(
    String(applyStage('cluster').with?.vars),
    new RegExp(
      `^certs_dir=\\$\\{\\{ steps\\.${certs.id}\\.outputs\\.certs-dir \\}\\}$`,
      'm'
    )
  )
})

test('destroy.yml: the variables passed to each stage are declared by it', async () => {
  for (const [name, folder] of [
    ['vpc', 'vpc'],
    ['cluster', 'cluster']
  ] as const) {
    const declared = variableNames(await loadStage(folder))
    const passed = assignedNames(String(applyStage(name).with?.vars))
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
      applyStage(name).with?.['backend-config'],
      provision[name]!.with?.['backend-config'],
      name
    )
  }
  const lines = (text: unknown) =>
    String(text)
      .split('\n')
      .map(l => l.replace('needs.config.', 'needs.confirm.'))
      .filter(l => l && !l.startsWith('certs_dir='))
  assert.deepEqual(
    lines(applyStage('cluster').with?.vars),
    lines(provision.cluster!.with?.vars)
  )
  assert.deepEqual(
    lines(applyStage('vpc').with?.vars),
    lines(provision.vpc!.with?.vars)
  )
})
