import assert from 'node:assert/strict'
import {test} from 'node:test'
import {describeAccess, readerAccesses} from '../../src/mesh/reader-rules.ts'
import {readerObjects} from '../helpers/istio-fixture.ts'

test('the reviews cover every row of the reader ClusterRole once', () => {
  const all = readerAccesses()
  const keys = all.map(a => `${a.group}/${a.resource}/${a.verb}`)
  assert.equal(new Set(keys).size, keys.length)
  // 7 Istio groups x 3 + 8 core x 3 + the other rows.
  assert.equal(all.length, 21 + 24 + 3 + 6 + 3 + 3 + 5 + 3 + 3 + 1 + 1)
  for (const group of ['config.istio.io', 'extensions.istio.io']) {
    assert.ok(keys.includes(`${group}/*/watch`), group)
  }
  assert.ok(keys.includes('/secrets/list'))
  assert.ok(keys.includes('multicluster.x-k8s.io/serviceexports/delete'))
  assert.ok(keys.includes('authorization.k8s.io/subjectaccessreviews/create'))
})

test('accesses read as kubectl auth can-i would put them', () => {
  assert.equal(
    describeAccess({group: '', resource: 'secrets', verb: 'list'}),
    'list secrets'
  )
  assert.equal(
    describeAccess({group: 'apps', resource: 'replicasets', verb: 'get'}),
    'get apps/replicasets'
  )
})

test("the reviews are exactly what Istio's rendered reader ClusterRole grants", async () => {
  const [role] = (await readerObjects('istio-system')).filter(
    o => o.kind === 'ClusterRole'
  )
  assert.ok(role, 'istioctl renders istio-reader-clusterrole-istio-system')
  const rendered = (
    role.rules as {apiGroups: string[]; resources: string[]; verbs: string[]}[]
  ).map(r => ({groups: r.apiGroups, resources: r.resources, verbs: r.verbs}))
  const key = (a: {group: string; resource: string; verb: string}) =>
    describeAccess(a)
  assert.deepEqual(
    readerAccesses(rendered).map(key).sort(),
    readerAccesses().map(key).sort()
  )
})
