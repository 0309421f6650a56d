import {
  kubeconfigTargets,
  loadKubeconfig,
  type ClusterTarget
} from '../../src/kube/kubeconfig.ts'
import {
  applyObjects,
  parseManifests,
  type KubeObject
} from '../../src/kube/apply.ts'
import {renderIstio} from '../../scripts/testbed/istio.mjs'
import {need} from './testbed.ts'

export const READER_SA = 'istio-reader-service-account'
export const TOKEN_SECRET =
  'istio-reader-service-account-istio-remote-secret-token'
const MANAGER = 'istio-fixture'

/** Admin access to the test bed's clusters, by context name. */
export function adminTargets(contexts: readonly string[]): ClusterTarget[] {
  return kubeconfigTargets(
    loadKubeconfig(need('kubeconfig'), {}),
    contexts.map(c => ({name: c, context: c}))
  )
}

export function admin(context: string): ClusterTarget {
  return adminTargets([context])[0]!
}

async function apply(t: ClusterTarget, path: string, body: object) {
  await t.kube.call({
    method: 'PATCH',
    path: `${path}?fieldManager=${MANAGER}&force=true`,
    body,
    contentType: 'application/apply-patch+yaml'
  })
}

const rbacName = (namespace: string) => `istio-reader-clusterrole-${namespace}`

const rendered = new Map<string, Promise<KubeObject[]>>()

/**
 * The reader objects Istio's own charts make for an Istio installed in
 * `namespace` (the base chart's service account, the istiod chart's
 * ClusterRole and ClusterRoleBinding), rendered by the test bed's istioctl.
 */
export function readerObjects(namespace: string): Promise<KubeObject[]> {
  let objects = rendered.get(namespace)
  if (!objects) {
    objects = renderIstio(need('istioctl'), 'fixture', namespace).then(
      (text: string) =>
        parseManifests(
          text,
          `istioctl manifest generate (${namespace})`
        ).filter(
          o =>
            (o.kind === 'ServiceAccount' && o.metadata.name === READER_SA) ||
            (o.kind.startsWith('ClusterRole') &&
              o.metadata.name === rbacName(namespace))
        )
    )
    rendered.set(namespace, objects)
  }
  return objects
}

/**
 * Makes a cluster "Istio-ready" in `namespace` as the base and istiod charts
 * and the cluster stage would: the namespace, Istio's rendered reader
 * service account, ClusterRole and (unless `rbac: false`)
 * ClusterRoleBinding, and the annotated token secret, waiting until the
 * token controller fills it.
 */
export async function istioReady(
  context: string,
  namespace: string,
  options: {rbac?: boolean} = {}
): Promise<void> {
  const t = admin(context)
  await apply(t, `/api/v1/namespaces/${namespace}`, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {name: namespace}
  })
  const objects = (await readerObjects(namespace)).filter(
    o => options.rbac !== false || o.kind !== 'ClusterRoleBinding'
  )
  await applyObjects(t.kube, objects, {fieldManager: MANAGER, namespace})
  await tokenSecret(t, namespace)
}

async function serviceAccount(t: ClusterTarget, namespace: string) {
  const sa = (await readerObjects(namespace)).filter(
    o => o.kind === 'ServiceAccount'
  )
  await applyObjects(t.kube, sa, {fieldManager: MANAGER, namespace})
}

async function tokenSecret(t: ClusterTarget, namespace: string) {
  await apply(t, `/api/v1/namespaces/${namespace}/secrets/${TOKEN_SECRET}`, {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/service-account-token',
    metadata: {
      name: TOKEN_SECRET,
      namespace,
      annotations: {'kubernetes.io/service-account.name': READER_SA}
    }
  })
  for (let i = 0; i < 100; i++) {
    const res = await t.kube.call({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/secrets/${TOKEN_SECRET}`
    })
    if ((res.body as {data?: {token?: string}}).data?.token) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(
    `${t.name}: the token controller did not fill ${namespace}/${TOKEN_SECRET} in 10 s: is kube-controller-manager running?`
  )
}

/**
 * A new reader token. A legacy token's claims name the secret and the
 * service account's UID, not the secret's: recreating the secret alone gives
 * the same token, so the service account is recreated too.
 */
export async function rotateToken(
  context: string,
  namespace: string
): Promise<void> {
  const t = admin(context)
  for (const path of [
    `/api/v1/namespaces/${namespace}/secrets/${TOKEN_SECRET}`,
    `/api/v1/namespaces/${namespace}/serviceaccounts/${READER_SA}`
  ]) {
    await t.kube.call({method: 'DELETE', path}, s => s < 300 || s === 404)
  }
  await serviceAccount(t, namespace)
  await tokenSecret(t, namespace)
}

/** Removes what istioReady made. */
export async function removeIstio(
  context: string,
  namespace: string
): Promise<void> {
  const t = admin(context)
  const rbac = '/apis/rbac.authorization.k8s.io/v1'
  for (const path of [
    `/api/v1/namespaces/${namespace}`,
    `${rbac}/clusterroles/${rbacName(namespace)}`,
    `${rbac}/clusterrolebindings/${rbacName(namespace)}`
  ]) {
    await t.kube.call({method: 'DELETE', path}, s => s < 300 || s === 404)
  }
}
