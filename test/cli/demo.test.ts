// `npm start -- demo`, the README's first command after `npm ci`, against
// the test bed `npm test` brought up: its closing table, its exit status, a
// second run that reuses everything, and a failing step named. It changes
// what the istiods see (remote secrets), so it holds the istio lock, and it
// leaves the mesh as it found it: no remote secrets between its clusters.
import assert from 'node:assert/strict'
import {mkdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'
import {deleteObjects} from '../../src/kube/apply.ts'
import {sampleObjects, SAMPLE_NAMESPACE} from '../../src/cli/sample.ts'
import {restartIstiods} from '../../scripts/testbed/istio-up.mjs'
import {admin} from '../helpers/istio-fixture.ts'
import {
  eventually,
  syncedRemotes,
  withIstioLock
} from '../helpers/istio-testbed.ts'
import {ROOT, runBundle} from '../helpers/run-bundle.ts'
import {need} from '../helpers/testbed.ts'
import {npmStart, tableRows} from './npm-start.ts'

const clusters = ['cluster-1', 'cluster-2']
const stateFile = join(ROOT, '.testbed', 'demo-stage', 'terraform.tfstate')

async function bothSynced() {
  for (const [c, peer] of [clusters, [...clusters].reverse()]) {
    await eventually(
      `${c} istiod synced with ${peer}`,
      () => syncedRemotes(c!),
      synced => synced.includes(peer!),
      90_000
    )
  }
}

/** Back to no remote secrets between the demo's clusters, safely. */
async function leaveMeshAsFound() {
  const env = {KUBECONFIG: need('kubeconfig')}
  const exchange = (mode: string) =>
    runBundle(
      'exchange-secrets',
      {clusters: clusters.join(','), provider: 'kubeconfig', mode},
      {env, defaultsFrom: 'exchange-secrets'}
    )
  // Never delete a remote secret istiod has not synced (docs/testbed.md).
  assert.equal((await exchange('apply')).status, 0)
  await bothSynced().catch(() => restartIstiods(clusters))
  await bothSynced()
  assert.equal((await exchange('revoke')).status, 0)
  for (const [i, c] of clusters.entries()) {
    await deleteObjects(admin(c).kube, sampleObjects(i), SAMPLE_NAMESPACE)
  }
}

test('npm start -- demo: every step passes, a second run reuses what is there, a failure names its step', async () => {
  await withIstioLock(async () => {
    try {
      const first = await npmStart(['demo', '--clusters', '2'])
      assert.equal(first.status, 0, first.stdout)
      assert.deepEqual(tableRows(first.stdout), {
        certs: 'pass',
        istio: 'pass',
        exchange: 'pass',
        verify: 'pass',
        stage: 'pass'
      })
      assert.match(first.stdout, /2\/2 pairs pass/)
      // verify-mesh's control-plane verdict, from istiod's own view.
      assert.match(first.stdout, /4\. verify +pass .*result pass/)
      assert.match(first.stdout, /What a real AWS run adds/)
      assert.match(first.stdout, /^demo done in /m)

      const second = await npmStart(['demo'])
      assert.equal(second.status, 0, second.stdout)
      assert.match(second.stdout, /1\. certs +pass .*intermediates 2 reused/)
      assert.match(second.stdout, /istio: cluster-1 istiod already running/)
      assert.match(
        second.stdout,
        /3\. exchange +pass .*created 0, updated 0, unchanged 2; 2\/2 pairs pass/
      )
      assert.match(second.stdout, /5\. stage +pass .*no changes/)
      assert.match(second.stdout, /4\. verify +pass .*result pass/)

      // A state file OpenTofu cannot read fails step 5 only.
      rmSync(stateFile, {force: true})
      mkdirSync(stateFile, {recursive: true})
      const broken = await npmStart(['demo'])
      assert.equal(broken.status, 1, broken.stdout)
      assert.equal(tableRows(broken.stdout).stage, 'fail')
      assert.equal(tableRows(broken.stdout).exchange, 'pass')
      assert.match(broken.stdout, /^demo failed: step 5 \(stage\) failed: /m)
    } finally {
      rmSync(stateFile, {recursive: true, force: true})
      await leaveMeshAsFound()
    }
  })
})
