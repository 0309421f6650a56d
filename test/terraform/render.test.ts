import assert from 'node:assert/strict'
import {test} from 'node:test'
import {summarizePlan} from '../../src/terraform/plan-summary.ts'
import {
  COMMENT_BUDGET,
  renderStage,
  type StageReport
} from '../../src/terraform/render.ts'
import {sensitiveValues} from '../../src/terraform/sensitive.ts'
import {renderSummaryJson} from '../../src/terraform/summary-json.ts'
import {redactor} from '../../src/github/redact.ts'
import {caCerts, clusterPlan} from './cluster-plan.ts'
import {rc} from './plan-summary.test.ts'

function report(n: number, extra: Partial<StageReport> = {}): StageReport {
  const changes = Array.from({length: n}, (_, i) =>
    rc(`terraform_data.item[${i}]`, ['create'], {
      change: {
        actions: ['create'],
        after: {input: {index: i, name: `item-${i}`}},
        after_unknown: {id: true}
      }
    })
  )
  changes.push(
    rc('terraform_data.old', ['delete', 'create'], {
      action_reason: 'replace_because_cannot_update',
      change: {
        actions: ['delete', 'create'],
        before: {input: 'a'},
        after: {input: 'b'},
        replace_paths: [['input']]
      }
    })
  )
  return {
    stage: 'terraform/vpc',
    instance: 'c1',
    command: 'plan',
    status: 'planned',
    summary: summarizePlan({resource_changes: changes}),
    digest: 'd'.repeat(64),
    durationsMs: {init: 1200, plan: 3400},
    ...extra
  }
}

