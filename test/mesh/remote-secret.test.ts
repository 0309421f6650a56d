import assert from 'node:assert/strict'
import {test} from 'node:test'
import {parse} from 'yaml'
import {
  orderedPairs,
  pruneCandidates,
  remoteKubeconfig,
  remoteSecret,
  secretMatches
} from '../../src/mesh/remote-secret.ts'

const source = {
  name: 'cluster-1',
  server: 'https://ABCD.gr7.eu-west-1.eks.amazonaws.com',
  caData: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=',
  token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'
}

test('the kubeconfig is byte for byte what istioctl writes', () => {
  assert.equal(
    remoteKubeconfig(source),
    `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
    server: https://ABCD.gr7.eu-west-1.eks.amazonaws.com
  name: cluster-1
contexts:
- context:
    cluster: cluster-1
    user: cluster-1
  name: cluster-1
current-context: cluster-1
kind: Config
users:
- name: cluster-1
  user:
    token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln
`
  )
})

test('names YAML 1.1 would read as another type are quoted, as go-yaml does', () => {
  const text = remoteKubeconfig({...source, name: '123'})
  assert.match(text, /^ {2}name: "123"$/m)
  assert.match(text, /^current-context: "123"$/m)
  assert.equal(
    (parse(text) as {'current-context': unknown})['current-context'],
    '123'
  )
  for (const name of ['yes', 'on', 'null', '1e3']) {
    const doc = parse(remoteKubeconfig({...source, name}), {version: '1.1'})
    assert.equal(doc['current-context'], name)
  }
})

test('the secret has the label, annotation and data key istiod reads, and no type', () => {
  const secret = remoteSecret(source, 'istio-system')
  assert.deepEqual(secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'istio-remote-secret-cluster-1',
      namespace: 'istio-system',
      annotations: {'networking.istio.io/cluster': 'cluster-1'},
      labels: {'istio/multiCluster': 'true'}
    },
    data: {
      'cluster-1': Buffer.from(remoteKubeconfig(source)).toString('base64')
    }
  })
  assert.equal('type' in secret, false)
})

test('a stored secret matches only when it holds exactly what we apply', () => {
  const desired = remoteSecret(source, 'ns')
  const stored = {
    metadata: {
      ...desired.metadata,
      resourceVersion: '7',
      labels: {...desired.metadata.labels, other: 'x'}
    },
    type: 'Opaque',
    data: {...desired.data}
  }
  const other = remoteSecret({...source, token: 'new'}, 'ns').data
  const cases: [string, object, boolean][] = [
    ['the same, with extra labels', stored, true],
    ['no type', {...stored, type: undefined}, true],
    ['another token', {...stored, data: other}, false],
    [
      'an extra data key',
      {...stored, data: {...stored.data, x: 'eA=='}},
      false
    ],
    [
      'no label',
      {...stored, metadata: {...stored.metadata, labels: {}}},
      false
    ],
    [
      'another annotation',
      {
        ...stored,
        metadata: {
          ...stored.metadata,
          annotations: {'networking.istio.io/cluster': 'x'}
        }
      },
      false
    ],
    ['another type', {...stored, type: 'kubernetes.io/tls'}, false],
    ['empty', {}, false]
  ]
  for (const [what, s, expected] of cases) {
    assert.equal(secretMatches(s, desired), expected, what)
  }
})

test('every ordered pair of distinct clusters, for N clusters', () => {
  assert.deepEqual(orderedPairs(['a']), [])
  assert.deepEqual(orderedPairs(['a', 'b']), [
    {source: 'a', target: 'b'},
    {source: 'b', target: 'a'}
  ])
  const three = orderedPairs(['a', 'b', 'c'])
  assert.equal(three.length, 6)
  assert.ok(three.every(p => p.source !== p.target))
})

test('prune picks labelled remote secrets of unlisted clusters only', () => {
  const label = {'istio/multiCluster': 'true'}
  assert.deepEqual(
    pruneCandidates(
      [
        {name: 'istio-remote-secret-a', labels: label},
        {name: 'istio-remote-secret-gone', labels: label},
        {name: 'istio-remote-secret-unlabelled'},
        {name: 'someone-elses', labels: label}
      ],
      ['a', 'b']
    ),
    [{name: 'istio-remote-secret-gone', source: 'gone'}]
  )
})
