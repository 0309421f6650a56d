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
  type Step,
  type WorkflowCall
} from './workflow.ts'
import {condition} from './expressions.ts'

const {doc} = loadWorkflow('provision.yml')
const stage = loadWorkflow('stage.yml').doc
const stageCall = stage.on.workflow_call as WorkflowCall
const jobs = doc.jobs
const STAGE = './.github/workflows/stage.yml'

const job = (name: string): Job => jobIn('provision.yml', doc, name)
const exchangeStep = (name: string): Step =>
  only(stepsUsing(job(name), './actions/exchange-secrets'), 'exchange-secrets')
const checkStep = (): Step =>
  only(
    (job('config').steps ?? []).filter(
      s => s.run === 'bash .github/scripts/mesh-input.sh'
    ),
    'mesh-input.sh step in the config job'
  )

const ADMINS = '["arn:aws:iam::123456789012:role/mesh-apply"]'
const FORM = {
  AWS_PLAN_ROLE_ARN: 'arn:aws:iam::123456789012:role/mesh-plan',
  AWS_MESH_ROLE_ARN: 'arn:aws:iam::123456789012:role/mesh-exchange',
  AWS_VERIFY_ROLE_ARN: 'arn:aws:iam::123456789012:role/mesh-verify',
  CLUSTERS: 'cluster-1,cluster-2',
  REGION: 'eu-west-1',
  MESH_ADMIN_PRINCIPAL_ARNS: ADMINS
}

test('provision.yml: started by hand, with the clusters, the region and whether to apply', () => {
  assert.deepEqual(Object.keys(doc.on), ['workflow_dispatch'])
  const inputs = (
    doc.on.workflow_dispatch as {
      inputs: Record<
        string,
        {type: string; required?: boolean; default?: unknown}
      >
    }
  ).inputs
  assert.deepEqual(Object.keys(inputs).sort(), ['apply', 'clusters', 'region'])
  assert.equal(inputs.clusters!.required, true)
  assert.equal(inputs.region!.required, true)
  assert.equal(inputs.apply!.type, 'boolean')
  assert.equal(inputs.apply!.default, false, 'planning is the default')
})

test('provision.yml: one provision at a time, never cancelled, and never beside a destroy', () => {
  const destroy = loadWorkflow('destroy.yml').doc
  assert.equal(doc.concurrency?.group, 'mesh-infrastructure')
  assert.equal(doc.concurrency?.['cancel-in-progress'], false)
  // A shared group would let a newer provision cancel a pending destroy.
  assert.equal(destroy.concurrency?.group, 'mesh-destroy')
  assert.equal(destroy.concurrency?.['cancel-in-progress'], false)
  // Instead each refuses to start while the other is active.
  for (const [wf, first, other] of [
    [doc, 'config', 'destroy.yml'],
    [destroy, 'confirm', 'provision.yml']
  ] as const) {
    const j = wf.jobs[first]!
    const check = only(
      (j.steps ?? []).filter(
        s => s.run === 'bash .github/scripts/no-active-run.sh'
      ),
      `active-run check in ${first}`
    )
    assert.equal(check.env?.WORKFLOW, other)
    assert.equal(expr(check.env?.GITHUB_TOKEN), '${{ github.token }}')
    assert.equal((j.permissions as Record<string, string>).actions, 'read')
    // Every job that gets credentials waits for the check.
    for (const name of Object.keys(wf.jobs)) {
      if (name !== first) assert.ok(ancestors(wf, name).has(first), name)
    }
  }
})

test('provision.yml: certs, vpc, clusters, exchange, check: each needs the one before', () => {
  const order = ['config', 'certs', 'vpc', 'cluster', 'exchange', 'verify']
  assert.deepEqual(Object.keys(jobs).sort(), [...order].sort())
  for (let i = 1; i < order.length; i++) {
    const name = order[i]!
    assert.ok(
      needsOf(job(name)).includes(order[i - 1]!),
      `${name} does not need ${order[i - 1]}`
    )
    // The form's values reach every job only through the checked outputs.
    assert.ok(ancestors(doc, name).has('config'), `${name} skips the check`)
  }
  assert.deepEqual(needsOf(job('config')), [])
})

