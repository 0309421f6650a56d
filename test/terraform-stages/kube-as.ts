import {request} from 'node:https'
import {
  connection,
  loadKubeconfig,
  type ClusterTarget
} from '../../src/kube/kubeconfig.ts'
import {admin} from '../helpers/istio-fixture.ts'
import {need} from '../helpers/testbed.ts'

export interface Who {
  user: string
  groups: readonly string[]
}

export interface Answer {
  status: number
  body: unknown
}

/**
 * Requests to a test-bed cluster as `who`, by impersonation from its admin:
 * the API server authorizes each one as it would that user and groups.
 */
export function impersonating(context: string, who: Who) {
  const conn = connection(loadKubeconfig(need('kubeconfig'), {}), context)
  return (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options: {body?: unknown; contentType?: string; headers?: object} = {}
  ): Promise<Answer> => {
    const url = new URL(path, conn.server)
    const payload =
      options.body === undefined ? undefined : JSON.stringify(options.body)
    const headers: Record<string, string | string[]> = {
      accept: 'application/json',
      'impersonate-user': who.user,
      'impersonate-group': [...who.groups],
      ...(payload === undefined
        ? {}
        : {'content-type': options.contentType ?? 'application/json'}),
      ...(options.headers as Record<string, string>)
    }
    return new Promise((resolve, reject) => {
      const r = request(
        url,
        {
          method,
          headers,
          ca: conn.ca,
          cert: conn.cert,
          key: conn.key,
          timeout: 30_000
        },
        res => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let body: unknown = text
            try {
              body = JSON.parse(text)
            } catch {
              // not JSON: keep the text
            }
            resolve({status: res.statusCode ?? 0, body})
          })
        }
      )
      r.on('timeout', () => r.destroy(new Error(`${method} ${path} timed out`)))
      r.on('error', reject)
      r.end(payload)
    })
  }
}

/** What the API server's authorizer says `who` may do, asked by the admin. */
export async function mayDo(
  t: ClusterTarget,
  who: Who,
  attributes: {
    verb: string
    resource: string
    subresource?: string
    group?: string
    namespace?: string
    name?: string
  }
): Promise<boolean> {
  const res = await t.kube.call({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: who.user,
        groups: [...who.groups],
        resourceAttributes: attributes
      }
    }
  })
  return (res.body as {status?: {allowed?: boolean}}).status?.allowed === true
}

export {admin}
