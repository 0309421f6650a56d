import {request as httpRequest, type RequestOptions} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {retryDelay, type Failure} from './retry.ts'

export interface KubeRequest {
  method: 'GET' | 'PATCH' | 'DELETE' | 'POST'
  path: string
  body?: unknown
  contentType?: string
  /** e.g. a PartialObjectMetadataList, so that only metadata is read. */
  accept?: string
}

export interface KubeResponse {
  status: number
  body: unknown
}

/** One cluster's API server; answers every status, throws on no answer. */
export type KubeTransport = (req: KubeRequest) => Promise<KubeResponse>

/**
 * A failed API call as method, path, status and the Status object's reason
 * (e.g. NotFound): never the body, whose message may quote what was sent.
 */
export class KubeError extends Error {
  override name = 'KubeError'
  readonly status: number | undefined
  constructor(
    cluster: string,
    req: KubeRequest,
    status: number | undefined,
    reason: string
  ) {
    super(
      `${cluster}: ${req.method} ${req.path.split('?')[0]} failed: ${status === undefined ? '' : `${status} `}${reason}`
    )
    this.status = status
  }
}

export function statusReason(body: unknown): string {
  const reason = (body as {reason?: unknown} | null)?.reason
  return typeof reason === 'string' && /^[A-Za-z]{1,64}$/.test(reason)
    ? reason
    : 'error'
}

/** A resolved kubeconfig context: PEMs and credentials in memory. */
export interface Connection {
  server: string
  ca?: string
  insecure: boolean
  servername?: string
  cert?: string
  key?: string
  token?: string
  /** base64 `user:password`. */
  basic?: string
}

/** A transport over node:http(s) with one context's TLS and credentials. */
export function httpsTransport(conn: Connection): KubeTransport {
  const base = new URL(conn.server)
  const auth = conn.token
    ? `Bearer ${conn.token}`
    : conn.basic
      ? `Basic ${conn.basic}`
      : undefined
  return async req => {
    const url = new URL(base.pathname.replace(/\/$/, '') + req.path, base)
    const payload =
      req.body === undefined ? undefined : JSON.stringify(req.body)
    const headers: Record<string, string | number> = {
      accept: req.accept ?? 'application/json',
      ...(auth ? {authorization: auth} : {}),
      ...(payload === undefined
        ? {}
        : {
            'content-type': req.contentType ?? 'application/json',
            'content-length': Buffer.byteLength(payload)
          })
    }
    const options: RequestOptions & Record<string, unknown> = {
      method: req.method,
      headers,
      timeout: 30_000,
      ...(url.protocol === 'https:'
        ? {
            ...(conn.ca ? {ca: conn.ca} : {}),
            ...(conn.cert ? {cert: conn.cert} : {}),
            ...(conn.key ? {key: conn.key} : {}),
            ...(conn.servername ? {servername: conn.servername} : {}),
            rejectUnauthorized: !conn.insecure
          }
        : {})
    }
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest
    return new Promise<KubeResponse>((resolve, reject) => {
      const r = send(url, options, res => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let body: unknown
          try {
            body = text === '' ? undefined : JSON.parse(text)
          } catch {
            body = undefined
          }
          const retryAfter = res.headers['retry-after']
          resolve({
            status: res.statusCode ?? 0,
            body:
              res.statusCode === 429 && retryAfter
                ? {...(body as object), retryAfter}
                : body
          })
        })
      })
      r.on('timeout', () =>
        r.destroy(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT'}))
      )
      r.on('error', reject)
      r.end(payload)
    })
  }
}

export interface KubeClientOptions {
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/** A cluster's API with rule-30 retries; errors carry status and reason. */
export interface KubeClient {
  readonly cluster: string
  call(
    req: KubeRequest,
    ok?: (status: number) => boolean
  ): Promise<KubeResponse>
}

const defaultSleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms))

export function kubeClient(
  cluster: string,
  transport: KubeTransport,
  options: KubeClientOptions = {}
): KubeClient {
  const sleep = options.sleep ?? defaultSleep
  return {
    cluster,
    async call(req, ok = s => s >= 200 && s < 300) {
      for (let attempt = 1; ; attempt++) {
        let failure: Failure
        let reason: string
        try {
          const res = await transport(req)
          if (ok(res.status)) return res
          const retryAfter = (res.body as {retryAfter?: string} | undefined)
            ?.retryAfter
          failure = {status: res.status, retryAfter}
          reason = statusReason(res.body)
        } catch (err) {
          const code = (err as {code?: string}).code
          failure = {code}
          reason = code ?? 'connection failed'
        }
        const delay = retryDelay(failure, attempt, options.random)
        if (delay === undefined) {
          throw new KubeError(cluster, req, failure.status, reason)
        }
        await sleep(delay)
      }
    }
  }
}
