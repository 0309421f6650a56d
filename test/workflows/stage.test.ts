import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {
  ACTION_NAMES,
  readActionMetadata,
  type ActionName
} from '../../src/common/action-metadata.ts'
import {ROOT} from '../helpers/run-bundle.ts'
import {testbed} from '../helpers/testbed.ts'
import {loadStage, variableNames} from '../terraform-stages/stage.ts'
import {
  allSteps,
  assignedNames,
  expr,
  loadWorkflow,
  runScript,
  stepsUsing,
  workflowFiles,
  type Job,
  type Step,
  type WorkflowCall
} from './workflow.ts'
import {condition, interpolate} from './expressions.ts'

const {doc} = loadWorkflow('stage.yml')
const call = doc.on.workflow_call as WorkflowCall
const plan = doc.jobs.plan!
const apply = doc.jobs.apply!

function only<T>(items: T[], what: string): T {
  assert.equal(items.length, 1, `expected exactly one ${what}`)
  return items[0]!
}

const applyStage = (job: Job) =>
  only(stepsUsing(job, './actions/apply-stage'), 'apply-stage step')
const upload = only(
  stepsUsing(plan, 'actions/upload-artifact'),
  'upload-artifact step in the plan job'
)
const download = only(
  stepsUsing(apply, 'actions/download-artifact'),
  'download-artifact step in the apply job'
)
const planStep = applyStage(plan)
const applyStep = applyStage(apply)

/** `steps.<id>.outputs.<name>` of a job output, resolved to the step. */
function outputSource(job: Job, output: string): {step: Step; name: string} {
  const value = expr(job.outputs?.[output])
  const m = /^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$/.exec(value)
  assert.ok(m, `job output ${output} is not a step output: ${value}`)
  const step = (job.steps ?? []).find(s => s.id === m[1])
  assert.ok(step, `no step with id ${m[1]}`)
  return {step, name: m[2]!}
}

test('stage.yml: inputs are typed and described, the gates default to off', () => {
  const inputs = call.inputs ?? {}
  for (const name of [
    'stage',
    'instance',
    'vars',
    'backend-config',
    'environment',
    'plan-environment',
    'aws-region',
    'plan-role-arn',
    'apply-role-arn',
    'command',
    'apply',
    'allow-destroy',
    'protect',
    'certs-clusters',
    'binary'
  ]) {
    const input = inputs[name]
    assert.ok(input, `input ${name} is missing`)
    assert.ok(input.type, `input ${name} has no type`)
    assert.ok(input.description, `input ${name} has no description`)
  }
  assert.equal(inputs.apply!.type, 'boolean')
  assert.equal(inputs.apply!.default, false)
  assert.equal(inputs['allow-destroy']!.type, 'boolean')
  assert.equal(inputs['allow-destroy']!.default, false)
  assert.equal(inputs.instance!.default, '')
  assert.equal(inputs.binary!.default, 'tofu')
  assert.equal(inputs.command!.default, 'apply')
  // Without an environment the apply job would run ungated.
  assert.equal(inputs.environment!.required, true)
  assert.equal(inputs['plan-environment']!.required, true)
  assert.equal(call.secrets?.TF_ENCRYPTION?.required, true)
})

test('stage.yml: its outputs are the plan job outputs of the same names', () => {
  for (const name of [
    'has-changes',
    'plan-digest',
    'summary-json',
    'summary'
  ]) {
    assert.equal(
      expr(call.outputs?.[name]?.value),
      `\${{ jobs.plan.outputs.${name} }}`
    )
    const {step, name: out} = outputSource(plan, name)
    assert.equal(step, planStep, `${name} does not come from apply-stage`)
    assert.equal(out, name)
  }
})

