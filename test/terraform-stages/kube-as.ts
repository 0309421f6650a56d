import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import {KeyObject, webcrypto} from 'node:crypto'
import {request} from 'node:https'
import {httpsTransport, kubeClient} from '../../src/kube/client.ts'
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

/**
 * A target that authenticates as `who` itself: a client certificate (CN
 * the user, O each group, as the API server maps them) that the cluster's
 * own signer issues through the CertificateSigningRequest API, approved by
 * the admin. The library's code then runs with exactly that identity, with
 * no impersonation header, as it would with an EKS token.
 */
export async function memberOf(
  context: string,
  who: Who
): Promise<ClusterTarget> {
  const t = admin(context)
  const keys = (await webcrypto.subtle.generateKey(
    {name: 'ECDSA', namedCurve: 'P-256'},
    true,
    ['sign', 'verify']
  )) as unknown as CryptoKeyPair
  const subject = [
    ...who.groups.map(g => `O=${g.replace(/([,+"\\<>;=])/g, '\\$1')}`),
    `CN=${who.user}`
  ].join(', ')
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subject,
    keys,
    signingAlgorithm: {name: 'ECDSA', hash: 'SHA-256'}
  })
  const name = `${who.user}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  const path = `/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}`
  await t.kube.call({
    method: 'POST',
    path: '/apis/certificates.k8s.io/v1/certificatesigningrequests',
    body: {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: {name},
      spec: {
        request: Buffer.from(csr.toString('pem')).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
        expirationSeconds: 3600
      }
    }
  })
  await t.kube.call({
    method: 'PATCH',
    path: `${path}/approval`,
    body: {
      status: {
        conditions: [
          {
            type: 'Approved',
            status: 'True',
            reason: 'AccessTest',
            message: 'a test identity'
          }
        ]
      }
    },
    contentType: 'application/merge-patch+json'
  })
  let issued = ''
  for (let i = 0; i < 100 && !issued; i++) {
    const res = await t.kube.call({method: 'GET', path})
    issued =
      (res.body as {status?: {certificate?: string}}).status?.certificate ?? ''
    if (!issued) await new Promise(r => setTimeout(r, 100))
  }
  await t.kube.call({method: 'DELETE', path}, s => s < 300 || s === 404)
  if (!issued) throw new Error(`${context}: CSR ${name} was not signed in 10 s`)
  const key = KeyObject.from(keys.privateKey).export({
    type: 'pkcs8',
    format: 'pem'
  }) as string
  const base = connection(loadKubeconfig(need('kubeconfig'), {}), context)
  const conn = {
    server: base.server,
    ca: base.ca,
    insecure: false,
    cert: Buffer.from(issued, 'base64').toString('utf8'),
    key
  }
  return {
    name: context,
    server: base.server,
    kube: kubeClient(context, httpsTransport(conn), {}),
    connection: conn
  }
}
