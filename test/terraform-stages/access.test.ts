// The cluster stage's access scheme, evaluated by a real OpenTofu from the
// provider-free files (variables.tf, preflight.tf, access-rules.tf), pinned
// here, and then loaded into a test-bed kube-apiserver: each principal's
// group may do its job and nothing more, as the API server's own
// authorizer decides.
import assert from 'node:assert/strict'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import type {ClusterTarget} from '../../src/kube/kubeconfig.ts'
import {need} from '../helpers/testbed.ts'
import {admin, impersonating, mayDo, type Who} from './kube-as.ts'
import {TERRAFORM_DIR} from './stage.ts'
import {run} from './tools.ts'

interface Rule {
  api_groups: string[]
  resources: string[]
  verbs: string[]
  resource_names: string[]
}
interface Access {
  entries: Record<string, unknown>
  namespaced: Record<string, {who: string; namespace: string; rules: Rule[]}>
  cluster: Record<string, {rules: Rule[]}>
  groups: {plan: string; mesh: string}
  names: {plan: string; mesh: string}
  sg_cluster: Record<string, unknown>
  sg_node: Record<string, unknown>
}

const ARN = {
  apply: 'arn:aws:iam::123456789012:role/mesh-apply',
  plan: 'arn:aws:iam::123456789012:role/mesh-plan',
  mesh: 'arn:aws:iam::123456789012:role/mesh-exchange'
}
const CERTS = ['ca-cert.pem', 'ca-key.pem', 'root-cert.pem', 'cert-chain.pem']

let work: string
let tofu: string

/**
 * The stage's access locals for cluster `east` of a vpc made for east,
 * west and north; `override` replaces locals as an `_override.tf` file.
 */
function evaluate(name: string, vars: string[], override = ''): Access {
  const dir = join(work, name)
  mkdirSync(dir)
  for (const f of ['variables.tf', 'preflight.tf', 'access-rules.tf']) {
    copyFileSync(join(TERRAFORM_DIR, 'cluster', f), join(dir, f))
  }
  writeFileSync(
    join(dir, 'access_test.tf'),
    `output "access" {
  value = {
    entries    = local.access_entries
    namespaced = local.namespaced_access
    cluster    = local.cluster_access
    groups     = local.access_groups
    names      = local.access_object_names
    sg_cluster = local.cluster_security_group_rules
    sg_node    = local.node_security_group_rules
  }
}
`
  )
  if (override) writeFileSync(join(dir, 'access_test_override.tf'), override)
  const init = run(tofu, ['init', '-no-color', '-backend=false'], {cwd: dir})
  assert.equal(init.status, 0, init.output)
  const args = [
    'cluster_name=east',
    `certs_dir=${join(work, 'certs')}`,
    `vpc_state_config={path="${join(work, 'vpc.tfstate')}"}`,
    ...vars
  ].flatMap(v => ['-var', v])
  const apply = run(tofu, ['apply', '-no-color', '-auto-approve', ...args], {
    cwd: dir
  })
  assert.equal(apply.status, 0, apply.output)
  const out = run(tofu, ['output', '-no-color', '-json', 'access'], {cwd: dir})
  assert.equal(out.status, 0, out.output)
  return JSON.parse(out.stdout) as Access
}

const principals = [
  `admin_principal_arns=["${ARN.apply}"]`,
  `plan_principal_arns=["${ARN.plan}"]`,
  `mesh_principal_arns=["${ARN.mesh}"]`
]

let defaults: Access

before(() => {
  tofu = need('tofu')
  work = mkdtempSync(join(tmpdir(), 'stage-access-'))
  mkdirSync(join(work, 'certs', 'east'), {recursive: true})
  for (const f of CERTS) writeFileSync(join(work, 'certs', 'east', f), f)
  const names = ['east', 'west', 'north']
  writeFileSync(
    join(work, 'vpc.tfstate'),
    JSON.stringify({
      version: 4,
      serial: 1,
      lineage: 'access',
      resources: [],
      outputs: {
        region: {value: 'eu-west-1', type: 'string'},
        cluster_names: {value: names, type: ['list', 'string']},
        additional_security_group_ids: {
          value: Object.fromEntries(names.map(n => [n, `sg-${n}`])),
          type: ['map', 'string']
        }
      }
    })
  )
  defaults = evaluate('defaults', principals)
})

after(() => {
  if (work) rmSync(work, {recursive: true, force: true})
})

const rule = (
  api_groups: string[],
  resources: string[],
  verbs: string[],
  resource_names: string[] = []
): Rule => ({api_groups, resources, verbs, resource_names})

