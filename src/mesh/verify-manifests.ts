import type {KubeObject} from '../kube/workloads.ts'

/**
 * What verify-mesh deploys, as server-side apply bodies: istio.io's
 * "Verify the installation" sample (samples/helloworld, samples/curl) for
 * N clusters. Cluster i (1-based, in the order of input `clusters`) runs
 * helloworld version v<i>; every cluster runs the Service and a curl client.
 */
export interface Images {
  /** The v1 image; also every version past v2, told its version by env. */
  helloworld: string
  helloworldV2: string
  curl: string
}

/** The label that marks what verify-mesh made, and lets cleanup find it. */
export const MANAGED_BY = {'app.kubernetes.io/managed-by': 'eks-istio-mesh'}

export const versionOf = (index: number) => `v${index + 1}`

/**
 * Istio publishes helloworld images for v1 and v2 only. Its
 * gen-helloworld.sh runs the v1 image with SERVICE_VERSION for any other
 * version; every version gets SERVICE_VERSION here, which the v1 and v2
 * images answer with too.
 */
export function helloworldImage(version: string, images: Images): string {
  return version === 'v2' ? images.helloworldV2 : images.helloworld
}

export function namespaceManifest(namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespace,
      labels: {'istio-injection': 'enabled', ...MANAGED_BY}
    }
  }
}

/** The objects of one cluster, in apply order (the namespace apart). */
export function clusterManifests(
  namespace: string,
  index: number,
  images: Images
): KubeObject[] {
  const version = versionOf(index)
  const meta = (name: string, labels: Record<string, string>) => ({
    name,
    namespace,
    labels: {...labels, ...MANAGED_BY}
  })
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('helloworld', {app: 'helloworld', service: 'helloworld'}),
      spec: {
        ports: [{port: 5000, name: 'http'}],
        selector: {app: 'helloworld'}
      }
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(`helloworld-${version}`, {app: 'helloworld', version}),
      spec: {
        replicas: 1,
        selector: {matchLabels: {app: 'helloworld', version}},
        template: {
          metadata: {labels: {app: 'helloworld', version}},
          spec: {
            containers: [
              {
                name: 'helloworld',
                image: helloworldImage(version, images),
                env: [{name: 'SERVICE_VERSION', value: version}],
                resources: {requests: {cpu: '100m'}},
                imagePullPolicy: 'IfNotPresent',
                ports: [{containerPort: 5000}]
              }
            ]
          }
        }
      }
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta('curl', {app: 'curl'})
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('curl', {app: 'curl', service: 'curl'}),
      spec: {ports: [{port: 80, name: 'http'}], selector: {app: 'curl'}}
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('curl', {app: 'curl'}),
      spec: {
        replicas: 1,
        selector: {matchLabels: {app: 'curl'}},
        template: {
          metadata: {labels: {app: 'curl'}},
          spec: {
            terminationGracePeriodSeconds: 0,
            serviceAccountName: 'curl',
            containers: [
              {
                name: 'curl',
                image: images.curl,
                command: ['/bin/sleep', 'infinity'],
                imagePullPolicy: 'IfNotPresent'
              }
            ]
          }
        }
      }
    }
  ]
}

/** The Deployments of one cluster, whose rollouts are waited for. */
export const deploymentNames = (index: number) => [
  `helloworld-${versionOf(index)}`,
  'curl'
]
