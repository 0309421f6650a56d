import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {test} from 'node:test'
import {parse} from 'yaml'
import {inputEnvName} from '../../src/common/inputs.ts'
import {parseOutputFile, ROOT} from '../helpers/run-bundle.ts'
import {need} from '../helpers/testbed.ts'
import {condition, interpolateString, type Run} from './expressions.ts'
import {jobIn, loadWorkflow, type Step} from './workflow.ts'

const {doc} = loadWorkflow('ci.yml')
const smoke = jobIn('ci.yml', doc, 'smoke')
const steps = smoke.steps ?? []

/**
 * What the smoke job gets from the hosted runner's setup steps, and this
 * machine already has: the repository checked out (this worktree), Node 24
 * (the one running the tests), node_modules, and the test bed up (the test
 * run's own; stopping it would stop every other test). Each is named by
 * its exact `uses` action or `run` text, so a changed setup step is seen.
 */
const PROVIDED_USES = [
  'actions/checkout',
  'actions/setup-node',
  'actions/cache/restore'
]
const PROVIDED_RUN = [
  'npm ci',
  'npm run testbed -- up --only istio',
  'npm run testbed -- down'
]

interface ActionYml {
  inputs?: Record<string, {default?: string}>
  runs: {using: string; main: string; post?: string}
}

const label = (s: Step) => s.name ?? s.id ?? s.uses ?? s.run ?? '?'

test('ci.yml: the smoke job runs every action of this repository, and the root action', () => {
  const used = new Set(
    steps.map(s => s.uses ?? '').filter(u => u.startsWith('./'))
  )
  const actions = readdirSync(join(ROOT, 'actions'))
  for (const name of actions) {
    assert.ok(
      used.has(`./actions/${name}`),
      `ci.yml's smoke job does not run ./actions/${name}: add a step that runs it as a workflow would`
    )
  }
  assert.ok(used.has('./'), 'the root action')
  assert.deepEqual(smoke.permissions, {contents: 'read'})
  assert.deepEqual(smoke.needs, 'test', 'restores what the test job cached')
})

/**
 * Runs the smoke job's steps here the way the runner would: `if:` and every
 * `${{ }}` evaluated with GitHub's expression library, each local action
 * from its action.yml (inputs as INPUT_* over its defaults, main, then the
 * post steps at the end in reverse order), `run:` steps under bash, outputs
 * and state through GITHUB_OUTPUT and GITHUB_STATE. Only the setup steps
 * above are left to this machine.
 */