const RBAC = ['rbac.authorization.k8s.io']
const BOTH = ['mesh-toolkit-mesh', 'mesh-toolkit-plan']
const WORKLOAD = ['get', 'list', 'watch', 'create', 'patch', 'delete']

test('access entries: the apply role is cluster admin, plan and mesh get a group each', () => {
  assert.deepEqual(defaults.entries, {
    [ARN.apply]: {
      principal_arn: ARN.apply,
      policy_associations: {
        admin: {
          policy_arn:
            'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          access_scope: {type: 'cluster'}
        }
      }
    },
    [ARN.plan]: {
      principal_arn: ARN.plan,
      kubernetes_groups: ['mesh-toolkit:plan']
    },
    [ARN.mesh]: {
      principal_arn: ARN.mesh,
      kubernetes_groups: ['mesh-toolkit:mesh']
    }
  })
  const china = evaluate('china', [
    'admin_principal_arns=["arn:aws-cn:iam::123456789012:role/apply"]'
  ])
  assert.deepEqual(Object.values(china.entries), [
    {
      principal_arn: 'arn:aws-cn:iam::123456789012:role/apply',
      policy_associations: {
        admin: {
          policy_arn:
            'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          access_scope: {type: 'cluster'}
        }
      }
    }
  ])
})

test('RBAC rules of the plan and mesh groups, pinned', () => {
  assert.deepEqual(defaults.groups, {
    plan: 'mesh-toolkit:plan',
    mesh: 'mesh-toolkit:mesh'
  })
  assert.deepEqual(defaults.names, {
    plan: 'mesh-toolkit-plan',
    mesh: 'mesh-toolkit-mesh'
  })
  assert.deepEqual(defaults.namespaced, {
    'plan/istio-system': {
      who: 'plan',
      namespace: 'istio-system',
      rules: [
        rule([''], ['secrets'], ['get', 'list']),
        rule(RBAC, ['roles', 'rolebindings'], ['get'], BOTH)
      ]
    },
    'plan/kube-system': {
      who: 'plan',
      namespace: 'kube-system',
      rules: [
        rule([''], ['secrets'], ['get', 'list']),
        rule(RBAC, ['roles', 'rolebindings'], ['get'], ['mesh-toolkit-plan'])
      ]
    },
    'plan/verify': {
      who: 'plan',
      namespace: 'sample',
      rules: [rule(RBAC, ['roles', 'rolebindings'], ['get'], BOTH)]
    },
    'mesh/istio-system': {
      who: 'mesh',
      namespace: 'istio-system',
      rules: [
        rule(
          [''],
          ['secrets'],
          ['get'],
          ['istio-reader-service-account-istio-remote-secret-token']
        ),
        rule(
          [''],
          ['secrets'],
          ['get', 'create', 'patch', 'delete'],
          ['istio-remote-secret-north', 'istio-remote-secret-west']
        ),
        rule(
          [''],
          ['services/proxy'],
          ['get'],
          ['istiod:15014', 'http:istiod:15014']
        ),
        rule(['apps'], ['deployments'], ['get'], ['istiod'])
      ]
    },
    'mesh/verify': {
      who: 'mesh',
      namespace: 'sample',
      rules: [
        rule([''], ['services'], WORKLOAD),
        rule(['apps'], ['deployments'], WORKLOAD),
        rule([''], ['pods'], ['get', 'list', 'watch']),
        rule([''], ['pods/exec'], ['get', 'create'])
      ]
    }
  })
  assert.deepEqual(defaults.cluster, {
    plan: {
      rules: [
        rule([''], ['namespaces'], ['get'], ['istio-system', 'sample']),
        rule(RBAC, ['clusterroles', 'clusterrolebindings'], ['get'], BOTH)
      ]
    },
    mesh: {
      rules: [
        rule([''], ['namespaces'], ['get'], ['sample']),
        rule(
          ['admissionregistration.k8s.io'],
          ['mutatingwebhookconfigurations'],
          ['get'],
          ['istio-sidecar-injector']
        )
      ]
    }
  })
})

