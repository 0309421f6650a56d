import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {ISSUE_LABEL} from '../../src/mesh/verify-report.ts'
import {summarizePlan} from '../../src/terraform/plan-summary.ts'
import {renderSummaryJson} from '../../src/terraform/summary-json.ts'
import {startFakeGitHub, type FakeGitHub} from '../helpers/fake-github.ts'
import {parseOutputFile, ROOT} from '../helpers/run-bundle.ts'
import {loadStage, variableNames} from '../terraform-stages/stage.ts'
import {rc} from '../terraform/plan-summary.test.ts'
import {condition, interpolateString} from './expressions.ts'
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

const {doc} = loadWorkflow('connectivity.yml')
const provision = loadWorkflow('provision.yml').doc
const job = (name: string): Job => jobIn('connectivity.yml', doc, name)
const DRIFT = ['drift-vpc', 'drift-cluster'] as const
const scriptStep = (name: string, mode: string): Step =>
  only(
    (job(name).steps ?? []).filter(
      s => s.run === `node .github/scripts/mesh-report.ts ${mode}`
    ),
    `mesh-report.ts ${mode} step in ${name}`
  )
const applyStage = (name: string) =>
  only(stepsUsing(job(name), './actions/apply-stage'), `apply-stage in ${name}`)

test('connectivity.yml: on a schedule and by hand, nothing else', () => {
  assert.deepEqual(Object.keys(doc.on).sort(), [
    'schedule',
    'workflow_dispatch'
  ])
  const [entry] = doc.on.schedule as {cron: string}[]
  // Five fields, minute and hour fixed or stepped: a valid, sparse schedule.
  assert.match(entry!.cron, /^\d{1,2} (\*\/\d+|\d{1,2}) \* \* \*$/)
  assert.equal(doc.on.workflow_dispatch, null, 'no inputs to inject')
})

test('connectivity.yml: one check at a time, never cancelled; one verify at a time with provision.yml', () => {
  assert.equal(doc.concurrency?.group, 'mesh-connectivity')
  assert.equal(doc.concurrency?.['cancel-in-progress'], false)
  // Both deploy the same sample into the same namespace.
  for (const j of [job('verify'), provision.jobs.verify!]) {
    assert.equal(j.concurrency?.group, 'mesh-verify')
    assert.equal(j.concurrency?.['cancel-in-progress'], false)
  }
})

test('connectivity.yml: config, the drift plans, their report, verify-mesh, then the issue', () => {
  assert.deepEqual(Object.keys(doc.jobs).sort(), [
    'config',
    'drift',
    'drift-cluster',
    'drift-vpc',
    'report',
    'verify'
  ])
  assert.deepEqual(needsOf(job('config')), [])
  for (const name of DRIFT) assert.deepEqual(needsOf(job(name)), ['config'])
  assert.deepEqual(needsOf(job('drift')).sort(), ['config', ...DRIFT].sort())
  // verify-mesh must know whether the stages are clean before it reports.
  assert.ok(needsOf(job('verify')).includes('drift'))
  assert.ok(needsOf(job('report')).includes('verify'))
  for (const name of Object.keys(doc.jobs)) {
    if (name !== 'config') assert.ok(ancestors(doc, name).has('config'), name)
  }
})

test('connectivity.yml: each job is granted only what it uses; issues only where the issue is written', () => {
  const grants: Record<string, Record<string, string>> = {
    config: {contents: 'read'},
    'drift-vpc': {contents: 'read', 'id-token': 'write'},
    'drift-cluster': {contents: 'read', 'id-token': 'write'},
    drift: {contents: 'read'},
    verify: {contents: 'read', 'id-token': 'write', issues: 'write'},
    report: {contents: 'read', issues: 'write'}
  }
  for (const [name, perms] of Object.entries(grants)) {
    assert.deepEqual(job(name).permissions, perms, name)
  }
  // Cloud credentials only in an environment bound to one role.
  for (const name of DRIFT) assert.equal(job(name).environment, 'mesh-plan')
  assert.equal(job('verify').environment, 'mesh-verify')
  assert.equal(job('report').environment, undefined)
  for (const [name, role] of [
    ['drift-vpc', 'AWS_PLAN_ROLE_ARN'],
    ['drift-cluster', 'AWS_PLAN_ROLE_ARN'],
    ['verify', 'AWS_VERIFY_ROLE_ARN']
  ] as const) {
    const aws = only(
      stepsUsing(job(name), 'aws-actions/configure-aws-credentials'),
      `credentials in ${name}`
    )
    assert.equal(expr(aws.with?.['role-to-assume']), `\${{ vars.${role} }}`)
    assert.equal(
      expr(aws.with?.['aws-region']),
      '${{ needs.config.outputs.region }}'
    )
  }
})

