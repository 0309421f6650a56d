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
import {execInPod} from '../../src/kube/exec.ts'
import {
  clientFromKubeconfigText,
  type ClusterTarget
} from '../../src/kube/kubeconfig.ts'
import {exchange, type Mode} from '../../src/mesh/exchange.ts'
import {portForwardIstiod} from '../../src/mesh/verify-istiod.ts'
import {verifyMesh, type VerifyOptions} from '../../src/mesh/verify.ts'
import {istioReady, READER_SA, TOKEN_SECRET} from '../helpers/istio-fixture.ts'
import {need} from '../helpers/testbed.ts'
import {playKubelet} from '../kube/kubelet.ts'
import {admin, impersonating, mayDo, memberOf, type Who} from './kube-as.ts'
import {TERRAFORM_DIR} from './stage.ts'
import {run} from './tools.ts'

type Role = 'plan' | 'mesh' | 'verify'

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
  groups: Record<Role, string>
  names: Record<Role, string>
  sg_cluster: Record<string, unknown>
  sg_node: Record<string, unknown>
}

const ARN = {
  apply: 'arn:aws:iam::123456789012:role/mesh-apply',
  plan: 'arn:aws:iam::123456789012:role/mesh-plan',
  mesh: 'arn:aws:iam::123456789012:role/mesh-exchange',
  verify: 'arn:aws:iam::123456789012:role/mesh-verify'
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
  `mesh_principal_arns=["${ARN.mesh}"]`,
  `verify_principal_arns=["${ARN.verify}"]`
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
const ALL = ['mesh-toolkit-mesh', 'mesh-toolkit-plan', 'mesh-toolkit-verify']
const WORKLOAD = ['get', 'create', 'patch', 'delete']

test('access entries: the apply role is cluster admin, plan, mesh and verify get a group each', () => {
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
    },
    [ARN.verify]: {
      principal_arn: ARN.verify,
      kubernetes_groups: ['mesh-toolkit:verify']
    }
  })
  // One role for exchange-secrets and verify-mesh: one entry, both groups.
  const shared = evaluate('shared', [
    `mesh_principal_arns=["${ARN.mesh}"]`,
    `verify_principal_arns=["${ARN.verify}", "${ARN.mesh}"]`
  ])
  assert.deepEqual(shared.entries, {
    [ARN.mesh]: {
      principal_arn: ARN.mesh,
      kubernetes_groups: ['mesh-toolkit:mesh', 'mesh-toolkit:verify']
    },
    [ARN.verify]: {
      principal_arn: ARN.verify,
      kubernetes_groups: ['mesh-toolkit:verify']
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

test('RBAC rules of the plan, mesh and verify groups, pinned', () => {
  assert.deepEqual(defaults.groups, {
    plan: 'mesh-toolkit:plan',
    mesh: 'mesh-toolkit:mesh',
    verify: 'mesh-toolkit:verify'
  })
  assert.deepEqual(defaults.names, {
    plan: 'mesh-toolkit-plan',
    mesh: 'mesh-toolkit-mesh',
    verify: 'mesh-toolkit-verify'
  })
  const remotes = ['istio-remote-secret-north', 'istio-remote-secret-west']
  assert.deepEqual(defaults.namespaced, {
    'plan/istio-system': {
      who: 'plan',
      namespace: 'istio-system',
      rules: [
        rule([''], ['secrets'], ['get', 'list']),
        rule(RBAC, ['roles', 'rolebindings'], ['get'], ALL)
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
      rules: [rule(RBAC, ['roles', 'rolebindings'], ['get'], ALL)]
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
        rule([''], ['secrets'], ['get', 'create', 'patch', 'delete'], remotes)
      ]
    },
    'verify/istio-system': {
      who: 'verify',
      namespace: 'istio-system',
      rules: [
        rule([''], ['secrets'], ['get'], remotes),
        rule([''], ['pods'], ['list']),
        rule([''], ['pods/portforward'], ['get', 'create'])
      ]
    },
    'verify/verify': {
      who: 'verify',
      namespace: 'sample',
      rules: [
        rule([''], ['services', 'serviceaccounts'], WORKLOAD),
        rule(['apps'], ['deployments'], WORKLOAD),
        rule([''], ['pods'], ['list']),
        rule([''], ['pods/exec'], ['get', 'create'])
      ]
    }
  })
  assert.deepEqual(defaults.cluster, {
    plan: {
      rules: [
        rule([''], ['namespaces'], ['get'], ['istio-system', 'sample']),
        rule(RBAC, ['clusterroles', 'clusterrolebindings'], ['get'], ALL)
      ]
    },
    verify: {
      rules: [
        rule([''], ['namespaces'], ['get', 'patch'], ['sample']),
        rule(
          ['admissionregistration.k8s.io'],
          ['mutatingwebhookconfigurations'],
          ['list']
        )
      ]
    }
  })
})

test('security group rules: 443 from each peer to the API, 15017 from the control plane to nodes, and no 15014', () => {
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
  // verify-mesh port-forwards to istiod: API server -> kubelet (10250, a
  // rule of the module's own), never the control plane to istiod's 15014.
  assert.deepEqual(defaults.sg_node, {
    ingress_istiod_webhook: {
      description: 'istiod webhooks from the EKS control plane',
      protocol: 'tcp',
      from_port: 15017,
      to_port: 15017,
      type: 'ingress',
      source_cluster_security_group: true
    }
  })
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
const madeHere: string[] = []

/**
 * The Roles, ClusterRoles and bindings access.tf would make, with the
 * namespaces they go in; every path is added to `made`, for cleanup.
 */
async function loadRules(
  t: ClusterTarget,
  access: Access,
  namespaces: string[] = [NS.istio, NS.verify],
  made: string[] = madeHere
) {
  for (const ns of namespaces) {
    const path = `/api/v1/namespaces/${ns}`
    await apply(t, path, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {name: ns}
    })
    made.push(path)
  }
  const subject = (who: Role) => [
    {apiGroup: RBAC[0], kind: 'Group', name: access.groups[who]}
  ]
  for (const r of Object.values(access.namespaced)) {
    const who = r.who as Role
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
    Role,
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
    for (const path of madeHere.reverse()) {
      await cluster.kube.call(
        {method: 'DELETE', path},
        s => s < 300 || s === 404
      )
    }
  })
  await loadRules(cluster, access)

  const plan: Who = {user: 'plan-role', groups: [access.groups.plan]}
  const mesh: Who = {user: 'mesh-role', groups: [access.groups.mesh]}
  const verify: Who = {user: 'verify-role', groups: [access.groups.verify]}
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
  const clusterRbac = (verb: string, resource: string, name: string) => ({
    verb,
    group: RBAC[0],
    resource,
    name
  })
  const sub = (
    verb: string,
    subresource: string,
    namespace: string,
    name = 'a-pod'
  ) => ({verb, resource: 'pods', subresource, namespace, name})
  const apps = (verb: string, namespace: string, name?: string) => ({
    verb,
    group: 'apps',
    resource: 'deployments',
    namespace,
    ...(name ? {name} : {})
  })
  const webhooks = (verb: string, name?: string) => ({
    verb,
    group: 'admissionregistration.k8s.io',
    resource: 'mutatingwebhookconfigurations',
    ...(name ? {name} : {})
  })
  const READER = 'istio-reader-service-account-istio-remote-secret-token'
  const cases: [Who, Attributes, boolean][] = [
    // Plan: what a refresh reads.
    [plan, secret('list', I), true],
    [plan, secret('list', 'kube-system'), true],
    [plan, secret('get', I, 'cacerts'), true],
    [plan, {verb: 'get', resource: 'namespaces', name: I}, true],
    [plan, {verb: 'get', resource: 'namespaces', name: V}, true],
    [plan, rbacOf('roles', V, 'mesh-toolkit-verify'), true],
    [plan, rbacOf('rolebindings', I, 'mesh-toolkit-mesh'), true],
    [plan, rbacOf('rolebindings', 'kube-system', 'mesh-toolkit-plan'), true],
    [plan, clusterRbac('get', 'clusterroles', 'mesh-toolkit-verify'), true],
    [
      plan,
      clusterRbac('get', 'clusterrolebindings', 'mesh-toolkit-plan'),
      true
    ],
    [plan, clusterRbac('get', 'clusterroles', 'cluster-admin'), false],
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
    [plan, {verb: 'patch', resource: 'namespaces', name: V}, false],
    [plan, sub('create', 'exec', V), false],
    [plan, sub('create', 'portforward', I), false],
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
    // Mesh, exchange-secrets apply and revoke: its secrets by name.
    [mesh, secret('get', I, READER), true],
    [mesh, secret('get', I, 'istio-remote-secret-west'), true],
    [mesh, secret('create', I, 'istio-remote-secret-west'), true],
    [mesh, secret('patch', I, 'istio-remote-secret-west'), true],
    [mesh, secret('delete', I, 'istio-remote-secret-north'), true],
    // ... nothing else there, and none of verify-mesh's work.
    [mesh, secret('patch', I, READER), false],
    [mesh, secret('get', I, 'istio-remote-secret-east'), false],
    [mesh, secret('get', I, 'cacerts'), false],
    [mesh, secret('list', I), false],
    [mesh, secret('get', 'kube-system', 'anything'), false],
    [mesh, {verb: 'list', resource: 'pods', namespace: I}, false],
    [mesh, sub('get', 'portforward', I), false],
    [mesh, sub('create', 'portforward', I), false],
    [mesh, sub('create', 'exec', V), false],
    [mesh, apps('patch', V, 'curl'), false],
    [mesh, {verb: 'patch', resource: 'namespaces', name: V}, false],
    [mesh, webhooks('list'), false],
    // Verify, exchange-secrets check: the remote secrets, read by name.
    [verify, secret('get', I, 'istio-remote-secret-west'), true],
    [verify, secret('get', I, 'istio-remote-secret-north'), true],
    // verify-mesh's control plane: istiod's pods, port-forward to them.
    [verify, {verb: 'list', resource: 'pods', namespace: I}, true],
    [verify, sub('get', 'portforward', I, 'istiod-1'), true],
    [verify, sub('create', 'portforward', I, 'istiod-1'), true],
    [verify, webhooks('list'), true],
    [verify, {verb: 'get', resource: 'namespaces', name: V}, true],
    [verify, {verb: 'patch', resource: 'namespaces', name: V}, true],
    // verify-mesh's traffic: its workloads in its own namespace.
    [
      verify,
      {verb: 'create', resource: 'serviceaccounts', namespace: V, name: 'curl'},
      true
    ],
    [
      verify,
      {verb: 'patch', resource: 'services', namespace: V, name: 'helloworld'},
      true
    ],
    [
      verify,
      {verb: 'delete', resource: 'services', namespace: V, name: 'curl'},
      true
    ],
    [verify, apps('create', V, 'helloworld-v2'), true],
    [verify, apps('get', V, 'helloworld-v2'), true],
    [verify, apps('delete', V, 'curl'), true],
    [verify, {verb: 'list', resource: 'pods', namespace: V}, true],
    [verify, sub('get', 'exec', V, 'curl-1'), true],
    [verify, sub('create', 'exec', V, 'curl-1'), true],
    // ... and nothing it may write in istio-system, nor any other secret.
    [verify, secret('list', I), false],
    [verify, secret('get', I, 'cacerts'), false],
    [verify, secret('get', I, READER), false],
    [verify, secret('get', I, 'istio-remote-secret-east'), false],
    [verify, secret('create', I, 'istio-remote-secret-west'), false],
    [verify, secret('patch', I, 'istio-remote-secret-west'), false],
    [verify, secret('delete', I, 'istio-remote-secret-west'), false],
    [verify, secret('create', I), false],
    [verify, secret('create', V), false],
    [verify, secret('list', V), false],
    [verify, {verb: 'create', resource: 'pods', namespace: I}, false],
    [
      verify,
      {verb: 'delete', resource: 'pods', namespace: I, name: 'istiod-1'},
      false
    ],
    [
      verify,
      {verb: 'get', resource: 'pods', namespace: I, name: 'istiod-1'},
      false
    ],
    [verify, sub('create', 'exec', I, 'istiod-1'), false],
    [verify, apps('get', I, 'istiod'), false],
    [verify, apps('patch', I, 'istiod'), false],
    [
      verify,
      {verb: 'create', resource: 'services', namespace: I, name: 'x'},
      false
    ],
    [verify, {verb: 'create', resource: 'pods', namespace: V}, false],
    [verify, sub('create', 'portforward', V, 'helloworld-1'), false],
    [verify, {verb: 'create', resource: 'namespaces'}, false],
    [verify, {verb: 'delete', resource: 'namespaces', name: V}, false],
    [verify, {verb: 'patch', resource: 'namespaces', name: I}, false],
    [verify, webhooks('patch', 'istio-sidecar-injector'), false],
    [verify, webhooks('create'), false],
    [
      verify,
      clusterRbac('patch', 'clusterroles', 'mesh-toolkit-verify'),
      false
    ],
    [verify, rbacOf('roles', I, 'mesh-toolkit-verify'), false],
    [
      verify,
      {verb: 'create', group: RBAC[0], resource: 'rolebindings', namespace: V},
      false
    ]
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
  // name, a list by label or as metadata only, exec and port-forward over
  // WebSocket.
  const asMesh = impersonating(context, mesh)
  const asPlan = impersonating(context, plan)
  const asVerify = impersonating(context, verify)
  const ssaBody = (obj: object) => ({
    body: obj,
    contentType: 'application/apply-patch+yaml'
  })
  const remote = (name: string) =>
    ssaBody({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {name, namespace: I},
      stringData: {k: 'v'}
    })
  const ssa = (path: string, manager: string) =>
    `${path}?fieldManager=${manager}&force=true`
  const secretPath = (name: string) => `/api/v1/namespaces/${I}/secrets/${name}`
  const status = async (p: Promise<{status: number}>) => (await p).status
  const west = secretPath('istio-remote-secret-west')
  const east = secretPath('istio-remote-secret-east')
  const north = secretPath('istio-remote-secret-north')
  const byExchange = (path: string) => ssa(path, 'exchange-secrets')
  assert.equal(
    await status(
      asMesh('PATCH', byExchange(west), remote('istio-remote-secret-west'))
    ),
    201
  )
  assert.equal(
    await status(
      asMesh('PATCH', byExchange(west), remote('istio-remote-secret-west'))
    ),
    200
  )
  assert.equal(
    await status(
      asMesh('PATCH', byExchange(east), remote('istio-remote-secret-east'))
    ),
    403
  )
  assert.equal(
    await status(
      asPlan('PATCH', byExchange(north), remote('istio-remote-secret-north'))
    ),
    403
  )
  assert.equal(
    await status(
      asVerify('PATCH', byExchange(north), remote('istio-remote-secret-north'))
    ),
    403
  )
  assert.equal(
    await status(
      asVerify('PATCH', byExchange(west), remote('istio-remote-secret-west'))
    ),
    403
  )
  // exchange-secrets check reads the secret; the verify role may, by name.
  assert.equal(await status(asVerify('GET', west)), 200)
  assert.equal(await status(asVerify('DELETE', west)), 403)
  const helmList = `/api/v1/namespaces/${I}/secrets?labelSelector=owner%3Dhelm`
  assert.equal(await status(asPlan('GET', helmList)), 200)
  assert.equal(await status(asMesh('GET', helmList)), 403)
  // Asking for metadata only does not change what a list is authorized as:
  // a verify role that may list secrets could read cacerts' key.
  const remoteList = `/api/v1/namespaces/${I}/secrets?labelSelector=${encodeURIComponent('istio/multiCluster=true')}`
  const metadataOnly = {
    headers: {
      accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1'
    }
  }
  assert.equal(await status(asVerify('GET', remoteList, metadataOnly)), 403)
  assert.equal(
    await status(
      asVerify('GET', west, {
        headers: {
          accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1'
        }
      })
    ),
    200
  )
  assert.equal(await status(asMesh('DELETE', west)), 200)

  // The pods exec and port-forward are tried on, made before verify-mesh's
  // injection label lands on their namespace (a test bed with Istio up
  // would send them to its injector).
  const pod = async (namespace: string, name: string) => {
    const path = `/api/v1/namespaces/${namespace}/pods/${name}`
    await apply(cluster, path, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name, namespace, labels: {app: name}},
      spec: {containers: [{name, image: 'registry.invalid/x'}]}
    })
    return path
  }
  const exec = `${await pod(V, 'curl')}/exec?command=true&stdout=true&container=curl`
  const forward = `${await pod(I, 'istiod')}/portforward?ports=15014`

  // verify-mesh's namespace and workloads, as it applies them.
  const nsPath = `/api/v1/namespaces/${V}`
  const namespace = ssaBody({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {name: V, labels: {'istio-injection': 'enabled'}}
  })
  assert.equal(await status(asVerify('GET', nsPath)), 200)
  assert.equal(
    await status(asVerify('PATCH', ssa(nsPath, 'verify-mesh'), namespace)),
    200
  )
  assert.equal(
    await status(asMesh('PATCH', ssa(nsPath, 'verify-mesh'), namespace)),
    403
  )
  const saPath = `/api/v1/namespaces/${V}/serviceaccounts/curl`
  const account = ssaBody({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {name: 'curl', namespace: V}
  })
  assert.equal(
    await status(asVerify('PATCH', ssa(saPath, 'verify-mesh'), account)),
    201
  )
  assert.equal(await status(asVerify('DELETE', saPath)), 200)
  assert.equal(
    await status(
      asVerify(
        'GET',
        `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=app%3Dsidecar-injector`
      )
    ),
    200
  )

  const websocket = (protocol: string) => ({
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': Buffer.from(run36.padEnd(16, '0')).toString(
        'base64'
      ),
      'sec-websocket-version': '13',
      'sec-websocket-protocol': protocol
    }
  })
  // No pod runs here: an authorized exec or port-forward meets a pod
  // without a node (400), an unauthorized one is refused first (403).
  const noHost = async (p: Promise<{status: number; body: unknown}>) => {
    const answer = await p
    assert.equal(answer.status, 400, JSON.stringify(answer.body))
    assert.match(JSON.stringify(answer.body), /does not have a host assigned/)
  }
  await noHost(asVerify('GET', exec, websocket('v5.channel.k8s.io')))
  await noHost(asVerify('POST', exec))
  await noHost(asVerify('GET', forward, websocket('v4.channel.k8s.io')))
  await noHost(asVerify('POST', forward))
  for (const as of [asMesh, asPlan]) {
    assert.equal(
      await status(as('GET', exec, websocket('v5.channel.k8s.io'))),
      403
    )
    assert.equal(await status(as('POST', exec)), 403)
    assert.equal(
      await status(as('GET', forward, websocket('v4.channel.k8s.io'))),
      403
    )
    assert.equal(await status(as('POST', forward)), 403)
  }
  const istiodPods = `/api/v1/namespaces/${I}/pods?labelSelector=app%3Distiod`
  assert.equal(await status(asVerify('GET', istiodPods)), 200)
  assert.equal(await status(asMesh('GET', istiodPods)), 403)
})