test('security group rules: 443 from each peer to the API, 15017 and 15014 from the control plane to nodes', () => {
  const api = (peer: string) => ({
    description: `Kubernetes API from cluster ${peer} (its istiod watches this cluster)`,
    protocol: 'tcp',
    from_port: 443,
    to_port: 443,
    type: 'ingress',
    source_security_group_id: `sg-${peer}`
  })
  assert.deepEqual(defaults.sg_cluster, {
    ingress_api_from_north: api('north'),
    ingress_api_from_west: api('west')
  })
  const fromControlPlane = (port: number) => ({
    protocol: 'tcp',
    from_port: port,
    to_port: port,
    type: 'ingress',
    source_cluster_security_group: true
  })
  const node = defaults.sg_node as Record<string, Record<string, unknown>>
  assert.deepEqual(Object.keys(node).sort(), [
    'ingress_istiod_monitoring',
    'ingress_istiod_webhook'
  ])
  const {description: webhook, ...webhookRule} = node.ingress_istiod_webhook!
  const {description: monitoring, ...monitoringRule} =
    node.ingress_istiod_monitoring!
  assert.deepEqual(webhookRule, fromControlPlane(15017))
  assert.deepEqual(monitoringRule, fromControlPlane(15014))
  assert.match(String(webhook), /webhook/)
  assert.match(String(monitoring), /service proxy/)
})

// The live part: the same rules, with namespaces of this test's own so
// other tests' objects are never touched.

const run36 = `${process.pid.toString(36)}${Date.now().toString(36)}`
const NS = {istio: `acc-${run36}-istio`, verify: `acc-${run36}-sample`}

function toRbac(rules: Rule[]) {
  return rules.map(r => ({
    apiGroups: r.api_groups,
    resources: r.resources,
    verbs: r.verbs,
    ...(r.resource_names.length ? {resourceNames: r.resource_names} : {})
  }))
}

async function apply(t: ClusterTarget, path: string, body: object) {
  await t.kube.call({
    method: 'PATCH',
    path: `${path}?fieldManager=stage-access-test&force=true`,
    body,
    contentType: 'application/apply-patch+yaml'
  })
}

const rbacApi = '/apis/rbac.authorization.k8s.io/v1'
const made: string[] = []

/** The Roles, ClusterRoles and bindings access.tf would make. */
async function loadRules(t: ClusterTarget, access: Access) {
  for (const ns of [NS.istio, NS.verify]) {
    const path = `/api/v1/namespaces/${ns}`
    await apply(t, path, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {name: ns}
    })
    made.push(path)
  }
  const subject = (who: 'plan' | 'mesh') => [
    {apiGroup: RBAC[0], kind: 'Group', name: access.groups[who]}
  ]
  for (const r of Object.values(access.namespaced)) {
    const who = r.who as 'plan' | 'mesh'
    const name = access.names[who]
    const base = `${rbacApi}/namespaces/${r.namespace}`
    const meta = {name, namespace: r.namespace}
    await apply(t, `${base}/roles/${name}`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta,
      rules: toRbac(r.rules)
    })
    await apply(t, `${base}/rolebindings/${name}`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: {apiGroup: RBAC[0], kind: 'Role', name},
      subjects: subject(who)
    })
    made.push(`${base}/rolebindings/${name}`, `${base}/roles/${name}`)
  }
  for (const [who, r] of Object.entries(access.cluster) as [
    'plan' | 'mesh',
    {rules: Rule[]}
  ][]) {
    const name = access.names[who]
    await apply(t, `${rbacApi}/clusterroles/${name}`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {name},
      rules: toRbac(r.rules)
    })
    await apply(t, `${rbacApi}/clusterrolebindings/${name}`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: {name},
      roleRef: {apiGroup: RBAC[0], kind: 'ClusterRole', name},
      subjects: subject(who)
    })
    made.push(
      `${rbacApi}/clusterrolebindings/${name}`,
      `${rbacApi}/clusterroles/${name}`
    )
  }
}

type Attributes = Parameters<typeof mayDo>[2]

