import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {
  readActionMetadata,
  withDefaults
} from '../../src/common/action-metadata.ts'
import {inputEnvName} from '../../src/common/inputs.ts'
import {ROOT, runBundle, type BundleRun} from '../helpers/run-bundle.ts'
import {startFakeGitHub, type FakeGitHub} from '../helpers/fake-github.ts'
import {awsEnv, need, s3Request as s3} from '../helpers/testbed.ts'
import {caCerts} from '../terraform/cluster-plan.ts'

// Integration: the committed bundle, the test bed's real OpenTofu, the moto
// S3 emulator and a fake GitHub. Fixture stages use builtin resources only.
const tofu = need('tofu')
let gh: FakeGitHub
before(async () => {
  gh = await startFakeGitHub()
})
const workspaces: string[] = []
after(async () => {
  await gh.close()
  for (const ws of workspaces) rmSync(ws, {recursive: true, force: true})
})

let prNumber = 100
/** A fresh workspace holding a copy of the fixture stages, and a PR. */
function workspace() {
  const ws = mkdtempSync(join(tmpdir(), 'apply-stage-ws-'))
  cpSync(join(ROOT, 'test/fixtures/stages'), join(ws, 'stages'), {
    recursive: true
  })
  workspaces.push(ws)
  const pr = ++prNumber
  const event = join(ws, 'event.json')
  writeFileSync(event, JSON.stringify({pull_request: {number: pr}}))
  const env = {
    GITHUB_API_URL: gh.url,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_EVENT_PATH: event,
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_RUN_ID: '42',
    // The bundle finds tofu the way a user's PATH would.
    TF_CLI_CONFIG_FILE: '/dev/null'
  }
  const run = (
    inputs: Record<string, string>,
    extraEnv: NodeJS.ProcessEnv = {}
  ) =>
    runBundle(
      'apply-stage',
      {binary: tofu, 'github-token': 'ghs_faketoken0123456789', ...inputs},
      {cwd: ws, env: {...env, ...extraEnv}, defaultsFrom: 'apply-stage'}
    )
  return {ws, pr, run, comments: () => gh.issue('o', 'r', pr).comments}
}

function explain(r: BundleRun): string {
  return `exit ${r.status}\n${r.stdout}\n${r.stderr}`
}

test('plan, comment, apply the saved plan, apply again: no changes', async () => {
  const {ws, run, comments} = workspace()
  const base = {stage: 'stages/basic', instance: 'c1'}
  const plan = await run({...base, 'plan-file': 'basic.tfplan'})
  assert.equal(plan.status, 0, explain(plan))
  assert.equal(plan.outputs['has-changes'], 'true')
  assert.deepEqual(
    ['add', 'change', 'destroy', 'replace', 'drift'].map(k => plan.outputs[k]),
    ['2', '0', '0', '0', 'false']
  )
  assert.equal(plan.outputs['plan-file'], join(ws, 'basic.tfplan'))
  assert.match(plan.outputs['plan-digest']!, /^[0-9a-f]{64}$/)
  assert.equal(statSync(join(ws, 'basic.tfplan')).mode & 0o777, 0o600)
  assert.match(plan.summary, /\*\*2 to add, 0 to change, 0 to destroy\*\*/)
  assert.match(
    plan.summary,
    /input = "c1-first"/,
    'the instance reached the stage'
  )
  const json = JSON.parse(plan.outputs['summary-json']!)
  assert.equal(json.status, 'planned')
  assert.deepEqual(
    json.resources.map((r: {address: string}) => r.address).sort(),
    ['terraform_data.config', 'terraform_data.server']
  )
  assert.equal(comments().length, 1)
  assert.ok(
    comments()[0]!.body.startsWith(
      '<!-- eks-istio-mesh:apply-stage:v1 stage=stages%2Fbasic instance=c1 -->\n### 📝 plan'
    )
  )
  // The override file is gone, and the state is where the contract says.
  assert.deepEqual(
    readFileSync(join(ws, 'stages/basic/main.tf'), 'utf8').includes('backend'),
    false
  )

  const apply = await run({
    ...base,
    command: 'apply',
    'plan-file': 'basic.tfplan',
    'expected-plan-digest': plan.outputs['plan-digest']!
  })
  assert.equal(apply.status, 0, explain(apply))
  assert.deepEqual(JSON.parse(apply.outputs['outputs-json']!), {
    config: 'c1-first'
  })
  assert.match(apply.summary, /apply `stages\/basic` · `c1`: applied/)
  assert.match(apply.summary, /init \d+\.\d s · plan – · apply \d+\.\d s/)
  const state = JSON.parse(
    readFileSync(join(ws, 'stages/basic/.state/c1.tfstate'), 'utf8')
  )
  assert.equal(state.resources.length, 2)
  assert.equal(comments().length, 1, 'the comment is edited, not duplicated')
  assert.match(comments()[0]!.body, /: applied/)

  const again = await run({...base, command: 'apply'})
  assert.equal(again.status, 0, explain(again))
  assert.equal(again.outputs['has-changes'], 'false')
  assert.match(again.summary, /: no-changes/)
  assert.equal(comments().length, 1)
})