test('connectivity.yml: the drift plans are previews: plan only, no lock, no comment, OpenTofu', () => {
  for (const name of DRIFT) {
    const step = applyStage(name)
    assert.equal(step.with?.command, 'plan', name)
    assert.equal(String(step.with?.lock), 'false', name)
    assert.equal(String(step.with?.['comment-on-pr']), 'false', name)
    assert.equal(step.with?.binary, 'tofu', name)
    assert.equal(step.with?.backend, 's3', name)
    assert.equal(step.with?.['plan-file'], undefined, 'no plan is kept')
    assert.equal(
      expr(step.env?.TF_ENCRYPTION),
      '${{ secrets.TF_ENCRYPTION }}',
      'encrypted state stays readable'
    )
    assert.deepEqual(Object.keys(job(name).env ?? {}), [], 'never job-wide')
  }
  assert.equal(applyStage('drift-vpc').with?.stage, 'terraform/vpc')
  const cluster = job('drift-cluster')
  assert.equal(applyStage('drift-cluster').with?.stage, 'terraform/cluster')
  assert.equal(
    expr(applyStage('drift-cluster').with?.instance),
    '${{ matrix.cluster }}'
  )
  assert.equal(
    expr(cluster.strategy?.matrix?.cluster),
    '${{ fromJSON(needs.config.outputs.clusters) }}'
  )
  assert.equal(
    (cluster.strategy as {'fail-fast'?: boolean})['fail-fast'],
    false,
    'one failing cell must not hide the others'
  )
  // The cluster stage reads its CA files; fetched read-only before the plan.
  const certs = only(stepsUsing(cluster, './actions/generate-certs'), 'certs')
  assert.equal(certs.with?.mode, 'fetch')
  assert.equal(expr(certs.with?.clusters), '${{ matrix.cluster }}')
  const steps = cluster.steps ?? []
  assert.ok(steps.indexOf(certs) < steps.indexOf(applyStage('drift-cluster')))
  assert.match(
    String(applyStage('drift-cluster').with?.vars),
    /^certs_dir=\$\{\{ steps\.certs\.outputs\.certs-dir \}\}$/m
  )
})

test('connectivity.yml: the drift plans use the state and variables provision.yml applies with', async () => {
  const lines = (text: unknown) =>
    String(text)
      .split('\n')
      .filter(l => l && !l.startsWith('certs_dir='))
  for (const [name, stage, folder] of [
    ['drift-vpc', 'vpc', 'vpc'],
    ['drift-cluster', 'cluster', 'cluster']
  ] as const) {
    const mine = applyStage(name).with!
    const theirs = provision.jobs[stage]!.with!
    assert.equal(mine['backend-config'], theirs['backend-config'], name)
    assert.deepEqual(lines(mine.vars), lines(theirs.vars), name)
    const declared = variableNames(await loadStage(folder))
    for (const v of assignedNames(String(mine.vars))) {
      assert.ok(declared.includes(v), `terraform/${folder} declares no ${v}`)
    }
  }
})

/** A run: scheduled (or dispatched from `ref`), everything before succeeded. */
const connectivityRun = (
  over: {
    event?: string
    ref?: string
    status?: 'success' | 'failure' | 'cancelled'
    clean?: string
    config?: string
  } = {}
) => ({
  contexts: {
    github: {
      event_name: over.event ?? 'schedule',
      ref: over.ref ?? 'refs/heads/main',
      event:
        (over.event ?? 'schedule') === 'schedule'
          ? {schedule: '17 */6 * * *'}
          : {repository: {default_branch: 'main'}}
    },
    needs: {
      config: {result: over.config ?? 'success', outputs: {}},
      drift: {result: 'success', outputs: {clean: over.clean ?? 'false'}}
    }
  },
  status: over.status ?? 'success'
})

