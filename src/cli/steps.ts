import {ConfigurationError} from '../common/errors.ts'
import type {Console} from './console.ts'

export type StepStatus = 'pass' | 'fail' | 'skipped'

export interface Step {
  /** Short name: the table's first column and what a failure names. */
  name: string
  /** One line saying what the step does. */
  title: string
  /**
   * Does the work; returns a short note for the table (e.g. "created 2"),
   * throws to fail.
   */
  run(): Promise<string | void>
}

export interface StepResult {
  name: string
  status: StepStatus
  ms: number
  note: string
}

/** A step's failure, named: what `runSteps` reports and exits with. */
export class StepFailure extends ConfigurationError {
  readonly step: string
  constructor(step: string, number: number, message: string) {
    super(`step ${number} (${step}) failed: ${message}`)
    this.step = step
  }
}

export function formatSeconds(ms: number): string {
  return ms < 10_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.round(ms / 1000)} s`
}

/**
 * Runs steps in order, each with its number, title, outcome and time; the
 * first failure stops the run and the remaining steps are skipped.
 */
export async function runSteps(
  steps: readonly Step[],
  out: Console,
  now: () => number = Date.now
): Promise<StepResult[]> {
  const results: StepResult[] = []
  let failed = false
  for (const [i, step] of steps.entries()) {
    if (failed) {
      results.push({name: step.name, status: 'skipped', ms: 0, note: ''})
      continue
    }
    out.print(`[${i + 1}/${steps.length}] ${step.name}: ${step.title}`)
    const started = now()
    let status: StepStatus = 'pass'
    let note = ''
    try {
      note = (await step.run()) ?? ''
    } catch (err) {
      status = 'fail'
      note = err instanceof Error ? err.message : String(err)
      failed = true
    }
    const ms = now() - started
    const mark = status === 'pass' ? 'ok' : status.toUpperCase()
    out.print(
      `  ${mark}: ${step.name} in ${formatSeconds(ms)}${note ? ` (${note.split('\n')[0]})` : ''}`
    )
    results.push({name: step.name, status, ms, note})
  }
  return results
}

/** The first step that failed, as the error the command exits with. */
export function firstProblem(
  results: readonly StepResult[]
): StepFailure | null {
  const index = results.findIndex(r => r.status === 'fail')
  const bad = results[index]
  if (!bad) return null
  return new StepFailure(bad.name, index + 1, bad.note)
}

/** The closing table: each step, its result and its time. */
export function renderTable(
  results: readonly StepResult[],
  totalMs: number
): string {
  const rows = results.map((r, i) => [
    `${i + 1}. ${r.name}`,
    r.status,
    r.status === 'skipped' ? '' : formatSeconds(r.ms),
    firstLine(r.note)
  ])
  const all = [['step', 'result', 'time', 'note'], ...rows]
  const widths = [0, 1, 2].map(c => Math.max(...all.map(row => row[c]!.length)))
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell))
      .join('  ')
      .trimEnd()
  return [
    line(all[0]!),
    ...rows.map(line),
    `total ${formatSeconds(totalMs)}`
  ].join('\n')
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > 100 ? `${line.slice(0, 97)}...` : line
}