test('a replacing change is refused, then allowed; protected even when allowed', async () => {
  const {run} = workspace()
  const base = {stage: 'stages/basic', instance: 'c2', command: 'apply'}
  assert.equal((await run(base)).status, 0)
  const refused = await run({...base, vars: 'generation=2'})
  assert.equal(refused.status, 1)
  assert.match(
    refused.stdout,
    /::error::the plan deletes or replaces 1 resource\(s\) and input 'allow-destroy' is false: replace terraform_data\.server \(replace_because_cannot_update, forced by triggers_replace\)/
  )
  assert.equal(refused.outputs.replace, '1')
  assert.match(refused.summary, /: refused/)

  const protectedRun = await run({
    ...base,
    vars: 'generation=2',
    'allow-destroy': 'true',
    protect: 'terraform_data.server'
  })
  assert.equal(protectedRun.status, 1)
  assert.match(
    protectedRun.stdout,
    /protected resources .*\[protected by 'terraform_data\.server'\]/
  )

  const allowed = await run({
    ...base,
    vars: 'generation=2',
    'allow-destroy': 'true'
  })
  assert.equal(allowed.status, 0, explain(allowed))
  assert.match(allowed.summary, /: applied/)
})

test('a plan whose digest differs from the reviewed one is refused', async () => {
  const {run} = workspace()
  const base = {stage: 'stages/basic', instance: 'c3'}
  const reviewed = await run({...base, 'plan-file': 'a.tfplan'})
  const other = await run({
    ...base,
    'plan-file': 'b.tfplan',
    vars: 'label=second'
  })
  assert.notEqual(reviewed.outputs['plan-digest'], other.outputs['plan-digest'])
  const r = await run({
    ...base,
    command: 'apply',
    'plan-file': 'b.tfplan',
    'expected-plan-digest': reviewed.outputs['plan-digest']!
  })
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /::error::the plan's digest [0-9a-f]{64} differs from input 'expected-plan-digest'/
  )
  assert.match(r.summary, /: refused/)
})

test('the same changes planned twice have the same digest', async () => {
  const {run} = workspace()
  const a = await run({
    stage: 'stages/basic',
    instance: 'c9',
    'plan-file': 'a.tfplan'
  })
  const b = await run({
    stage: 'stages/basic',
    instance: 'c9',
    'plan-file': 'b.tfplan'
  })
  assert.equal(a.outputs['plan-digest'], b.outputs['plan-digest'])
})

test('a stale saved plan fails with a clear message, not a stack trace', async () => {
  const {run} = workspace()
  const base = {stage: 'stages/basic', instance: 'c4'}
  const plan = await run({...base, 'plan-file': 'old.tfplan'})
  assert.equal(plan.status, 0)
  assert.equal((await run({...base, command: 'apply'})).status, 0)
  const r = await run({...base, command: 'apply', 'plan-file': 'old.tfplan'})
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /::error::apply: the saved plan is stale, the state changed after it was made/
  )
  assert.match(
    r.stdout,
    /::warning::input 'expected-plan-digest' is empty: the saved plan in 'plan-file' is applied without checking/,
    'outside GitHub Actions a missing digest is a warning'
  )
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /)
})