test('connectivity.yml: verify and report run on the schedule and from the default branch only', () => {
  for (const name of ['verify', 'report']) {
    const runs = (o: Parameters<typeof connectivityRun>[0]) =>
      condition(job(name).if, connectivityRun(o))
    assert.equal(runs({}), true, `${name} on the schedule`)
    assert.equal(runs({event: 'workflow_dispatch'}), true, `${name} by hand`)
    for (const ref of ['refs/heads/feature', 'refs/tags/v1']) {
      assert.equal(runs({event: 'workflow_dispatch', ref}), false, ref)
    }
    assert.equal(runs({status: 'cancelled'}), false, `${name} after a cancel`)
    assert.equal(runs({config: 'failure'}), false, `${name} without config`)
    // A drift plan that failed is a finding, not a reason to stop.
    assert.equal(runs({status: 'failure'}), true, `${name} after a failure`)
  }
  assert.equal(
    condition(job('drift').if, connectivityRun({status: 'failure'})),
    true
  )
  assert.equal(
    condition(job('drift').if, connectivityRun({status: 'cancelled'})),
    false
  )
})

test('connectivity.yml: verify-mesh reports into the issue itself only when the stages are clean', () => {
  const verify = only(
    stepsUsing(job('verify'), './actions/verify-mesh'),
    'verify-mesh'
  )
  const steps = job('verify').steps ?? []
  const aws = only(
    stepsUsing(job('verify'), 'aws-actions/configure-aws-credentials'),
    'aws'
  )
  assert.ok(steps.indexOf(aws) < steps.indexOf(verify), 'credentials first')
  assert.equal(verify.with?.provider, 'eks')
  assert.equal(
    expr(verify.with?.clusters),
    '${{ needs.config.outputs.cluster-list }}'
  )
  assert.equal(
    expr(verify.with?.['aws-region']),
    '${{ needs.config.outputs.region }}'
  )
  // The default token; no checks or timeout override: the action's defaults.
  assert.equal(verify.with?.['github-token'], undefined)
  const reports = (clean: string) =>
    interpolateString(verify.with?.['report-issue'], connectivityRun({clean}))
  assert.equal(reports('true'), 'true')
  assert.equal(reports('false'), 'false')
  assert.equal(reports(''), 'false', 'a lost drift report is not clean')
  // The report job writes exactly when verify-mesh does not.
  const reportRuns = (clean: string) =>
    condition(job('report').if, connectivityRun({clean}))
  assert.equal(reportRuns('true'), false)
  assert.equal(reportRuns('false'), true)
  assert.equal(reportRuns(''), true)
  for (const out of ['result', 'matrix-json']) {
    assert.equal(
      expr(job('verify').outputs?.[out]),
      `\${{ steps.${verify.id}.outputs.${out} }}`
    )
  }
})

test('connectivity.yml: the report scripts get their values through env, and nothing runs install scripts', () => {
  const drift = scriptStep('drift', 'drift')
  assert.equal(
    expr(drift.env?.CLUSTERS),
    '${{ needs.config.outputs.clusters }}'
  )
  assert.equal(expr(drift.env?.DRIFT_DIR), '${{ runner.temp }}/drift')
  for (const out of ['clean', 'report']) {
    assert.equal(
      expr(job('drift').outputs?.[out]),
      `\${{ steps.${drift.id}.outputs.${out} }}`
    )
  }
  const issue = scriptStep('report', 'issue')
  assert.deepEqual(
    Object.fromEntries(
      Object.entries(issue.env ?? {}).map(([k, v]) => [k, expr(v)])
    ),
    {
      DRIFT_REPORT: '${{ needs.drift.outputs.report }}',
      VERIFY_JOB: '${{ needs.verify.result }}',
      VERIFY_RESULT: '${{ needs.verify.outputs.result }}',
      MATRIX_JSON: '${{ needs.verify.outputs.matrix-json }}',
      GITHUB_TOKEN: '${{ github.token }}'
    }
  )
  for (const name of ['drift', 'report']) {
    const install = only(
      (job(name).steps ?? []).filter(s => s.run?.startsWith('npm ')),
      `npm step in ${name}`
    )
    assert.match(install.run!, /^npm ci --ignore-scripts\b/)
  }
})