test('stage.yml: the plan job plans, with the reviewer-free environment, and comments nowhere', () => {
  assert.equal(planStep.with?.command, 'plan')
  assert.equal(expr(plan.environment), '${{ inputs.plan-environment }}')
  assert.equal(planStep.with?.backend, 's3')
  // preview.yml comments from a job without cloud credentials.
  assert.equal(planStep.with?.['comment-on-pr'], false)
})

test('stage.yml: command destroy plans the destruction, and only the plan command gets -destroy', () => {
  const value = planStep.env?.TF_CLI_ARGS_plan
  const args = (command: string) =>
    interpolate(value, {contexts: {inputs: {command}}})
  assert.equal(args('destroy'), '-destroy')
  assert.equal(args('apply'), '')
  // Nothing else may reach OpenTofu's command lines this way.
  for (const job of [plan, apply]) {
    for (const step of job.steps ?? []) {
      for (const name of Object.keys(step.env ?? {})) {
        if (step === planStep && name === 'TF_CLI_ARGS_plan') continue
        assert.doesNotMatch(
          name,
          /^TF_CLI_ARGS/,
          `${name} in ${step.name ?? step.uses}`
        )
      }
    }
  }
  assert.equal(applyStep.env?.TF_CLI_ARGS_plan, undefined)
})

test('stage.yml: the apply job is gated by the environment from the input', () => {
  assert.equal(expr(apply.environment), '${{ inputs.environment }}')
  assert.deepEqual(Array.isArray(apply.needs) ? apply.needs : [apply.needs], [
    'plan'
  ])
  const runs = (over: {
    apply?: boolean
    changes?: string
    ref?: string
    status?: 'success' | 'failure'
  }) =>
    condition(apply.if, {
      contexts: {
        inputs: {apply: over.apply ?? true},
        needs: {plan: {outputs: {'has-changes': over.changes ?? 'true'}}},
        github: {
          ref: over.ref ?? 'refs/heads/main',
          event: {repository: {default_branch: 'main'}}
        }
      },
      status: over.status ?? 'success'
    })
  assert.equal(runs({}), true)
  assert.equal(runs({apply: false}), false)
  assert.equal(runs({changes: 'false'}), false)
  assert.equal(runs({status: 'failure'}), false)
  // The default branch only, whatever the environment's settings say.
  for (const ref of [
    'refs/heads/feature',
    'refs/heads/main-2',
    'refs/pull/7/merge',
    'refs/tags/main'
  ]) {
    assert.equal(runs({ref}), false, ref)
  }
  assert.equal(applyStep.with?.command, 'apply')
  assert.equal(applyStep.with?.['comment-on-pr'], false)
  assert.equal(
    expr(applyStep.with?.['allow-destroy']),
    '${{ inputs.allow-destroy }}'
  )
  assert.equal(expr(applyStep.with?.protect), '${{ inputs.protect }}')
  assert.equal(expr(planStep.with?.protect), '${{ inputs.protect }}')
})

test('stage.yml: each job is granted only what it uses', () => {
  // Neither job writes to a pull request: the callers of provision.yml and
  // destroy.yml grant no pull-requests permission.
  assert.deepEqual(plan.permissions, {contents: 'read', 'id-token': 'write'})
  assert.deepEqual(apply.permissions, {contents: 'read', 'id-token': 'write'})
})

test('stage.yml: applies of one stage instance queue, never cancel each other', () => {
  const group = expr(apply.concurrency?.group)
  assert.equal(group, 'apply-${{ inputs.stage }}-${{ inputs.instance }}')
  assert.equal(apply.concurrency?.['cancel-in-progress'], false)
})

test('stage.yml: apply refuses any plan but the one the plan job reported', () => {
  assert.equal(
    expr(applyStep.with?.['expected-plan-digest']),
    '${{ needs.plan.outputs.plan-digest }}'
  )
  const {step, name} = outputSource(plan, 'plan-digest')
  assert.equal(step, planStep)
  assert.equal(name, 'plan-digest')
})