test('on a real API server, each group may do its job and nothing more', async t => {
  const context = need('clusters')[0]!
  const cluster = admin(context)
  const access = evaluate(
    'live',
    [...principals, `verify_mesh_namespace=${NS.verify}`],
    `locals {\n  istio_namespace = "${NS.istio}"\n}\n`
  )
  t.after(async () => {
    // Namespaces last: deleting one removes what is in it.
    for (const path of made.reverse()) {
      await cluster.kube.call(
        {method: 'DELETE', path},
        s => s < 300 || s === 404
      )
    }
  })
  await loadRules(cluster, access)

  const plan: Who = {user: 'plan-role', groups: [access.groups.plan]}
  const mesh: Who = {user: 'mesh-role', groups: [access.groups.mesh]}
  const I = NS.istio
  const V = NS.verify
  const secret = (verb: string, namespace: string, name?: string) => ({
    verb,
    resource: 'secrets',
    namespace,
    ...(name ? {name} : {})
  })
  const rbacOf = (resource: string, namespace: string, name: string) => ({
    verb: 'get',
    group: RBAC[0],
    resource,
    namespace,
    name
  })
  const cases: [Who, Attributes, boolean][] = [
    // Plan: what a refresh reads.
    [plan, secret('list', I), true],
    [plan, secret('list', 'kube-system'), true],
    [plan, secret('get', I, 'cacerts'), true],
    [plan, {verb: 'get', resource: 'namespaces', name: I}, true],
    [plan, {verb: 'get', resource: 'namespaces', name: V}, true],
    [plan, rbacOf('roles', V, 'mesh-toolkit-mesh'), true],
    [plan, rbacOf('rolebindings', 'kube-system', 'mesh-toolkit-plan'), true],
    [
      plan,
      {
        verb: 'get',
        group: RBAC[0],
        resource: 'clusterroles',
        name: 'mesh-toolkit-mesh'
      },
      true
    ],
    [
      plan,
      {
        verb: 'get',
        group: RBAC[0],
        resource: 'clusterrolebindings',
        name: 'mesh-toolkit-plan'
      },
      true
    ],
    [
      plan,
      {
        verb: 'get',
        group: RBAC[0],
        resource: 'clusterroles',
        name: 'cluster-admin'
      },
      false
    ],
    // ... and nothing that writes, nor reads elsewhere.
    [plan, secret('patch', I, 'cacerts'), false],
    [plan, secret('create', I), false],
    [plan, secret('delete', 'kube-system', 'anything'), false],
    [plan, secret('list', V), false],
    [plan, secret('list', 'default'), false],
    [plan, {verb: 'list', resource: 'pods', namespace: I}, false],
    [
      plan,
      {verb: 'get', resource: 'configmaps', namespace: I, name: 'x'},
      false
    ],
    [plan, {verb: 'get', resource: 'namespaces', name: 'default'}, false],
    [
      plan,
      {verb: 'create', resource: 'pods', subresource: 'exec', namespace: V},
      false
    ],
    [
      plan,
      {
        verb: 'patch',
        group: RBAC[0],
        resource: 'roles',
        namespace: I,
        name: 'mesh-toolkit-plan'
      },
      false
    ],
    // Mesh, exchange-secrets: its secrets by name, nothing else there.
    [
      mesh,
      secret(
        'get',
        I,
        'istio-reader-service-account-istio-remote-secret-token'
      ),
      true
    ],
    [mesh, secret('patch', I, 'istio-remote-secret-west'), true],
    [mesh, secret('delete', I, 'istio-remote-secret-north'), true],
    [
      mesh,
      secret(
        'patch',
        I,
        'istio-reader-service-account-istio-remote-secret-token'
      ),
      false
    ],
    [mesh, secret('get', I, 'istio-remote-secret-east'), false],
    [mesh, secret('get', I, 'cacerts'), false],
    [mesh, secret('list', I), false],
    [mesh, secret('get', 'kube-system', 'anything'), false],
    // Mesh, verify-mesh.
    [
      mesh,
      {
        verb: 'get',
        resource: 'services',
        subresource: 'proxy',
        namespace: I,
        name: 'istiod:15014'
      },
      true
    ],
    [
      mesh,
      {
        verb: 'get',
        resource: 'services',
        subresource: 'proxy',
        namespace: I,
        name: 'istiod:8080'
      },
      false
    ],
    [
      mesh,
      {
        verb: 'get',
        group: 'apps',
        resource: 'deployments',
        namespace: I,
        name: 'istiod'
      },
      true
    ],
    [
      mesh,
      {
        verb: 'patch',
        group: 'apps',
        resource: 'deployments',
        namespace: I,
        name: 'istiod'
      },
      false
    ],
    [
      mesh,
      {
        verb: 'get',
        group: 'admissionregistration.k8s.io',
        resource: 'mutatingwebhookconfigurations',
        name: 'istio-sidecar-injector'
      },
      true
    ],
    [
      mesh,
      {
        verb: 'patch',
        group: 'admissionregistration.k8s.io',
        resource: 'mutatingwebhookconfigurations',
        name: 'istio-sidecar-injector'
      },
      false
    ],
    [
      mesh,
      {
        verb: 'patch',
        group: 'apps',
        resource: 'deployments',
        namespace: V,
        name: 'helloworld-v1'
      },
      true
    ],
    [
      mesh,
      {verb: 'delete', resource: 'services', namespace: V, name: 'helloworld'},
      true
    ],
    [mesh, {verb: 'watch', resource: 'pods', namespace: V}, true],
    [
      mesh,
      {
        verb: 'create',
        resource: 'pods',
        subresource: 'exec',
        namespace: V,
        name: 'curl-1'
      },
      true
    ],
    [mesh, {verb: 'create', resource: 'pods', namespace: V}, false],
    [mesh, {verb: 'create', resource: 'secrets', namespace: V}, false],
    [
      mesh,
      {
        verb: 'create',
        resource: 'pods',
        subresource: 'exec',
        namespace: I,
        name: 'istiod-1'
      },
      false
    ],
    [mesh, {verb: 'create', resource: 'namespaces'}, false]
  ]
  const wrong: string[] = []
  for (const [who, attributes, expected] of cases) {
    if ((await mayDo(cluster, who, attributes)) !== expected) {
      wrong.push(
        `${who.user} ${expected ? 'may not' : 'may'} ${JSON.stringify(attributes)}`
      )
    }
  }
  assert.deepEqual(wrong, [])

  // The same, as real requests where the rule's meaning rests on how the
  // API server names the request: server-side apply creating an object by
  // name, the service proxy's name with its port, exec over WebSocket.
  const asMesh = impersonating(context, mesh)
  const asPlan = impersonating(context, plan)
  const remote = (name: string) => ({
    body: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {name, namespace: I},
      stringData: {k: 'v'}
    },
    contentType: 'application/apply-patch+yaml'
  })
  const ssa = (name: string) =>
    `/api/v1/namespaces/${I}/secrets/${name}?fieldManager=exchange-secrets&force=true`
  const status = async (p: Promise<{status: number}>) => (await p).status
  assert.equal(
    await status(
      asMesh(
        'PATCH',
        ssa('istio-remote-secret-west'),
        remote('istio-remote-secret-west')
      )
    ),
    201
  )
  assert.equal(
    await status(
      asMesh(
        'PATCH',
        ssa('istio-remote-secret-west'),
        remote('istio-remote-secret-west')
      )
    ),
    200
  )
  assert.equal(
    await status(
      asMesh(
        'PATCH',
        ssa('istio-remote-secret-east'),
        remote('istio-remote-secret-east')
      )
    ),
    403
  )
  assert.equal(
    await status(
      asPlan(
        'PATCH',
        ssa('istio-remote-secret-north'),
        remote('istio-remote-secret-north')
      )
    ),
    403
  )
  assert.equal(
    await status(
      asPlan(
        'GET',
        `/api/v1/namespaces/${I}/secrets?labelSelector=owner%3Dhelm`
      )
    ),
    200
  )
  assert.equal(
    await status(
      asMesh(
        'GET',
        `/api/v1/namespaces/${I}/secrets?labelSelector=owner%3Dhelm`
      )
    ),
    403
  )
  assert.equal(
    await status(
      asMesh(
        'DELETE',
        `/api/v1/namespaces/${I}/secrets/istio-remote-secret-west`
      )
    ),
    200
  )

  // No istiod runs here: an authorized proxy request finds no service (404).
  const proxy = (target: string) =>
    status(
      asMesh(
        'GET',
        `/api/v1/namespaces/${I}/services/${target}/proxy/debug/clusterz`
      )
    )
  assert.equal(await proxy('istiod:15014'), 404)
  assert.equal(await proxy('http:istiod:15014'), 404)
  assert.equal(await proxy('istiod:8080'), 403)
  assert.equal(await proxy('istiod'), 403)

  // No pod runs here either: an authorized exec meets a pod without a node.
  const pod = `/api/v1/namespaces/${V}/pods/curl`
  await apply(cluster, pod, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: 'curl', namespace: V},
    spec: {containers: [{name: 'curl', image: 'curlimages/curl'}]}
  })
  const exec = `${pod}/exec?command=true&stdout=true&container=curl`
  const websocket = {
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': Buffer.from(run36.padEnd(16, '0')).toString(
        'base64'
      ),
      'sec-websocket-version': '13',
      'sec-websocket-protocol': 'v5.channel.k8s.io'
    }
  }
  for (const answer of [
    await asMesh('GET', exec, websocket),
    await asMesh('POST', exec)
  ]) {
    assert.equal(answer.status, 400, JSON.stringify(answer.body))
    assert.match(JSON.stringify(answer.body), /does not have a host assigned/)
  }
  assert.equal(await status(asPlan('GET', exec, websocket)), 403)
  assert.equal(await status(asPlan('POST', exec)), 403)
})