test('connectivity.yml: each drift cell keeps only its summary-json, one day, under a name of its own', () => {
  const download = only(
    stepsUsing(job('drift'), 'actions/download-artifact'),
    'download'
  )
  assert.equal(download.with?.pattern, 'drift-*')
  assert.equal(expr(download.with?.path), '${{ runner.temp }}/drift')
  assert.equal(download.with?.['merge-multiple'], true)
  const names = new Set<string>()
  for (const [name, cluster] of [
    ['drift-vpc', ''],
    ['drift-cluster', 'cluster-1'],
    ['drift-cluster', 'cluster-2']
  ] as const) {
    const steps = job(name).steps ?? []
    const upload = only(
      stepsUsing(job(name), 'actions/upload-artifact'),
      'upload'
    )
    const keep = steps[steps.indexOf(upload) - 1]!
    const run = {contexts: {matrix: {cluster}, runner: {temp: '/tmp/runner'}}}
    const artifact = interpolateString(upload.with?.name, run)
    assert.match(artifact, /^drift-[a-z0-9-]+$/)
    assert.ok(!names.has(artifact), `${artifact} twice`)
    names.add(artifact)
    assert.equal(upload.with?.['retention-days'], 1)
    assert.equal(upload.with?.overwrite, true, 'a re-run replaces its own')
    assert.equal(upload.if, '${{ !cancelled() }}')
    assert.equal(keep.if, '${{ !cancelled() }}')
    assert.equal(
      expr(keep.env?.SUMMARY_JSON),
      '${{ steps.plan.outputs.summary-json }}'
    )
    // The keep step writes exactly the one file the upload takes.
    const dir = mkdtempSync(join(tmpdir(), 'drift-keep-'))
    try {
      const env = {
        RUNNER_TEMP: dir,
        SUMMARY_JSON: '{"version":1}',
        ...(cluster ? {CLUSTER: cluster} : {})
      }
      assert.equal(runScript(keep.run!, env).status, 0)
      const path = interpolateString(upload.with?.path, {
        contexts: {...run.contexts, runner: {temp: dir}}
      })
      assert.equal(readFileSync(path, 'utf8'), '{"version":1}')
      rmSync(path)
      // No summary (the plan never ran): no file, and the report says so.
      assert.equal(runScript(keep.run!, {...env, SUMMARY_JSON: ''}).status, 0)
      assert.throws(() => readFileSync(path))
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  }
})

test('connectivity.yml: the config job refuses a run by hand from another branch', () => {
  const guard = (job('config').steps ?? [])[0]!
  assert.equal(
    expr(guard.env?.DEFAULT_BRANCH),
    '${{ github.event.repository.default_branch }}'
  )
  const at = (event: string, ref: string, branch = 'main') =>
    runScript(guard.run!, {
      GITHUB_EVENT_NAME: event,
      GITHUB_REF: ref,
      DEFAULT_BRANCH: branch
    })
  assert.equal(at('schedule', 'refs/heads/main', '').status, 0)
  assert.equal(at('workflow_dispatch', 'refs/heads/main').status, 0)
  for (const [ref, branch] of [
    ['refs/heads/feature', 'main'],
    ['refs/tags/main', 'main'],
    ['refs/heads/main', '']
  ] as const) {
    const r = at('workflow_dispatch', ref, branch)
    assert.notEqual(r.status, 0, ref)
    assert.match(
      r.stdout,
      /::error::the connectivity check runs only from the default branch/
    )
  }
  const check = only(
    (job('config').steps ?? []).filter(
      s => s.run === 'bash .github/scripts/mesh-input.sh'
    ),
    'mesh-input.sh'
  )
  assert.equal(expr(check.env?.MESH_CLUSTERS), '${{ vars.MESH_CLUSTERS }}')
  assert.equal(expr(check.env?.REGION), '${{ vars.AWS_REGION }}')
  assert.equal(check.id, 'check')
  // The check needs every role variable (it builds the access entries'
  // lists from them), and the drift plans pass those lists on.
  for (const role of [
    'MESH_ADMIN_PRINCIPAL_ARNS',
    'AWS_PLAN_ROLE_ARN',
    'AWS_MESH_ROLE_ARN',
    'AWS_VERIFY_ROLE_ARN'
  ]) {
    assert.equal(expr(check.env?.[role]), `\${{ vars.${role} }}`, role)
  }
  for (const out of [
    'plan-principals',
    'mesh-principals',
    'verify-principals'
  ]) {
    assert.equal(
      expr(job('config').outputs?.[out]),
      `\${{ steps.check.outputs.${out} }}`,
      out
    )
  }
})

// The report script, run as the runner runs it.

const TOKEN = 'ghs_CANARYtoken0123456789abcdefghijklmn'
const OWNER = 'example-org'
const REPO = 'eks-istio-mesh'
let gh: FakeGitHub
let dir: string
before(async () => {
  gh = await startFakeGitHub()
  dir = mkdtempSync(join(tmpdir(), 'mesh-report-'))
})
after(async () => {
  await gh.close()
  rmSync(dir, {recursive: true, force: true})
})

async function report(mode: string, env: Record<string, string>) {
  const output = join(dir, `output-${Math.random()}`)
  const summary = join(dir, `summary-${Math.random()}`)
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const child = spawn(
    process.execPath,
    ['.github/scripts/mesh-report.ts', mode],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_API_URL: gh.url,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_RUN_ID: '4242',
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_TOKEN: TOKEN,
        ...env
      }
    }
  )
  let out = ''
  child.stdout.on('data', d => (out += d))
  child.stderr.on('data', d => (out += d))
  const status = await new Promise<number | null>(r => child.on('close', r))
  assert.ok(!out.includes(TOKEN), 'the token reached the log')
  return {
    status,
    out,
    outputs: parseOutputFile(readFileSync(output, 'utf8')),
    summary: readFileSync(summary, 'utf8')
  }
}

