import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders
} from 'node:http'
import type {AddressInfo} from 'node:net'

/** One AWS JSON-protocol call as the proxy saw it. */
export interface AwsCall {
  /** The operation, e.g. `GetSecretValue` (from `x-amz-target`). */
  action: string
  /** The request's `SecretId` or `Name`, when it has one. */
  secret?: string
}

export interface RecordingProxy {
  /** The proxy's address: give it to the SDK as its endpoint. */
  endpoint: string
  calls: AwsCall[]
  close(): Promise<void>
}

/**
 * A proxy in front of the AWS emulator that records every call and refuses
 * the ones `deny` picks with the answer AWS gives a role without the
 * permission (400 AccessDeniedException). moto 5.2.5 authorises Secrets
 * Manager calls against resource `*` only, so a policy scoped to one secret
 * cannot be enforced there; the proxy stands in for that one decision and
 * shows what the code asked for.
 */
export async function recordingProxy(
  target: string,
  deny: (call: AwsCall) => boolean = () => false
): Promise<RecordingProxy> {
  const upstream = new URL(target)
  const calls: AwsCall[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c as Buffer))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const call = describe(req.headers, body)
      calls.push(call)
      if (deny(call)) {
        const answer = JSON.stringify({
          __type: 'AccessDeniedException',
          message: 'denied by the recording proxy'
        })
        res.writeHead(400, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': 'AccessDeniedException',
          'content-length': Buffer.byteLength(answer)
        })
        res.end(answer)
        return
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers
        },
        answer => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      forward.on('error', () => {
        res.writeHead(502)
        res.end()
      })
      forward.end(body)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function describe(headers: IncomingHttpHeaders, body: Buffer): AwsCall {
  const target = String(headers['x-amz-target'] ?? '')
  const action = target.slice(target.lastIndexOf('.') + 1) || 'unknown'
  let secret: string | undefined
  try {
    const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>
    const id = json.SecretId ?? json.Name
    if (typeof id === 'string') secret = id
  } catch {
    // not a JSON-protocol call
  }
  return secret === undefined ? {action} : {action, secret}
}
