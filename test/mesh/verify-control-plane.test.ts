import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  controlPlaneJson,
  controlPlaneVerdict,
  injectorState,
  mergeClusterz,
  mergeShards,
  parseClusterz,
  remoteSecretPeers,
  serviceShards,
  type ClusterView
} from '../../src/mesh/verify-control-plane.ts'

// Shaped as istiod 1.31 writes them (pilot/pkg/xds/debug.go clusterz and
// endpointShardz; pkg/cluster/debug.go DebugInfo; model.EndpointShards and
// IstioEndpoint, whose fields have no JSON tags).
const CLUSTERZ_1 = JSON.parse(
  '[{"id":"cluster-1","secretName":"","syncStatus":"synced"},' +
    '{"id":"cluster-2","secretName":"istio-system/istio-remote-secret-cluster-2","syncStatus":"synced"},' +
    '{"id":"cluster-3","secretName":"istio-system/istio-remote-secret-cluster-3","syncStatus":"timeout"}]'
)

const endpoint = (cluster: string, ip: string, health = 1) => ({
  Labels: {
    app: 'helloworld',
    'security.istio.io/tlsMode': 'istio',
    'topology.istio.io/cluster': cluster,
    'topology.istio.io/network': 'network1'
  },
  Addresses: [ip],
  ServicePortName: 'http',
  LegacyClusterPortKey: 0,
  ServiceAccount: 'spiffe://cluster.local/ns/sample/sa/default',
  Network: 'network1',
  Locality: {Label: 'eu-west-1/eu-west-1a/', ClusterID: cluster},
  EndpointPort: 5000,
  LbWeight: 0,
  TLSMode: 'istio',
  Namespace: 'sample',
  WorkloadName: 'helloworld-v1',
  HostName: '',
  SubDomain: '',
  HealthStatus: health,
  SendUnhealthyEndpoints: false,
  NodeName: 'ip-10-0-1-17.eu-west-1.compute.internal'
})

const SHARDZ = {
  'helloworld.sample.svc.cluster.local': {
    sample: {
      Shards: {
        'Kubernetes/cluster-1': [endpoint('cluster-1', '10.0.1.20')],
        'Kubernetes/cluster-2': [
          endpoint('cluster-2', '10.0.2.31'),
          endpoint('cluster-2', '10.0.2.32', 2)
        ],
        'Kubernetes/cluster-3': [endpoint('cluster-3', '10.0.3.9', 4)]
      },
      ServiceAccounts: {'spiffe://cluster.local/ns/sample/sa/default': {}}
    }
  },
  'curl.sample.svc.cluster.local': {
    sample: {
      Shards: {'Kubernetes/cluster-1': [endpoint('cluster-1', '10.0.1.5')]}
    }
  },
  'istiod.istio-system.svc.cluster.local': {
    'istio-system': {Shards: {}}
  }
}

test('clusterz: the config cluster and every remote-secret cluster, checked for shape', () => {
  assert.deepEqual(parseClusterz(CLUSTERZ_1), [
    {id: 'cluster-1', secretName: '', syncStatus: 'synced'},
    {
      id: 'cluster-2',
      secretName: 'istio-system/istio-remote-secret-cluster-2',
      syncStatus: 'synced'
    },
    {
      id: 'cluster-3',
      secretName: 'istio-system/istio-remote-secret-cluster-3',
      syncStatus: 'timeout'
    }
  ])
  assert.deepEqual(parseClusterz(null), [])
  assert.throws(() => parseClusterz({}), /did not answer a list/)
  assert.throws(
    () => parseClusterz([{id: 'x'}]),
    /entry 1 has no id and syncStatus/
  )
})

test('endpointShardz: healthy endpoints of one service per cluster, any domain suffix', () => {
  assert.deepEqual(serviceShards(SHARDZ, 'helloworld', 'sample'), {
    'cluster-1': {healthy: 1, total: 1},
    'cluster-2': {healthy: 1, total: 2},
    'cluster-3': {healthy: 0, total: 1}
  })
  const other = {
    'helloworld.sample.svc.corp.example':
      SHARDZ['helloworld.sample.svc.cluster.local']
  }
  assert.deepEqual(
    Object.keys(serviceShards(other, 'helloworld', 'sample') ?? {}),
    ['cluster-1', 'cluster-2', 'cluster-3']
  )
  assert.equal(serviceShards(SHARDZ, 'helloworld', 'other'), undefined)
  assert.equal(serviceShards({}, 'helloworld', 'sample'), undefined)
  assert.throws(
    () => serviceShards([], 'helloworld', 'sample'),
    /did not answer an object/
  )
})