/** A provision run: applying, from main, everything before succeeded. */
const provisionRun = (
  over: {
    apply?: boolean
    ref?: string
    status?: 'success' | 'failure' | 'cancelled'
  } = {}
) => ({
  contexts: {
    inputs: {apply: over.apply ?? true},
    github: {
      ref: over.ref ?? 'refs/heads/main',
      event: {repository: {default_branch: 'main'}}
    }
  },
  status: over.status ?? 'success'
})

test('provision.yml: what writes runs only when applying, from the default branch', () => {
  for (const name of ['certs', 'exchange', 'verify']) {
    const runs = (o: Parameters<typeof provisionRun>[0]) =>
      condition(job(name).if, provisionRun(o))
    assert.equal(runs({}), true, name)
    assert.equal(runs({apply: false}), false, `${name} runs when planning`)
    assert.equal(
      runs({status: 'failure'}),
      false,
      `${name} runs after a failure`
    )
    for (const ref of [
      'refs/heads/feature',
      'refs/tags/v1',
      'refs/heads/main2'
    ]) {
      assert.equal(runs({ref}), false, `${name} runs on ${ref}`)
    }
  }
  // The stage jobs plan from any branch; stage.yml guards its own apply.
  for (const name of ['vpc', 'cluster']) {
    assert.equal(
      condition(job(name).if, provisionRun({ref: 'refs/heads/feature'})),
      true,
      name
    )
  }
})

test('provision.yml: planning only skips what writes: the CA and the secrets', () => {
  for (const name of ['vpc', 'cluster']) {
    assert.equal(expr(job(name).with?.apply), '${{ inputs.apply }}', name)
  }
  // A skipped certs job skips everything after it unless the condition
  // says otherwise; a failed or cancelled one must still stop the rest.
  for (const name of ['vpc', 'cluster', 'exchange', 'verify']) {
    const text = job(name).if ?? ''
    assert.match(text, /!failure\(\)/, name)
    assert.match(text, /!cancelled\(\)/, name)
    assert.doesNotMatch(text, /always\(\)/, name)
    assert.equal(
      condition(text, provisionRun({status: 'cancelled'})),
      false,
      `${name} runs after a cancel`
    )
  }
  // Planning: the certs job is skipped, and the stages still plan.
  assert.equal(condition(job('certs').if, provisionRun({apply: false})), false)
  for (const name of ['vpc', 'cluster']) {
    assert.equal(condition(job(name).if, provisionRun({apply: false})), true)
  }
})

test('provision.yml: the CA is made in its own job, role and environment, kept in Secrets Manager', () => {
  const certs = job('certs')
  assert.equal(certs.environment, 'mesh-certs')
  assert.deepEqual(certs.permissions, {contents: 'read', 'id-token': 'write'})
  const aws = only(
    stepsUsing(certs, 'aws-actions/configure-aws-credentials'),
    'configure-aws-credentials step'
  )
  assert.equal(
    expr(aws.with?.['role-to-assume']),
    '${{ vars.AWS_CERTS_ROLE_ARN }}'
  )
  const step = only(stepsUsing(certs, './actions/generate-certs'), 'certs')
  assert.equal(step.with?.store, 'aws-secrets-manager')
  assert.equal(expr(step.with?.['output-dir']), '${{ runner.temp }}/certs')
  assert.equal(
    expr(step.with?.clusters),
    '${{ needs.config.outputs.cluster-list }}'
  )
  assert.equal(
    expr(step.with?.['aws-region']),
    '${{ needs.config.outputs.region }}'
  )
})