test('stage.yml: only the sealed plan file is uploaded, for one day', () => {
  const path = String(upload.with?.path)
  assert.ok(!path.trim().includes('\n'), `more than one path: ${path}`)
  assert.doesNotMatch(path, /[*?[\]!]/, 'no globs')
  assert.match(
    expr(path),
    /^\$\{\{ runner\.temp \}\}\/plan\/\$\{\{ [^}]+ \}\}\.tfplan$/
  )
  for (const bad of [
    /\.tfstate/,
    /\.terraform\b/,
    /\.pem/,
    /certs/,
    /github\.workspace/,
    /^\.?\/?$/
  ]) {
    assert.doesNotMatch(path, bad)
  }
  assert.equal(expr(path), expr(planStep.with?.['plan-file']))
  assert.equal(upload.with?.['retention-days'], 1)
  assert.equal(upload.with?.['if-no-files-found'], 'error')
  assert.match(upload.if ?? '', /inputs\.apply/, 'uploaded only to be applied')
  // Sealing: OpenTofu plan encryption from the secret, in the step only.
  for (const step of [planStep, applyStep]) {
    assert.equal(expr(step.env?.TF_ENCRYPTION), '${{ secrets.TF_ENCRYPTION }}')
    assert.equal(step.with?.binary, '${{ inputs.binary }}')
  }
})

test('stage.yml: the apply job downloads what the plan job uploaded and applies that file', () => {
  const artifact = outputSource(plan, 'artifact')
  assert.equal(
    expr(upload.with?.name),
    `\${{ steps.${artifact.step.id}.outputs.${artifact.name} }}`
  )
  assert.equal(expr(download.with?.name), '${{ needs.plan.outputs.artifact }}')
  const planName = outputSource(plan, 'plan-name')
  assert.equal(
    expr(planStep.with?.['plan-file']),
    `\${{ runner.temp }}/plan/\${{ steps.${planName.step.id}.outputs.${planName.name} }}.tfplan`
  )
  assert.equal(expr(download.with?.path), '${{ runner.temp }}/plan')
  assert.equal(
    expr(applyStep.with?.['plan-file']),
    '${{ runner.temp }}/plan/${{ needs.plan.outputs.plan-name }}.tfplan'
  )
})

test('stage.yml: the plan name step gives every stage instance its own artifact', () => {
  const script =
    (plan.steps ?? []).find(
      s => s.id === outputSource(plan, 'plan-name').step.id
    )?.run ?? ''
  const names = new Map<string, string>()
  for (const [stage, instance] of [
    ['terraform/vpc', ''],
    ['terraform/cluster', 'cluster-1'],
    ['terraform/cluster', 'cluster-2'],
    ['terraform/cluster/', 'c.3_x']
  ]) {
    const r = runScript(script, {
      STAGE: stage!,
      INSTANCE: instance!,
      RUN_ATTEMPT: '2'
    })
    assert.equal(r.status, 0, r.stdout)
    const {name, artifact} = r.outputs
    // upload-artifact refuses " : < > | * ? \ / and line breaks in names.
    assert.match(artifact!, /^[A-Za-z0-9._-]+$/)
    assert.match(name!, /^[A-Za-z0-9._-]+$/)
    assert.ok(artifact!.endsWith('-2'), 'a re-run attempt gets a new name')
    assert.ok(!names.has(artifact!), `${artifact} named twice`)
    names.set(artifact!, `${stage} ${instance}`)
  }
  assert.deepEqual([...names.keys()].slice(0, 3), [
    'plan-terraform-vpc-2',
    'plan-terraform-cluster-cluster-1-2',
    'plan-terraform-cluster-cluster-2-2'
  ])
})

