import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import {arch, platform} from 'node:os'
import {basename, join} from 'node:path'
import type {Core} from '../common/core.ts'
import {ConfigurationError} from '../common/errors.ts'
import {applyArgs, initArgs, outputArgs, planArgs, showArgs} from './argv.ts'
import {
  BACKEND_OVERRIDE_FILE,
  backendOverride,
  buildBackendConfig,
  type BackendKind
} from './backend.ts'
import type {CliResult, TerraformCli} from './cli.ts'
import {
  describeLock,
  diagnosticsOf,
  isLockError,
  isStalePlan,
  parseLockInfo,
  parseUiStream,
  toAnnotation,
  type Diagnostic
} from './diagnostics.ts'
import {destroyVerdict, listRefusals, type Refusal} from './guard.ts'
import {parsePlanJson} from './plan-json.ts'
import {planDigest} from './plan-digest.ts'
import {progressReader} from './progress.ts'
import {countsLine, summarizePlan, type PlanSummary} from './plan-summary.ts'
import {parseVersion, pluginCacheKey, type PluginCache} from './plugin-cache.ts'
import type {StageReport} from './render.ts'
import {withRetries} from './retry.ts'
import {sensitiveValues} from './sensitive.ts'

export type StageCommand = 'plan' | 'apply' | 'destroy'

export interface StageInputs {
  /** Absolute path of the stage folder. */
  stageDir: string
  /** The stage as the user named it, for display and the comment marker. */
  stageLabel: string
  instance?: string
  command: StageCommand
  backend: BackendKind
  backendConfig: Record<string, string>
  /** Strings, or lists and maps already parsed from JSON. */
  vars: Record<string, unknown>
  /** Absolute paths. */
  varFiles: string[]
  /** Absolute path; on apply/destroy, the reviewed plan to apply. */
  planFile?: string
  allowDestroy: boolean
  lockTimeoutMs: number
  /** False only for previews (command plan): plan with -lock=false. */
  lock: boolean
  protect: string[]
  expectedDigest?: string
  pluginCache: boolean
  /** Absolute; annotations are made relative to it. */
  workspace: string
  /** A private (0700) folder for this run's var files and plans. */
  tempDir: string
  /** Tool name for the cache key (`terraform`, `tofu` or the path's name). */
  tool: string
}

export interface StageDeps {
  cli: TerraformCli
  core: Core
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
  cache?: PluginCache
  /** Where providers are cached between inits. */
  pluginCacheDir?: string
}

export interface StageResult {
  report: StageReport
  summary?: PlanSummary
  digest?: string
  planFile?: string
  hasChanges: boolean
  /** Terraform outputs after apply, sensitive ones left out. */
  outputs?: Record<string, unknown>
  /** Every sensitive value seen, for redacting what goes to GitHub. */
  secrets: string[]
}

/** A failure already explained to the user; the report says why. */
export class StageFailure extends Error {
  override name = 'StageFailure'
  readonly result: StageResult
  constructor(message: string, result: StageResult) {
    super(message)
    this.result = result
  }
}

const RETRY = {attempts: 3, baseDelayMs: 2000, maxDelayMs: 20_000}
const VAR_FILE = 'apply-stage-vars.tfvars.json'
const INSTANCE_FILE = 'apply-stage-instance.tfvars.json'

function writePrivate(file: string, text: string): void {
  rmSync(file, {force: true})
  writeFileSync(file, text, {mode: 0o600, flag: 'wx'})
}

/** One run of a stage: what every phase reads and writes. */
interface StageRun {
  inputs: StageInputs
  deps: StageDeps
  /** The stage folder, where the CLI runs. */
  cwd: string
  env: NodeJS.ProcessEnv
  report: StageReport
  result: StageResult
  /** The plan this run writes, or the reviewed one it applies. */
  planFile: string
  /** command apply with a reviewed plan-file: no plan phase. */
  applyingSaved: boolean
  /** Private var files, written by the plan phase. */
  varFile: string
  instanceFile: string
}

