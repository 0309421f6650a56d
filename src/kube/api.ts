import type {KubeClient} from './client.ts'

export interface Secret {
  metadata?: {
    name?: string
    annotations?: Record<string, string>
    labels?: Record<string, string>
    resourceVersion?: string
  }
  type?: string
  data?: Record<string, string>
}

const secretsPath = (namespace: string) =>
  `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`
const secretPath = (namespace: string, name: string) =>
  `${secretsPath(namespace)}/${encodeURIComponent(name)}`

/** The secret, or undefined when it does not exist. */
export async function getSecret(
  kube: KubeClient,
  namespace: string,
  name: string
): Promise<Secret | undefined> {
  const res = await kube.call(
    {method: 'GET', path: secretPath(namespace, name)},
    s => (s >= 200 && s < 300) || s === 404
  )
  return res.status === 404 ? undefined : (res.body as Secret)
}

export async function listSecrets(
  kube: KubeClient,
  namespace: string,
  labelSelector: string
): Promise<Secret[]> {
  const res = await kube.call({
    method: 'GET',
    path: `${secretsPath(namespace)}?labelSelector=${encodeURIComponent(labelSelector)}`
  })
  return (res.body as {items?: Secret[]}).items ?? []
}

/**
 * Server-side apply with force: this manager owns the fields it sets, as
 * `kubectl apply --server-side --force-conflicts` would.
 */
export async function applySecret(
  kube: KubeClient,
  secret: {metadata: {name: string; namespace: string}},
  fieldManager: string
): Promise<Secret> {
  const {name, namespace} = secret.metadata
  const res = await kube.call({
    method: 'PATCH',
    path: `${secretPath(namespace, name)}?fieldManager=${encodeURIComponent(fieldManager)}&force=true`,
    body: secret,
    contentType: 'application/apply-patch+yaml'
  })
  return res.body as Secret
}

/** 'absent' when there was nothing to delete. */
export async function deleteSecret(
  kube: KubeClient,
  namespace: string,
  name: string
): Promise<'deleted' | 'absent'> {
  const res = await kube.call(
    {method: 'DELETE', path: secretPath(namespace, name)},
    s => (s >= 200 && s < 300) || s === 404
  )
  return res.status === 404 ? 'absent' : 'deleted'
}

/** Whether the caller may do this cluster-wide (namespace left empty). */
export async function selfSubjectAccessReview(
  kube: KubeClient,
  access: {group: string; resource: string; verb: string}
): Promise<boolean> {
  const res = await kube.call({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {resourceAttributes: access}
    }
  })
  return (res.body as {status?: {allowed?: boolean}}).status?.allowed === true
}
