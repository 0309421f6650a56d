import type {Connection} from './client.ts'
import {
  frame,
  openStream,
  splitFrame,
  StreamError,
  V4_CHANNEL
} from './stream.ts'

/**
 * One HTTP GET to a pod's port through the API server's port-forward
 * subresource, as `istioctl` reaches istiod's debug API: the request
 * arrives from the pod's own loopback, which istiod serves without
 * authentication, while the caller needs only `pods/portforward` in
 * istiod's namespace.
 *
 * Over a WebSocket with v4.channel.k8s.io, every forwarded port has a data
 * channel (2i) and an error channel (2i+1); the kubelet first writes the
 * port number (2 bytes, little-endian) on each. Bytes after that on the
 * data channel are the pod's TCP stream; text on the error channel is the
 * kubelet's reason the connection failed.
 */
export interface PortRequest {
  namespace: string
  pod: string
  port: number
  path: string
  timeoutMs: number
  signal?: AbortSignal
}

export interface HttpAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

export function portForwardPath(
  r: Pick<PortRequest, 'namespace' | 'pod' | 'port'>
): string {
  return `/api/v1/namespaces/${encodeURIComponent(r.namespace)}/pods/${encodeURIComponent(r.pod)}/portforward?ports=${r.port}`
}

/**
 * HTTP/1.0 with no keep-alive: the server answers without chunking and
 * closes the connection, which ends the forwarded stream.
 */
export function httpRequestBytes(path: string, port: number): string {
  return `GET ${path} HTTP/1.0\r\nHost: localhost:${port}\r\nAccept: application/json\r\nUser-Agent: eks-istio-mesh\r\n\r\n`
}

export type Parsed =
  | {complete: false}
  | {complete: true; answer: HttpAnswer}
  | {complete: true; error: string}

function dechunk(body: Buffer): Buffer | undefined {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const eol = body.indexOf('\r\n', at)
    if (eol < 0) return undefined
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16)
    if (!Number.isFinite(size)) return undefined
    if (size === 0) return Buffer.concat(parts)
    const start = eol + 2
    if (body.length < start + size + 2) return undefined
    parts.push(body.subarray(start, start + size))
    at = start + size + 2
  }
}

/**
 * An HTTP/1.x response from the bytes received so far. `ended`: the
 * stream closed, so a body without a length is whole.
 */
export function parseHttpResponse(bytes: Buffer, ended: boolean): Parsed {
  const head = bytes.indexOf('\r\n\r\n')
  if (head < 0) {
    return ended
      ? {
          complete: true,
          error: bytes.length
            ? 'the answer ended inside its headers'
            : 'no answer (the connection closed)'
        }
      : {complete: false}
  }
  const lines = bytes.subarray(0, head).toString('latin1').split('\r\n')
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')
  if (!m) return {complete: true, error: 'the answer is not HTTP/1.x'}
  const headers: Record<string, string> = {}
  for (const line of lines.slice(1)) {
    const at = line.indexOf(':')
    if (at > 0)
      headers[line.slice(0, at).trim().toLowerCase()] = line
        .slice(at + 1)
        .trim()
  }
  let body = bytes.subarray(head + 4)
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const whole = dechunk(body)
    if (!whole) {
      return ended
        ? {complete: true, error: 'the chunked answer ended early'}
        : {complete: false}
    }
    body = whole
  } else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length'])
    if (body.length < length) {
      return ended
        ? {
            complete: true,
            error: `the answer ended after ${body.length} of ${length} bytes`
          }
        : {complete: false}
    }
    body = body.subarray(0, length)
  } else if (!ended) {
    return {complete: false}
  }
  return {
    complete: true,
    answer: {status: Number(m[1]), headers, body: body.toString('utf8')}
  }
}

/** Strips the 2-byte port prefix the kubelet writes first on a channel. */
export function portPrefixed(
  received: Buffer,
  port: number
): Buffer | undefined {
  if (received.length < 2) return undefined
  if (received.readUInt16LE(0) !== port) {
    throw new Error(
      `port-forward answered for port ${received.readUInt16LE(0)}, not ${port}`
    )
  }
  return received.subarray(2)
}

export async function portForwardGet(
  conn: Connection,
  cluster: string,
  r: PortRequest
): Promise<HttpAnswer> {
  const what = `${cluster}: port-forward to ${r.namespace}/${r.pod}:${r.port} GET ${r.path}`
  const ws = await openStream(conn, portForwardPath(r), {
    what,
    protocols: [V4_CHANNEL],
    signal: r.signal
  })
  let data = Buffer.alloc(0)
  let error = Buffer.alloc(0)
  return new Promise<HttpAnswer>((resolve, reject) => {
    let done = false
    const finish = (fn: () => void) => {
      if (done) return
      done = true
      clearTimeout(timer)
      r.signal?.removeEventListener('abort', onAbort)
      ws.terminate()
      fn()
    }
    const settle = (ended: boolean) => {
      let body: Buffer | undefined
      let errText: Buffer | undefined
      try {
        body = portPrefixed(data, r.port)
        errText = portPrefixed(error, r.port)
      } catch (e) {
        finish(() =>
          reject(new StreamError(`${what} failed: ${(e as Error).message}`))
        )
        return
      }
      if (errText && errText.length) {
        const text = errText
          .toString('utf8')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 300)
        finish(() => reject(new StreamError(`${what} failed: ${text}`)))
        return
      }
      const parsed = parseHttpResponse(body ?? Buffer.alloc(0), ended)
      if (!parsed.complete) return
      if ('error' in parsed) {
        finish(() => reject(new StreamError(`${what} failed: ${parsed.error}`)))
      } else {
        finish(() => resolve(parsed.answer))
      }
    }
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new StreamError(
              `${what} failed: no answer within ${Math.round(r.timeoutMs / 1000)} s`
            )
          )
        ),
      r.timeoutMs
    )
    const onAbort = () =>
      finish(() => reject(new StreamError(`${what}: cancelled`)))
    r.signal?.addEventListener('abort', onAbort, {once: true})
    ws.on('message', (msg: Buffer, isBinary: boolean) => {
      if (!isBinary) return
      const {channel, payload} = splitFrame(msg)
      if (channel === 0) data = Buffer.concat([data, payload])
      else if (channel === 1) error = Buffer.concat([error, payload])
      settle(false)
    })
    ws.on('error', () => settle(true))
    ws.on('close', () => settle(true))
    ws.send(frame(0, httpRequestBytes(r.path, r.port)))
  })
}