/** What the plan phase leaves for the show phase to judge. */
interface Planned {
  /** The plan's exit code (2: changes); a saved plan counts as 2. */
  exitCode: number
  cli: CliResult
  startedMs: number
}

/**
 * Runs one stage instance as a pipeline: init, plan (unless applying the
 * reviewed plan), show, then for apply and destroy the guards, apply and
 * outputs. Decisions come from the plan JSON; the CLI's text is only shown.
 */
export async function runStage(
  inputs: StageInputs,
  deps: StageDeps
): Promise<StageResult> {
  const run = openRun(inputs, deps)
  // Validated before anything is written next to the stage.
  const backendConfig = buildBackendConfig({
    kind: inputs.backend,
    stageDir: run.cwd,
    instance: inputs.instance,
    config: inputs.backendConfig
  })
  const overrideFile = join(run.cwd, BACKEND_OVERRIDE_FILE)
  writePrivate(overrideFile, backendOverride(inputs.backend))
  try {
    await init(run, backendConfig)
    const planned = run.applyingSaved ? savedPlan(run) : await plan(run)
    await show(run, planned)
    if (inputs.command === 'plan') {
      run.report.status = run.result.hasChanges ? 'planned' : 'no-changes'
      return run.result
    }
    guard(run)
    await apply(run)
    await outputs(run)
    return run.result
  } finally {
    rmSync(overrideFile, {force: true})
    rmSync(run.varFile, {force: true})
    rmSync(run.instanceFile, {force: true})
    const ownPlan = !inputs.planFile
    if (ownPlan && inputs.command !== 'plan') {
      rmSync(run.planFile, {force: true})
    }
  }
}

/** Checks what must exist before anything runs, and sets up the report. */
function openRun(inputs: StageInputs, deps: StageDeps): StageRun {
  const cwd = inputs.stageDir
  if (!existsSync(cwd)) {
    throw new ConfigurationError(
      `input 'stage' must be an existing folder, got '${inputs.stageLabel}'`
    )
  }
  const planFile = inputs.planFile ?? join(inputs.tempDir, 'stage.tfplan')
  const applyingSaved = inputs.command === 'apply' && !!inputs.planFile
  if (applyingSaved && !existsSync(planFile)) {
    throw new ConfigurationError(
      `input 'plan-file' must name the reviewed saved plan to apply, but '${basename(planFile)}' does not exist`
    )
  }
  const report: StageReport = {
    stage: inputs.stageLabel,
    instance: inputs.instance,
    command: inputs.command,
    status: 'failed',
    durationsMs: {}
  }
  const env: NodeJS.ProcessEnv = {}
  if (deps.pluginCacheDir) {
    mkdirSync(deps.pluginCacheDir, {recursive: true})
    env.TF_PLUGIN_CACHE_DIR = deps.pluginCacheDir
  }
  return {
    inputs,
    deps,
    cwd,
    env,
    report,
    result: {report, hasChanges: false, secrets: []},
    planFile,
    applyingSaved,
    varFile: join(inputs.tempDir, VAR_FILE),
    instanceFile: join(inputs.tempDir, INSTANCE_FILE)
  }
}

function cli(run: StageRun, args: string[]): Promise<CliResult> {
  return run.deps.cli.run(args, {cwd: run.cwd, env: run.env})
}

/**
 * A plan or apply whose machine-readable UI is shown as it arrives, one
 * line per event (see progress.ts), instead of silence until it ends.
 */
function cliWithProgress(run: StageRun, args: string[]): Promise<CliResult> {
  const read = progressReader()
  return run.deps.cli.run(args, {
    cwd: run.cwd,
    env: run.env,
    onStdoutLine: line => {
      const text = read(line)
      if (text) run.deps.core.info(text)
    }
  })
}

/** Ends the run: the report says why, the caller gets the result. */
function fail(
  run: StageRun,
  message: string,
  refused?: Refusal[],
  headline = message
): never {
  run.report.message = headline
  if (refused) {
    run.report.status = 'refused'
    run.report.refused = refused
  }
  throw new StageFailure(message, run.result)
}

