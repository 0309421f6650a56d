import {mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join, relative, resolve} from 'node:path'
import {ConfigurationError} from '../../common/errors.ts'
import {resolveInside} from '../../common/paths.ts'
import {instanceName} from '../../terraform/backend.ts'
import type {StageInputs} from '../../terraform/stage.ts'
import {
  bool,
  duration,
  given,
  keyValues,
  lines,
  oneOf,
  optional,
  required,
  secret,
  text,
  type InputSpec,
  type Inputs,
  type Parser
} from '../../common/inputs.ts'

/** Safe in an S3 key, a file name and a comment marker. */
const instanceInput: Parser<string> = (raw, name) => {
  if (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(raw) && !raw.includes('..')) {
    return raw
  }
  throw new ConfigurationError(
    `input '${name}' must be a name of letters, digits, '-', '_' and '.' (at most 128), got '${raw}'`
  )
}

/**
 * Values reach the stage through a .tfvars.json file, where a string stays a
 * string: a list or map (a value starting with `[` or `{`) is written in
 * JSON and passed on as JSON, so `cluster_names=["a","b"]` works as it
 * would with -var. Numbers and booleans convert from strings by themselves.
 */
const variables: Parser<Record<string, unknown>> = (raw, name) => {
  const parsed: Record<string, unknown> = keyValues(raw, name)
  for (const [key, value] of Object.entries(parsed)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
      throw new ConfigurationError(
        `input '${name}' must name Terraform variables (letters, digits, '_' and '-'), got '${key}'`
      )
    }
    if (typeof value === 'string' && /^[[{]/.test(value)) {
      try {
        parsed[key] = JSON.parse(value)
      } catch {
        throw new ConfigurationError(
          `input '${name}': the value of '${key}' starts like a list or map but is not JSON (write lists as ["a","b"] and maps as {"k":"v"})`
        )
      }
    }
  }
  return parsed
}

const sha256Hex: Parser<string> = (raw, name) => {
  const value = raw.replace(/^sha256:/, '').toLowerCase()
  if (/^[0-9a-f]{64}$/.test(value)) return value
  throw new ConfigurationError(
    `input '${name}' must be a plan-digest (64 hexadecimal characters), got '${raw}'`
  )
}

export const spec = {
  stage: required(text),
  instance: optional(instanceInput),
  command: optional(oneOf('plan', 'apply', 'destroy')),
  backend: optional(oneOf('local', 's3')),
  'backend-config': optional(keyValues),
  vars: optional(variables),
  'var-files': optional(lines),
  'plan-file': optional(text),
  'allow-destroy': optional(bool),
  'comment-on-pr': optional(bool),
  'github-token': secret(optional(text)),
  binary: optional(text),
  'lock-timeout': optional(duration),
  lock: optional(bool),
  'plugin-cache': optional(bool),
  protect: optional(lines),
  'expected-plan-digest': optional(sha256Hex)
} satisfies InputSpec

export type Parsed = Inputs<typeof spec>

/**
 * Applying a saved plan checks its digest against the reviewed one; without
 * `expected-plan-digest` any file that arrives as the plan would be applied.
 * In a workflow that is refused; locally (a plan made and read on the same
 * machine) it is allowed with the returned warning.
 */
export function unreviewedPlanWarning(
  command: StageInputs['command'],
  i: Pick<Parsed, 'plan-file' | 'expected-plan-digest'>,
  env: NodeJS.ProcessEnv
): string | undefined {
  if (command !== 'apply' || !i['plan-file'] || i['expected-plan-digest']) {
    return undefined
  }
  if (env.GITHUB_ACTIONS === 'true') {
    throw new ConfigurationError(
      `input 'expected-plan-digest' is required to apply a saved plan ('plan-file') in GitHub Actions: give it the plan job's 'plan-digest' output (expected-plan-digest: \${{ needs.<plan job>.outputs.plan-digest }}), so only the reviewed plan is applied`
    )
  }
  return `input 'expected-plan-digest' is empty: the saved plan in 'plan-file' is applied without checking that it is the reviewed one (allowed outside GitHub Actions only)`
}

/**
 * The typed settings of one run, every path checked to stay inside the
 * workspace or RUNNER_TEMP, before anything is created. `warn` receives
 * what is allowed but unsafe.
 */
export function stageInputs(
  i: Parsed,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void
): Omit<StageInputs, 'tempDir'> {
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd())
  const stageDir = resolveInside(i.stage, 'stage', env)
  const command = i.command ?? 'plan'
  let planFile = i['plan-file']
    ? resolveInside(i['plan-file'], 'plan-file', env)
    : undefined
  if (!planFile && command === 'plan') {
    // Kept after the step so a later step can upload it; RUNNER_TEMP is
    // emptied when the job ends.
    const dir = join(env.RUNNER_TEMP || tmpdir(), 'apply-stage-plans')
    mkdirSync(dir, {recursive: true, mode: 0o700})
    planFile = join(
      dir,
      `${basename(stageDir)}-${instanceName(i.instance)}.tfplan`
    )
  }
  if (i['expected-plan-digest'] && command === 'plan') {
    throw new ConfigurationError(
      `input 'expected-plan-digest' applies to command apply or destroy, got command 'plan'`
    )
  }
  // Rule 19: whatever will be applied is planned and applied under the lock.
  const lock = given(i.lock, 'lock')
  if (!lock && command !== 'plan') {
    throw new ConfigurationError(
      `input 'lock' may be false only with command 'plan' (previews and drift checks); command '${command}' always takes the state lock`
    )
  }
  const warning = unreviewedPlanWarning(command, i, env)
  if (warning) warn(warning)
  return {
    stageDir,
    stageLabel: relative(workspace, stageDir) || '.',
    instance: i.instance,
    command,
    backend: i.backend ?? 'local',
    backendConfig: i['backend-config'] ?? {},
    vars: i.vars ?? {},
    varFiles: (i['var-files'] ?? []).map(f =>
      resolveInside(f, 'var-files', env)
    ),
    planFile,
    allowDestroy: i['allow-destroy'] ?? false,
    lockTimeoutMs: i['lock-timeout'] ?? 300_000,
    lock,
    protect: i.protect ?? [],
    expectedDigest: i['expected-plan-digest'],
    pluginCache: i['plugin-cache'] ?? true,
    workspace,
    tool: basename(i.binary ?? 'terraform')
  }
}

export function binaryPath(
  raw: string | undefined,
  env: NodeJS.ProcessEnv
): string {
  const binary = raw ?? 'terraform'
  // A bare name is looked up on PATH; anything with a slash is a path.
  return binary.includes('/')
    ? resolve(env.GITHUB_WORKSPACE || process.cwd(), binary)
    : binary
}