test('in GitHub Actions a saved plan without expected-plan-digest is refused before anything runs', async () => {
  const {ws, run} = workspace()
  const base = {stage: 'stages/basic', instance: 'c14'}
  const plan = await run({...base, 'plan-file': 'p.tfplan'})
  assert.equal(plan.status, 0, explain(plan))
  const r = await run(
    {...base, command: 'apply', 'plan-file': 'p.tfplan'},
    {GITHUB_ACTIONS: 'true'}
  )
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /::error::input 'expected-plan-digest' is required to apply a saved plan \('plan-file'\) in GitHub Actions: give it the plan job's 'plan-digest' output/
  )
  assert.ok(!existsSync(join(ws, 'stages/basic/.state/c14.tfstate')))
  const given = await run(
    {
      ...base,
      command: 'apply',
      'plan-file': 'p.tfplan',
      'expected-plan-digest': plan.outputs['plan-digest']!
    },
    {GITHUB_ACTIONS: 'true'}
  )
  assert.equal(given.status, 0, explain(given))
  assert.match(given.summary, /: applied/)
})

test('a syntax error becomes an annotation with file and line', async () => {
  const {run} = workspace()
  const r = await run({stage: 'stages/broken'})
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /::error title=Unclosed configuration block,file=stages\/broken\/main\.tf,line=5,/
  )
})

test('state changed behind the back of OpenTofu shows up in the next plan', async () => {
  const {ws, run} = workspace()
  const base = {stage: 'stages/basic', instance: 'c5'}
  assert.equal((await run({...base, command: 'apply'})).status, 0)
  const file = join(ws, 'stages/basic/.state/c5.tfstate')
  const state = JSON.parse(readFileSync(file, 'utf8'))
  const config = state.resources.find(
    (r: {name: string}) => r.name === 'config'
  )
  config.instances[0].attributes.input = {value: 'edited', type: 'string'}
  state.serial++
  writeFileSync(file, JSON.stringify(state))
  const r = await run(base)
  assert.equal(r.status, 0, explain(r))
  assert.equal(r.outputs['has-changes'], 'true')
  assert.equal(r.outputs.change, '1')
  assert.match(r.summary, /input: "edited" -> "c5-first"/)
})

test('no sensitive value reaches a log, an output, the summary or a comment', async () => {
  const {run, comments} = workspace()
  const canary = 'CANARY-pa55word-7f3e'
  const base = {stage: 'stages/sensitive', vars: `password=${canary}`}
  const plan = await run(base)
  const apply = await run({
    ...base,
    command: 'apply',
    vars: `password=${canary}\nround=2`
  })
  for (const r of [plan, apply]) {
    assert.equal(r.status, 0, explain(r))
    const masked = r.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
    assert.doesNotMatch(masked.join('\n') + r.stderr, /CANARY/)
    assert.doesNotMatch(JSON.stringify(r.outputs), /CANARY/)
    assert.doesNotMatch(r.summary, /CANARY/)
  }
  assert.match(plan.stdout, /::add-mask::CANARY-pa55word-7f3e/)
  assert.deepEqual(JSON.parse(apply.outputs['outputs-json']!), {
    public: 'round-2'
  })
  assert.match(apply.summary, /\(sensitive\)/)
  assert.equal(comments().length, 1)
  const sent = gh.requests.map(q => `${q.path}\n${q.body}`).join('\n')
  assert.doesNotMatch(sent, /CANARY/)
  assert.doesNotMatch(sent, /ghs_faketoken0123456789/)
})