function retryOptions(run: StageRun, what: string) {
  const {core} = run.deps
  return {
    ...RETRY,
    sleep: run.deps.sleep,
    random: run.deps.random,
    onRetry: (n: number, reason: string, ms: number) =>
      core.warning(
        `${what} failed (${reason}); retry ${n} in ${Math.round(ms / 1000)} s`
      )
  }
}

function annotate(
  run: StageRun,
  diags: Diagnostic[],
  ignore?: (d: Diagnostic) => boolean
): void {
  const {core} = run.deps
  for (const d of diags) {
    if (ignore?.(d)) continue
    const a = toAnnotation(d, run.cwd, run.inputs.workspace)
    // Some diagnostics name a pseudo-file (TF_ENCRYPTION, a -var flag).
    const file = a.properties.file
    if (file && !existsSync(join(run.inputs.workspace, file))) {
      a.properties = {title: a.properties.title}
    }
    if (a.level === 'error') core.error(a.message, a.properties)
    else core.warning(a.message, a.properties)
  }
}

/** One line saying why a CLI step failed: a held lock, a stale plan, ... */
function explain(run: StageRun, what: string, r: CliResult): string {
  const {messages, plain} = parseUiStream(`${r.stdout}\n${r.stderr}`)
  const errors = diagnosticsOf(messages).filter(d => d.severity === 'error')
  const lock = errors.find(isLockError)
  if (lock) {
    const info = parseLockInfo(lock.detail ?? '')
    return `${what}: could not acquire the state lock within the lock timeout; ${info ? describeLock(info, run.deps.now()) : 'no lock information was given'}`
  }
  if (errors.some(isStalePlan)) {
    return `${what}: the saved plan is stale, the state changed after it was made. Plan again, review the new plan and apply that one`
  }
  const first = errors[0]?.summary ?? plain.find(l => /error/i.test(l))
  return `${what} failed (exit ${r.exitCode})${first ? `: ${first}` : ''}`
}

/** init, retried on transient failures, with the provider cache around it. */
async function init(
  run: StageRun,
  backendConfig: Record<string, string>
): Promise<void> {
  const {inputs, deps, report} = run
  const started = deps.now()
  await deps.core.group(`init ${inputs.stageLabel}`, async () => {
    const cacheKey = await restorePluginCache(inputs, deps, args =>
      cli(run, args)
    )
    const r = await withRetries(
      async () => {
        const res = await cli(
          run,
          initArgs(backendConfig, inputs.lockTimeoutMs)
        )
        return {
          result: res,
          failure:
            res.exitCode === 0 ? undefined : `${res.stdout}\n${res.stderr}`
        }
      },
      retryOptions(run, 'init')
    )
    report.durationsMs.init = deps.now() - started
    if (r.exitCode !== 0) {
      annotate(run, diagnosticsOf(parseUiStream(r.stdout).messages))
      fail(run, explain(run, 'init', r))
    }
    if (cacheKey && inputs.command === 'plan') {
      await deps.cache
        ?.save(deps.pluginCacheDir!, cacheKey)
        .catch(e =>
          deps.core.warning(`provider cache not saved: ${(e as Error).message}`)
        )
    }
    deps.core.info(`init done in ${report.durationsMs.init} ms`)
  })
}

/** Applying the reviewed plan: nothing is planned, the file is shown as is. */
function savedPlan(run: StageRun): Planned {
  return {
    exitCode: 2,
    cli: {exitCode: 0, stdout: '', stderr: ''},
    startedMs: run.deps.now()
  }
}

