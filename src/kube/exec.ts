import type {Connection} from './client.ts'
import {
  CLOSE_CHANNEL,
  openStream,
  splitFrame,
  StreamError,
  V4_CHANNEL,
  V5_CHANNEL
} from './stream.ts'

/** Channels of the exec protocol. */
export const STDOUT = 1
export const STDERR = 2
/** The final Status (v4, v5): JSON with the exit code. */
export const ERROR = 3

export interface ExecRequest {
  namespace: string
  pod: string
  container: string
  command: readonly string[]
  /** Cut the command off (and report partial output) after this long. */
  timeoutMs: number
  /** Stop reading (and report partial output) past this many bytes. */
  maxOutputBytes?: number
  signal?: AbortSignal
}

export interface ExecResult {
  stdout: string
  stderr: string
  /** The command's exit code; undefined when it did not finish. */
  exitCode?: number
  /** Why the command did not end with exit code 0, when it did not. */
  error?: string
  /** Whether the API server closed the stream after a final status. */
  complete: boolean
}

export function execPath(
  r: Pick<ExecRequest, 'namespace' | 'pod' | 'container' | 'command'>
): string {
  const q = new URLSearchParams()
  q.set('container', r.container)
  for (const part of r.command) q.append('command', part)
  q.set('stdout', 'true')
  q.set('stderr', 'true')
  return `/api/v1/namespaces/${encodeURIComponent(r.namespace)}/pods/${encodeURIComponent(r.pod)}/exec?${q}`
}

/**
 * The final Status the error channel carries: Success is exit code 0;
 * NonZeroExitCode has the code as cause ExitCode; anything else is a
 * failure to run the command (its message).
 */
export function execOutcome(text: string): {exitCode?: number; error?: string} {
  if (text.trim() === '') return {}
  let status: {
    status?: string
    reason?: string
    message?: string
    details?: {causes?: {reason?: string; message?: string}[]}
  }
  try {
    status = JSON.parse(text)
  } catch {
    // The channel protocol before v4 sent plain text.
    return {error: text.trim().slice(0, 300)}
  }
  if (status.status === 'Success') return {exitCode: 0}
  const code = status.details?.causes?.find(c => c.reason === 'ExitCode')
  const exitCode = code?.message ? Number(code.message) : undefined
  return {
    ...(Number.isInteger(exitCode) ? {exitCode} : {}),
    error: (status.message ?? status.reason ?? 'exec failed').slice(0, 300)
  }
}

/**
 * Runs a command in a container through the API server's exec subresource
 * over a WebSocket (v5.channel.k8s.io, else v4), without stdin or a TTY.
 * A refused upgrade throws a StreamError with the API server's status and
 * message; a command that fails or is cut off resolves with what it wrote.
 */
export async function execInPod(
  conn: Connection,
  cluster: string,
  r: ExecRequest
): Promise<ExecResult> {
  const what = `${cluster}: exec in ${r.namespace}/${r.pod} (${r.container})`
  const ws = await openStream(conn, execPath(r), {
    what,
    protocols: [V5_CHANNEL, V4_CHANNEL],
    signal: r.signal
  })
  const max = r.maxOutputBytes ?? 1 << 20
  const out: Buffer[] = []
  const err: Buffer[] = []
  const status: Buffer[] = []
  let size = 0
  let truncated = false
  return new Promise<ExecResult>((resolve, reject) => {
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      ws.terminate()
    }, r.timeoutMs)
    const onAbort = () => ws.terminate()
    r.signal?.addEventListener('abort', onAbort, {once: true})
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return
      const {channel, payload} = splitFrame(data)
      if (channel === CLOSE_CHANNEL) return
      if (channel === ERROR) {
        status.push(payload)
        return
      }
      if (channel !== STDOUT && channel !== STDERR) return
      size += payload.length
      if (size > max) {
        truncated = true
        ws.terminate()
        return
      }
      ;(channel === STDOUT ? out : err).push(payload)
    })
    ws.on('error', e => {
      // A connection lost mid-command: what arrived is still reported.
      if (!out.length && !err.length && !status.length) {
        clearTimeout(timer)
        r.signal?.removeEventListener('abort', onAbort)
        reject(
          new StreamError(
            `${what} failed: ${(e as {code?: string}).code ?? 'connection lost'}`
          )
        )
      }
    })
    ws.on('close', () => {
      clearTimeout(timer)
      r.signal?.removeEventListener('abort', onAbort)
      const outcome = execOutcome(Buffer.concat(status).toString('utf8'))
      const complete = status.length > 0 && !truncated && !timedOut
      const cut = truncated
        ? `output over ${max} bytes, cut off`
        : timedOut
          ? `no exit within ${Math.round(r.timeoutMs / 1000)} s, cut off`
          : r.signal?.aborted
            ? 'cancelled'
            : !status.length
              ? 'the stream closed without an exit status'
              : undefined
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ...(outcome.exitCode === undefined || !complete
          ? {}
          : {exitCode: outcome.exitCode}),
        ...(cut ? {error: cut} : outcome.error ? {error: outcome.error} : {}),
        complete
      })
    })
  })
}