test('the cluster stage kind of plan on OpenTofu: keys and tokens masked, names and certificates readable, summary-json kept', async () => {
  const {ws, run, comments} = workspace()
  const certs = await caCerts()
  mkdirSync(join(ws, 'certs'))
  for (const [file, pem] of Object.entries(certs.data)) {
    writeFileSync(join(ws, 'certs', file), pem, {mode: 0o600})
  }
  const token = 'eyJhbGciOiJSUzI1NiJ9.CANARY-token-0b1c.sig'
  const chartSecret = 'CANARY-chart-4d5e'
  const inputs = {
    stage: 'stages/cacerts',
    instance: 'cluster-1',
    vars: [
      `certs_dir=${join(ws, 'certs')}`,
      `reader_token=${token}`,
      `chart_secret=${chartSecret}`
    ].join('\n')
  }
  const plan = await run(inputs)
  const apply = await run({...inputs, command: 'apply'})
  const keyBody = certs.intermediate.key.split('\n')[1]!
  for (const r of [plan, apply]) {
    assert.equal(r.status, 0, explain(r))
    const masks = r.stdout
      .split('\n')
      .filter(l => l.startsWith('::add-mask::'))
      .join('\n')
    assert.match(masks, /CANARY-token-0b1c/)
    assert.match(masks, /CANARY-chart-4d5e/)
    assert.ok(masks.includes(keyBody), 'the key is masked')
    for (const pub of ['BEGIN CERTIFICATE', 'cacerts', 'istio-system']) {
      assert.ok(!masks.includes(pub), `'${pub}' is not masked`)
    }
    const logs = r.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n')
    for (const text of [logs, r.stderr, r.summary, JSON.stringify(r.outputs)]) {
      assert.doesNotMatch(text, /CANARY/)
      assert.ok(!text.includes(keyBody))
    }
    const json = JSON.parse(r.outputs['summary-json']!)
    assert.deepEqual(
      json.resources.map((x: {address: string}) => x.address).sort(),
      [
        'terraform_data.cacerts',
        'terraform_data.istiod',
        'terraform_data.reader_token'
      ]
    )
  }
  const cert = (pem: string, cn: string) =>
    `(certificate "${cn}" SHA-256 ${certs.fingerprint(pem)})`
  assert.ok(
    plan.summary.includes(
      `input.data["ca-cert.pem"] = ${cert(certs.data['ca-cert.pem']!, 'O=Istio, CN=Intermediate CA, L=cluster-1')}`
    ),
    plan.summary
  )
  assert.ok(
    plan.summary.includes(
      `input.data["root-cert.pem"] = ${cert(certs.root.cert, 'O=Istio, CN=Root CA')}`
    )
  )
  assert.match(plan.summary, /input\.data\["ca-key\.pem"\] = \(sensitive\)/)
  assert.match(
    plan.summary,
    /input\.data = \{"namespace":"istio-system","token":\(sensitive\)\}/
  )
  assert.match(
    plan.summary,
    /input\.metadata = \{"name":"cacerts","namespace":"istio-system"\}/
  )
  assert.match(
    plan.summary,
    /"set_sensitive":\[\{"name":"pilot\.env\.EXTERNAL_TOKEN","value":\(sensitive\)\}\]/
  )
  assert.deepEqual(JSON.parse(apply.outputs['outputs-json']!), {
    namespace: 'istio-system'
  })
  const sent = gh.requests.map(q => `${q.path}\n${q.body}`).join('\n')
  assert.doesNotMatch(sent, /CANARY/)
  assert.ok(!sent.includes(keyBody))
  assert.match(comments()[0]!.body, /input\.data\["ca-key\.pem"\]/)
})

test('a 2,000-resource plan: the comment is cut under the limit, the summary keeps more', async () => {
  const {run, comments} = workspace()
  const r = await run({stage: 'stages/large'})
  assert.equal(r.status, 0, explain(r))
  assert.equal(r.outputs.add, '2000')
  const body = comments()[0]!.body
  assert.ok(body.length <= 60_000, `${body.length} characters`)
  assert.match(
    body,
    /Cut here to fit:\*\* \d+ of \d+ plan lines are not shown\. The full plan is in the \[job summary\]\(https:\/\/github\.test\/o\/r\/actions\/runs\/42\)/
  )
  assert.ok(r.summary.length > body.length)
  assert.match(body, /\*\*2000 to add, 0 to change, 0 to destroy\*\*/)
})

