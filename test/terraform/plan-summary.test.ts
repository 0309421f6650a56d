import assert from 'node:assert/strict'
import {test} from 'node:test'
import type {PlanAction, ResourceChange} from '../../src/terraform/plan-json.ts'
import {parsePlanJson} from '../../src/terraform/plan-json.ts'
import {
  changeKind,
  countsLine,
  summarizePlan
} from '../../src/terraform/plan-summary.ts'

export function rc(
  address: string,
  actions: PlanAction[],
  extra: Partial<ResourceChange> & {importing?: object} = {}
): ResourceChange {
  const {importing, ...rest} = extra
  return {
    address,
    mode: 'managed',
    type: 'terraform_data',
    ...rest,
    change: {
      actions,
      before: null,
      after: null,
      ...(importing ? {importing} : {}),
      ...rest.change
    }
  }
}

const kinds: [PlanAction[], string][] = [
  [['no-op'], 'no-op'],
  [['create'], 'create'],
  [['read'], 'read'],
  [['update'], 'update'],
  [['delete'], 'delete'],
  [['forget'], 'forget'],
  [['delete', 'create'], 'replace'],
  [['create', 'delete'], 'replace'],
  [['create', 'forget'], 'replace']
]
for (const [actions, kind] of kinds) {
  test(`actions ${JSON.stringify(actions)} are a ${kind}`, () => {
    assert.equal(changeKind(actions), kind)
  })
}

test('counts the way the CLI does: a replace adds one and destroys one', () => {
  const s = summarizePlan({
    resource_changes: [
      rc('a', ['create']),
      rc('b', ['update']),
      rc('c', ['delete']),
      rc('d', ['delete', 'create'], {action_reason: 'replace_because_tainted'}),
      rc('e', ['create', 'delete']),
      rc('f', ['no-op']),
      rc('g', ['read'], {mode: 'data'})
    ]
  })
  assert.deepEqual(
    [s.counts.add, s.counts.change, s.counts.destroy, s.counts.replace],
    [3, 1, 3, 2]
  )
  assert.deepEqual(
    s.resources.map(r => r.address),
    ['a', 'b', 'c', 'd', 'e']
  )
  assert.equal(s.resources[3]!.reason, 'replace_because_tainted')
  assert.equal(s.hasChanges, true)
})

test('a moved-only resource is a change with no count of add/change/destroy', () => {
  const s = summarizePlan({
    resource_changes: [rc('new', ['no-op'], {previous_address: 'old'})]
  })
  assert.equal(s.counts.move, 1)
  assert.equal(s.counts.add + s.counts.change + s.counts.destroy, 0)
  assert.equal(s.hasChanges, true)
  assert.equal(s.resources[0]!.kind, 'move')
})

test('an import without other changes is counted as an import', () => {
  const s = summarizePlan({
    resource_changes: [rc('i', ['no-op'], {importing: {id: 'x'}})]
  })
  assert.equal(s.counts.import, 1)
  assert.equal(s.resources[0]!.kind, 'import')
})

test('output-only plans have changes; sensitive outputs are flagged', () => {
  const s = summarizePlan({
    output_changes: {
      a: {actions: ['create'], after: 'x', after_sensitive: false},
      pw: {
        actions: ['update'],
        before: 's',
        after: 't',
        before_sensitive: true,
        after_sensitive: true
      },
      same: {actions: ['no-op']}
    }
  })
  assert.equal(s.hasChanges, true)
  assert.deepEqual(
    s.outputs.map(o => [o.name, o.kind, o.sensitive]),
    [
      ['a', 'create', false],
      ['pw', 'update', true]
    ]
  )
})

test('drift comes from resource_drift; replace_paths are named', () => {
  const s = summarizePlan({
    resource_drift: [rc('x', ['update'])],
    resource_changes: [
      rc('y', ['delete', 'create'], {
        change: {
          actions: ['delete', 'create'],
          replace_paths: [
            ['triggers_replace', 0],
            ['tags', 'Name']
          ]
        }
      })
    ]
  })
  assert.equal(s.counts.drift, 1)
  assert.deepEqual(s.resources[0]!.replacePaths, [
    'triggers_replace[0]',
    'tags.Name'
  ])
})

test('errored or unapplyable plans are not applyable', () => {
  assert.equal(summarizePlan({errored: true}).isApplyable, false)
  assert.equal(summarizePlan({applyable: false}).isApplyable, false)
  assert.equal(summarizePlan({}).isApplyable, true)
})

test('plan JSON of another major format is refused', () => {
  assert.throws(
    () => parsePlanJson('{"format_version":"2.0"}'),
    /format_version/
  )
  assert.equal(
    parsePlanJson('{"format_version":"1.2","x":1}').format_version,
    '1.2'
  )
})

test('the counts line names forgets, imports and moves only when there are some', () => {
  const base = {
    add: 1,
    change: 2,
    destroy: 3,
    replace: 1,
    import: 0,
    forget: 0,
    move: 0,
    drift: 0
  }
  assert.equal(
    countsLine(base),
    '1 to add, 2 to change, 3 to destroy (1 replaced)'
  )
  assert.equal(
    countsLine({...base, replace: 0, forget: 1, import: 2, move: 3}),
    '1 to add, 2 to change, 3 to destroy, 1 to forget, 2 to import, 3 moved'
  )
})

test('deferred changes are counted', () => {
  assert.equal(
    summarizePlan({deferred_changes: [{reason: 'provider_config_unknown'}]})
      .deferred,
    1
  )
})