test('provision.yml: the stages are called with what stage.yml requires, and nothing else', () => {
  const inputs = stageCall.inputs ?? {}
  const needed: Record<string, string> = {}
  for (const j of Object.values(stage.jobs)) {
    for (const [scope, level] of Object.entries(j.permissions ?? {})) {
      if (needed[scope] !== 'write') needed[scope] = level
    }
  }
  for (const name of ['vpc', 'cluster']) {
    const call = job(name)
    assert.equal(call.uses, STAGE, name)
    for (const key of Object.keys(call.with ?? {})) {
      assert.ok(key in inputs, `job ${name}: stage.yml has no input ${key}`)
    }
    for (const [key, input] of Object.entries(inputs)) {
      if (input.required) assert.ok(key in (call.with ?? {}), `${name}: ${key}`)
    }
    assert.deepEqual(call.secrets, {
      TF_ENCRYPTION: '${{ secrets.TF_ENCRYPTION }}'
    })
    assert.deepEqual(call.permissions, needed, `job ${name}`)
    assert.equal(call.with?.environment, 'mesh-apply')
    assert.equal(call.with?.['plan-environment'], 'mesh-plan')
    assert.equal(
      expr(call.with?.['apply-role-arn']),
      '${{ vars.AWS_APPLY_ROLE_ARN }}'
    )
    assert.equal(
      expr(call.with?.['aws-region']),
      '${{ needs.config.outputs.region }}'
    )
    assert.equal(expr(call.with?.protect), '${{ vars.MESH_PROTECT }}')
    // Dispatch runs comment on no pull request: nothing to write there.
    assert.equal(
      (call.permissions as Record<string, string>)['pull-requests'],
      undefined
    )
  }
  const cluster = job('cluster')
  assert.equal(
    expr(cluster.strategy?.matrix?.cluster),
    '${{ fromJSON(needs.config.outputs.clusters) }}'
  )
  assert.equal(expr(cluster.with?.instance), '${{ matrix.cluster }}')
  assert.equal(expr(cluster.with?.['certs-clusters']), '${{ matrix.cluster }}')
  assert.equal(job('vpc').with?.stage, 'terraform/vpc')
  assert.equal(cluster.with?.stage, 'terraform/cluster')
})

test('provision.yml: the variables passed to each stage are declared by it', async () => {
  for (const [name, folder, must] of [
    ['vpc', 'vpc', ['cluster_names', 'region']],
    [
      'cluster',
      'cluster',
      [
        'cluster_name',
        'admin_principal_arns',
        'plan_principal_arns',
        'mesh_principal_arns',
        'verify_principal_arns'
      ]
    ]
  ] as const) {
    const declared = variableNames(await loadStage(folder))
    const passed = assignedNames(String(job(name).with?.vars))
    for (const v of must) assert.ok(passed.includes(v), `${name} lacks ${v}`)
    for (const v of passed) {
      assert.ok(declared.includes(v), `terraform/${folder} declares no ${v}`)
    }
  }
})

test('provision.yml: the remote secrets are exchanged, then checked, over EKS', () => {
  for (const [name, mode, environment, role] of [
    ['exchange', 'apply', 'mesh-exchange', 'AWS_MESH_ROLE_ARN'],
    // Not the plan role (pull requests use it) and not the mesh role (it
    // writes the secrets): the check has a role and environment of its own.
    ['verify', 'check', 'mesh-verify', 'AWS_VERIFY_ROLE_ARN']
  ] as const) {
    const j = job(name)
    const step = exchangeStep(name)
    assert.equal(step.with?.mode, mode, name)
    assert.equal(step.with?.provider, 'eks', name)
    assert.equal(
      expr(step.with?.clusters),
      '${{ needs.config.outputs.cluster-list }}'
    )
    assert.equal(j.environment, environment, name)
    assert.deepEqual(j.permissions, {contents: 'read', 'id-token': 'write'})
    const aws = only(
      stepsUsing(j, 'aws-actions/configure-aws-credentials'),
      'configure-aws-credentials step'
    )
    assert.equal(expr(aws.with?.['role-to-assume']), `\${{ vars.${role} }}`)
    const steps = j.steps ?? []
    assert.ok(steps.indexOf(aws) < steps.indexOf(step), 'credentials first')
  }
})

