import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, posix} from 'node:path'
import {test} from 'node:test'
import {parse as parseYaml} from 'yaml'
import {layoutFiles} from '../../src/certs/layout.ts'
import {buildBackendConfig} from '../../src/terraform/backend.ts'
import {ROOT} from '../helpers/run-bundle.ts'
import {
  block,
  loadStage,
  only,
  type Hcl,
  locals,
  outputNames,
  references,
  sources,
  strings,
  variableNames,
  type Stage
} from './stage.ts'

/** What apply-stage and the workflows pass to each stage (DESIGN.md). */
const PASSED_VARIABLES = {
  vpc: ['cluster_names'],
  cluster: [
    'cluster_name',
    'vpc_state_backend',
    'vpc_state_config',
    'certs_dir',
    'admin_principal_arns',
    'plan_principal_arns',
    'mesh_principal_arns',
    'verify_principal_arns'
  ]
}

/** What exchange-secrets, the workflows and the summaries read back. */
const CLUSTER_OUTPUTS = [
  'cluster_certificate_authority_data',
  'cluster_endpoint',
  'cluster_name',
  'region'
]

/** exchange-secrets' defaults (DESIGN.md, contract of exchange-secrets). */
const READER = {
  namespace: 'istio-system',
  'service-account': 'istio-reader-service-account',
  'token-secret': 'istio-reader-service-account-istio-remote-secret-token'
}

const vpc = await loadStage('vpc')
const cluster = await loadStage('cluster')

function resource(stage: Stage, type: string, name: string) {
  const found = block(stage.hcl, 'resource', type, name)
  assert.ok(found, `${stage.name} declares no resource ${type}.${name}`)
  return found
}

function defaultOf(stage: Stage, variable: string): unknown {
  return block(stage.hcl, 'variable', variable)?.default
}

