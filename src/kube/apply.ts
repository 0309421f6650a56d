import {parseAllDocuments} from 'yaml'
import type {KubeClient} from './client.ts'

/** A Kubernetes object as a manifest gives it. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: {name: string; namespace?: string; [key: string]: unknown}
  [key: string]: unknown
}

interface Resource {
  plural: string
  namespaced: boolean
}

/**
 * The objects of a multi-document YAML stream (what `istioctl manifest
 * generate` or `helm template` print), empty documents dropped. A document
 * that is not an object with apiVersion, kind and metadata.name is an error
 * naming its position, never its content (a manifest may hold a secret).
 */
export function parseManifests(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = []
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length) {
      throw new Error(`${source}: document ${i + 1} is not valid YAML`)
    }
    const value = doc.toJS() as Partial<KubeObject> | null
    if (value === null || value === undefined) return
    if (
      typeof value.apiVersion !== 'string' ||
      typeof value.kind !== 'string' ||
      typeof value.metadata?.name !== 'string'
    ) {
      throw new Error(
        `${source}: document ${i + 1} has no apiVersion, kind and metadata.name`
      )
    }
    objects.push(value as KubeObject)
  })
  return objects
}

const groupVersionPath = (apiVersion: string) =>
  apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`

/**
 * Kind -> resource of each group/version, as the API server's discovery
 * documents say. A group/version is read once; `forget` drops it so that
 * kinds of a CRD established meanwhile become known.
 */
export function discovery(kube: KubeClient) {
  const known = new Map<string, Promise<Map<string, Resource>>>()
  const load = async (apiVersion: string) => {
    const res = await kube.call(
      {method: 'GET', path: groupVersionPath(apiVersion)},
      s => (s >= 200 && s < 300) || s === 404
    )
    const kinds = new Map<string, Resource>()
    if (res.status === 404) return kinds
    const list = (res.body as {resources?: unknown[]}).resources ?? []
    for (const item of list) {
      const r = item as {name?: string; kind?: string; namespaced?: boolean}
      // Subresources (pods/exec, deployments/status) share their kind.
      if (!r.name || !r.kind || r.name.includes('/')) continue
      kinds.set(r.kind, {plural: r.name, namespaced: r.namespaced === true})
    }
    return kinds
  }
  return {
    async resource(apiVersion: string, kind: string) {
      let kinds = known.get(apiVersion)
      if (!kinds) {
        kinds = load(apiVersion)
        known.set(apiVersion, kinds)
        kinds.catch(() => known.delete(apiVersion))
      }
      return (await kinds).get(kind)
    },
    forget(apiVersion: string) {
      known.delete(apiVersion)
    }
  }
}

/** The REST path of one object, its namespace defaulted when namespaced. */
export function objectPath(
  obj: KubeObject,
  resource: Resource,
  defaultNamespace: string
): string {
  const ns = obj.metadata.namespace ?? defaultNamespace
  const scope = resource.namespaced
    ? `/namespaces/${encodeURIComponent(ns)}`
    : ''
  return `${groupVersionPath(obj.apiVersion)}${scope}/${resource.plural}/${encodeURIComponent(obj.metadata.name)}`
}

const isCrd = (o: KubeObject) =>
  o.kind === 'CustomResourceDefinition' &&
  o.apiVersion.startsWith('apiextensions.k8s.io/')

/**
 * Cluster-wide definitions first, then namespaces, then the rest in their
 * order: what `kubectl apply` users arrange by hand, so a namespaced object
 * never races its namespace or its CRD.
 */
export function applyOrder(objects: readonly KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject) =>
    isCrd(o) ? 0 : o.kind === 'Namespace' && o.apiVersion === 'v1' ? 1 : 2
  return objects
    .map((o, i) => ({o, i}))
    .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
    .map(({o}) => o)
}

export interface ApplyOptions {
  fieldManager: string
  /** Namespace of namespaced objects that name none. */
  namespace: string
  /** How long to wait for a CRD to be established (default 30 s). */
  establishTimeoutMs?: number
  sleep?: (ms: number) => Promise<void>
}

export interface ApplyResult {
  /** Objects the API server changed (resourceVersion moved or new). */
  changed: string[]
  unchanged: string[]
}

const label = (o: KubeObject) =>
  `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`

async function waitEstablished(
  kube: KubeClient,
  name: string,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>
) {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}`
  for (let waited = 0; ; waited += 100) {
    const res = await kube.call({method: 'GET', path})
    const conditions =
      (res.body as {status?: {conditions?: {type: string; status: string}[]}})
        .status?.conditions ?? []
    if (conditions.some(c => c.type === 'Established' && c.status === 'True')) {
      return
    }
    if (waited >= timeoutMs) {
      throw new Error(
        `${kube.cluster}: CustomResourceDefinition ${name} was not established within ${timeoutMs / 1000} s`
      )
    }
    await sleep(100)
  }
}