test('the head leads with status, counts, replacements and durations', () => {
  const body = renderStage(report(2), {
    maxChars: COMMENT_BUDGET,
    fullPlanAt: 'the job summary'
  })
  const lines = body.split('\n')
  assert.equal(lines[0], '### 📝 plan `terraform/vpc` · `c1`: planned')
  assert.match(
    body,
    /\*\*3 to add, 0 to change, 1 to destroy \(1 replaced\)\*\*/
  )
  assert.match(body, /\| 3 \| 0 \| 1 \| 1 \| 0 \| 0 \| 0 \|/)
  assert.match(
    body,
    /- `replace terraform_data\.old \(replace_because_cannot_update, forced by input\)`/
  )
  assert.match(
    body,
    /init 1\.2 s · plan 3\.4 s · apply – · plan digest `d{64}`/
  )
  assert.ok(
    body.indexOf('replace terraform_data.old') < body.indexOf('<details>')
  )
  assert.match(body, /input: "a" -> "b" {2}# forces replacement/)
  assert.doesNotMatch(body, /Cut here/)
})

test('a large plan is cut on whole lines under the budget, with a note', () => {
  const marker = '<!-- m -->'
  const body = renderStage(report(3000), {
    maxChars: COMMENT_BUDGET,
    fullPlanAt: 'the job summary',
    marker
  })
  assert.ok(body.length <= COMMENT_BUDGET, `${body.length} chars`)
  assert.ok(body.length > COMMENT_BUDGET - 2000, 'the budget is used')
  assert.ok(body.startsWith(`${marker}\n### `))
  assert.match(
    body,
    /> ✂️ \*\*Cut here to fit:\*\* \d+ of \d+ plan lines are not shown\. The full plan is in the job summary\./
  )
  // every fence and fold is closed before the note
  assert.equal(body.split('```').length % 2, 1)
  assert.equal(body.split('<details>').length, body.split('</details>').length)
  const items = [
    ...body.matchAll(/^\+ create terraform_data\.item\[(\d+)\]$/gm)
  ]
  assert.ok(items.length > 100)
  // whole lines only: every shown resource has its attribute lines
  assert.match(
    body,
    /\n {4}input = \{"index":\d+,"name":"item-\d+"\}\n(```|\+ create)/
  )
})

test('the head is never cut, even when it alone is over the budget', () => {
  const body = renderStage(report(10), {maxChars: 100, fullPlanAt: 'x'})
  assert.match(body, /^### /)
  assert.match(body, /plan digest/)
  assert.match(body, /Cut here/)
})

test('refusals are stated in the head with every refused address', () => {
  const body = renderStage(
    report(1, {
      command: 'apply',
      status: 'refused',
      message:
        'the plan deletes or replaces resources and input allow-destroy is false:',
      refused: [
        {
          address: 'terraform_data.old',
          kind: 'replace',
          reason: 'replace_because_cannot_update'
        }
      ]
    }),
    {maxChars: COMMENT_BUDGET, fullPlanAt: 'x'}
  )
  assert.match(body, /^### ⛔ apply .*: refused/)
  assert.match(body, /> \*\*Refused:\*\* the plan deletes/)
  assert.match(
    body,
    /> - `replace terraform_data\.old \(replace_because_cannot_update\)`/
  )
})

test('sensitive leaves and the secret attributes of secret-bearing types never print', () => {
  const summary = summarizePlan({
    resource_changes: [
      rc('terraform_data.s', ['update'], {
        change: {
          actions: ['update'],
          before: {input: {password: 'CANARY-one', round: '1'}},
          after: {input: {password: 'CANARY-two', round: '2'}},
          before_sensitive: {input: {password: true}},
          after_sensitive: {input: {password: true}}
        }
      }),
      rc('random_password.p', ['create'], {
        type: 'random_password',
        change: {actions: ['create'], after: {result: 'CANARY-three'}}
      })
    ],
    output_changes: {
      pw: {actions: ['create'], after: 'CANARY-four', after_sensitive: true}
    }
  })
  const body = renderStage(
    {...report(0), summary},
    {maxChars: COMMENT_BUDGET, fullPlanAt: 'x'}
  )
  assert.doesNotMatch(body, /CANARY/)
  assert.match(
    body,
    /input: \{"password":\(sensitive\),"round":"1"\} -> \{"password":\(sensitive\),"round":"2"\}/
  )
  assert.match(body, /^ {4}result = \(sensitive\)$/m)
  assert.match(body, /output\.pw = \(sensitive\)/)
})

test('the full plan groups resources by action, deleting kinds first', () => {
  const summary = summarizePlan({
    resource_changes: [
      rc('terraform_data.new', ['create']),
      rc('terraform_data.changed', ['update']),
      rc('terraform_data.gone', ['delete']),
      rc('terraform_data.other', ['create']),
      rc('terraform_data.swapped', ['delete', 'create'])
    ]
  })
  const body = renderStage(
    {...report(0), summary},
    {maxChars: COMMENT_BUDGET, fullPlanAt: 'x'}
  )
  const lines = body
    .slice(body.indexOf('<details>'))
    .split('\n')
    .filter(l => /^(# |[-+~/]+ )/.test(l))
  assert.deepEqual(lines, [
    '# replace: 1',
    '-/+ replace terraform_data.swapped',
    '# delete: 1',
    '- delete terraform_data.gone',
    '# create: 2',
    '+ create terraform_data.new',
    '+ create terraform_data.other',
    '# update: 1',
    '~ update terraform_data.changed'
  ])
})

test('a plan refusing thousands of deletes still fits: the head names the first 20', () => {
  const refused = Array.from({length: 3000}, (_, i) => ({
    address: `terraform_data.item[${i}]`,
    kind: 'delete' as const
  }))
  const body = renderStage(
    {
      ...report(0),
      command: 'apply',
      status: 'refused',
      message: 'the plan deletes resources and allow-destroy is false:',
      refused
    },
    {maxChars: COMMENT_BUDGET, fullPlanAt: 'x'}
  )
  assert.ok(body.length <= COMMENT_BUDGET)
  assert.equal(body.match(/^> - `delete/gm)?.length, 20)
  assert.match(body, /^> - … and 2980 more \(see summary-json\)$/m)
})

test('the cluster stage plan reads: names, namespaces and certificates shown, keys and tokens masked', async () => {
  const old = await caCerts()
  const renewed = await caCerts(old.root)
  const plan = clusterPlan(old, renewed)
  const summary = summarizePlan(plan)
  const result = {
    report: {...report(0), summary},
    summary,
    digest: 'd'.repeat(64),
    hasChanges: true,
    secrets: sensitiveValues(plan)
  }
  const redact = redactor(result.secrets)
  const body = redact(
    renderStage(result.report, {maxChars: COMMENT_BUDGET, fullPlanAt: 'x'})
  )
  const fp = old.fingerprint
  const cert = (pem: string) =>
    `\\(certificate "O=Istio, CN=Intermediate CA, L=cluster-1" SHA-256 ${fp(pem)}\\)`
  assert.match(body, /^~ update kubernetes_secret_v1\.cacerts$/m)
  assert.match(
    body,
    new RegExp(
      `^ {4}data\\["ca-cert\\.pem"\\]: ${cert(old.intermediate.cert)} -> ${cert(renewed.intermediate.cert)}$`,
      'm'
    )
  )
  assert.match(
    body,
    /^ {4}data\["ca-key\.pem"\]: \(sensitive\) -> \(sensitive\)$/m
  )
  assert.match(
    body,
    /^ {4}data\["cert-chain\.pem"\]: \(2 certificates: "O=Istio, CN=Intermediate CA, L=cluster-1" SHA-256 [0-9a-f]{64}; "O=Istio, CN=Root CA" SHA-256 [0-9a-f]{64}\) -> /m
  )
  assert.doesNotMatch(body, /root-cert\.pem/, 'unchanged keys are not listed')
  assert.match(body, /^~ update helm_release\.istiod$/m)
  assert.match(
    body,
    /^ {4}set_sensitive: \[\] -> \[\{"name":"pilot\.env\.EXTERNAL_TOKEN","type":null,"value":\(sensitive\)\}\]$/m
  )
  assert.match(body, /^ {4}version: "1\.27\.3" -> "1\.28\.0"$/m)
  assert.doesNotMatch(body, /\*\*\*/, 'nothing needed the redactor')
  assert.doesNotMatch(body, /CANARY|PRIVATE KEY/)

  // Rendered with the secret-bearing secret's metadata on create.
  const created = summarizePlan({
    resource_changes: [
      {
        ...plan.resource_changes![0]!,
        change: {
          ...plan.resource_changes![0]!.change,
          actions: ['create'],
          before: null,
          before_sensitive: false
        }
      }
    ]
  })
  const createBody = renderStage(
    {...report(0), summary: created},
    {maxChars: COMMENT_BUDGET, fullPlanAt: 'x'}
  )
  assert.match(
    createBody,
    /^ {4}metadata = \[\{"annotations":null,"generate_name":null,"generation":0,"labels":null,"name":"cacerts","namespace":"istio-system",/m
  )
  assert.match(createBody, /^ {4}type = "Opaque"$/m)
  assert.match(createBody, /^ {4}data\["ca-key\.pem"\] = \(sensitive\)$/m)
  assert.match(
    createBody,
    /^ {4}data\["root-cert\.pem"\] = \(certificate "O=Istio, CN=Root CA" SHA-256 [0-9a-f]{64}\)$/m
  )

  // summary-json reaches the next job: no value in it is one the runner masks.
  const json = redact(renderSummaryJson(result))
  const masks = result.secrets.flatMap(s => [
    s,
    ...s.split('\n').map(l => l.trim())
  ])
  assert.ok(!masks.some(m => m.length >= 4 && json.includes(m)))
  assert.deepEqual(
    JSON.parse(json).resources.map((r: {address: string}) => r.address),
    ['kubernetes_secret_v1.cacerts', 'helm_release.istiod']
  )
})
