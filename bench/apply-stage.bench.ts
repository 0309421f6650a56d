// apply-stage's plan against the raw CLI doing the same work, on a stage of
// 2,000 builtin resources (big enough that Node's start-up cannot dominate):
//   action: the committed bundle, command plan (init, plan -out, show -json,
//           summary, digest, job summary, outputs)
//   raw:    tofu init && tofu plan -out && tofu show -json
// Both start from a fresh copy of the stage each time, interleaved, and the
// medians are compared. Then, in a fresh Node process, the time and peak
// memory to summarize that plan's JSON and render the comment.
import {spawnSync} from 'node:child_process'
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {inputEnvName} from '../src/common/inputs.ts'
import {parsePlanJson} from '../src/terraform/plan-json.ts'
import {planDigest} from '../src/terraform/plan-digest.ts'
import {summarizePlan} from '../src/terraform/plan-summary.ts'
import {
  COMMENT_BUDGET,
  renderStage,
  SUMMARY_BUDGET
} from '../src/terraform/render.ts'
import {sensitiveValues} from '../src/terraform/sensitive.ts'
import {redactor} from '../src/github/redact.ts'
import {ROOT} from '../test/helpers/run-bundle.ts'
import {need} from '../test/helpers/testbed.ts'

const REPS = Number(process.env.BENCH_REPS ?? 5)

if (process.argv[2] === '--render') {
  // Child mode: one measured summarize + render, nothing else loaded first.
  const started = performance.now()
  const plan = parsePlanJson(readFileSync(process.argv[3]!, 'utf8'))
  const summary = summarizePlan(plan)
  const redact = redactor(sensitiveValues(plan))
  const report = {
    stage: 'large',
    command: 'plan' as const,
    status: 'planned' as const,
    summary,
    digest: planDigest(plan),
    durationsMs: {}
  }
  const comment = redact(
    renderStage(report, {
      maxChars: COMMENT_BUDGET,
      fullPlanAt: 'the job summary'
    })
  )
  const jobSummary = redact(
    renderStage(report, {maxChars: SUMMARY_BUDGET, fullPlanAt: 'the plan'})
  )
  const ms = performance.now() - started
  process.stdout.write(
    JSON.stringify({
      ms,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      commentChars: comment.length,
      summaryChars: jobSummary.length,
      resources: summary.resources.length
    })
  )
  process.exit(0)
}

const tofu = need('tofu')
const env = {
  ...process.env,
  TF_CLI_CONFIG_FILE: '/dev/null',
  TF_IN_AUTOMATION: '1'
}

function sh(args: string[], cwd: string): string {
  const r = spawnSync(tofu, args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30
  })
  if (r.status !== 0 && r.status !== 2) {
    throw new Error(
      `tofu ${args[0]} failed (${r.status}): ${r.stderr.slice(0, 500)}`
    )
  }
  return r.stdout
}

function freshStage(): string {
  const ws = mkdtempSync(join(tmpdir(), 'bench-apply-stage-'))
  cpSync(join(ROOT, 'test/fixtures/stages/large'), join(ws, 'large'), {
    recursive: true
  })
  return ws
}

function timeRaw(): number {
  const ws = freshStage()
  const dir = join(ws, 'large')
  const t = performance.now()
  sh(['init', '-input=false', '-no-color'], dir)
  sh(['plan', '-input=false', '-no-color', '-out=raw.tfplan'], dir)
  sh(['show', '-json', 'raw.tfplan'], dir)
  const ms = performance.now() - t
  rmSync(ws, {recursive: true, force: true})
  return ms
}

function timeAction(): number {
  const ws = freshStage()
  const out = join(ws, 'output')
  const summary = join(ws, 'summary')
  writeFileSync(out, '')
  writeFileSync(summary, '')
  const inputs: Record<string, string> = {
    stage: 'large',
    command: 'plan',
    backend: 'local',
    binary: tofu,
    'lock-timeout': '5m',
    lock: 'true',
    'plugin-cache': 'false',
    'comment-on-pr': 'false',
    'allow-destroy': 'false',
    'plan-file': 'large.tfplan'
  }
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_WORKSPACE: ws,
    RUNNER_TEMP: ws
  }
  for (const [k, v] of Object.entries(inputs)) childEnv[inputEnvName(k)] = v
  const t = performance.now()
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'dist/apply-stage/index.js')],
    {
      cwd: ws,
      env: childEnv,
      encoding: 'utf8'
    }
  )
  const ms = performance.now() - t
  if (r.status !== 0)
    throw new Error(`apply-stage failed: ${r.stdout.slice(-800)}`)
  rmSync(ws, {recursive: true, force: true})
  return ms
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

// One warm-up of each, so neither side pays for cold file caches.
timeRaw()
timeAction()
const raw: number[] = []
const action: number[] = []
for (let i = 0; i < REPS; i++) {
  raw.push(timeRaw())
  action.push(timeAction())
}
const rawMs = median(raw)
const actionMs = median(action)

// The plan JSON for the render measurement, made by the same tofu.
const ws = freshStage()
sh(['init', '-input=false'], join(ws, 'large'))
sh(['plan', '-input=false', '-out=p.tfplan'], join(ws, 'large'))
const planFile = join(ws, 'plan.json')
writeFileSync(planFile, sh(['show', '-json', 'p.tfplan'], join(ws, 'large')))
const renders = Array.from({length: REPS}, () => {
  const r = spawnSync(
    process.execPath,
    [import.meta.filename, '--render', planFile],
    {encoding: 'utf8'}
  )
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as {
    ms: number
    maxRssMb: number
    commentChars: number
    summaryChars: number
    resources: number
  }
})
const planBytes = readFileSync(planFile).length
rmSync(ws, {recursive: true, force: true})

const renderMs = median(renders.map(r => r.ms))
const rssMb = Math.max(...renders.map(r => r.maxRssMb))
const pad = (s: string, n: number) => s.padEnd(n)
console.log(
  `apply-stage plan, 2,000 terraform_data resources, ${tofu}, median of ${REPS}`
)
console.log(`${pad('', 46)}${pad('median', 12)}runs (ms)`)
console.log(
  `${pad('raw: tofu init && plan -out && show -json', 46)}${pad(`${rawMs.toFixed(0)} ms`, 12)}${raw.map(x => x.toFixed(0)).join(' ')}`
)
console.log(
  `${pad('apply-stage (bundle, command plan)', 46)}${pad(`${actionMs.toFixed(0)} ms`, 12)}${action.map(x => x.toFixed(0)).join(' ')}`
)
console.log(
  `${pad('ratio action / raw', 46)}${(actionMs / rawMs).toFixed(2)}x (target <= 1.25x)`
)
console.log('')
console.log(
  `summarize + digest + render comment and job summary, ${renders[0]!.resources} changes, plan JSON ${(planBytes / 1e6).toFixed(1)} MB`
)
console.log(
  `${pad('time (median, fresh process)', 46)}${renderMs.toFixed(0)} ms (target < 1000 ms)`
)
console.log(
  `${pad('peak RSS of that process (Node included)', 46)}${rssMb.toFixed(0)} MB (target < 200 MB)`
)
console.log(
  `${pad('comment / job summary size', 46)}${renders[0]!.commentChars} / ${renders[0]!.summaryChars} characters`
)