/** plan -out, retried on transient failures; variables in private files. */
async function plan(run: StageRun): Promise<Planned> {
  const {inputs, deps, report, planFile} = run
  const startedMs = deps.now()
  // A plan left by an earlier run must never be mistaken for this one.
  rmSync(planFile, {force: true})
  const varFiles = [...inputs.varFiles]
  if (Object.keys(inputs.vars).length > 0) {
    writePrivate(run.varFile, JSON.stringify(inputs.vars))
    varFiles.push(run.varFile)
  }
  if (inputs.instance && !('instance' in inputs.vars)) {
    // A var file, unlike -var, only warns about an undeclared variable:
    // the instance reaches the stage exactly when it declares one.
    writePrivate(run.instanceFile, JSON.stringify({instance: inputs.instance}))
    varFiles.unshift(run.instanceFile)
  }
  const r = await deps.core.group(`plan ${inputs.stageLabel}`, async () => {
    const res = await withRetries(
      async () => {
        const attempt = await cliWithProgress(
          run,
          planArgs({
            planFile,
            varFiles,
            lockTimeoutMs: inputs.lockTimeoutMs,
            destroy: inputs.command === 'destroy',
            // Rule 19: never skip the lock for a plan that is applied.
            lock: inputs.lock || inputs.command !== 'plan'
          })
        )
        return {
          result: attempt,
          failure:
            attempt.exitCode === 1
              ? `${attempt.stdout}\n${attempt.stderr}`
              : undefined
        }
      },
      retryOptions(run, 'plan')
    )
    // The warning has no range; it names the file, and that private
    // file holds nothing but the instance.
    const isOurInstanceWarning = (d: Diagnostic) =>
      d.severity === 'warning' &&
      /undeclared variable/i.test(d.summary) &&
      (d.range?.filename === run.instanceFile ||
        (d.detail ?? '').includes(run.instanceFile))
    annotate(
      run,
      diagnosticsOf(parseUiStream(res.stdout).messages),
      isOurInstanceWarning
    )
    return res
  })
  if (r.exitCode !== 0 && r.exitCode !== 2) {
    report.durationsMs.plan = deps.now() - startedMs
    if (!existsSync(planFile)) fail(run, explain(run, 'plan', r))
  }
  run.result.planFile = planFile
  // A saved plan holds sensitive values in clear (or sealed): owner only.
  if (existsSync(planFile)) chmodSync(planFile, 0o600)
  return {exitCode: r.exitCode, cli: r, startedMs}
}

/**
 * show -json: the one source of every count and decision. Masks every
 * secret in the plan before anything else is printed.
 */
async function show(run: StageRun, planned: Planned): Promise<void> {
  const {deps, report, result, applyingSaved} = run
  const {core} = deps
  const shown = await cli(run, showArgs(run.planFile))
  if (shown.exitCode !== 0) {
    fail(
      run,
      applyingSaved
        ? `${explain(run, 'show', shown)}. The file in 'plan-file' is not a plan this tool can read: made by another version, damaged, or encrypted with another key`
        : explain(run, 'show', shown)
    )
  }
  const planJson = parsePlanJson(shown.stdout)
  result.secrets = sensitiveValues(planJson)
  for (const s of result.secrets) core.setSecret(s)
  const summary = summarizePlan(planJson)
  const digest = planDigest(planJson)
  result.summary = summary
  result.digest = digest
  report.summary = summary
  report.digest = digest
  if (!applyingSaved) report.durationsMs.plan = deps.now() - planned.startedMs
  const {exitCode} = planned
  // Output-only and moved-only plans exit 2 with nothing but no-ops in
  // resource_changes; the JSON check covers a saved plan given to apply.
  result.hasChanges = summary.hasChanges || (!applyingSaved && exitCode === 2)
  if (!applyingSaved && summary.hasChanges !== (exitCode === 2)) {
    core.debug(
      `plan exited ${exitCode} but the plan JSON says hasChanges=${summary.hasChanges}; counted as changed`
    )
  }
  core.info(
    `${countsLine(summary.counts)}; drift ${summary.counts.drift}; digest ${digest}`
  )
  if (!summary.isApplyable || (exitCode !== 0 && exitCode !== 2)) {
    fail(
      run,
      `${explain(run, 'plan', planned.cli)}; the plan reports errors and cannot be applied`
    )
  }
}

