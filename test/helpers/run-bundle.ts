import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {
  readActionMetadata,
  repositoryRoot,
  withDefaults,
  type ActionName
} from '../../src/common/action-metadata.ts'
import {inputEnvName} from '../../src/common/inputs.ts'

// test/helpers/ is two levels below the root, like src/common/.
export const ROOT = repositoryRoot(import.meta.url)

// Each run's folder is its RUNNER_TEMP (saved plans, state, keys): kept for
// the rest of the test file, which may hand it to a later step, then removed.
const runFolders: string[] = []
process.on('exit', () => {
  for (const dir of runFolders) rmSync(dir, {recursive: true, force: true})
})

export interface BundleRun {
  status: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

/**
 * Parses a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIM` blocks,
 * as @actions/core writes them.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const block = /^([^=<]+)<<(.+)$/.exec(line)
    if (block) {
      const [, name, delimiter] = block
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) {
        value.push(lines[i]!)
      }
      outputs[name!] = value.join('\n')
    } else if (line.includes('=')) {
      const at = line.indexOf('=')
      outputs[line.slice(0, at)] = line.slice(at + 1)
    }
  }
  return outputs
}

/**
 * Runs a committed bundle the way the runner does: the action's defaults
 * from its action.yml plus the given inputs as INPUT_* variables, and fresh
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
 */
export async function runBundle(
  bundle: string,
  inputs: Record<string, string>,
  options: {
    env?: NodeJS.ProcessEnv
    defaultsFrom?: ActionName
    cwd?: string
  } = {}
): Promise<BundleRun> {
  const dir = mkdtempSync(join(tmpdir(), 'run-bundle-'))
  runFolders.push(dir)
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  let env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: options.cwd ?? dir,
    RUNNER_TEMP: dir,
    ...options.env
  }
  for (const [name, value] of Object.entries(inputs)) {
    env[inputEnvName(name)] = value
  }
  if (options.defaultsFrom) {
    env = withDefaults(readActionMetadata(options.defaultsFrom, ROOT), env)
  }
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist', bundle, 'index.js')],
    {env, cwd: options.cwd ?? dir}
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => (stdout += d))
  child.stderr.on('data', d => (stderr += d))
  const status = await new Promise<number | null>(resolve =>
    child.on('close', code => resolve(code))
  )
  return {
    status,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8')
  }
}
