import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  MAX_LISTED_DRIFT,
  driftReport,
  parseSummaryJson,
  renderDriftReport,
  type DriftTarget
} from '../../src/terraform/drift-report.ts'
import {summarizePlan} from '../../src/terraform/plan-summary.ts'
import type {StageReport} from '../../src/terraform/render.ts'
import {renderSummaryJson} from '../../src/terraform/summary-json.ts'
import {rc} from './plan-summary.test.ts'

/** apply-stage's own summary-json for one drift plan. */
function summaryJson(
  stage: string,
  instance: string | undefined,
  o: {
    drift?: string[]
    changes?: string[]
    status?: StageReport['status']
    message?: string
  } = {}
): string {
  const status = o.status ?? (o.changes?.length ? 'planned' : 'no-changes')
  const summary =
    status === 'failed'
      ? undefined
      : summarizePlan({
          resource_drift: (o.drift ?? []).map(a => rc(a, ['update'])),
          resource_changes: (o.changes ?? []).map(a => rc(a, ['update']))
        })
  return renderSummaryJson({
    report: {
      stage,
      instance,
      command: 'plan',
      status,
      durationsMs: {},
      ...(o.message ? {message: o.message} : {})
    },
    summary,
    hasChanges: (o.changes?.length ?? 0) > 0,
    secrets: []
  })
}

const TARGETS: DriftTarget[] = [
  {stage: 'terraform/vpc'},
  {stage: 'terraform/cluster', instance: 'cluster-1'},
  {stage: 'terraform/cluster', instance: 'cluster-2'}
]
const parse = (text: string) => parseSummaryJson(text, 'test')

test('drift report: clean only when every instance planned without drift', () => {
  const all = [
    parse(summaryJson('terraform/vpc', undefined)),
    parse(summaryJson('terraform/cluster', 'cluster-1', {changes: ['a']})),
    parse(summaryJson('./terraform/cluster/', 'cluster-2'))
  ]
  const r = driftReport(TARGETS, all)
  assert.equal(r.clean, true, 'code ahead of the state is not drift')
  assert.deepEqual(
    r.rows.map(x => [x.stage, x.instance, x.state, x.hasChanges]),
    [
      ['terraform/vpc', 'default', 'clean', false],
      ['terraform/cluster', 'cluster-1', 'clean', true],
      ['terraform/cluster', 'cluster-2', 'clean', false]
    ]
  )
})

test('drift report: drift, a failed plan and a missing result each make it unclean', () => {
  const vpc = parse(summaryJson('terraform/vpc', undefined))
  const c1 = parse(summaryJson('terraform/cluster', 'cluster-1'))
  const cases: [string, ReturnType<typeof parse>[], string, string][] = [
    [
      'drift',
      [
        vpc,
        c1,
        parse(
          summaryJson('terraform/cluster', 'cluster-2', {
            drift: ['module.eks.aws_eks_cluster.this[0]']
          })
        )
      ],
      'drift',
      'changed outside Terraform'
    ],
    [
      'failed',
      [
        vpc,
        c1,
        parse(
          summaryJson('terraform/cluster', 'cluster-2', {
            status: 'failed',
            message: 'init failed: AccessDenied'
          })
        )
      ],
      'failed',
      'init failed: AccessDenied'
    ],
    ['missing', [vpc, c1], 'missing', 'not every stage instance was planned'],
    // A summary of another instance does not stand in for cluster-2's.
    [
      'other',
      [vpc, c1, parse(summaryJson('terraform/cluster', 'cluster-3'))],
      'missing',
      'no result'
    ]
  ]
  for (const [name, summaries, state, text] of cases) {
    const r = driftReport(TARGETS, summaries)
    assert.equal(r.clean, false, name)
    assert.equal(r.rows[2]!.state, state, name)
    assert.deepEqual(
      r.rows.slice(0, 2).map(x => x.state),
      ['clean', 'clean'],
      name
    )
    assert.match(renderDriftReport(r), new RegExp(text), name)
  }
})

test('drift report: the table names each instance, and lists drifted addresses folded', () => {
  const many = Array.from(
    {length: MAX_LISTED_DRIFT + 3},
    (_, i) => `aws_security_group_rule.r${i}`
  )
  const r = driftReport(TARGETS, [
    parse(summaryJson('terraform/vpc', undefined, {drift: many})),
    parse(summaryJson('terraform/cluster', 'cluster-1')),
    parse(summaryJson('terraform/cluster', 'cluster-2'))
  ])
  const md = renderDriftReport(r)
  assert.match(md, /⚠️ 1 of 3 stage instance\(s\) changed outside Terraform/)
  assert.match(
    md,
    /\| `terraform\/vpc` \| `default` \| ⚠️ drift \| 23 \| no \|/
  )
  assert.match(
    md,
    /\| `terraform\/cluster` \| `cluster-2` \| ✅ none \| 0 \| no \|/
  )
  assert.match(
    md,
    /<details><summary>terraform\/vpc <code>default<\/code>: 23 resource/
  )
  assert.match(md, /`aws_security_group_rule\.r19` \(update\)/)
  assert.doesNotMatch(md, /r20`/)
  assert.match(md, /… and 3 more/)
  assert.match(
    renderDriftReport(
      driftReport(TARGETS.slice(0, 1), [
        parse(summaryJson('terraform/vpc', undefined))
      ])
    ),
    /### Drift: ✅ none/
  )
})

test('drift report: what is not a summary-json of version 1 is refused, naming its source', () => {
  for (const text of [
    '',
    'nope',
    'null',
    '{}',
    '{"version":2,"stage":"s","status":"planned","drift":[]}',
    '{"version":1,"stage":"s","status":"planned"}'
  ]) {
    assert.throws(
      () => parseSummaryJson(text, 'drift-vpc.json'),
      /drift-vpc\.json: not/,
      text
    )
  }
})
