import {spawn} from 'node:child_process'

export interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** The Terraform/OpenTofu command line, as the stage logic sees it. */
export interface TerraformCli {
  run(
    args: string[],
    io: {cwd: string; env?: NodeJS.ProcessEnv}
  ): Promise<CliResult>
}

/**
 * Spawns the binary directly (no shell, nothing echoed), so argv is never
 * printed and no value is interpreted by a shell.
 */
export function spawnCli(
  binary: string,
  baseEnv: NodeJS.ProcessEnv
): TerraformCli {
  return {
    run: (args, io) =>
      new Promise((resolve, reject) => {
        const child = spawn(binary, args, {
          cwd: io.cwd,
          env: {...baseEnv, TF_IN_AUTOMATION: '1', TF_INPUT: '0', ...io.env},
          stdio: ['ignore', 'pipe', 'pipe']
        })
        // A cancelled step gets SIGINT/SIGTERM; passing SIGINT on lets the
        // CLI stop gracefully and release the state lock, instead of being
        // orphaned while it holds it.
        const forward = () => void child.kill('SIGINT')
        process.on('SIGINT', forward)
        process.on('SIGTERM', forward)
        const out: Buffer[] = []
        const err: Buffer[] = []
        child.stdout.on('data', (d: Buffer) => out.push(d))
        child.stderr.on('data', (d: Buffer) => err.push(d))
        child.on('error', e => {
          process.off('SIGINT', forward)
          process.off('SIGTERM', forward)
          reject(
            (e as NodeJS.ErrnoException).code === 'ENOENT'
              ? new Error(`cannot run '${binary}': not found on PATH`)
              : e
          )
        })
        child.on('close', code => {
          process.off('SIGINT', forward)
          process.off('SIGTERM', forward)
          resolve({
            exitCode: code ?? 1,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8')
          })
        })
      })
  }
}