async function resourceVersionOf(kube: KubeClient, path: string) {
  const res = await kube.call(
    {method: 'GET', path},
    s => (s >= 200 && s < 300) || s === 404
  )
  return res.status === 404
    ? undefined
    : (res.body as {metadata?: {resourceVersion?: string}}).metadata
        ?.resourceVersion
}

/**
 * Server-side apply (with force, as `kubectl apply --server-side
 * --force-conflicts`) of every object, CRDs first and waited for. Reports
 * which objects the API server changed: a second apply of the same
 * manifests changes nothing.
 */
export async function applyObjects(
  kube: KubeClient,
  objects: readonly KubeObject[],
  options: ApplyOptions
): Promise<ApplyResult> {
  const sleep =
    options.sleep ??
    ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)))
  const api = discovery(kube)
  const result: ApplyResult = {changed: [], unchanged: []}
  for (const obj of applyOrder(objects)) {
    let resource = await api.resource(obj.apiVersion, obj.kind)
    if (!resource) {
      // A CRD applied above may have been established after discovery.
      api.forget(obj.apiVersion)
      resource = await api.resource(obj.apiVersion, obj.kind)
    }
    if (!resource) {
      throw new Error(
        `${kube.cluster}: the API server serves no kind ${obj.kind} in ${obj.apiVersion} (${label(obj)})`
      )
    }
    const path = objectPath(obj, resource, options.namespace)
    const before = await resourceVersionOf(kube, path)
    const body = resource.namespaced
      ? {
          ...obj,
          metadata: {
            ...obj.metadata,
            namespace: obj.metadata.namespace ?? options.namespace
          }
        }
      : obj
    const res = await kube.call({
      method: 'PATCH',
      path: `${path}?fieldManager=${encodeURIComponent(options.fieldManager)}&force=true`,
      body,
      contentType: 'application/apply-patch+yaml'
    })
    const after = (res.body as {metadata?: {resourceVersion?: string}}).metadata
      ?.resourceVersion
    ;(before !== undefined && before === after
      ? result.unchanged
      : result.changed
    ).push(label(obj))
    if (isCrd(obj)) {
      await waitEstablished(
        kube,
        obj.metadata.name,
        options.establishTimeoutMs ?? 30_000,
        sleep
      )
    }
  }
  return result
}

/** Deletes objects in reverse apply order; absent ones count as done. */
export async function deleteObjects(
  kube: KubeClient,
  objects: readonly KubeObject[],
  namespace: string
): Promise<void> {
  const api = discovery(kube)
  for (const obj of applyOrder(objects).reverse()) {
    const resource = await api.resource(obj.apiVersion, obj.kind)
    if (!resource) continue
    await kube.call(
      {method: 'DELETE', path: objectPath(obj, resource, namespace)},
      s => (s >= 200 && s < 300) || s === 404
    )
  }
}
