import {spawnSync, type SpawnSyncReturns} from 'node:child_process'

export interface Run {
  status: number | null
  stdout: string
  /** stdout and stderr, for failure messages. */
  output: string
}

/** Runs a tool with nothing from the user's Terraform configuration. */
export function run(
  binary: string,
  args: string[],
  options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}
): Run {
  const r: SpawnSyncReturns<string> = spawnSync(binary, args, {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_CLI_CONFIG_FILE: '/dev/null',
      CHECKPOINT_DISABLE: '1',
      ...options.env
    }
  })
  if (r.error) throw r.error
  return {
    status: r.status,
    stdout: r.stdout,
    output: `${r.stdout}${r.stderr}`
  }
}
