import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'
import * as prettier from 'prettier'
import {
  EXAMPLE_SETTINGS,
  MESH_ROLES,
  meshIamPolicies,
  type MeshIamSettings,
  type MeshRole
} from '../../src/aws/iam-policies.ts'
import {ROOT} from '../helpers/run-bundle.ts'
import {evaluate, iamMatch} from './iam-evaluate.ts'

const policies = meshIamPolicies(EXAMPLE_SETTINGS)
/** A secret's ARN as Secrets Manager makes it: name, hyphen, six random. */
const secretArn = (name: string, s: MeshIamSettings = EXAMPLE_SETTINGS) =>
  `arn:aws:secretsmanager:${s.region}:${s.accountId}:secret:${name}-Ab12Cd`
const ROOT_KEY = secretArn('istio-mesh/root-key')
const LEGACY_ROOT = secretArn('istio-mesh/root-ca')
const ROOT_CERT = secretArn('istio-mesh/root-cert')
const intermediate = (c: string) => secretArn(`istio-mesh/intermediate/${c}`)
const SECRET_ACTIONS = [
  'GetSecretValue',
  'DescribeSecret',
  'PutSecretValue',
  'CreateSecret',
  'DeleteSecret',
  'UpdateSecret',
  'RestoreSecret',
  'PutResourcePolicy',
  'GetResourcePolicy'
].map(a => `secretsmanager:${a}`)

const rolesAllowing = (action: string, resource: string) =>
  MESH_ROLES.filter(r => evaluate(policies[r], action, resource) === 'allow')

test('the evaluator: wildcards as IAM reads them, Deny over Allow', () => {
  assert.ok(iamMatch('a-??????', 'a-Ab12Cd'))
  assert.ok(!iamMatch('a-??????', 'a-b-Ab12Cd'))
  assert.ok(iamMatch('x/*', 'x/y/z'))
  assert.ok(
    iamMatch('secretsmanager:Get*', 'SecretsManager:GetSecretValue', true)
  )
  assert.ok(!iamMatch('arn:aws:s3:::B', 'arn:aws:s3:::b'))
  const doc = {
    Version: '2012-10-17' as const,
    Statement: [
      {Sid: 'A', Effect: 'Allow' as const, Action: ['s:*'], Resource: ['*']},
      {Sid: 'D', Effect: 'Deny' as const, Action: ['s:Get'], Resource: ['r']}
    ]
  }
  assert.equal(evaluate(doc, 's:Get', 'r'), 'deny')
  assert.equal(evaluate(doc, 's:Get', 'q'), 'allow')
  assert.equal(evaluate(doc, 't:Get', 'q'), 'implicit-deny')
})

test('only the certs role may do anything with the root key or the old combined root secret', () => {
  for (const resource of [ROOT_KEY, LEGACY_ROOT]) {
    for (const action of SECRET_ACTIONS) {
      for (const role of MESH_ROLES) {
        if (role === 'certs') continue
        assert.notEqual(
          evaluate(policies[role], action, resource),
          'allow',
          `${role} ${action} ${resource}`
        )
      }
    }
    assert.deepEqual(rolesAllowing('secretsmanager:GetSecretValue', resource), [
      'certs'
    ])
  }
  // Explicitly denied, so a policy attached beside it cannot grant it.
  for (const role of ['plan', 'apply', 'mesh', 'verify'] as const) {
    assert.equal(
      evaluate(policies[role], 'secretsmanager:GetSecretValue', ROOT_KEY),
      'deny',
      role
    )
  }
})