function keep(
  at: string,
  file: string,
  stage: string,
  instance: string | undefined,
  drift: string[] = []
) {
  mkdirSync(at, {recursive: true})
  writeFileSync(
    join(at, file),
    renderSummaryJson({
      report: {
        stage,
        instance,
        command: 'plan',
        status: 'no-changes',
        durationsMs: {}
      },
      summary: summarizePlan({
        resource_drift: drift.map(a => rc(a, ['update']))
      }),
      hasChanges: false,
      secrets: []
    })
  )
}

test('mesh-report.ts drift: one row per stage instance, clean only when all planned without drift', async () => {
  const drift = join(dir, 'drift')
  keep(drift, 'vpc.json', 'terraform/vpc', undefined)
  keep(drift, 'cluster-cluster-1.json', 'terraform/cluster', 'cluster-1')
  const clusters = '["cluster-1","cluster-2"]'
  const missing = await report('drift', {DRIFT_DIR: drift, CLUSTERS: clusters})
  assert.equal(missing.status, 0, missing.out)
  assert.equal(missing.outputs.clean, 'false')
  assert.match(
    missing.outputs.report!,
    /\| `terraform\/cluster` \| `cluster-2` \| ❌ no result/
  )
  assert.equal(missing.summary.trim(), missing.outputs.report!.trim())

  keep(drift, 'cluster-cluster-2.json', 'terraform/cluster', 'cluster-2')
  const clean = await report('drift', {DRIFT_DIR: drift, CLUSTERS: clusters})
  assert.equal(clean.outputs.clean, 'true', clean.out)
  assert.match(clean.summary, /### Drift: ✅ none/)

  keep(drift, 'cluster-cluster-2.json', 'terraform/cluster', 'cluster-2', [
    'module.eks.aws_eks_cluster.this[0]'
  ])
  writeFileSync(join(drift, 'junk.json'), 'not json')
  const drifted = await report('drift', {DRIFT_DIR: drift, CLUSTERS: clusters})
  assert.equal(drifted.outputs.clean, 'false')
  assert.match(drifted.out, /^::warning::junk\.json: not JSON/m)
  assert.match(
    drifted.outputs.report!,
    /`module\.eks\.aws_eks_cluster\.this\[0\]` \(update\)/
  )

  // No artifact at all (every plan failed before planning).
  const none = await report('drift', {
    DRIFT_DIR: join(dir, 'absent'),
    CLUSTERS: clusters
  })
  assert.equal(none.outputs.clean, 'false')
  assert.equal((none.outputs.report!.match(/❌ no result/g) ?? []).length, 3)

  const bad = await report('drift', {DRIFT_DIR: drift, CLUSTERS: 'cluster-1'})
  assert.equal(bad.status, 1)
  assert.match(
    bad.out,
    /::error::mesh report \(drift\): CLUSTERS must be a JSON list/
  )
  assert.deepEqual(bad.outputs, {})
})

test('mesh-report.ts issue: opens the one mesh-connectivity issue, then comments on it; never a second', async () => {
  const issues = () =>
    [...gh.issues.values()].filter(
      i => i.state === 'open' && i.labels.some(l => l.name === ISSUE_LABEL)
    )
  const env = {
    DRIFT_REPORT:
      '### Drift: ⚠️ 1 of 3 stage instance(s) changed outside Terraform',
    VERIFY_JOB: 'success',
    VERIFY_RESULT: 'pass',
    MATRIX_JSON: '{"cluster-1":{"v1":3,"v2":2},"cluster-2":{"v1":1,"v2":4}}'
  }
  const first = await report('issue', env)
  assert.equal(first.status, 0, first.out)
  assert.match(first.out, /opened issue #\d+/)
  const [opened] = issues()
  assert.ok(opened)
  assert.equal(issues().length, 1)
  assert.match(opened.title, /drifted/)
  assert.match(
    opened.body,
    /Run: https:\/\/github\.example\/example-org\/eks-istio-mesh\/actions\/runs\/4242/
  )
  assert.match(opened.body, /### verify-mesh: ✅ pass/)
  assert.match(opened.body, /\| cluster-2 \| 1 \| 4 \|/)

  // A second run (and a retry of it) comments once on the same issue.
  const again = {
    ...env,
    VERIFY_RESULT: 'fail',
    MATRIX_JSON: '{"cluster-1":{"v1":3,"v2":0}}'
  }
  for (const attempt of ['1', '1']) {
    const r = await report('issue', {
      ...again,
      GITHUB_RUN_ID: '4243',
      GITHUB_RUN_ATTEMPT: attempt
    })
    assert.equal(r.status, 0, r.out)
    assert.match(r.out, new RegExp(`commented issue #${opened.number}`))
  }
  assert.equal(issues().length, 1, 'never a second open issue')
  assert.equal(opened.comments.length, 1)
  assert.match(opened.comments[0]!.body, /### verify-mesh: ❌ fail/)
  assert.match(opened.comments[0]!.body, /\| cluster-1 \| 3 \| ❌ 0 \|/)

  // No verdict (verify's job failed before verify-mesh gave one).
  const lost = await report('issue', {
    DRIFT_REPORT: '',
    VERIFY_JOB: 'failure',
    VERIFY_RESULT: '',
    MATRIX_JSON: '',
    GITHUB_RUN_ID: '4244'
  })
  assert.equal(lost.status, 0, lost.out)
  const last = opened.comments.at(-1)!.body
  assert.match(last, /### Drift: ❌ no report/)
  assert.match(last, /### verify-mesh: ❌ no verdict \(its job: failure\)/)
  assert.ok(
    gh.requests.every(r => !r.body.includes(TOKEN)),
    'token in a body'
  )
})

test('mesh-report.ts issue: fails naming the cause without a token, or when the API refuses', async () => {
  const noToken = await report('issue', {GITHUB_TOKEN: ''})
  assert.equal(noToken.status, 1)
  assert.match(
    noToken.out,
    /::error::mesh report \(issue\): GITHUB_TOKEN is empty/
  )
  gh.fail({
    method: 'GET',
    status: 403,
    message: 'Resource not accessible by integration'
  })
  const refused = await report('issue', {DRIFT_REPORT: 'x'})
  assert.equal(refused.status, 1)
  assert.match(refused.out, /::error::mesh report \(issue\): .*403/)
  const unknown = await report('nope', {})
  assert.equal(unknown.status, 1)
  assert.match(unknown.out, /mode must be drift or issue/)
})
