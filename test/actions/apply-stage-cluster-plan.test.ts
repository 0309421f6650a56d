import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'
import {readActionMetadata} from '../../src/common/action-metadata.ts'
import {run} from '../../src/actions/apply-stage/main.ts'
import type {CliResult} from '../../src/terraform/cli.ts'
import {actionEnv} from '../helpers/action-env.ts'
import {fakeCore} from '../helpers/fake-core.ts'
import {ROOT} from '../helpers/run-bundle.ts'
import {
  CANARY_HELM,
  CANARY_TOKEN,
  caCerts,
  clusterPlan
} from '../terraform/cluster-plan.ts'

// The cluster stage's providers (kubernetes, helm) cannot run here: the CLI
// answers with the plan JSON they would produce, and everything after it,
// the action's masking, outputs and summary, is the real code.
test('a cluster stage plan: summary-json and summary arrive, keys and tokens are masked, names and certificates are not', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'apply-stage-cluster-'))
  after(() => rmSync(ws, {recursive: true, force: true}))
  mkdirSync(join(ws, 'terraform/cluster'), {recursive: true})
  const old = await caCerts()
  const renewed = await caCerts(old.root)
  const planJson = JSON.stringify(clusterPlan(old, renewed))
  const answers: Record<string, CliResult> = {
    init: {exitCode: 0, stdout: '', stderr: ''},
    plan: {exitCode: 2, stdout: '', stderr: ''},
    show: {exitCode: 0, stdout: planJson, stderr: ''}
  }
  const fake = fakeCore()
  const env = {
    ...actionEnv(
      readActionMetadata('apply-stage', ROOT),
      {
        stage: 'terraform/cluster',
        instance: 'cluster-1',
        'comment-on-pr': 'false',
        'plugin-cache': 'false'
      },
      ws
    ),
    RUNNER_TEMP: ws
  }
  await run({
    core: fake.core,
    env,
    cli: {run: async args => answers[args[0]!]!}
  })
  assert.equal(fake.state.failed, undefined)

  // What the runner would mask: each secret and each of its lines.
  const masks = fake.secrets
    .flatMap(s => [s, ...s.split('\n').map(l => l.trim())])
    .filter(m => m.length >= 4)
  for (const secret of [
    old.intermediate.key,
    renewed.intermediate.key,
    CANARY_TOKEN,
    CANARY_HELM
  ]) {
    assert.ok(fake.secrets.includes(secret), 'every secret is masked')
  }
  for (const name of ['cacerts', 'istio-system', 'Opaque']) {
    assert.ok(!masks.some(m => name.includes(m)), `'${name}' is not masked`)
  }
  assert.ok(!masks.some(m => old.root.cert.includes(m)), 'root cert unmasked')

  // The runner drops an output holding a masked value: none does.
  for (const name of ['summary', 'summary-json', 'plan-digest', 'plan-file']) {
    const value = fake.outputs[name]
    assert.ok(value, `output '${name}' is set`)
    const hit = masks.find(m => value.includes(m))
    assert.equal(hit, undefined, `output '${name}' holds a masked value`)
  }
  const json = JSON.parse(fake.outputs['summary-json']!)
  assert.equal(json.status, 'planned')
  assert.deepEqual(
    json.resources.map((r: {address: string}) => r.address),
    ['kubernetes_secret_v1.cacerts', 'helm_release.istiod']
  )
  const summary = fake.summaries.join('\n')
  assert.match(summary, /data\["ca-key\.pem"\]: \(sensitive\) -> \(sensitive\)/)
  assert.match(summary, /data\["ca-cert\.pem"\]: \(certificate "O=Istio/)
  assert.doesNotMatch(summary, /CANARY|PRIVATE KEY|\*\*\*/)
})