test('s3 backend on the emulator: derived key, plan, comment, apply the saved plan, rerun, held lock', async () => {
  const aws = awsEnv()
  const {run, comments} = workspace()
  const bucket = `state-${Date.now()}`
  const made = await s3('PUT', `/${bucket}`)
  assert.ok(made.ok, `create bucket: ${made.status}`)
  const backend = {
    backend: 's3',
    'backend-config': [
      `bucket=${bucket}`,
      'region=us-east-1',
      'use_path_style=true',
      'skip_credentials_validation=true',
      'skip_requesting_account_id=true',
      'skip_metadata_api_check=true',
      'skip_region_validation=true'
    ].join('\n')
  }
  const base = {stage: 'stages/basic', instance: 'c6', ...backend}
  const plan = await run({...base, 'plan-file': 's3.tfplan'}, aws)
  assert.equal(plan.status, 0, explain(plan))
  assert.equal(plan.outputs.add, '2')
  assert.equal(comments().length, 1)
  const apply = await run(
    {
      ...base,
      command: 'apply',
      'plan-file': 's3.tfplan',
      'expected-plan-digest': plan.outputs['plan-digest']!
    },
    aws
  )
  assert.equal(apply.status, 0, explain(apply))
  assert.deepEqual(JSON.parse(apply.outputs['outputs-json']!), {
    config: 'c6-first'
  })
  const again = await run({...base, command: 'apply'}, aws)
  assert.equal(again.outputs['has-changes'], 'false', explain(again))
  assert.equal(comments().length, 1)
  const state = await s3('GET', `/${bucket}/basic/c6/terraform.tfstate`)
  assert.equal(
    state.status,
    200,
    'state at <stage>/<instance>/terraform.tfstate'
  )

  // Another process holds the lock: native S3 locking writes <key>.tflock.
  const created = new Date(Date.now() - 90_000).toISOString()
  const lock = {
    ID: '11111111-2222-3333-4444-555555555555',
    Operation: 'OperationTypeApply',
    Info: '',
    Who: 'someone@elsewhere',
    Version: '1.11.0',
    Created: created,
    Path: `${bucket}/basic/c6/terraform.tfstate`
  }
  const put = await s3(
    'PUT',
    `/${bucket}/basic/c6/terraform.tfstate.tflock`,
    JSON.stringify(lock)
  )
  assert.ok(put.ok)
  const started = Date.now()
  const locked = await run(
    {...base, vars: 'label=x', 'lock-timeout': '2s'},
    aws
  )
  assert.equal(locked.status, 1)
  assert.ok(Date.now() - started >= 2000, 'waited for the lock timeout')
  assert.match(
    locked.stdout,
    /::error::plan: could not acquire the state lock within the lock timeout; the state is locked by someone@elsewhere \(OperationTypeApply, version 1\.11\.0, since .*held for \d+[sm]; lock ID 11111111-2222-3333-4444-555555555555\)/
  )
})

test('the s3 backend refuses credentials in backend-config', async () => {
  const {run} = workspace()
  const r = await run({
    stage: 'stages/basic',
    backend: 's3',
    'backend-config': 'bucket=b\nsecret_key=CANARY-secret'
  })
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /::error::input 'backend-config' must not set secret_key/
  )
  assert.doesNotMatch(r.stdout, /CANARY-secret/)
})

test('a stage given outside the workspace is refused before anything runs', async () => {
  const {run} = workspace()
  const r = await run({stage: '../../etc'})
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /::error::input 'stage' must be a path inside the workspace/
  )
})

test('a local lock held by a running apply: waits lock-timeout, then names the holder', async () => {
  const {ws, run} = workspace()
  const holder = run({stage: 'stages/slow', command: 'apply'})
  const release = join(ws, 'stages/slow/release')
  try {
    const lockInfo = join(ws, 'stages/slow/.state/.default.tfstate.lock.info')
    for (let i = 0; i < 600 && !existsSync(lockInfo); i++) {
      await new Promise(r => setTimeout(r, 50))
    }
    assert.ok(existsSync(lockInfo), 'the first run took the lock')
    const started = Date.now()
    const locked = await run({stage: 'stages/slow', 'lock-timeout': '1s'})
    assert.equal(locked.status, 1, explain(locked))
    assert.ok(Date.now() - started >= 1000, 'waited for the lock timeout')
    assert.match(
      locked.stdout,
      /::error::plan: could not acquire the state lock within the lock timeout; the state is locked by \S+ \(OperationTypeApply, version [\d.]+, since .* held for \d+s; lock ID [0-9a-f-]{36}\)/
    )
    // A preview with lock: false neither waits nor fails on the held lock.
    const preview = await run({
      stage: 'stages/slow',
      'lock-timeout': '1s',
      lock: 'false',
      vars: 'hold_seconds=2'
    })
    assert.equal(preview.status, 0, explain(preview))
    assert.match(preview.summary, /plan `stages\/slow`: (planned|no-changes)/)
    assert.ok(existsSync(lockInfo), 'the apply still holds its lock')
  } finally {
    writeFileSync(release, '')
  }
  assert.equal((await holder).status, 0)
})