for (const stage of [vpc, cluster]) {
  test(`${stage.name}: declares every variable apply-stage and the workflows pass`, () => {
    const declared = variableNames(stage)
    for (const name of PASSED_VARIABLES[stage.name]) {
      assert.ok(declared.includes(name), `variable "${name}" is missing`)
    }
  })

  test(`${stage.name}: declares no "instance" variable, so apply-stage passes none`, () => {
    // The instance is the state key; the cluster name arrives as cluster_name.
    assert.ok(!variableNames(stage).includes('instance'))
  })

  test(`${stage.name}: every variable is typed and described, every output described`, () => {
    for (const name of variableNames(stage)) {
      const v = block(stage.hcl, 'variable', name)!
      assert.ok(v.type, `variable "${name}" has no type`)
      assert.ok(String(v.description ?? '').length > 10, `variable "${name}"`)
    }
    for (const name of outputNames(stage)) {
      const o = block(stage.hcl, 'output', name)!
      assert.ok(String(o.description ?? '').length > 10, `output "${name}"`)
    }
  })

  test(`${stage.name}: declares no backend, apply-stage supplies it`, () => {
    for (const t of stage.hcl.terraform as object[]) {
      assert.ok(!('backend' in t), 'a backend block would fight the override')
    }
  })

  test(`${stage.name}: pins the tool and every provider with both bounds`, () => {
    const settings = only(stage.hcl.terraform, 'terraform block')
    // 1.11 for both tools: ephemeral resources and write-only arguments.
    assert.equal(settings.required_version, '>= 1.11.0, < 2.0.0')
    const providers = only(settings.required_providers, 'required_providers')
    assert.ok(Object.keys(providers).length > 0)
    for (const [name, p] of Object.entries(providers) as [
      string,
      {version: string}
    ][]) {
      assert.match(p.version, />=.*<|~>/, `provider ${name}: ${p.version}`)
    }
  })

  test(`${stage.name}: pins every registry module to one major version`, () => {
    for (const [name, list] of Object.entries(stage.hcl.module ?? {})) {
      const m = only(list, `module ${name}`)
      assert.match(m.source, /^terraform-aws-modules\//, `module ${name}`)
      assert.match(m.version ?? '', /^~> \d+\.\d+$/, `module ${name}`)
    }
  })

  test(`${stage.name}: names no cluster in code, only through its inputs`, () => {
    const hardCoded = strings(stage.hcl).filter(({value}) =>
      /\bcluster-?\d\b/.test(value)
    )
    assert.deepEqual(hardCoded, [])
  })

  test(`${stage.name}: every checkov skip gives an ID and a reason`, () => {
    for (const {file, text} of sources(stage)) {
      for (const line of text.split('\n')) {
        if (!line.includes('checkov:skip')) continue
        assert.match(
          line,
          /^\s*#\s?checkov:skip=CKV2?_[A-Z0-9]+_\d+:\S.{20,}$/,
          `${file}: ${line.trim()}`
        )
      }
    }
  })
}

test('vpc: cluster_names is required, never defaulted to names', () => {
  assert.equal(defaultOf(vpc, 'cluster_names'), undefined)
  assert.equal(
    block(vpc.hcl, 'variable', 'cluster_names')!.type,
    '${list(string)}'
  )
})

test('vpc: outputs what the cluster stage and the workflows need', () => {
  for (const name of [
    'vpc_id',
    'private_subnet_ids',
    'public_subnet_ids',
    'additional_security_group_ids',
    'region',
    'cluster_names'
  ]) {
    assert.ok(outputNames(vpc).includes(name), `output "${name}"`)
  }
})

test('vpc: one additional security group per cluster, rules for every ordered pair', async () => {
  const sg = resource(vpc, 'aws_security_group', 'additional')
  assert.deepEqual(await references(sg.for_each), ['var.cluster_names'])
  const pairs = locals(vpc).peer_pairs
  assert.deepEqual(await references(pairs), ['var.cluster_names'])
  for (const type of [
    'aws_vpc_security_group_ingress_rule',
    'aws_vpc_security_group_egress_rule'
  ]) {
    const rules = Object.entries(vpc.hcl.resource[type])
    assert.equal(rules.length, 1, `${type}: one resource for all pairs`)
    assert.ok(rules[0])
    const rule = only(rules[0][1], type)
    assert.deepEqual(await references(rule.for_each), ['local.peer_pairs'])
    assert.equal(rule.ip_protocol, '-1')
  }
})

test('cluster: declares exactly the outputs later stages read', () => {
  assert.deepEqual(outputNames(cluster), CLUSTER_OUTPUTS)
})

test('cluster: every vpc output it reads through the remote state exists', async () => {
  const state = block(cluster.hcl, 'data', 'terraform_remote_state', 'vpc')
  assert.ok(
    state,
    'the cluster stage reads the vpc stage by terraform_remote_state'
  )
  const outputs = 'data.terraform_remote_state.vpc.outputs'
  const aliases = []
  for (const [name, value] of Object.entries(locals(cluster))) {
    if (value === `\${${outputs}}`) aliases.push(`local.${name}`)
  }
  const prefixes = [outputs, ...aliases, 'self.outputs']
  const read = new Set<string>()
  for (const ref of await references(cluster.hcl)) {
    for (const prefix of prefixes) {
      if (ref.startsWith(`${prefix}.`)) {
        read.add(ref.slice(prefix.length + 1).split('.')[0] ?? '')
      }
    }
  }
  assert.ok(read.size >= 4, `reads ${[...read].join(', ')}`)
  for (const name of read) {
    assert.ok(outputNames(vpc).includes(name), `vpc has no output "${name}"`)
  }
})

test('cluster: the default vpc state path is where apply-stage keeps the vpc state', () => {
  const local = buildBackendConfig({
    kind: 'local',
    stageDir: join(ROOT, 'terraform', 'vpc'),
    config: {}
  })
  assert.ok(local.path, 'apply-stage gives the local backend a path')
  const fromCluster = posix.join('..', 'vpc', local.path)
  assert.deepEqual(defaultOf(cluster, 'vpc_state_config'), {path: fromCluster})
  assert.equal(defaultOf(cluster, 'vpc_state_backend'), 'local')
})

test('cluster: the documented s3 key is the one apply-stage writes the vpc state to', () => {
  const s3 = buildBackendConfig({
    kind: 's3',
    stageDir: join(ROOT, 'terraform', 'vpc'),
    config: {bucket: 'state', region: 'eu-west-1'}
  })
  const described = String(
    block(cluster.hcl, 'variable', 'vpc_state_config')!.description
  )
  assert.ok(described.includes(`key (${s3.key})`), described)
})

test('cluster: cacerts holds exactly the four files generate-certs writes per cluster', async () => {
  const pem = {cert: 'C', key: 'K'}
  const written = layoutFiles(pem, [{cluster: 'c', ca: pem}], {rootKey: false})
    .filter(f => f.path.startsWith('c/'))
    .map(f => f.path.slice(2))
  assert.deepEqual(
    [...(locals(cluster).cacerts_files as string[])].sort(),
    written.sort()
  )
  assert.equal(
    locals(cluster).cacerts_dir,
    '${var.certs_dir}/${var.cluster_name}'
  )
  const secret = resource(cluster, 'kubernetes_secret_v1', 'cacerts')
  const meta = only(secret.metadata, 'metadata')
  assert.equal(meta.name, 'cacerts')
  assert.deepEqual(await references(secret.data_wo), ['local.cacerts_content'])
  assert.ok(
    (await references(locals(cluster).cacerts_content)).includes(
      'local.cacerts_files'
    )
  )
})

test('cluster: cacerts is write-only, so the intermediate key stays out of plans and state', async () => {
  const secret = resource(cluster, 'kubernetes_secret_v1', 'cacerts')
  assert.ok(!('data' in secret), 'data would keep the key in state')
  assert.ok(!('binary_data' in secret))
  assert.deepEqual(await references(secret.data_wo_revision), [
    'local.cacerts_revision'
  ])
  // data_wo needs kubernetes provider 3.2.1 (earlier 3.x fail after create).
  const settings = only(cluster.hcl.terraform, 'terraform block')
  const providers = only(settings.required_providers, 'required_providers')
  assert.equal(providers.kubernetes.version, '>= 3.2.1, < 4.0.0')
})

test('cluster: the certs are checked before anything is created', async () => {
  const state = block(cluster.hcl, 'data', 'terraform_remote_state', 'vpc')!
  const life = only(state.lifecycle, 'lifecycle')
  const checks = await references(life.precondition)
  assert.ok(checks.includes('local.cacerts_missing'))
  const missing = await references(locals(cluster).cacerts_missing)
  assert.ok(missing.includes('local.cacerts_files'))
  // Everything AWS depends on the region read from this state.
  const aws = only(cluster.hcl.provider.aws, 'aws provider')
  assert.deepEqual(await references(aws.region), ['local.region'])
  assert.equal(locals(cluster).region, '${local.vpc.region}')
})

test('cluster: the reader token secret is the one exchange-secrets reads', async () => {
  const expected = {...READER}
  const action = join(ROOT, 'actions', 'exchange-secrets', 'action.yml')
  if (existsSync(action)) {
    // Once the action exists its defaults are the contract, not DESIGN.md.
    const inputs = parseYaml(readFileSync(action, 'utf8')).inputs
    for (const key of Object.keys(expected) as (keyof typeof READER)[]) {
      expected[key] = inputs[key].default
    }
  }
  const secret = resource(cluster, 'kubernetes_secret_v1', 'istio_reader_token')
  const meta = only(secret.metadata, 'metadata')
  assert.equal(meta.name, '${local.reader_token_secret}')
  assert.equal(locals(cluster).reader_token_secret, expected['token-secret'])
  assert.deepEqual(meta.annotations, {
    'kubernetes.io/service-account.name': expected['service-account']
  })
  assert.equal(secret.type, 'kubernetes.io/service-account-token')
  assert.deepEqual(await references(meta.namespace), [
    'kubernetes_namespace_v1.istio_system.metadata.0.name'
  ])
  const ns = resource(cluster, 'kubernetes_namespace_v1', 'istio_system')
  assert.equal(locals(cluster).istio_namespace, expected.namespace)
  assert.deepEqual(await references(ns.metadata), ['local.istio_namespace'])
  // The base chart creates the service account the token belongs to.
  assert.deepEqual(secret.depends_on, ['${helm_release.istio_base}'])
})

test('cluster: namespace, cacerts, base, istiod, in that order', () => {
  const base = resource(cluster, 'helm_release', 'istio_base')
  const istiod = resource(cluster, 'helm_release', 'istiod')
  assert.ok(
    (base.depends_on as string[]).includes('${kubernetes_secret_v1.cacerts}')
  )
  assert.deepEqual([...(istiod.depends_on as string[])].sort(), [
    '${helm_release.istio_base}',
    '${kubernetes_secret_v1.cacerts}'
  ])
  for (const release of [base, istiod]) {
    assert.equal(release.wait, true)
    assert.equal(release.version, '${var.istio_version}')
  }
  assert.match(String(defaultOf(cluster, 'istio_version')), /^1\.30\.\d+$/)
})

test('cluster: istiod gets one meshID and network for the mesh, clusterName per cluster', async () => {
  const istiod = resource(cluster, 'helm_release', 'istiod')
  const values = strings(istiod.values)
    .map(s => s.value)
    .join('\n')
  for (const key of ['meshID', 'network', 'clusterName']) {
    assert.ok(values.includes(key), `istiod values lack ${key}`)
  }
  assert.deepEqual(await references(istiod.values), [
    'var.cluster_name',
    'var.mesh_id',
    'var.network'
  ])
  assert.equal(defaultOf(cluster, 'mesh_id'), 'mesh1')
  assert.equal(defaultOf(cluster, 'network'), 'network1')
})

test('cluster: Kubernetes and Helm log in with an ephemeral token, never one saved in a plan', async () => {
  const k8s = only(cluster.hcl.provider.kubernetes, 'kubernetes provider')
  const helm = only(cluster.hcl.provider.helm, 'helm provider')
  for (const auth of [k8s, helm.kubernetes as Hcl]) {
    assert.ok(!('exec' in auth), 'no exec plugin (no aws CLI on the runner)')
    assert.deepEqual(await references(auth.token), [
      'ephemeral.aws_eks_cluster_auth.this.token'
    ])
  }
  // A data source would be read while planning and its token saved.
  assert.equal(cluster.hcl.data?.aws_eks_cluster_auth, undefined)
  const login = block(cluster.hcl, 'ephemeral', 'aws_eks_cluster_auth', 'this')
  assert.ok(login, 'ephemeral "aws_eks_cluster_auth" "this"')
  // Made once all of module.eks is done, through a gate known while
  // planning: a depends_on here would defer the token on every plan that
  // changes the module, and refreshing would fail.
  assert.ok(!('depends_on' in login))
  assert.deepEqual(await references(login.name), [
    'terraform_data.cluster_ready.output'
  ])
  const gate = resource(cluster, 'terraform_data', 'cluster_ready')
  assert.deepEqual(await references(gate.input), ['module.eks.cluster_name'])
  assert.deepEqual(gate.depends_on, ['${module.eks}'])
})

test('cluster: access entries only, the scheme from access-rules.tf, nodes carry the additional group', async () => {
  const eks = only(cluster.hcl.module.eks, 'eks module')
  assert.equal(eks.authentication_mode, 'API')
  // Explicit admins (the apply role) when given, else whoever runs it.
  assert.deepEqual(
    await references(eks.enable_cluster_creator_admin_permissions),
    ['var.admin_principal_arns']
  )
  assert.deepEqual(await references(eks.access_entries), [
    'local.access_entries'
  ])
  // The values are pinned by access.test.ts, evaluated by OpenTofu; the
  // reference walker sees only the collections of the for expressions.
  const entries = String(locals(cluster).access_entries)
  assert.deepEqual(await references(entries), [
    'var.admin_principal_arns',
    'var.mesh_principal_arns',
    'var.plan_principal_arns',
    'var.verify_principal_arns'
  ])
  assert.match(
    entries,
    /kubernetes_groups\s*=\s*\[local\.access_groups\.plan\]/
  )
  for (const who of ['mesh', 'verify']) {
    assert.match(
      entries,
      new RegExp(
        `contains\\(var\\.${who}_principal_arns, arn\\) \\? \\[local\\.access_groups\\.${who}\\]`
      )
    )
  }
  // One access policy in the whole stage, for the admins.
  const policies = strings(cluster.hcl)
    .map(s => s.value)
    .filter(v => v.includes('cluster-access-policy/'))
  assert.equal(policies.length, 1)
  assert.match(policies[0]!, /\/AmazonEKSClusterAdminPolicy"/)
  // The key's administrators are the admins, not whoever plans.
  assert.deepEqual(await references(eks.kms_key_administrators), [
    'var.admin_principal_arns'
  ])
  const groups = eks.eks_managed_node_groups as Record<
    string,
    Record<string, unknown>
  >
  for (const group of Object.values(groups)) {
    assert.deepEqual(await references(group.vpc_security_group_ids), [
      'local.vpc.additional_security_group_ids',
      'var.cluster_name'
    ])
  }
})

test('cluster: extra security group rules only through the module, never beside it', async () => {
  for (const type of [
    'aws_security_group_rule',
    'aws_vpc_security_group_ingress_rule',
    'aws_vpc_security_group_egress_rule'
  ]) {
    assert.equal(cluster.hcl.resource[type], undefined, type)
  }
  const eks = only(cluster.hcl.module.eks, 'eks module')
  assert.deepEqual(await references(eks.security_group_additional_rules), [
    'local.cluster_security_group_rules'
  ])
  assert.deepEqual(await references(eks.node_security_group_additional_rules), [
    'local.node_security_group_rules'
  ])
  const node = locals(cluster).node_security_group_rules as Record<
    string,
    Record<string, unknown>
  >
  const ports = Object.values(node).map(r => [
    r.from_port,
    r.to_port,
    r.protocol,
    r.type,
    r.source_cluster_security_group
  ])
  // 15017 only: verify-mesh's port-forward reaches istiod through the
  // kubelet, so istiod's monitoring port 15014 stays closed to the
  // control plane.
  assert.deepEqual(ports, [[15017, 15017, 'tcp', 'ingress', true]])
})

test("cluster: the RBAC objects are made from access-rules.tf and bound to the access entries' groups", async () => {
  const role = resource(cluster, 'kubernetes_role_v1', 'access')
  const binding = resource(cluster, 'kubernetes_role_binding_v1', 'access')
  const clusterRole = resource(cluster, 'kubernetes_cluster_role_v1', 'access')
  const clusterBinding = resource(
    cluster,
    'kubernetes_cluster_role_binding_v1',
    'access'
  )
  assert.deepEqual(await references(role.for_each), ['local.namespaced_access'])
  assert.deepEqual(await references(binding.for_each), [
    'local.namespaced_access'
  ])
  assert.deepEqual(await references(clusterRole.for_each), [
    'local.cluster_access'
  ])
  assert.deepEqual(await references(clusterBinding.for_each), [
    'local.cluster_access'
  ])
  for (const r of [role, clusterRole]) {
    const rule = only((r.dynamic as Hcl).rule, 'dynamic rule')
    assert.deepEqual(await references(rule.for_each), ['each.value.rules'])
    const content = only(rule.content, 'rule content')
    for (const key of ['api_groups', 'resources', 'verbs', 'resource_names']) {
      assert.equal(content[key], `\${rule.value.${key}}`, key)
    }
  }
  for (const [b, who] of [
    [binding, 'each.value.who'],
    [clusterBinding, 'each.key']
  ] as const) {
    const subject = only(b.subject, 'subject')
    assert.equal(subject.kind, 'Group')
    assert.equal(subject.name, `\${local.access_groups[${who}]}`)
  }
  // verify-mesh's namespace, made here, labelled for injection.
  const ns = resource(cluster, 'kubernetes_namespace_v1', 'verify')
  const meta = only(ns.metadata, 'metadata')
  assert.equal(meta.name, '${var.verify_mesh_namespace}')
  assert.deepEqual(meta.labels, {'istio-injection': 'enabled'})
  const action = join(ROOT, 'actions', 'verify-mesh', 'action.yml')
  const expected = existsSync(action)
    ? parseYaml(readFileSync(action, 'utf8')).inputs.namespace.default
    : 'sample' // DESIGN.md, contract of verify-mesh
  assert.equal(defaultOf(cluster, 'verify_mesh_namespace'), expected)
})

test('vpc: additional groups are named by prefix, so a replacement never collides', () => {
  const sg = resource(vpc, 'aws_security_group', 'additional')
  assert.ok(
    !('name' in sg),
    'a fixed name collides under create_before_destroy'
  )
  assert.equal(sg.name_prefix, '${var.name}-${each.key}-additional-')
  assert.equal(only(sg.lifecycle, 'lifecycle').create_before_destroy, true)
})

test('the README, both stages and every workflow agree on the tool version', () => {
  const readme = readFileSync(
    join(ROOT, 'terraform', 'README.md'),
    'utf8'
  ).replace(/\s+/g, ' ')
  const stated =
    /1\.11 or newer \(both stages say `required_version = "([^"]+)"`.*?the workflows use OpenTofu (\d+\.\d+\.\d+)\)/.exec(
      readme
    )
  assert.ok(stated, 'the README states the version floor and the pinned tool')
  const [, floor, pinned] = stated
  for (const stage of [vpc, cluster]) {
    const settings = only(stage.hcl.terraform, 'terraform block')
    assert.equal(settings.required_version, floor, stage.name)
  }
  // The pin satisfies the floor: 1.11 <= pinned < 2.
  const [major, minor] = pinned!.split('.').map(Number)
  assert.ok(major === 1 && minor! >= 11, pinned)
  const workflows = join(ROOT, '.github', 'workflows')
  const pins = readdirSync(workflows)
    .filter(f => f.endsWith('.yml'))
    .flatMap(f =>
      [
        ...readFileSync(join(workflows, f), 'utf8').matchAll(
          /tofu_version:\s*['"]?([^\s'"]+)/g
        )
      ].map(m => `${f}: ${m[1]}`)
    )
  assert.ok(pins.length > 0, 'the workflows install OpenTofu')
  assert.deepEqual(
    pins.filter(p => !p.endsWith(`: ${pinned}`)),
    [],
    'every workflow installs the OpenTofu the README names'
  )
})