// The same rules, with the library's own code running as each group: a
// client certificate per role (no impersonation), two test-bed clusters,
// exchange-secrets and verify-mesh exactly as the actions call them.
test('on real API servers, the mesh group runs exchange-secrets and the verify group the check and verify-mesh, and neither the other', async t => {
  const contexts = need('clusters').slice(0, 2) as [string, string]
  assert.equal(contexts.length, 2, 'two test-bed clusters')
  const [c1, c2] = contexts
  const id = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`
  const ns = {istio: `run-${id}-istio`, verify: `run-${id}-sample`}
  const names = [...contexts]
  const vpcState = join(work, 'vpc-testbed.tfstate')
  writeFileSync(
    vpcState,
    JSON.stringify({
      version: 4,
      serial: 1,
      lineage: 'access-run',
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
  const made = new Map<string, string[]>(contexts.map(c => [c, []]))
  t.after(async () => {
    for (const c of contexts) {
      const cluster = admin(c)
      for (const path of made.get(c)!.reverse()) {
        await cluster.kube.call(
          {method: 'DELETE', path},
          s => s < 300 || s === 404
        )
      }
    }
  })
  for (const c of contexts) {
    mkdirSync(join(work, 'certs', c), {recursive: true})
    for (const f of CERTS) writeFileSync(join(work, 'certs', c, f), f)
    const access = evaluate(
      `run-${c}`,
      [
        ...principals,
        `cluster_name=${c}`,
        `vpc_state_config={path="${vpcState}"}`,
        `verify_mesh_namespace=${ns.verify}`
      ],
      `locals {\n  istio_namespace = "${ns.istio}"\n}\n`
    )
    // The reader account and its token secret, as the Istio chart and the
    // stage make them; the sample's namespace injected by a revision no
    // webhook serves (the test bed's istiod is no pod).
    made.get(c)!.push(`/api/v1/namespaces/${ns.istio}`)
    await istioReady(c, ns.istio)
    await loadRules(admin(c), access, [ns.istio, ns.verify], made.get(c)!)
    await apply(admin(c), `/api/v1/namespaces/${ns.verify}`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {name: ns.verify, labels: {'istio.io/rev': 'none'}}
    })
  }
  const group = (role: Role): Who => ({
    user: `${role}-role`,
    groups: [`mesh-toolkit:${role}`]
  })
  const as = async (role: Role) =>
    Promise.all(contexts.map(c => memberOf(c, group(role))))
  const mesh = await as('mesh')
  const verify = await as('verify')

  const exchangeDeps = {
    mask: () => {},
    log: () => {},
    sleep: (ms: number) => new Promise<void>(r => setTimeout(r, ms)),
    clientFromKubeconfig: (label: string, text: string) =>
      clientFromKubeconfigText(label, text)
  }
  const exchangeAs = (clusters: ClusterTarget[], mode: Mode) =>
    exchange(
      {
        clusters,
        namespace: ns.istio,
        serviceAccount: READER_SA,
        tokenSecret: TOKEN_SECRET,
        mode,
        prune: false,
        fieldManager: 'exchange-secrets'
      },
      exchangeDeps
    )
  const statuses = (rs: {status: string}[]) => rs.map(r => r.status)
  // The verify role may not write the secrets; the mesh role may.
  // (apply reads every source's reader token first, and stops there).
  await assert.rejects(exchangeAs(verify, 'apply'), /403/)
  assert.deepEqual(statuses(await exchangeAs(mesh, 'apply')), [
    'created',
    'created'
  ])
  // The check reads each secret by name and asks the source with its token.
  assert.deepEqual(statuses(await exchangeAs(verify, 'check')), [
    'pass',
    'pass'
  ])

  const log: string[] = []
  const verifyDeps = (targets: ClusterTarget[]) => ({
    log: (m: string) => void log.push(m),
    group: async <T>(_: string, fn: () => Promise<T>) => fn(),
    now: Date.now,
    sleep: (ms: number) => new Promise<void>(r => setTimeout(r, ms)),
    istiod: (target: ClusterTarget) =>
      portForwardIstiod(target, ns.istio, {timeoutMs: 5000}),
    exec: (target: ClusterTarget, r: Parameters<typeof execInPod>[2]) =>
      execInPod(target.connection!, target.name, r),
    concurrency: targets.length
  })
  const options = (
    clusters: ClusterTarget[],
    checks: {controlPlane: boolean; traffic: boolean}
  ): VerifyOptions => ({
    clusters,
    namespace: ns.verify,
    istioNamespace: ns.istio,
    checks,
    requests: 2,
    timeoutMs: 20_000,
    cleanup: true,
    images: {
      helloworld: 'registry.istio.io/release/examples-helloworld-v1:1.0',
      helloworldV2: 'registry.istio.io/release/examples-helloworld-v2:1.0',
      curl: 'docker.io/curlimages/curl:8.16.0'
    },
    fieldManager: 'eks-istio-mesh',
    requireSidecar: false
  })
  const forbidden = (failures: string[]) =>
    failures.filter(f => /\b403\b|Forbidden/.test(f))

  // Control plane as the verify role: every peer's secret found by name,
  // istiod's pods listed (none here); nothing refused.
  const cp = await verifyMesh(
    options(verify, {controlPlane: true, traffic: false}),
    verifyDeps(verify)
  )
  assert.deepEqual(forbidden(cp.failures), [], cp.failures.join('\n'))
  assert.deepEqual(
    Object.fromEntries(cp.controlPlane!.views.map(v => [v.cluster, v.secrets])),
    {[c1]: [c2], [c2]: [c1]}
  )
  assert.ok(
    cp.failures.some(f =>
      f.includes(`no pod labelled app=istiod in ${ns.istio}`)
    ),
    cp.failures.join('\n')
  )
  // ... and as the mesh role, refused.
  const cpMesh = await verifyMesh(
    options(mesh, {controlPlane: true, traffic: false}),
    verifyDeps(mesh)
  )
  assert.notDeepEqual(
    forbidden(cpMesh.failures),
    [],
    cpMesh.failures.join('\n')
  )

  // Traffic as the verify role: its namespace labelled, the sample applied,
  // rolled out (the kubelet played by the admin), exec'd into (refused
  // only for want of a node), and cleaned up.
  const kubelets = contexts.map(c =>
    playKubelet(admin(c).kube, ns.verify, 'app in (helloworld,curl)')
  )
  let traffic
  try {
    traffic = await verifyMesh(
      options(verify, {controlPlane: false, traffic: true}),
      verifyDeps(verify)
    )
  } finally {
    await Promise.all(kubelets.map(k => k.stop()))
  }
  assert.deepEqual(forbidden(traffic.failures), [], traffic.failures.join('\n'))
  for (const c of contexts) {
    assert.ok(
      log.some(l => l.startsWith(`${c}: applied 6 objects`)),
      log.join('\n')
    )
  }
  for (const tally of traffic.traffic!.tallies) {
    assert.match(tally.lastError ?? '', /does not have a host assigned/)
  }
  assert.deepEqual(traffic.cleanup?.errors, [])
  // ... and as the mesh role, refused at the first write.
  const trafficMesh = await verifyMesh(
    options(mesh, {controlPlane: false, traffic: true}),
    verifyDeps(mesh)
  )
  assert.notDeepEqual(
    forbidden(trafficMesh.failures),
    [],
    trafficMesh.failures.join('\n')
  )

  // Revoke: the mesh role deletes what it wrote; the verify role may not.
  assert.ok(
    (await exchangeAs(verify, 'revoke')).every(r => r.status === 'error'),
    'verify cannot revoke'
  )
  assert.deepEqual(statuses(await exchangeAs(mesh, 'revoke')), [
    'deleted',
    'deleted'
  ])
})
