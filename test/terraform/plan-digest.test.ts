import assert from 'node:assert/strict'
import {test} from 'node:test'
import {canonicalJson, planDigest} from '../../src/terraform/plan-digest.ts'
import type {PlanJson} from '../../src/terraform/plan-json.ts'

const plan = (): PlanJson => ({
  format_version: '1.2',
  terraform_version: '1.11.4',
  resource_changes: [
    {
      address: 'b',
      change: {actions: ['update'], before: {v: 1}, after: {v: 2}}
    },
    {
      address: 'a',
      change: {
        actions: ['create'],
        after: {x: 'y', z: null},
        after_unknown: {id: true}
      }
    },
    {address: 'n', change: {actions: ['no-op'], before: {q: 1}, after: {q: 1}}}
  ],
  output_changes: {o: {actions: ['create'], after: 'v'}}
})

test('canonical JSON sorts keys at every level', () => {
  assert.equal(
    canonicalJson({b: 1, a: {d: [2, {f: 1, e: 0}], c: null}}),
    '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}'
  )
})

test('the digest is a SHA-256 hex and stable across key and change order', () => {
  const d = planDigest(plan())
  assert.match(d, /^[0-9a-f]{64}$/)
  const reordered = plan()
  reordered.resource_changes!.reverse()
  const at = reordered.resource_changes!.findIndex(r => r.address === 'b')
  reordered.resource_changes![at] = {
    change: {after: {v: 2}, before: {v: 1}, actions: ['update']},
    address: 'b'
  }
  assert.equal(planDigest(reordered), d)
})

test('timestamps, versions, no-ops and prior state do not change it', () => {
  const other = {
    ...plan(),
    terraform_version: '1.10.0',
    timestamp: 'now',
    prior_state: {x: 1}
  } as PlanJson
  other.resource_changes![2]!.change.before = {q: 9}
  other.resource_changes![2]!.change.after = {q: 9}
  assert.equal(planDigest(other), planDigest(plan()))
})

const changes: [string, (p: PlanJson) => void][] = [
  [
    'a planned value',
    p => void (p.resource_changes![0]!.change.after = {v: 3})
  ],
  [
    'an action',
    p => void (p.resource_changes![0]!.change.actions = ['delete', 'create'])
  ],
  ['an address', p => void (p.resource_changes![1]!.address = 'a2')],
  ['an output', p => void (p.output_changes!.o!.after = 'w')],
  [
    'a new output',
    p => void (p.output_changes!.p = {actions: ['create'], after: 1})
  ],
  ['a move', p => void (p.resource_changes![2]!.previous_address = 'm')]
]
for (const [what, change] of changes) {
  test(`changing ${what} changes the digest`, () => {
    const p = plan()
    change(p)
    assert.notEqual(planDigest(p), planDigest(plan()))
  })
}
