import {createHash, X509Certificate} from 'node:crypto'
import type {PlanJson, ResourceChange} from '../../src/terraform/plan-json.ts'
import {
  generateKey,
  issueIntermediate,
  issueRoot,
  type CaPem
} from '../../src/certs/x509.ts'

// The plan JSON of the cluster stage's in-cluster part, shaped as OpenTofu
// writes it for the kubernetes (3.x) and helm (3.x) providers, which cannot
// run here: the cacerts secret from generate-certs' files, the reader's
// token secret, and istiod with a sensitive value. Every secret is a canary.

export const CANARY_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.CANARY-reader-token.sig'
export const CANARY_HELM = 'CANARY-helm-sensitive-value'

export interface CaCerts {
  root: CaPem
  intermediate: CaPem
  /** The four keys of the cacerts secret, as the cluster stage reads them. */
  data: Record<string, string>
  fingerprint: (pem: string) => string
}

/** A root and one cluster's intermediate; given a root, a renewal under it. */
export async function caCerts(root?: CaPem): Promise<CaCerts> {
  const now = new Date()
  const cluster = 'cluster-1'
  const [rootKey, key] = await Promise.all([
    generateKey('ecdsa-p256'),
    generateKey('ecdsa-p256')
  ])
  root ??= {key: rootKey, cert: await issueRoot({key: rootKey, days: 10, now})}
  const cert = await issueIntermediate({cluster, key, root, days: 5, now})
  return {
    root,
    intermediate: {cert, key},
    data: {
      'ca-cert.pem': cert,
      'ca-key.pem': key,
      'cert-chain.pem': cert + root.cert,
      'root-cert.pem': root.cert
    },
    fingerprint: pem =>
      createHash('sha256').update(new X509Certificate(pem).raw).digest('hex')
  }
}

const metadata = (name: string, extra: object = {}) => [
  {
    annotations: null,
    generate_name: null,
    generation: 0,
    labels: null,
    name,
    namespace: 'istio-system',
    resource_version: '4711',
    uid: '2c4d5e6f-0000-4000-8000-000000000001',
    ...extra
  }
]

function secret(
  name: string,
  actions: ResourceChange['change']['actions'],
  before: object | null,
  after: object | null
): ResourceChange {
  return {
    address: `kubernetes_secret_v1.${name === 'cacerts' ? 'cacerts' : 'istio_reader_token'}`,
    mode: 'managed',
    type: 'kubernetes_secret_v1',
    name,
    change: {
      actions,
      before,
      after,
      after_unknown: {metadata: [{}]},
      // The provider's schema flags `data` and `binary_data` as a whole.
      before_sensitive: before ? {data: true, metadata: [{}]} : false,
      after_sensitive: after ? {data: true, metadata: [{}]} : false
    }
  }
}

/**
 * A renewal of the cluster's intermediate: cacerts updated in place (new
 * ca-cert, ca-key and chain, same root), the token secret untouched, istiod
 * upgraded and given a value through set_sensitive.
 */
export function clusterPlan(old: CaCerts, renewed: CaCerts): PlanJson {
  const cacerts = (data: Record<string, string>) => ({
    binary_data: null,
    data,
    data_wo: null,
    data_wo_revision: null,
    id: 'istio-system/cacerts',
    immutable: false,
    metadata: metadata('cacerts'),
    timeouts: null,
    type: 'Opaque',
    wait_for_service_account_token: true
  })
  const token = {
    binary_data: null,
    data: {
      'ca.crt': old.root.cert,
      namespace: 'istio-system',
      token: CANARY_TOKEN
    },
    data_wo: null,
    data_wo_revision: null,
    id: 'istio-system/istio-reader-service-account-istio-remote-secret-token',
    immutable: false,
    metadata: metadata(
      'istio-reader-service-account-istio-remote-secret-token',
      {
        annotations: {
          'kubernetes.io/service-account.name': 'istio-reader-service-account'
        }
      }
    ),
    timeouts: null,
    type: 'kubernetes.io/service-account-token',
    wait_for_service_account_token: true
  }
  const istiod = (version: string, sensitive: object[]) => ({
    chart: 'istiod',
    id: 'istiod',
    name: 'istiod',
    namespace: 'istio-system',
    repository: 'https://istio-release.storage.googleapis.com/charts',
    set_sensitive: sensitive,
    values: [
      'global:\n  meshID: mesh1\n  multiCluster:\n    clusterName: cluster-1\n  network: network1\n'
    ],
    version,
    wait: true
  })
  const helmFlags = {set_sensitive: [{value: true}], values: [false]}
  return {
    format_version: '1.2',
    terraform_version: '1.11.6',
    resource_changes: [
      secret('cacerts', ['update'], cacerts(old.data), cacerts(renewed.data)),
      secret(
        'istio-reader-service-account-istio-remote-secret-token',
        ['no-op'],
        token,
        token
      ),
      {
        address: 'helm_release.istiod',
        mode: 'managed',
        type: 'helm_release',
        name: 'istiod',
        change: {
          actions: ['update'],
          before: istiod('1.27.3', []),
          after: istiod('1.28.0', [
            {name: 'pilot.env.EXTERNAL_TOKEN', type: null, value: CANARY_HELM}
          ]),
          after_unknown: {metadata: true},
          before_sensitive: helmFlags,
          after_sensitive: helmFlags
        }
      }
    ],
    output_changes: {
      cluster_name: {
        actions: ['no-op'],
        before: 'cluster-1',
        after: 'cluster-1'
      }
    },
    applyable: true,
    complete: true,
    errored: false
  }
}