test('replicas: the worst sync status and the fewest endpoints count', () => {
  const a = parseClusterz(CLUSTERZ_1)
  const b = a.map(r =>
    r.id === 'cluster-2' ? {...r, syncStatus: 'syncing'} : r
  )
  const merged = mergeClusterz([a, b.filter(r => r.id !== 'cluster-3')])
  assert.deepEqual(
    merged.map(r => [r.id, r.syncStatus]),
    [
      ['cluster-1', 'synced'],
      ['cluster-2', 'syncing'],
      ['cluster-3', 'absent']
    ]
  )
  assert.deepEqual(
    mergeShards([
      {c1: {healthy: 2, total: 2}},
      {c1: {healthy: 1, total: 2}, c2: {healthy: 1, total: 1}}
    ]),
    {c1: {healthy: 1, total: 2}, c2: {healthy: 0, total: 0}}
  )
  assert.equal(mergeShards([{}, undefined]), undefined)
})

test('remote secrets are known by name or istioctl annotation, from metadata only', () => {
  assert.deepEqual(
    remoteSecretPeers([
      {name: 'istio-remote-secret-cluster-2'},
      {
        name: 'hand-made',
        annotations: {'networking.istio.io/cluster': 'cluster-3'}
      },
      {name: 'unrelated'}
    ]),
    ['cluster-2', 'cluster-3']
  )
})

test('the injector: present with a caBundle, without one, or missing', () => {
  const config = (namespace: string, caBundle?: string) => ({
    metadata: {name: 'istio-sidecar-injector'},
    webhooks: [
      {
        name: 'rev.namespace.sidecar-injector.istio.io',
        clientConfig: {
          service: {name: 'istiod', namespace},
          ...(caBundle ? {caBundle} : {})
        }
      },
      {
        name: 'namespace.sidecar-injector.istio.io',
        clientConfig: {
          service: {name: 'istiod', namespace},
          ...(caBundle ? {caBundle} : {})
        }
      }
    ]
  })
  assert.deepEqual(
    injectorState([config('istio-system', 'LS0tLS1CRUdJTi')], 'istio-system'),
    {
      state: 'present',
      name: 'istio-sidecar-injector'
    }
  )
  assert.deepEqual(injectorState([config('istio-system')], 'istio-system'), {
    state: 'no-ca-bundle',
    name: 'istio-sidecar-injector'
  })
  assert.deepEqual(injectorState([config('other', 'x')], 'istio-system'), {
    state: 'missing'
  })
  assert.deepEqual(injectorState([], 'istio-system'), {state: 'missing'})
})

const names = ['cluster-1', 'cluster-2']
const healthyView = (cluster: string, peer: string): ClusterView => ({
  cluster,
  istiod: {ready: true, detail: '1 of 1 istiod pods ready'},
  webhook: {state: 'present', name: 'istio-sidecar-injector'},
  secrets: [peer],
  debug: {
    ok: true,
    clusters: [
      {id: cluster, secretName: '', syncStatus: 'synced'},
      {
        id: peer,
        secretName: `istio-system/istio-remote-secret-${peer}`,
        syncStatus: 'synced'
      }
    ],
    endpoints: {
      [cluster]: {healthy: 1, total: 1},
      [peer]: {healthy: 1, total: 1}
    }
  }
})
const o = {
  endpoints: true,
  service: 'helloworld',
  namespace: 'sample',
  istioNamespace: 'istio-system'
}

test('the verdict passes a healthy mesh', () => {
  const views = [
    healthyView('cluster-1', 'cluster-2'),
    healthyView('cluster-2', 'cluster-1')
  ]
  assert.deepEqual(controlPlaneVerdict(views, names, o), {
    ok: true,
    problems: []
  })
  assert.deepEqual(JSON.parse(controlPlaneJson(views, names, o)), {
    'cluster-1': {
      'cluster-1': {
        istiod: 'ready',
        webhook: 'present',
        synced: 'synced',
        endpoints: 1
      },
      'cluster-2': {secret: 'present', synced: 'synced', endpoints: 1}
    },
    'cluster-2': {
      'cluster-1': {secret: 'present', synced: 'synced', endpoints: 1},
      'cluster-2': {
        istiod: 'ready',
        webhook: 'present',
        synced: 'synced',
        endpoints: 1
      }
    }
  })
})