test('destroy plans with -destroy under the same guards', async () => {
  const {run} = workspace()
  const base = {stage: 'stages/basic', instance: 'c7'}
  assert.equal((await run({...base, command: 'apply'})).status, 0)
  const refused = await run({...base, command: 'destroy'})
  assert.equal(refused.status, 1)
  assert.equal(refused.outputs.destroy, '2')
  assert.match(refused.summary, /destroy `stages\/basic` · `c7`: refused/)
  const done = await run({...base, command: 'destroy', 'allow-destroy': 'true'})
  assert.equal(done.status, 0, explain(done))
  assert.match(done.summary, /: applied/)
  const again = await run({...base, command: 'apply'})
  assert.equal(again.outputs.add, '2', 'everything was destroyed')
})

test('the root action dispatches to apply-stage with its own defaults', async () => {
  const {ws} = workspace()
  const r = await runBundle(
    'root',
    {
      action: 'apply-stage',
      stage: 'stages/basic',
      instance: 'c8',
      binary: tofu
    },
    {cwd: ws, env: {TF_CLI_CONFIG_FILE: '/dev/null'}}
  )
  assert.equal(r.status, 0, explain(r))
  assert.equal(r.outputs.add, '2')
  assert.match(r.summary, /plan `stages\/basic` · `c8`: planned/)
})

/** OpenTofu plan encryption, configured the way a workflow would (a secret). */
function encryption(passphrase: string): string {
  return [
    'key_provider "pbkdf2" "k" {',
    `  passphrase = "${passphrase}"`,
    '}',
    'method "aes_gcm" "m" {',
    '  keys = key_provider.pbkdf2.k',
    '}',
    'plan {',
    '  method   = method.aes_gcm.m',
    '  enforced = true',
    '}'
  ].join('\n')
}

test('a sealed plan (OpenTofu plan encryption) applies with its key only, and not once tampered', async () => {
  const {ws, run} = workspace()
  const key = {TF_ENCRYPTION: encryption('correct-horse-battery-staple')}
  const base = {
    stage: 'stages/basic',
    instance: 'c10',
    'plan-file': 'sealed.tfplan'
  }
  const plan = await run(base, key)
  assert.equal(plan.status, 0, explain(plan))
  const sealed = readFileSync(join(ws, 'sealed.tfplan'))
  assert.doesNotMatch(sealed.toString('latin1'), /terraform_data|c10-first/)

  const apply = {
    ...base,
    command: 'apply',
    'expected-plan-digest': plan.outputs['plan-digest']!
  }
  const otherKey = await run(apply, {
    TF_ENCRYPTION: encryption('another-horse-battery-staple')
  })
  assert.equal(otherKey.status, 1)
  assert.match(
    otherKey.stdout,
    /::error::show failed \(exit 1\).*The file in 'plan-file' is not a plan this tool can read/
  )

  const tampered = Buffer.from(sealed)
  const at = tampered.lastIndexOf('"encrypted_data":"') + 40
  tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41
  writeFileSync(join(ws, 'tampered.tfplan'), tampered)
  const bad = await run({...apply, 'plan-file': 'tampered.tfplan'}, key)
  assert.equal(bad.status, 1)
  assert.match(bad.stdout, /not a plan this tool can read/)

  const good = await run(apply, key)
  assert.equal(good.status, 0, explain(good))
  assert.match(good.summary, /: applied/)
})

