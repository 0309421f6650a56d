import WebSocket from 'ws'
import type {Connection} from './client.ts'

/**
 * The streaming subresources (pods/exec, pods/portforward) upgrade an
 * HTTP GET to a WebSocket whose binary messages start with a channel
 * byte: the Kubernetes channel protocols `v5.channel.k8s.io` (exec; adds a
 * close signal) and `v4.channel.k8s.io` (exec and port-forward).
 * The framing is the `ws` library's; only the channel byte is ours.
 */
export const V5_CHANNEL = 'v5.channel.k8s.io'
export const V4_CHANNEL = 'v4.channel.k8s.io'

/** v5's "close this channel" message: channel 255, then the channel id. */
export const CLOSE_CHANNEL = 255

/**
 * A refused upgrade or a lost connection. An upgrade the API server
 * refuses carries its status, the Status reason and message: these
 * requests hold no secret (a pod, a container, our own command), and the
 * message is what tells "pod has no node" from "forbidden".
 */
export class StreamError extends Error {
  override name = 'StreamError'
  readonly status: number | undefined
  readonly reason: string | undefined
  constructor(message: string, status?: number, reason?: string) {
    super(message)
    this.status = status
    this.reason = reason
  }
}

export function splitFrame(data: Buffer): {channel: number; payload: Buffer} {
  return {channel: data[0] ?? -1, payload: data.subarray(1)}
}

export function frame(channel: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload
  return Buffer.concat([Buffer.from([channel]), body])
}

const oneLine = (text: string, max = 300) => {
  const t = text.replace(/\s+/g, ' ').trim()
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}

/** Status and reason (and message) of a refused upgrade's answer body. */
export function refusal(
  what: string,
  status: number | undefined,
  body: string
): StreamError {
  let reason: string | undefined
  let message: string | undefined
  try {
    const s = JSON.parse(body) as {reason?: unknown; message?: unknown}
    if (typeof s.reason === 'string' && /^[A-Za-z]{1,64}$/.test(s.reason)) {
      reason = s.reason
    }
    if (typeof s.message === 'string') message = oneLine(s.message)
  } catch {
    // Not a Status: a proxy's page, say. Only the status is shown.
  }
  const parts = [status === undefined ? '' : String(status), reason, message]
    .filter(Boolean)
    .join(' ')
  return new StreamError(
    `${what} failed: ${parts || 'no answer'}`,
    status,
    reason
  )
}

export interface OpenOptions {
  /** Names the request in errors: cluster, verb, pod. */
  what: string
  protocols: string[]
  handshakeTimeoutMs?: number
  signal?: AbortSignal
}

/** Opens a channel WebSocket to an API-server path (with its query). */
export function openStream(
  conn: Connection,
  path: string,
  o: OpenOptions
): Promise<WebSocket> {
  const base = new URL(conn.server)
  const url = new URL(base.pathname.replace(/\/$/, '') + path, base)
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:'
  const auth = conn.token
    ? `Bearer ${conn.token}`
    : conn.basic
      ? `Basic ${conn.basic}`
      : undefined
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) {
      reject(new StreamError(`${o.what}: cancelled`))
      return
    }
    const ws = new WebSocket(url, o.protocols, {
      headers: auth ? {authorization: auth} : {},
      handshakeTimeout: o.handshakeTimeoutMs ?? 30_000,
      perMessageDeflate: false,
      followRedirects: false,
      ...(conn.ca ? {ca: conn.ca} : {}),
      ...(conn.cert ? {cert: conn.cert} : {}),
      ...(conn.key ? {key: conn.key} : {}),
      ...(conn.servername ? {servername: conn.servername} : {}),
      rejectUnauthorized: !conn.insecure
    })
    const onAbort = () => ws.terminate()
    o.signal?.addEventListener('abort', onAbort, {once: true})
    let settled = false
    const fail = (err: Error) => {
      if (settled) return
      settled = true
      o.signal?.removeEventListener('abort', onAbort)
      reject(err)
    }
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        if ((size += c.length) <= 65_536) chunks.push(c)
      })
      res.on('end', () => {
        fail(
          refusal(
            o.what,
            res.statusCode,
            Buffer.concat(chunks).toString('utf8')
          )
        )
        ws.terminate()
      })
      res.on('error', () => fail(refusal(o.what, res.statusCode, '')))
    })
    ws.once('error', err => {
      const code = (err as {code?: string}).code
      fail(
        new StreamError(
          `${o.what} failed: ${o.signal?.aborted ? 'cancelled' : (code ?? oneLine(err.message, 120))}`
        )
      )
    })
    ws.once('open', () => {
      if (settled) return
      settled = true
      o.signal?.removeEventListener('abort', onAbort)
      resolve(ws)
    })
  })
}
