import {spawn} from 'node:child_process'

export interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface CliIo {
  cwd: string
  env?: NodeJS.ProcessEnv
  /** Each complete line of stdout, as soon as it arrives. */
  onStdoutLine?: (line: string) => void
}

/** The Terraform/OpenTofu command line, as the stage logic sees it. */
export interface TerraformCli {
  run(args: string[], io: CliIo): Promise<CliResult>
}

/**
 * Cuts a byte stream into lines as it arrives; a multi-byte character split
 * across chunks is kept whole. `end` hands over a last unterminated line.
 */
export function lineSplitter(onLine: (line: string) => void): {
  write(chunk: Buffer): void
  end(): void
} {
  let pending: Buffer = Buffer.alloc(0)
  return {
    write(chunk) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
      let at: number
      while ((at = pending.indexOf(0x0a)) >= 0) {
        onLine(pending.subarray(0, at).toString('utf8'))
        pending = pending.subarray(at + 1)
      }
    },
    end() {
      if (pending.length) onLine(pending.toString('utf8'))
      pending = Buffer.alloc(0)
    }
  }
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
        const lines = io.onStdoutLine && lineSplitter(io.onStdoutLine)
        child.stdout.on('data', (d: Buffer) => {
          out.push(d)
          lines?.write(d)
        })
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
          lines?.end()
          resolve({
            exitCode: code ?? 1,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8')
          })
        })
      })
  }
}