test('vars win over var-files; instance reaches only stages that declare it, silently', async () => {
  const {ws, run} = workspace()
  writeFileSync(join(ws, 'custom.tfvars'), 'label = "from-file"\n')
  const fromFile = await run({
    stage: 'stages/basic',
    instance: 'c11',
    'var-files': 'custom.tfvars'
  })
  assert.equal(fromFile.status, 0, explain(fromFile))
  assert.match(fromFile.summary, /input = "c11-from-file"/)
  const fromVars = await run({
    stage: 'stages/basic',
    instance: 'c11',
    'var-files': 'custom.tfvars',
    vars: 'label=from-vars'
  })
  assert.match(fromVars.summary, /input = "c11-from-vars"/)

  // stages/large declares no `instance`: no error, no warning about it.
  const undeclared = await run({
    stage: 'stages/large',
    instance: 'c11',
    vars: 'size=1'
  })
  assert.equal(undeclared.status, 0, explain(undeclared))
  assert.equal(undeclared.outputs.add, '1')
  assert.doesNotMatch(undeclared.stdout, /::warning/)
})

test('list and map vars are passed as JSON, as the vpc and cluster stages need', async () => {
  const {run} = workspace()
  const r = await run({
    stage: 'stages/lists',
    vars: 'cluster_names=["east","west"]\nconfig={"mesh":"mesh1"}'
  })
  assert.equal(r.status, 0, explain(r))
  assert.equal(r.outputs.add, '2')
  assert.match(r.summary, /input = "east:mesh1"/)
  assert.match(r.summary, /input = "west:mesh1"/)

  const bad = await run({stage: 'stages/lists', vars: 'cluster_names=[east]'})
  assert.equal(bad.status, 1)
  assert.match(
    bad.stdout,
    /::error::input 'vars': the value of 'cluster_names' starts like a list or map but is not JSON/
  )
})

test('a comment GitHub refuses (a fork PR token) is a warning; the plan result stands', async () => {
  const {run, comments} = workspace()
  gh.fail({
    method: 'GET',
    path: /comments$/,
    status: 403,
    message: 'Resource not accessible by integration'
  })
  const r = await run({stage: 'stages/basic', instance: 'c12'})
  assert.equal(r.status, 0, explain(r))
  assert.match(
    r.stdout,
    /::warning::pull-request comment not written: GitHub API list comments failed: 403 Forbidden/
  )
  assert.doesNotMatch(
    r.stdout,
    /Resource not accessible/,
    'no API body in logs'
  )
  assert.equal(comments().length, 0)
  assert.match(r.summary, /: planned/)
})

test('a cancelled step (SIGTERM) on 2,000 resources stops OpenTofu gracefully and releases the lock', async () => {
  const {ws} = workspace()
  const out = join(ws, 'output')
  const summary = join(ws, 'summary')
  writeFileSync(out, '')
  writeFileSync(summary, '')
  const env = withDefaults(readActionMetadata('apply-stage', ROOT), {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_WORKSPACE: ws,
    RUNNER_TEMP: ws,
    TF_CLI_CONFIG_FILE: '/dev/null',
    [inputEnvName('stage')]: 'stages/large',
    [inputEnvName('command')]: 'apply',
    [inputEnvName('binary')]: tofu
  })
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist/apply-stage/index.js')],
    {cwd: ws, env}
  )
  let stdout = ''
  child.stdout.on('data', d => (stdout += d))
  const closed = new Promise<number | null>(r =>
    child.on('close', code => r(code))
  )
  const lockInfo = join(ws, 'stages/large/.state/.default.tfstate.lock.info')
  try {
    for (let i = 0; i < 600 && !existsSync(lockInfo); i++) {
      await new Promise(r => setTimeout(r, 50))
    }
    assert.ok(existsSync(lockInfo), 'the apply took the lock')
    child.kill('SIGTERM')
    const code = await closed
    assert.equal(code, 1, stdout)
    assert.ok(!existsSync(lockInfo), 'the lock was released')
    assert.match(stdout, /::error::(plan|apply) failed \(exit 1\)/)
    assert.match(readFileSync(summary, 'utf8'), /apply `stages\/large`: failed/)
  } finally {
    child.kill('SIGKILL')
  }
})