test('ci.yml: the smoke job passes when run here, step by step, as the runner would', async () => {
  const tofu = need('tofu')
  need('kubeconfig')
  const temp = mkdtempSync(join(tmpdir(), 'smoke-runner-'))
  const bin = join(temp, 'bin')
  mkdirSync(bin)
  try {
    const runnerTemp = join(temp, 'runner-temp')
    mkdirSync(runnerTemp)
    const path = [bin, dirname(process.execPath), process.env.PATH].join(':')
    // outcome/conclusion as the runner sets them: a step with
    // continue-on-error may fail (outcome failure) and still succeed.
    const results: Record<
      string,
      {outputs: Record<string, string>; outcome: string; conclusion: string}
    > = {}
    const done = (outputs: Record<string, string>, ok = true) => ({
      outputs,
      outcome: ok ? 'success' : 'failure',
      conclusion: 'success'
    })
    const posts: {step: Step; file: string; state: Record<string, string>}[] =
      []
    const contexts = (): Run['contexts'] => ({
      github: {
        workspace: ROOT,
        token: '',
        run_id: String(process.pid),
        run_attempt: '1',
        event_name: 'push',
        ref: 'refs/heads/main'
      },
      runner: {temp: runnerTemp, os: 'Linux', arch: 'X64'},
      steps: results,
      env: {},
      vars: {},
      secrets: {}
    })
    const baseEnv = {
      PATH: path,
      HOME: process.env.HOME ?? temp,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: ROOT,
      GITHUB_RUN_ID: String(process.pid),
      GITHUB_RUN_ATTEMPT: '1',
      RUNNER_TEMP: runnerTemp,
      RUNNER_OS: 'Linux'
    }
    let n = 0
    const files = () => {
      n++
      const f = {
        output: join(temp, `output-${n}`),
        state: join(temp, `state-${n}`),
        summary: join(temp, `summary-${n}`)
      }
      for (const file of Object.values(f)) writeFileSync(file, '')
      return f
    }
    const stepEnv = (step: Step) =>
      Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [
          k,
          interpolateString(v, {contexts: contexts()})
        ])
      )
    const node = (
      file: string,
      env: Record<string, string>,
      what: string,
      mayFail = false
    ): {
      outputs: Record<string, string>
      state: Record<string, string>
      ok: boolean
    } => {
      const f = files()
      const r = spawnSync(process.execPath, [file], {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...baseEnv,
          ...env,
          GITHUB_OUTPUT: f.output,
          GITHUB_STATE: f.state,
          GITHUB_STEP_SUMMARY: f.summary
        }
      })
      if (!mayFail) {
        assert.equal(r.status, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`)
      }
      return {
        outputs: parseOutputFile(readFileSync(f.output, 'utf8')),
        state: parseOutputFile(readFileSync(f.state, 'utf8')),
        ok: r.status === 0
      }
    }

    for (const step of steps) {
      if (!condition(step.if, {contexts: contexts()})) continue
      const uses = step.uses ?? ''
      if (PROVIDED_USES.some(a => uses.startsWith(`${a}@`))) continue
      if (step.run && PROVIDED_RUN.includes(step.run.trim())) continue
      if (uses.startsWith('opentofu/setup-opentofu@')) {
        // The test bed's OpenTofu, the version stage.yml's tests prove.
        symlinkSync(tofu, join(bin, 'tofu'))
        continue
      }
      if (step.run) {
        const f = files()
        const r = spawnSync(
          'bash',
          ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run],
          {
            cwd: ROOT,
            encoding: 'utf8',
            env: {...baseEnv, ...stepEnv(step), GITHUB_OUTPUT: f.output}
          }
        )
        assert.equal(
          r.status,
          0,
          `step '${label(step)}' failed:\n${r.stdout}\n${r.stderr}`
        )
        if (step.id) {
          results[step.id] = done(
            parseOutputFile(readFileSync(f.output, 'utf8'))
          )
        }
        continue
      }
      assert.ok(
        uses.startsWith('./'),
        `the smoke job uses ${uses}, which this test cannot run: add it to what this machine provides, with the reason`
      )
      const dir = join(ROOT, uses)
      const meta = parse(
        readFileSync(join(dir, 'action.yml'), 'utf8')
      ) as ActionYml
      assert.equal(meta.runs.using, 'node24', uses)
      const env: Record<string, string> = stepEnv(step)
      for (const [name, input] of Object.entries(meta.inputs ?? {})) {
        const given = step.with?.[name]
        const value =
          given !== undefined
            ? interpolateString(given, {contexts: contexts()})
            : input.default !== undefined
              ? interpolateString(input.default, {contexts: contexts()})
              : undefined
        if (value !== undefined) env[inputEnvName(name)] = value
      }
      for (const name of Object.keys(step.with ?? {})) {
        assert.ok(name in (meta.inputs ?? {}), `${uses} has no input ${name}`)
      }
      const r = node(
        join(dir, meta.runs.main),
        env,
        `step '${label(step)}'`,
        step['continue-on-error'] === true
      )
      if (step.id) results[step.id] = done(r.outputs, r.ok)
      if (meta.runs.post) {
        posts.push({step, file: join(dir, meta.runs.post), state: r.state})
      }
    }
    // Post steps run last, in reverse order, with their main step's state.
    for (const post of posts.reverse()) {
      const env: Record<string, string> = {}
      for (const [k, v] of Object.entries(post.state)) {
        env[`STATE_${k}`] = v
      }
      node(post.file, env, `post of '${label(post.step)}'`)
    }
    assert.ok(posts.length > 0, 'generate-certs has a post step')
  } finally {
    rmSync(temp, {recursive: true, force: true})
  }
})