test('the certs role issues: create, read and update every CA secret, delete only the old one', () => {
  const certs = policies.certs
  for (const resource of [ROOT_CERT, ROOT_KEY, intermediate('cluster-2')]) {
    for (const action of ['Create', 'Describe', 'Put'].map(
      a => `secretsmanager:${a}Secret${a === 'Put' ? 'Value' : ''}`
    )) {
      assert.equal(evaluate(certs, action, resource), 'allow', action)
    }
    assert.equal(
      evaluate(certs, 'secretsmanager:GetSecretValue', resource),
      'allow'
    )
    assert.equal(
      evaluate(certs, 'secretsmanager:DeleteSecret', resource),
      'implicit-deny'
    )
  }
  assert.equal(
    evaluate(certs, 'secretsmanager:DeleteSecret', LEGACY_ROOT),
    'allow'
  )
  // Nothing but Secrets Manager (and its KMS key, when one is set).
  assert.deepEqual(
    [
      ...new Set(
        certs.Statement.flatMap(s => s.Action.map(a => a.split(':')[0]))
      )
    ],
    ['secretsmanager']
  )
})

test('plan and apply read the root certificate and the listed intermediates, nothing else', () => {
  for (const role of ['plan', 'apply'] as const) {
    const p = policies[role]
    for (const resource of [
      ROOT_CERT,
      intermediate('cluster-1'),
      intermediate('cluster-2')
    ]) {
      assert.equal(
        evaluate(p, 'secretsmanager:GetSecretValue', resource),
        'allow'
      )
      for (const write of ['PutSecretValue', 'CreateSecret', 'DeleteSecret']) {
        assert.equal(
          evaluate(p, `secretsmanager:${write}`, resource),
          'implicit-deny',
          `${role} ${write}`
        )
      }
    }
    for (const other of [
      intermediate('cluster-3'),
      // `-??????` matches the name exactly, not a longer one.
      secretArn('istio-mesh/root-cert-copy'),
      secretArn('other/root-cert'),
      secretArn('istio-mesh/intermediate/cluster-1/x')
    ]) {
      assert.equal(
        evaluate(p, 'secretsmanager:GetSecretValue', other),
        'implicit-deny',
        `${role} ${other}`
      )
    }
  }
})

test('the cluster roles read no CA secret; they describe the listed clusters only', () => {
  for (const role of ['mesh', 'verify'] as const) {
    const p = policies[role]
    for (const resource of [ROOT_CERT, intermediate('cluster-1')]) {
      assert.notEqual(
        evaluate(p, 'secretsmanager:GetSecretValue', resource),
        'allow'
      )
    }
    const cluster = (c: string) =>
      `arn:aws:eks:eu-west-1:123456789012:cluster/${c}`
    assert.equal(
      evaluate(p, 'eks:DescribeCluster', cluster('cluster-1')),
      'allow'
    )
    assert.equal(
      evaluate(p, 'eks:DescribeCluster', cluster('cluster-3')),
      'implicit-deny'
    )
    assert.equal(
      evaluate(p, 'eks:UpdateClusterConfig', cluster('cluster-1')),
      'implicit-deny'
    )
  }
})

test('the state: plan reads and locks, apply also writes; both through the KMS key via S3 only', () => {
  const bucket = 'arn:aws:s3:::example-mesh-state'
  const state = `${bucket}/cluster/cluster-1/terraform.tfstate`
  const lock = `${state}.tflock`
  const table: [MeshRole, string, string, string][] = [
    ['plan', 's3:GetObject', state, 'allow'],
    ['plan', 's3:PutObject', state, 'implicit-deny'],
    ['plan', 's3:PutObject', lock, 'allow'],
    ['plan', 's3:DeleteObject', lock, 'allow'],
    ['plan', 's3:ListBucket', bucket, 'allow'],
    ['apply', 's3:PutObject', state, 'allow'],
    ['apply', 's3:DeleteObject', state, 'implicit-deny'],
    [
      'apply',
      's3:GetObject',
      `${bucket}/vpc/default/terraform.tfstate`,
      'allow'
    ],
    [
      'apply',
      's3:GetObject',
      `${bucket}/other/terraform.tfstate`,
      'implicit-deny'
    ],
    ['certs', 's3:GetObject', state, 'implicit-deny'],
    ['mesh', 's3:GetObject', state, 'implicit-deny']
  ]
  for (const [role, action, resource, verdict] of table) {
    assert.equal(
      evaluate(policies[role], action, resource),
      verdict,
      `${role} ${action} ${resource}`
    )
  }
  const kms = policies.apply.Statement.find(s => s.Sid === 'StateKmsKey')!
  assert.deepEqual(kms.Condition, {
    StringEquals: {'kms:ViaService': 's3.eu-west-1.amazonaws.com'}
  })
})

