import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  applyObjects,
  applyOrder,
  deleteObjects,
  parseManifests,
  type KubeObject
} from '../../src/kube/apply.ts'
import {admin} from '../helpers/istio-fixture.ts'
import {need} from '../helpers/testbed.ts'

const [cluster] = need('clusters')
const unique = `${process.pid}-${Date.now().toString(36)}`
const group = `t${unique.replace(/-/g, '')}.testbed.invalid`

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {name: `gadgets.${group}`},
  spec: {
    group,
    scope: 'Namespaced',
    names: {plural: 'gadgets', singular: 'gadget', kind: 'Gadget'},
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {type: 'object', properties: {size: {type: 'integer'}}}
            }
          }
        }
      }
    ]
  }
}

const manifest = (namespace: string) => `
# A CR before its CRD and a ConfigMap before its namespace: the applier orders them.
apiVersion: ${group}/v1
kind: Gadget
metadata:
  name: g1
  namespace: ${namespace}
spec:
  size: 3
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: strict
---
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: apply-test-${unique}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
---
apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
  # Owning no field at all, a first apply records no manager, and the API
  # server adds 'before-first-apply' on the second: a label avoids that.
  labels: {purpose: apply-test}
---
${JSON.stringify(crd)}
`

test('parseManifests keeps objects, drops empty documents, names a bad one by position only', () => {
  const objects = parseManifests(manifest('ns'), 'm.yaml')
  assert.deepEqual(
    objects.map(o => o.kind),
    [
      'Gadget',
      'ConfigMap',
      'ClusterRole',
      'Namespace',
      'CustomResourceDefinition'
    ]
  )
  assert.throws(
    () =>
      parseManifests('kind: Secret\ndata: {key: c2VjcmV0}\n', 'secret.yaml'),
    (err: Error) =>
      /^secret.yaml: document 1 has no apiVersion, kind and metadata.name$/.test(
        err.message
      ) && !err.message.includes('c2VjcmV0')
  )
  assert.throws(
    () =>
      parseManifests(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n: : :\n  - [',
        'broken.yaml'
      ),
    /broken.yaml: document 2 is not valid YAML/
  )
})

test('applyOrder puts CRDs, then namespaces, before everything else, keeping order', () => {
  const o = (kind: string, name: string, apiVersion = 'v1'): KubeObject => ({
    apiVersion,
    kind,
    metadata: {name}
  })
  const ordered = applyOrder([
    o('ConfigMap', 'a'),
    o('Namespace', 'n'),
    o('CustomResourceDefinition', 'c', 'apiextensions.k8s.io/v1'),
    o('ConfigMap', 'b')
  ])
  assert.deepEqual(
    ordered.map(x => x.metadata.name),
    ['c', 'n', 'a', 'b']
  )
})

test('applyObjects applies CRDs, their objects and defaults the namespace; a second apply changes nothing', async () => {
  const namespace = `apply-${unique}`
  const kube = admin(cluster!).kube
  const objects = parseManifests(manifest(namespace), 'm.yaml')
  try {
    const first = await applyObjects(kube, objects, {
      fieldManager: 'apply-test',
      namespace
    })
    assert.equal(first.changed.length, 5)
    assert.deepEqual(first.unchanged, [])
    const cm = await kube.call({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/configmaps/settings`
    })
    assert.deepEqual((cm.body as {data: object}).data, {mode: 'strict'})
    const gadget = await kube.call({
      method: 'GET',
      path: `/apis/${group}/v1/namespaces/${namespace}/gadgets/g1`
    })
    assert.equal((gadget.body as {spec: {size: number}}).spec.size, 3)

    const second = await applyObjects(kube, objects, {
      fieldManager: 'apply-test',
      namespace
    })
    assert.deepEqual(second.changed, [])
    assert.equal(second.unchanged.length, 5)
  } finally {
    await deleteObjects(kube, objects, namespace)
  }
  const gone = await kube.call(
    {
      method: 'GET',
      path: `/apis/rbac.authorization.k8s.io/v1/clusterroles/apply-test-${unique}`
    },
    s => s === 404
  )
  assert.equal(gone.status, 404)
})

test('applyObjects names a kind the API server does not serve', async () => {
  const kube = admin(cluster!).kube
  await assert.rejects(
    applyObjects(
      kube,
      [
        {apiVersion: 'nowhere.invalid/v1', kind: 'Thing', metadata: {name: 'x'}}
      ],
      {fieldManager: 'apply-test', namespace: 'default'}
    ),
    new RegExp(
      `${cluster}: the API server serves no kind Thing in nowhere.invalid/v1 \\(Thing/x\\)`
    )
  )
})
