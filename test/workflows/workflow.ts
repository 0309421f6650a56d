import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'
import {ROOT} from '../helpers/run-bundle.ts'

export const WORKFLOWS = join(ROOT, '.github', 'workflows')

export interface Step {
  id?: string
  name?: string
  if?: string
  uses?: string
  run?: string
  env?: Record<string, string>
  with?: Record<string, string | number | boolean>
  'continue-on-error'?: boolean
}

export interface Job {
  name?: string
  needs?: string | string[]
  if?: string
  environment?: string | {name: string}
  concurrency?: {group: string; 'cancel-in-progress'?: boolean | string}
  permissions?: Record<string, string> | string
  outputs?: Record<string, string>
  env?: Record<string, string>
  strategy?: {matrix?: Record<string, unknown>}
  steps?: Step[]
  uses?: string
  with?: Record<string, string | number | boolean>
  secrets?: Record<string, string> | 'inherit'
}

export interface WorkflowInput {
  description?: string
  type?: string
  required?: boolean
  default?: unknown
}

export interface Workflow {
  name?: string
  on: Record<string, unknown>
  permissions?: unknown
  concurrency?: {group: string; 'cancel-in-progress'?: boolean | string}
  jobs: Record<string, Job>
}

export interface WorkflowCall {
  inputs?: Record<string, WorkflowInput>
  secrets?: Record<string, {description?: string; required?: boolean}>
  outputs?: Record<string, {description?: string; value: string}>
}

export const workflowFiles = () =>
  readdirSync(WORKFLOWS).filter(f => /\.ya?ml$/.test(f))

export function loadWorkflow(file: string): {text: string; doc: Workflow} {
  const text = readFileSync(join(WORKFLOWS, file), 'utf8')
  return {text, doc: parse(text) as Workflow}
}

/** Every step of every job, with the job it sits in. */
export function allSteps(doc: Workflow): {job: string; step: Step}[] {
  return Object.entries(doc.jobs).flatMap(([job, j]) =>
    (j.steps ?? []).map(step => ({job, step}))
  )
}

/** The jobs a job names in `needs`, as a list. */
export const needsOf = (job: Job): string[] =>
  job.needs === undefined
    ? []
    : Array.isArray(job.needs)
      ? job.needs
      : [job.needs]

/** Every job a job waits for, directly or through the jobs it needs. */
export function ancestors(doc: Workflow, name: string): Set<string> {
  const found = new Set<string>()
  const visit = (job: string) => {
    for (const up of needsOf(doc.jobs[job] ?? {})) {
      if (!found.has(up)) {
        found.add(up)
        visit(up)
      }
    }
  }
  visit(name)
  return found
}

/** Steps of a job that use an action, local (`./actions/x`) or remote (`owner/x@sha`). */
export function stepsUsing(job: Job, action: string): Step[] {
  return (job.steps ?? []).filter(
    s => s.uses === action || s.uses?.startsWith(`${action}@`)
  )
}

/** `${{ a.b }}` with the spacing GitHub allows, for comparing expressions. */
export const expr = (value: unknown) =>
  String(value)
    .replace(/\$\{\{\s*(.*?)\s*\}\}/g, '${{ $1 }}')
    .trim()

/** The `name` of each `name=value` line, and of `format('name=...')` calls. */
export function assignedNames(text: string): string[] {
  const plain = [...text.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)]
  const formatted = [...text.matchAll(/format\('([A-Za-z_][A-Za-z0-9_]*)=/g)]
  return [...plain, ...formatted].map(m => m[1]!)
}

/**
 * Runs one `run:` script the way GitHub's default bash shell does
 * (`bash --noprofile --norc -eo pipefail`), with only the given environment
 * and a fresh GITHUB_OUTPUT, and returns what it wrote there.
 */
export function runScript(
  script: string,
  env: Record<string, string>,
  {cwd = ROOT}: {cwd?: string} = {}
): {status: number | null; stdout: string; outputs: Record<string, string>} {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-step-'))
  try {
    const output = join(dir, 'output')
    const r = spawnSync(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
      {
        cwd,
        encoding: 'utf8',
        env: {PATH: process.env.PATH ?? '', ...env, GITHUB_OUTPUT: output}
      }
    )
    let text = ''
    try {
      text = readFileSync(output, 'utf8')
    } catch {
      // The script failed before writing any output.
    }
    const outputs = Object.fromEntries(
      text
        .split('\n')
        .filter(l => l.includes('='))
        .map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
    )
    return {status: r.status, stdout: r.stdout + r.stderr, outputs}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** The one item a check expects, failing clearly when there are none or more. */
export function only<T>(items: T[], what: string): T {
  assert.equal(items.length, 1, `expected exactly one ${what}`)
  return items[0]!
}

/** A job of a loaded workflow, failing with the file's name when absent. */
export function jobIn(file: string, doc: Workflow, name: string): Job {
  const found = doc.jobs[name]
  assert.ok(found, `${file} has no job ${name}`)
  return found
}