test('stage.yml: the plan job stops before planning what it could not seal or apply', () => {
  const guard = (plan.steps ?? [])[0]!
  assert.ok(guard.run, 'the first step of the plan job is the guard')
  const canary = 'key_provider "pbkdf2" "k" { passphrase = "CANARY-7f3a9c" }'
  const base = {
    TF_ENCRYPTION: canary,
    BINARY: 'tofu',
    COMMAND: 'apply',
    APPLY: 'false',
    APPLY_ROLE_ARN: '',
    ALLOW_DESTROY: 'false',
    DEFAULT_BRANCH: 'main',
    GITHUB_REF: 'refs/heads/main'
  }
  const applying = {APPLY: 'true', APPLY_ROLE_ARN: 'arn:aws:iam::1:role/a'}
  const cases: [Record<string, string>, boolean, RegExp?][] = [
    [{}, true],
    [applying, true],
    [{COMMAND: 'destroy'}, true],
    [{...applying, COMMAND: 'destroy', ALLOW_DESTROY: 'true'}, true],
    // Plans (pull requests) run from any branch.
    [{GITHUB_REF: 'refs/pull/3/merge'}, true],
    [{TF_ENCRYPTION: ''}, false, /TF_ENCRYPTION/],
    [{BINARY: 'terraform'}, false, /binary/],
    [{BINARY: '/opt/bin/terraform'}, false, /binary/],
    [{APPLY: 'true'}, false, /apply-role-arn/],
    [{COMMAND: 'plan'}, false, /input 'command' must be apply or destroy/],
    [{COMMAND: ''}, false, /input 'command'/],
    [
      {...applying, COMMAND: 'destroy'},
      false,
      /input 'allow-destroy' must be true/
    ],
    [
      {...applying, GITHUB_REF: 'refs/heads/feature'},
      false,
      /default branch \(main\); this run is on refs\/heads\/feature/
    ],
    [{...applying, DEFAULT_BRANCH: ''}, false, /default branch/]
  ]
  for (const [change, ok, message] of cases) {
    const env = {...base, ...change}
    const r = runScript(guard.run!, env)
    assert.equal(r.status === 0, ok, `${JSON.stringify(change)}: ${r.stdout}`)
    if (message) assert.match(r.stdout, message)
    assert.ok(!r.stdout.includes('CANARY'), 'the secret reached the log')
  }
  // The guard reads exactly what the job is given.
  assert.equal(expr(guard.env?.TF_ENCRYPTION), '${{ secrets.TF_ENCRYPTION }}')
  assert.equal(expr(guard.env?.BINARY), '${{ inputs.binary }}')
  assert.equal(expr(guard.env?.COMMAND), '${{ inputs.command }}')
  assert.equal(expr(guard.env?.APPLY), '${{ inputs.apply }}')
  assert.equal(expr(guard.env?.APPLY_ROLE_ARN), '${{ inputs.apply-role-arn }}')
  assert.equal(expr(guard.env?.ALLOW_DESTROY), '${{ inputs.allow-destroy }}')
  assert.equal(
    expr(guard.env?.DEFAULT_BRANCH),
    '${{ github.event.repository.default_branch }}'
  )
  // GITHUB_REF is the runner's own variable: nothing may override it.
  assert.equal(guard.env?.GITHUB_REF, undefined)
})

test('stage.yml: the apply job refuses to start without the reviewed digest', () => {
  const steps = apply.steps ?? []
  const check = steps.find(s => s.run && s.env?.DIGEST)
  assert.ok(check, 'no step checks the digest in the apply job')
  assert.equal(steps.indexOf(check), 0, 'before credentials and downloads')
  assert.equal(expr(check.env?.DIGEST), '${{ needs.plan.outputs.plan-digest }}')
  const digest = 'ab'.repeat(32)
  assert.equal(runScript(check.run!, {DIGEST: digest}).status, 0)
  for (const bad of [
    '',
    ' ',
    'sha256:' + digest,
    digest.toUpperCase(),
    digest + '\nx'
  ]) {
    const r = runScript(check.run!, {DIGEST: bad})
    assert.notEqual(r.status, 0, JSON.stringify(bad))
    assert.match(r.stdout, /no plan-digest/)
  }
})