test('a revoked secret fails naming the pair, and waiting cannot fix it', () => {
  const revoked = healthyView('cluster-2', 'cluster-1')
  revoked.secrets = []
  revoked.debug = {
    ok: true,
    clusters: [{id: 'cluster-2', secretName: '', syncStatus: 'synced'}],
    endpoints: {'cluster-2': {healthy: 1, total: 1}}
  }
  const v = controlPlaneVerdict(
    [healthyView('cluster-1', 'cluster-2'), revoked],
    names,
    o
  )
  assert.equal(v.ok, false)
  assert.deepEqual(
    v.problems.map(p => [p.peer, p.cluster, p.text, p.settled]),
    [
      [
        'cluster-1',
        'cluster-2',
        'cluster-1 -> cluster-2: no remote secret for cluster-1 in cluster-2 (istio-system/istio-remote-secret-cluster-1; run exchange-secrets)',
        true
      ],
      [
        'cluster-1',
        'cluster-2',
        'cluster-1 -> cluster-2: istiod in cluster-2 does not list cluster-1 as a remote cluster',
        false
      ],
      [
        'cluster-1',
        'cluster-2',
        'cluster-1 -> cluster-2: istiod in cluster-2 knows no ready endpoint of helloworld.sample in cluster-1',
        false
      ]
    ]
  )
})

test("a cluster's own missing endpoints name that cluster, not a pair", () => {
  const bare = healthyView('cluster-1', 'cluster-2')
  bare.debug = {
    ...(bare.debug as Extract<ClusterView['debug'], {ok: true}>),
    endpoints: {'cluster-2': {healthy: 1, total: 1}}
  }
  const v = controlPlaneVerdict(
    [bare, healthyView('cluster-2', 'cluster-1')],
    names,
    o
  )
  assert.deepEqual(
    v.problems.map(p => [p.cluster, p.peer, p.text]),
    [
      [
        'cluster-1',
        undefined,
        'cluster-1: istiod knows no ready endpoint of helloworld.sample in its own cluster'
      ]
    ]
  )
})

test('syncing, a timed-out remote, an unready istiod and a missing injector', () => {
  const one = healthyView('cluster-1', 'cluster-2')
  one.debug = {
    ok: true,
    clusters: [
      {id: 'cluster-1', secretName: '', syncStatus: 'syncing'},
      {
        id: 'cluster-2',
        secretName: 'istio-system/istio-remote-secret-cluster-2',
        syncStatus: 'timeout'
      }
    ]
  }
  const two = healthyView('cluster-2', 'cluster-1')
  two.istiod = {ready: false, detail: '0 of 1 istiod pods ready'}
  two.webhook = {state: 'missing'}
  two.debug = {ok: false, error: 'not asked: istiod is not ready'}
  const v = controlPlaneVerdict([one, two], names, {...o, endpoints: false})
  assert.deepEqual(
    v.problems.map(p => p.text),
    [
      'cluster-1: istiod lists cluster-1 as syncing, not synced',
      'cluster-2 -> cluster-1: istiod in cluster-1 lists cluster-2 as timeout, not synced',
      'cluster-2: istiod is not ready (0 of 1 istiod pods ready)',
      'cluster-2: no sidecar injector (MutatingWebhookConfiguration labelled app=sidecar-injector calling istiod in istio-system)'
    ]
  )
  assert.deepEqual(
    JSON.parse(controlPlaneJson([one, two], names, {endpoints: false}))[
      'cluster-2'
    ],
    {
      'cluster-1': {secret: 'present', synced: 'unknown', endpoints: null},
      'cluster-2': {
        istiod: 'not-ready',
        webhook: 'missing',
        synced: 'unknown',
        endpoints: null
      }
    }
  )
})

test('a debug API that does not answer is named when istiod is ready', () => {
  const one = healthyView('cluster-1', 'cluster-2')
  one.debug = {
    ok: false,
    error: 'http://127.0.0.1:1/debug/clusterz: no answer (ECONNREFUSED)'
  }
  const v = controlPlaneVerdict([one], ['cluster-1'], o)
  assert.deepEqual(
    v.problems.map(p => p.text),
    [
      "cluster-1: istiod's debug API did not answer: http://127.0.0.1:1/debug/clusterz: no answer (ECONNREFUSED)"
    ]
  )
})
