import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  describeRefusal,
  destroyVerdict,
  listRefusals,
  matchProtect
} from '../../src/terraform/guard.ts'
import {summarizePlan} from '../../src/terraform/plan-summary.ts'
import {rc} from './plan-summary.test.ts'

const resources = summarizePlan({
  resource_changes: [
    rc('terraform_data.keep', ['update']),
    rc('terraform_data.gone', ['delete'], {
      action_reason: 'delete_because_no_resource_config'
    }),
    rc('module.eks.aws_eks_cluster.this[0]', ['delete', 'create'], {
      action_reason: 'replace_because_cannot_update',
      change: {actions: ['delete', 'create'], replace_paths: [['name']]}
    }),
    rc('terraform_data.dropped', ['forget'])
  ]
}).resources

test('refuses deletes, replaces and forgets by default, naming each with its reason', () => {
  const v = destroyVerdict(resources, false, [])
  assert.equal(v.ok, false)
  assert.deepEqual(v.refused.map(describeRefusal), [
    'delete terraform_data.gone (delete_because_no_resource_config)',
    'replace module.eks.aws_eks_cluster.this[0] (replace_because_cannot_update, forced by name)',
    'forget terraform_data.dropped'
  ])
})

test('allow-destroy lets them through', () => {
  assert.deepEqual(destroyVerdict(resources, true, []), {ok: true, refused: []})
})

test('a protected address is refused even with allow-destroy', () => {
  const v = destroyVerdict(resources, true, ['module.eks.aws_eks_cluster.this'])
  assert.equal(v.ok, false)
  assert.deepEqual(
    v.refused.map(r => [r.address, r.protectedBy]),
    [['module.eks.aws_eks_cluster.this[0]', 'module.eks.aws_eks_cluster.this']]
  )
})

test('updates are never refused, even when protected', () => {
  assert.equal(destroyVerdict(resources.slice(0, 1), false, ['*']).ok, true)
})

const patterns: [string, string, boolean][] = [
  ['aws_eks_cluster.this', 'aws_eks_cluster.this', true],
  ['aws_eks_cluster.*', 'module.eks.aws_eks_cluster.this', true],
  ['aws_eks_cluster.*', 'module.a["x"].module.b.aws_eks_cluster.this[0]', true],
  ['module.eks.*', 'module.eks.aws_iam_role.r', true],
  ['aws_eks_cluster.this', 'aws_eks_cluster.that', false],
  ['aws_eks_cluster.this', 'aws_eks_cluster.this_too', false],
  [
    'module.eks.aws_eks_cluster.this',
    'module.other.aws_eks_cluster.this',
    false
  ],
  ['terraform_data.a[1]', 'terraform_data.a[1]', true],
  ['terraform_data.a[1]', 'terraform_data.a[10]', false]
]
for (const [pattern, address, expected] of patterns) {
  test(`protect '${pattern}' ${expected ? 'matches' : 'does not match'} ${address}`, () => {
    assert.equal(matchProtect(address, [pattern]) === pattern, expected)
  })
}

test('a long refusal list names the first ones and counts the rest', () => {
  const refused = Array.from({length: 25}, (_, i) => ({
    address: `a.b[${i}]`,
    kind: 'delete' as const
  }))
  const text = listRefusals(refused)
  assert.match(text, /^delete a\.b\[0\]; .*delete a\.b\[19\]; and 5 more$/)
  assert.equal(
    listRefusals(refused.slice(0, 2)),
    'delete a.b[0]; delete a.b[1]'
  )
})