test('provision.yml: the form reaches the check through env, never as an expression in run', () => {
  const step = checkStep()
  assert.equal(step.id, 'check')
  assert.equal(expr(step.env?.CLUSTERS), '${{ inputs.clusters }}')
  assert.equal(expr(step.env?.REGION), '${{ inputs.region }}')
  assert.equal(
    expr(step.env?.MESH_ADMIN_PRINCIPAL_ARNS),
    '${{ vars.MESH_ADMIN_PRINCIPAL_ARNS }}'
  )
  assert.equal(step.env?.CONFIRM, undefined)
  assert.equal(expr(step.env?.APPLY), '${{ inputs.apply }}')
  assert.equal(
    expr(step.env?.DEFAULT_BRANCH),
    '${{ github.event.repository.default_branch }}'
  )
  assert.equal(step.env?.GITHUB_REF, undefined, "the runner's own")
  for (const role of [
    'AWS_PLAN_ROLE_ARN',
    'AWS_MESH_ROLE_ARN',
    'AWS_VERIFY_ROLE_ARN'
  ]) {
    assert.equal(expr(step.env?.[role]), `\${{ vars.${role} }}`)
  }
  for (const out of [
    'clusters',
    'cluster-list',
    'region',
    'admins',
    'plan-principals',
    'mesh-principals',
    'verify-principals'
  ]) {
    assert.equal(
      expr(job('config').outputs?.[out]),
      `\${{ steps.check.outputs.${out} }}`
    )
  }
})

test('provision.yml: the check accepts good clusters and regions, and refuses the rest', () => {
  const script = checkStep().run!
  const ok = runScript(script, {...FORM, CLUSTERS: ' cluster-1 , cluster-2,c3'})
  assert.equal(ok.status, 0, ok.stdout)
  assert.deepEqual(ok.outputs, {
    clusters: '["cluster-1","cluster-2","c3"]',
    'cluster-list': 'cluster-1,cluster-2,c3',
    region: 'eu-west-1',
    admins: ADMINS,
    'plan-principals': '["arn:aws:iam::123456789012:role/mesh-plan"]',
    'mesh-principals': '["arn:aws:iam::123456789012:role/mesh-exchange"]',
    'verify-principals': '["arn:aws:iam::123456789012:role/mesh-verify"]'
  })
  // One role for both jobs: in both lists, and the cluster stage gives it
  // one entry with both groups.
  const same = runScript(script, {
    ...FORM,
    AWS_VERIFY_ROLE_ARN: FORM.AWS_MESH_ROLE_ARN
  })
  assert.equal(same.status, 0, same.stdout)
  assert.deepEqual(
    [same.outputs['mesh-principals'], same.outputs['verify-principals']],
    [
      '["arn:aws:iam::123456789012:role/mesh-exchange"]',
      '["arn:aws:iam::123456789012:role/mesh-exchange"]'
    ]
  )
  const refused: [Record<string, string>, RegExp][] = [
    [{CLUSTERS: ''}, /input clusters/],
    [{CLUSTERS: 'cluster-1'}, /input clusters/],
    [{CLUSTERS: 'a,a'}, /input clusters/],
    [{CLUSTERS: 'a,,b'}, /input clusters/],
    [{CLUSTERS: 'Cluster-1,b'}, /input clusters/],
    [{CLUSTERS: '["a","b"]'}, /input clusters/],
    [{CLUSTERS: 'a,b\nc'}, /input clusters/],
    [{CLUSTERS: 'a,$(touch pwned)'}, /input clusters/],
    [{CLUSTERS: `${'a'.repeat(64)},b`}, /input clusters/],
    [{REGION: ''}, /input region/],
    [{REGION: 'EU-WEST-1'}, /input region/],
    [{REGION: 'eu-west-1\nx=y'}, /input region/],
    [{REGION: 'eu-west-1; true'}, /input region/],
    [{MESH_ADMIN_PRINCIPAL_ARNS: ''}, /MESH_ADMIN_PRINCIPAL_ARNS/],
    [{MESH_ADMIN_PRINCIPAL_ARNS: '[]'}, /MESH_ADMIN_PRINCIPAL_ARNS/],
    [
      {MESH_ADMIN_PRINCIPAL_ARNS: '["arn:aws:s3:::bucket"]'},
      /MESH_ADMIN_PRINCIPAL_ARNS/
    ],
    [{AWS_PLAN_ROLE_ARN: ''}, /repository variable AWS_PLAN_ROLE_ARN/],
    // A role with its own narrow access entry cannot be an admin too.
    ...['AWS_PLAN_ROLE_ARN', 'AWS_MESH_ROLE_ARN', 'AWS_VERIFY_ROLE_ARN'].map(
      (role): [Record<string, string>, RegExp] => [
        {
          MESH_ADMIN_PRINCIPAL_ARNS: JSON.stringify([
            'arn:aws:iam::123456789012:role/mesh-apply',
            FORM[role as keyof typeof FORM]
          ])
        },
        /MESH_ADMIN_PRINCIPAL_ARNS must not list AWS_PLAN_ROLE_ARN/
      ]
    ),
    [
      {AWS_MESH_ROLE_ARN: 'arn:aws:iam::123456789012:user/someone'},
      /repository variable AWS_MESH_ROLE_ARN/
    ],
    // The read-only plan role's entry cannot also carry a mesh or verify
    // group: EKS allows one entry per principal.
    [
      {AWS_MESH_ROLE_ARN: FORM.AWS_PLAN_ROLE_ARN},
      /AWS_PLAN_ROLE_ARN must differ from AWS_MESH_ROLE_ARN and AWS_VERIFY_ROLE_ARN/
    ],
    [
      {AWS_VERIFY_ROLE_ARN: FORM.AWS_PLAN_ROLE_ARN},
      /AWS_PLAN_ROLE_ARN must differ from AWS_MESH_ROLE_ARN and AWS_VERIFY_ROLE_ARN/
    ],
    [{AWS_VERIFY_ROLE_ARN: ''}, /repository variable AWS_VERIFY_ROLE_ARN/],
    [
      {AWS_VERIFY_ROLE_ARN: 'arn:aws:iam::123456789012:role/v\nx'},
      /repository variable AWS_VERIFY_ROLE_ARN/
    ],
    [
      {AWS_VERIFY_ROLE_ARN: 'arn:aws:iam::123456789012:role/v","x'},
      /repository variable AWS_VERIFY_ROLE_ARN/
    ]
  ]
  for (const [change, message] of refused) {
    const r = runScript(script, {...FORM, ...change})
    assert.notEqual(r.status, 0, JSON.stringify(change))
    assert.match(r.stdout, message, JSON.stringify(change))
    assert.deepEqual(r.outputs, {}, 'nothing is written on refusal')
  }
})