/** The gates before apply: the reviewed digest, deletes, protected addresses. */
function guard(run: StageRun): void {
  const {inputs, result} = run
  const digest = result.digest!
  if (inputs.expectedDigest && inputs.expectedDigest !== digest) {
    fail(
      run,
      `the plan's digest ${digest} differs from input 'expected-plan-digest' ${inputs.expectedDigest}: this is not the plan that was reviewed`,
      []
    )
  }
  const verdict = destroyVerdict(
    result.summary!.resources,
    inputs.allowDestroy,
    inputs.protect
  )
  if (verdict.ok) return
  const protectedHits = verdict.refused.filter(r => r.protectedBy)
  fail(
    run,
    protectedHits.length > 0
      ? `the plan deletes or replaces protected resources (input 'protect'), which is refused even with allow-destroy: ${listRefusals(protectedHits)}`
      : `the plan deletes or replaces ${verdict.refused.length} resource(s) and input 'allow-destroy' is false: ${listRefusals(verdict.refused)}`,
    verdict.refused,
    protectedHits.length > 0
      ? `the plan deletes or replaces resources matched by input 'protect'; refused even with allow-destroy:`
      : `the plan deletes or replaces resources and input 'allow-destroy' is false:`
  )
}

/** Applies the checked plan, once: never retried. */
async function apply(run: StageRun): Promise<void> {
  const {inputs, deps, report} = run
  if (!run.result.hasChanges) {
    report.status = 'no-changes'
    return
  }
  const started = deps.now()
  await deps.core.group(`apply ${inputs.stageLabel}`, async () => {
    // Never retried: a half-applied change needs a new plan and review.
    const r = await cliWithProgress(
      run,
      applyArgs(run.planFile, inputs.lockTimeoutMs)
    )
    report.durationsMs.apply = deps.now() - started
    annotate(run, diagnosticsOf(parseUiStream(r.stdout).messages))
    if (r.exitCode !== 0) fail(run, explain(run, 'apply', r))
  })
  report.status = 'applied'
}

/** The stage's outputs after apply, sensitive ones masked and left out. */
async function outputs(run: StageRun): Promise<void> {
  const out = await cli(run, outputArgs())
  if (out.exitCode === 0) {
    run.result.outputs = publicOutputs(out.stdout, run.deps.core)
  }
}

function maskLeaves(value: unknown, core: Core): void {
  if (value === null || value === undefined) return
  if (typeof value === 'object') {
    for (const v of Object.values(value)) maskLeaves(v, core)
    return
  }
  const text = String(value)
  if (text.length >= 4) core.setSecret(text)
}

/**
 * `output -json` prints sensitive outputs in clear: each of their leaves is
 * masked, and only the others are returned.
 */
export function publicOutputs(
  stdout: string,
  core: Core
): Record<string, unknown> {
  const all = JSON.parse(stdout) as Record<
    string,
    {sensitive?: boolean; value?: unknown}
  >
  const outputs: Record<string, unknown> = {}
  for (const [name, o] of Object.entries(all)) {
    if (o.sensitive) maskLeaves(o.value, core)
    else outputs[name] = o.value
  }
  return outputs
}

async function restorePluginCache(
  inputs: StageInputs,
  deps: StageDeps,
  run: (args: string[]) => Promise<CliResult>
): Promise<string | undefined> {
  if (!inputs.pluginCache || !deps.cache || !deps.pluginCacheDir)
    return undefined
  const lockPath = join(inputs.stageDir, '.terraform.lock.hcl')
  if (!existsSync(lockPath)) {
    deps.core.info('no .terraform.lock.hcl: providers are not cached')
    return undefined
  }
  const version =
    parseVersion((await run(['version', '-json'])).stdout) ?? 'unknown'
  const key = pluginCacheKey({
    platform: platform(),
    arch: arch(),
    tool: inputs.tool,
    version,
    lockFile: readFileSync(lockPath, 'utf8')
  })
  try {
    const hit = await deps.cache.restore(deps.pluginCacheDir, key)
    deps.core.info(`provider cache ${hit ? 'hit' : 'miss'} (${key})`)
    return hit ? undefined : key
  } catch (e) {
    deps.core.warning(`provider cache not restored: ${(e as Error).message}`)
    return key
  }
}