test('a slow apply streams its progress while it runs, in the apply group, and no sensitive value', async () => {
  const {ws} = workspace()
  const canary = 'CANARY-progress-9a8b'
  writeFileSync(join(ws, 'stages/progress/canary.txt'), `${canary}\n`)
  const out = join(ws, 'output')
  const summary = join(ws, 'summary')
  writeFileSync(out, '')
  writeFileSync(summary, '')
  const env = withDefaults(readActionMetadata('apply-stage', ROOT), {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_WORKSPACE: ws,
    RUNNER_TEMP: ws,
    TF_CLI_CONFIG_FILE: '/dev/null',
    [inputEnvName('stage')]: 'stages/progress',
    [inputEnvName('command')]: 'apply',
    [inputEnvName('vars')]: `password=${canary}`,
    [inputEnvName('binary')]: tofu
  })
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist/apply-stage/index.js')],
    {cwd: ws, env}
  )
  let stdout = ''
  let exited = false
  const waiters: (() => void)[] = []
  child.stdout.on('data', d => {
    stdout += d
    for (const w of waiters.splice(0)) w()
  })
  const closed = new Promise<number | null>(r =>
    child.on('close', code => {
      exited = true
      for (const w of waiters.splice(0)) w()
      r(code)
    })
  )
  /** Waits for a line on the child's stdout, as it arrives. */
  const lineMatching = async (re: RegExp, ms = 60_000) => {
    const deadline = Date.now() + ms
    while (!re.test(stdout)) {
      if (exited || Date.now() > deadline) {
        assert.fail(
          `no line matching ${re} before ${exited ? 'exit' : 'timeout'}:\n${stdout}`
        )
      }
      await new Promise<void>(r => {
        waiters.push(r)
        setTimeout(r, 500)
      })
    }
  }
  try {
    await lineMatching(/^terraform_data\.slow: creating$/m)
    assert.equal(exited, false, 'the first line arrives while the apply runs')
    await lineMatching(/^terraform_data\.slow: still creating, 10s elapsed$/m)
    assert.equal(exited, false, 'progress arrives while the apply runs')
  } finally {
    writeFileSync(join(ws, 'stages/progress/release'), '')
  }
  assert.equal(await closed, 0, stdout)
  const lines = stdout.split('\n')
  const at = (re: RegExp) => lines.findIndex(l => re.test(l))
  const order = [
    at(/^::group::apply stages\/progress$/),
    at(/^terraform_data\.slow: creating$/),
    at(/^terraform_data\.slow: still creating, 10s elapsed$/),
    at(/^terraform_data\.slow: created after \d+s$/),
    at(/^apply complete: 1 added, 0 changed, 0 destroyed$/)
  ]
  assert.ok(
    order.every(i => i >= 0),
    stdout
  )
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    order
  )
  const end = lines.indexOf('::endgroup::', order[0])
  assert.ok(end > order.at(-1)!, 'the progress is inside the apply group')
  assert.match(stdout, /^plan: 1 to add, 0 to change, 0 to destroy$/m)
  // The raw stream carries the canary (the provisioner's output): not shown.
  const shown = lines.filter(l => !l.startsWith('::add-mask::')).join('\n')
  assert.doesNotMatch(shown, /CANARY/)
  assert.doesNotMatch(shown, /\[id=/)
  assert.match(
    readFileSync(summary, 'utf8'),
    /apply `stages\/progress`: applied/
  )
})

test('an unexpanded token default (local runs) means no comment, with a warning', async () => {
  const {run, comments} = workspace()
  const r = await run({
    stage: 'stages/basic',
    instance: 'c13',
    'github-token': '${{ github.token }}'
  })
  assert.equal(r.status, 0, explain(r))
  assert.match(
    r.stdout,
    /::warning::input 'github-token' is empty \(or an unexpanded expression\): no pull-request comment/
  )
  assert.equal(comments().length, 0)
  assert.equal(
    gh.requests.filter(
      q =>
        q.path.includes('/issues/') &&
        q.headers.authorization === 'token ${{ github.token }}'
    ).length,
    0
  )
})
