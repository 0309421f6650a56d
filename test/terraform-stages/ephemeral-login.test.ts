// The cluster stage logs in to Kubernetes with an ephemeral token (issue:
// a token read while planning is kept in the saved plan and has expired by
// the time a reviewed plan is applied). The AWS, kubernetes and helm
// providers cannot be downloaded here, and OpenTofu has no builtin
// ephemeral resource, so the fixtures model the login with builtin parts
// (see test/fixtures/stages/ephemeral-login/main.tf): an ephemeral input
// variable per run, as each job has its own credentials, an ephemeral
// output of a child module that makes the token from them, and a
// provisioner that logs the token it was given. Real OpenTofu does the
// rest: what a saved plan holds, and what is evaluated again at apply.
import assert from 'node:assert/strict'
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {ROOT} from '../helpers/run-bundle.ts'
import {need} from '../helpers/testbed.ts'
import {entriesHolding, planEntries} from './plan-file.ts'
import {run} from './tools.ts'

const FIXTURES = join(ROOT, 'test', 'fixtures', 'stages')

let tofu: string
let work: string

before(() => {
  tofu = need('tofu')
  work = mkdtempSync(join(tmpdir(), 'ephemeral-login-'))
})

after(() => {
  if (work) rmSync(work, {recursive: true, force: true})
})

function stage(fixture: string): string {
  const dir = join(work, fixture)
  cpSync(join(FIXTURES, fixture), dir, {recursive: true})
  const init = run(tofu, ['init', '-no-color', '-backend=false'], {cwd: dir})
  assert.equal(init.status, 0, init.output)
  return dir
}

function tofuIn(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(tofu, [...args, '-no-color'], {cwd: dir, env})
}

/** The token the fixture's login module makes for these credentials. */
const tokenFor = (credentials: string) =>
  `k8s-aws-v1.${Buffer.from(`mesh-east/${credentials}`).toString('base64')}`

const canary = (what: string) => `CANARY-${what}-${process.pid}`

/** Every place a saved plan keeps values: its zip entries and show -json. */
function planHolding(dir: string, plan: string, needles: string[]): string[] {
  const found = entriesHolding(planEntries(join(dir, plan)), needles)
  const show = tofuIn(dir, ['show', '-json', plan])
  assert.equal(show.status, 0, show.output)
  if (needles.some(n => show.stdout.includes(n))) found.push('show -json')
  return found
}

const logged = (log: string) => readFileSync(log, 'utf8').trim().split('\n')

test('a saved plan holds neither the credentials nor the token, and apply makes its own token', () => {
  const dir = stage('ephemeral-login')
  const log = join(dir, 'tokens.log')
  const vars = ['-var', `log=${log}`]
  const secrets = (c: string) => [c, tokenFor(c)]

  // First run: the cluster does not exist yet.
  const plan1 = canary('plan-1')
  const planned = tofuIn(dir, ['plan', ...vars, '-out=first.tfplan'], {
    TF_VAR_credentials: plan1
  })
  assert.equal(planned.status, 0, planned.output)
  assert.deepEqual(planHolding(dir, 'first.tfplan', secrets(plan1)), [])

  // Nothing in the plan stands in for the credentials: apply wants its own.
  const bare = tofuIn(dir, ['apply', 'first.tfplan'])
  assert.equal(bare.status, 1, bare.output)
  assert.match(
    bare.output.replace(/\s+/g, ' '),
    /Variable "credentials" is configured as ephemeral.*during `tofu apply`/
  )

  const apply1 = canary('apply-1')
  const applied = tofuIn(dir, ['apply', 'first.tfplan'], {
    TF_VAR_credentials: apply1
  })
  assert.equal(applied.status, 0, applied.output)
  assert.deepEqual(logged(log), [tokenFor(apply1)])

  // A later run on the existing cluster: the token is known while
  // planning, and still stays out of the plan.
  const plan2 = canary('plan-2')
  const replanned = tofuIn(
    dir,
    ['plan', ...vars, '-var', 'chart_version=2', '-out=second.tfplan'],
    {TF_VAR_credentials: plan2}
  )
  assert.equal(replanned.status, 0, replanned.output)
  assert.match(replanned.output, /Plan: 1 to add, 0 to change, 1 to destroy/)
  assert.deepEqual(planHolding(dir, 'second.tfplan', secrets(plan2)), [])
  const apply2 = canary('apply-2')
  const reapplied = tofuIn(dir, ['apply', 'second.tfplan'], {
    TF_VAR_credentials: apply2
  })
  assert.equal(reapplied.status, 0, reapplied.output)
  assert.deepEqual(logged(log), [tokenFor(apply1), tokenFor(apply2)])

  const state = readFileSync(join(dir, 'terraform.tfstate'), 'utf8')
  for (const c of [plan1, apply1, plan2, apply2]) {
    for (const s of secrets(c)) assert.ok(!state.includes(s), 'state')
  }
})

test('OpenTofu refuses to put the ephemeral token into an output', () => {
  const dir = stage('ephemeral-login')
  writeFileSync(
    join(dir, 'leak.tf'),
    'output "token" {\n  value = module.login.token\n}\n'
  )
  const r = tofuIn(dir, ['plan', '-var', `log=${join(dir, 'log')}`], {
    TF_VAR_credentials: canary('leak')
  })
  assert.equal(r.status, 1, r.output)
  assert.match(r.output, /[Ee]phemeral value/)
})

// What the stage did before, for contrast, and the proof that the search
// above finds a token where there is one.
test('a data source keeps the planning token in the saved plan, and apply uses that stale token', () => {
  const dir = stage('data-login')
  const source = join(dir, 'token-source.tfstate')
  const log = join(dir, 'tokens.log')
  const tokenNow = (token: string) =>
    writeFileSync(
      source,
      JSON.stringify({
        version: 4,
        serial: 1,
        lineage: 'token-source',
        outputs: {token: {value: token, type: 'string'}},
        resources: []
      })
    )
  const atPlan = canary('data-plan')
  tokenNow(atPlan)
  const planned = tofuIn(dir, [
    'plan',
    '-var',
    `log=${log}`,
    '-var',
    `token_source=${source}`,
    '-out=data.tfplan'
  ])
  assert.equal(planned.status, 0, planned.output)
  assert.deepEqual(planHolding(dir, 'data.tfplan', [atPlan]), [
    'tfstate',
    'show -json'
  ])

  // A fresh token exists by the time the plan is applied; it goes unused.
  tokenNow(canary('data-apply'))
  const applied = tofuIn(dir, ['apply', 'data.tfplan'])
  assert.equal(applied.status, 0, applied.output)
  assert.deepEqual(logged(log), [atPlan])
})
