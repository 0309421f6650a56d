/**
 * Command lines for each step. No value that may be secret is ever put in
 * argv (process listings and exec echo show it): variables travel in a
 * var file written 0600 in the run's temp folder.
 */
export interface PlanArgs {
  planFile: string
  varFiles: readonly string[]
  lockTimeoutMs: number
  destroy: boolean
  /** Previews may skip the lock; plans that will be applied never do. */
  lock: boolean
}

export function lockTimeoutFlag(ms: number): string {
  return `-lock-timeout=${Math.ceil(ms / 1000)}s`
}

export function initArgs(
  backendConfig: Record<string, string>,
  lockTimeoutMs: number
): string[] {
  return [
    'init',
    '-input=false',
    '-no-color',
    '-json',
    '-reconfigure',
    lockTimeoutFlag(lockTimeoutMs),
    ...Object.entries(backendConfig).map(
      ([k, v]) => `-backend-config=${k}=${v}`
    )
  ]
}

export function planArgs(a: PlanArgs): string[] {
  return [
    'plan',
    '-input=false',
    '-no-color',
    '-json',
    '-detailed-exitcode',
    `-out=${a.planFile}`,
    ...(a.lock ? [lockTimeoutFlag(a.lockTimeoutMs)] : ['-lock=false']),
    ...(a.destroy ? ['-destroy'] : []),
    ...a.varFiles.map(f => `-var-file=${f}`)
  ]
}

export function showArgs(planFile: string): string[] {
  return ['show', '-json', '-no-color', planFile]
}

export function applyArgs(planFile: string, lockTimeoutMs: number): string[] {
  return [
    'apply',
    '-input=false',
    '-no-color',
    '-json',
    '-auto-approve',
    lockTimeoutFlag(lockTimeoutMs),
    planFile
  ]
}

export function outputArgs(): string[] {
  return ['output', '-json', '-no-color']
}
