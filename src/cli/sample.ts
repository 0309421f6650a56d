import {applyObjects, type KubeObject} from '../kube/apply.ts'
import {kubeconfigTargets, loadKubeconfig} from '../kube/kubeconfig.ts'

export const SAMPLE_NAMESPACE = 'sample'
export const SAMPLE_SERVICE = 'helloworld'

const PORT = {name: 'http', port: 5000, protocol: 'TCP'}

/**
 * The sample service as a cluster without pods can hold it: a selector-less
 * Service `helloworld` and one EndpointSlice naming an address of
 * TEST-NET-1 (192.0.2.0/24, never routed; EndpointSlices refuse loopback),
 * different per cluster, so each istiod must learn one endpoint from every
 * cluster. On EKS, verify-mesh deploys the real helloworld instead.
 */
export function sampleObjects(
  index: number,
  namespace: string = SAMPLE_NAMESPACE
): KubeObject[] {
  return [
    {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace}},
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: SAMPLE_SERVICE,
        namespace,
        labels: {app: SAMPLE_SERVICE}
      },
      spec: {ports: [PORT]}
    },
    sampleSlice(index, namespace)
  ]
}

/** The one endpoint of cluster `index`, 192.0.2.<index + 1>. */
export function sampleSlice(
  index: number,
  namespace: string = SAMPLE_NAMESPACE
): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${SAMPLE_SERVICE}-demo`,
      namespace,
      labels: {'kubernetes.io/service-name': SAMPLE_SERVICE}
    },
    addressType: 'IPv4',
    endpoints: [
      {addresses: [`192.0.2.${index + 1}`], conditions: {ready: true}}
    ],
    ports: [PORT]
  }
}

/** Registers the sample service in every cluster; returns what changed. */
export async function registerSample(
  kubeconfig: string,
  clusters: readonly string[],
  log: (line: string) => void
): Promise<number> {
  const targets = kubeconfigTargets(
    loadKubeconfig(kubeconfig, {}),
    clusters.map(c => ({name: c, context: c}))
  )
  let changed = 0
  await Promise.all(
    targets.map(async (t, i) => {
      const r = await applyObjects(t.kube, sampleObjects(i), {
        fieldManager: 'eks-istio-mesh-demo',
        namespace: SAMPLE_NAMESPACE
      })
      changed += r.changed.length
      log(
        `${t.name}: service ${SAMPLE_NAMESPACE}/${SAMPLE_SERVICE}, endpoint 192.0.2.${i + 1} (${r.changed.length ? 'applied' : 'unchanged'})`
      )
    })
  )
  return changed
}