test('stage.yml: a plan OpenTofu did not encrypt is never uploaded', () => {
  const steps = plan.steps ?? []
  const check = steps.find(s => s.run && s.env?.PLAN)
  assert.ok(check, 'no step checks the plan file before the upload')
  assert.ok(steps.indexOf(check) < steps.indexOf(upload))
  assert.equal(check.if, upload.if)
  assert.equal(expr(check.env?.PLAN), expr(upload.with?.path))

  const dir = mkdtempSync(join(tmpdir(), 'stage-seal-'))
  try {
    writeFileSync(join(dir, 'main.tf'), 'output "x" { value = "y" }\n')
    const tofu = (args: string[], env: Record<string, string> = {}) => {
      const r = spawnSync(testbed().tofu, args, {
        cwd: dir,
        encoding: 'utf8',
        env: {PATH: process.env.PATH ?? '', HOME: dir, ...env}
      })
      assert.ok(r.status === 0 || r.status === 2, r.stdout + r.stderr)
    }
    const sealing = {
      TF_ENCRYPTION: [
        'key_provider "pbkdf2" "k" { passphrase = "correct-horse-battery-staple" }',
        'method "aes_gcm" "m" { keys = key_provider.pbkdf2.k }',
        'plan {',
        '  method   = method.aes_gcm.m',
        '  enforced = true',
        '}'
      ].join('\n')
    }
    tofu(['init', '-input=false'])
    tofu(['plan', '-input=false', '-out=plain.tfplan'])
    tofu(['plan', '-input=false', '-out=sealed.tfplan'], sealing)
    const verdict = (file: string) =>
      runScript(check.run!, {PLAN: join(dir, file)})
    assert.equal(verdict('sealed.tfplan').status, 0)
    for (const file of ['plain.tfplan', 'missing.tfplan']) {
      const r = verdict(file)
      assert.notEqual(r.status, 0, file)
      assert.match(r.stdout, /not encrypted/)
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

test('stage.yml: the secret reaches only the steps that need it', () => {
  const {text} = loadWorkflow('stage.yml')
  for (const job of [plan, apply]) {
    assert.equal(job.env, undefined, 'no job-wide env: every step would see it')
    for (const step of job.steps ?? []) {
      const inWith = JSON.stringify(step.with ?? {})
      assert.ok(!inWith.includes('secrets.'), `a secret as an input: ${inWith}`)
    }
  }
  assert.doesNotMatch(text, /secrets:\s*inherit/)
  assert.doesNotMatch(text, /toJSON\(secrets\)/i)
})

test('stage.yml: each job gets credentials for its own role, in its region', () => {
  for (const [job, role] of [
    [plan, 'plan-role-arn'],
    [apply, 'apply-role-arn']
  ] as const) {
    const aws = only(
      stepsUsing(job, 'aws-actions/configure-aws-credentials'),
      'configure-aws-credentials step'
    )
    assert.equal(expr(aws.with?.['role-to-assume']), `\${{ inputs.${role} }}`)
    assert.equal(expr(aws.with?.['aws-region']), '${{ inputs.aws-region }}')
    assert.equal(aws.with?.['aws-access-key-id'], undefined)
    const steps = job.steps ?? []
    assert.ok(
      steps.indexOf(aws) < steps.indexOf(applyStage(job)),
      'credentials before the stage runs'
    )
  }
})

test('stage.yml: OpenTofu is the version the test bed proves', () => {
  const components = readFileSync(
    join(ROOT, 'scripts', 'testbed', 'components.mjs'),
    'utf8'
  )
  const pinned = /tofu: 'v(\d+\.\d+\.\d+)'/.exec(components)?.[1]
  assert.ok(pinned, 'no tofu version in scripts/testbed/components.mjs')
  for (const job of [plan, apply]) {
    const setup = only(
      stepsUsing(job, 'opentofu/setup-opentofu'),
      'setup-opentofu step'
    )
    assert.equal(String(setup.with?.tofu_version), pinned)
    // The wrapper rewrites stdout, which apply-stage parses.
    assert.equal(setup.with?.tofu_wrapper, false)
  }
})

test('stage.yml: a preview takes no state lock; a plan that will be applied does', () => {
  const lock = (apply: boolean) =>
    interpolate(planStep.with?.lock, {contexts: {inputs: {apply}}})
  assert.equal(lock(false), false)
  assert.equal(lock(true), true)
  // apply-stage refuses lock false outside command plan; never on apply.
  assert.equal(applyStep.with?.lock, undefined)
})

test('stage.yml: CA files come from Secrets Manager into the job that uses them', () => {
  for (const job of [plan, apply]) {
    const certs = only(
      stepsUsing(job, './actions/generate-certs'),
      'generate-certs step'
    )
    assert.equal(certs.if, "inputs.certs-clusters != ''")
    // Read only: the plan role and the apply role never read the root key.
    assert.equal(certs.with?.mode, 'fetch')
    assert.equal(expr(certs.with?.clusters), '${{ inputs.certs-clusters }}')
    const steps = job.steps ?? []
    assert.ok(steps.indexOf(certs) < steps.indexOf(applyStage(job)))
  }
  const certs = only(stepsUsing(plan, './actions/generate-certs'), 'certs')
  const vars = String(planStep.with?.vars)
  assert.ok(
    vars.includes(`steps.${certs.id}.outputs.certs-dir`),
    'certs_dir comes from generate-certs'
  )
  assert.ok(assignedNames(vars).includes('certs_dir'))
  assert.ok(vars.includes('${{ inputs.vars }}'))
  // A saved plan carries its variables; the apply step passes none, so the
  // files must be at the very same path in the apply job.
  assert.equal(applyStep.with?.vars, undefined)
  const applyCerts = only(stepsUsing(apply, './actions/generate-certs'), 'c')
  assert.deepEqual(applyCerts.with, certs.with)
})

for (const file of workflowFiles()) {
  const {text, doc: workflow} = loadWorkflow(file)

  test(`${file}: jobs that can get cloud credentials name an environment`, () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const perms = job.permissions
      const oidc =
        perms === 'write-all' ||
        (typeof perms === 'object' && perms['id-token'] === 'write')
      if (!oidc) continue
      if (job.uses?.startsWith('./')) {
        // Through every level of nested calls, down to the jobs that run.
        const visit = (uses: string) => {
          const called = loadWorkflow(uses.split('/').pop()!).doc
          for (const [inner, j] of Object.entries(called.jobs)) {
            if (typeof j.permissions !== 'object' || !j.permissions['id-token'])
              continue
            if (j.uses?.startsWith('./')) visit(j.uses)
            else assert.ok(j.environment, `${uses} job ${inner}`)
          }
        }
        visit(job.uses)
        continue
      }
      assert.ok(job.environment, `job ${name} has id-token: write`)
    }
  })

  test(`${file}: generate-certs writes under runner.temp, and keeps the CA in Secrets Manager`, () => {
    for (const {job, step} of allSteps(workflow)) {
      if (step.uses !== './actions/generate-certs') continue
      assert.match(
        expr(step.with?.['output-dir']),
        /^\$\{\{ runner\.temp \}\}\//,
        `${file} job ${job}`
      )
      // ci.yml's smoke job proves the directory store without any cloud.
      if (file === 'ci.yml') continue
      assert.equal(step.with?.store, 'aws-secrets-manager', `job ${job}`)
      // Only provision.yml's certs job creates or renews the CA.
      const issuer = file === 'provision.yml' && job === 'certs'
      assert.equal(step.with?.mode, issuer ? 'issue' : 'fetch', `job ${job}`)
    }
  })

  test(`${file}: every input given to this repository's actions exists there`, () => {
    for (const {job, step} of allSteps(workflow)) {
      const m = /^\.\/actions\/([\w-]+)$/.exec(step.uses ?? '')
      if (!m) continue
      const action = m[1] as ActionName
      assert.ok(ACTION_NAMES.includes(action), `unknown action ${m[1]}`)
      if (!existsSync(join(ROOT, 'actions', action, 'action.yml'))) {
        assert.fail(
          `${file} job ${job} uses ${step.uses}, which has no action.yml`
        )
      }
      const declared = readActionMetadata(action, ROOT).inputs
      for (const name of Object.keys(step.with ?? {})) {
        assert.ok(
          name in declared,
          `${file} job ${job}: ${action} has no input ${name}`
        )
      }
      for (const [name, input] of Object.entries(declared)) {
        if (input.required) {
          assert.ok(
            name in (step.with ?? {}),
            `${file} job ${job}: ${name} missing`
          )
        }
      }
    }
  })

  test(`${file}: never pull_request_target, never secrets: inherit`, () => {
    assert.doesNotMatch(text, /pull_request_target/)
    assert.doesNotMatch(text, /secrets:\s*inherit/)
  })
}

test('stage.yml: certs_dir, the one variable it adds, is declared by terraform/cluster', async () => {
  const cluster = variableNames(await loadStage('cluster'))
  const added = assignedNames(String(planStep.with?.vars))
  assert.deepEqual(added, ['certs_dir'])
  for (const name of added) assert.ok(cluster.includes(name), name)
})

test('stage.yml: a stage with providers and no lock file is refused before any credentials', () => {
  const steps = plan.steps ?? []
  const check = steps.find(s => s.run?.includes('require-lock-file.sh'))
  assert.ok(check, 'no step checks the lock file in the plan job')
  assert.equal(expr(check.env?.STAGE), '${{ inputs.stage }}')
  const credentials = only(
    stepsUsing(plan, 'aws-actions/configure-aws-credentials'),
    'credentials step in the plan job'
  )
  assert.ok(steps.indexOf(check) < steps.indexOf(credentials))
  assert.ok(steps.indexOf(check) < steps.indexOf(planStep))

  const dir = mkdtempSync(join(tmpdir(), 'stage-lock-'))
  try {
    const script = readFileSync(
      join(ROOT, '.github', 'scripts', 'require-lock-file.sh'),
      'utf8'
    )
    const run = (stage: string) => runScript(script, {STAGE: stage}, {cwd: dir})
    // The cluster stage's own files: providers and modules, no lock file.
    const stage = join(dir, 'cluster')
    mkdirSync(stage)
    for (const f of readdirSync(join(ROOT, 'terraform', 'cluster'))) {
      if (f.endsWith('.tf')) {
        copyFileSync(join(ROOT, 'terraform', 'cluster', f), join(stage, f))
      }
    }
    const refused = run('cluster')
    assert.equal(refused.status, 1, refused.stdout)
    assert.match(
      refused.stdout,
      /::error file=cluster::cluster has no \.terraform\.lock\.hcl: commit one made with 'tofu init -backend=false && tofu providers lock -platform=linux_amd64 -platform=darwin_arm64'/
    )
    writeFileSync(join(stage, '.terraform.lock.hcl'), '# locked\n')
    assert.equal(run('cluster').status, 0)

    // A builtin-only stage has nothing to lock.
    const demo = join(dir, 'demo')
    mkdirSync(demo)
    writeFileSync(
      join(demo, 'main.tf'),
      'resource "terraform_data" "x" {\n  input = 1\n}\n'
    )
    const builtin = run('demo')
    assert.equal(builtin.status, 0, builtin.stdout)
    assert.match(builtin.stdout, /no provider and no module/)

    for (const bad of ['', 'missing']) {
      const r = run(bad)
      assert.equal(r.status, 1)
      assert.match(r.stdout, /STAGE must be a stage folder/)
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})