test('no role but certs has a Secrets Manager or KMS grant on every resource', () => {
  for (const role of MESH_ROLES) {
    for (const s of policies[role].Statement) {
      if (s.Effect !== 'Allow' || !s.Resource.includes('*')) continue
      for (const a of s.Action) {
        assert.ok(!/^secretsmanager:/i.test(a), `${role} ${a} on *`)
        assert.ok(
          !/^kms:(Decrypt|GenerateDataKey|\*)/i.test(a),
          `${role} ${a} on *`
        )
      }
    }
  }
})

test('China: ARNs in aws-cn, KMS via the .com.cn service endpoints', () => {
  const cn = meshIamPolicies({
    ...EXAMPLE_SETTINGS,
    region: 'cn-north-1',
    stateKmsKeyArn: 'arn:aws-cn:kms:cn-north-1:123456789012:key/k',
    secretsKmsKeyArn: 'arn:aws-cn:kms:cn-north-1:123456789012:key/s'
  })
  const resources = MESH_ROLES.flatMap(r =>
    cn[r].Statement.flatMap(s => s.Resource)
  ).filter(r => r !== '*')
  assert.ok(resources.every(r => r.startsWith('arn:aws-cn:')))
  assert.deepEqual(
    cn.certs.Statement.find(s => s.Sid === 'CaSecretsKmsKey')?.Condition,
    {
      StringEquals: {
        'kms:ViaService': 'secretsmanager.cn-north-1.amazonaws.com.cn'
      }
    }
  )
  // A role that only fetches may decrypt, never make data keys.
  assert.deepEqual(
    cn.plan.Statement.find(s => s.Sid === 'CaSecretsKmsKey')?.Action,
    ['kms:Decrypt']
  )
})

test('without a cluster list: every intermediate and cluster of the prefix and region', () => {
  const open = meshIamPolicies({...EXAMPLE_SETTINGS, clusters: []})
  assert.equal(
    evaluate(open.plan, 'secretsmanager:GetSecretValue', intermediate('any-9')),
    'allow'
  )
  assert.equal(
    evaluate(open.plan, 'secretsmanager:GetSecretValue', ROOT_KEY),
    'deny'
  )
  assert.equal(
    evaluate(
      open.mesh,
      'eks:DescribeCluster',
      'arn:aws:eks:eu-west-1:123456789012:cluster/any-9'
    ),
    'allow'
  )
  assert.equal(
    evaluate(
      open.apply,
      's3:PutObject',
      'arn:aws:s3:::example-mesh-state/cluster/any-9/terraform.tfstate'
    ),
    'allow'
  )
})

// docs/iam/<role>.json are these documents for EXAMPLE_SETTINGS, in the
// repository's Prettier style; rewrite them with UPDATE_IAM_DOCS=1 after
// changing the generator.
for (const role of MESH_ROLES) {
  test(`docs/iam/${role}.json is the generated policy`, async () => {
    const file = join(ROOT, 'docs', 'iam', `${role}.json`)
    const expected = await prettier.format(JSON.stringify(policies[role]), {
      ...(await prettier.resolveConfig(file)),
      filepath: file
    })
    if (process.env.UPDATE_IAM_DOCS === '1') writeFileSync(file, expected)
    assert.equal(
      readFileSync(file, 'utf8'),
      expected,
      `${file} is stale: run UPDATE_IAM_DOCS=1 npm test -- test/aws/iam-policies.test.ts`
    )
  })
}
