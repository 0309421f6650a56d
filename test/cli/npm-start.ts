import {spawn} from 'node:child_process'
import {ROOT} from '../helpers/run-bundle.ts'

export interface Started {
  status: number | null
  stdout: string
}

/**
 * `npm start -- <args>` from the repository root, as the README says to
 * run it; stdout and stderr together, in order.
 */
export async function npmStart(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env
): Promise<Started> {
  const child = spawn('npm', ['start', '--silent', '--', ...args], {
    cwd: ROOT,
    env
  })
  let stdout = ''
  child.stdout.on('data', d => (stdout += d))
  child.stderr.on('data', d => (stdout += d))
  const status = await new Promise<number | null>(r =>
    child.on('close', code => r(code))
  )
  return {status, stdout}
}

/** The closing table's rows: step name -> result. */
export function tableRows(stdout: string): Record<string, string> {
  const rows: Record<string, string> = {}
  for (const line of stdout.split('\n')) {
    const m = /^\d+\. (\S+)\s+(pass|fail|skipped)\b/.exec(line)
    if (m) rows[m[1]!] = m[2]!
  }
  return rows
}