test('provision.yml: applying starts only from the default branch; planning from any', () => {
  const script = checkStep().run!
  const at = (ref: string, apply: string, branch = 'main') =>
    runScript(script, {
      ...FORM,
      APPLY: apply,
      DEFAULT_BRANCH: branch,
      GITHUB_REF: ref
    })
  assert.equal(at('refs/heads/main', 'true').status, 0)
  assert.equal(at('refs/heads/feature', 'false').status, 0)
  for (const [ref, branch] of [
    ['refs/heads/feature', 'main'],
    ['refs/heads/main', 'trunk'],
    ['refs/tags/main', 'main'],
    ['refs/heads/main', '']
  ] as const) {
    const r = at(ref, 'true', branch)
    assert.notEqual(r.status, 0, `${ref} with default ${branch}`)
    assert.match(r.stdout, /must start from the default branch/)
    assert.deepEqual(r.outputs, {}, 'nothing is written on refusal')
  }
})

test('provision.yml: verify-mesh runs last, after the check of the secrets, with the verify role', () => {
  const verify = job('verify')
  const steps = verify.steps ?? []
  const mesh = only(stepsUsing(verify, './actions/verify-mesh'), 'verify-mesh')
  assert.equal(steps.at(-1), mesh, 'verify-mesh is the last step')
  assert.ok(steps.indexOf(exchangeStep('verify')) < steps.indexOf(mesh))
  assert.equal(mesh.with?.provider, 'eks')
  assert.equal(
    expr(mesh.with?.clusters),
    '${{ needs.config.outputs.cluster-list }}'
  )
  assert.equal(
    expr(mesh.with?.['aws-region']),
    '${{ needs.config.outputs.region }}'
  )
  // connectivity.yml keeps the issue; a provision fails its own run.
  assert.equal(mesh.with?.['report-issue'], undefined)
  assert.equal((verify.permissions as Record<string, string>).issues, undefined)
  // No job runs after it.
  for (const [name, j] of Object.entries(jobs)) {
    assert.ok(!needsOf(j).includes('verify'), `${name} needs verify`)
  }
})
