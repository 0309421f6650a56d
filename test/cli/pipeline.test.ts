// The pipeline commands end to end on the test bed: certs, plan and apply
// of builtin-only stand-ins for terraform/vpc and terraform/cluster (same
// variables, the vpc state read by the cluster stage), and up and down with
// provider kubeconfig on the test bed's clusters.
import assert from 'node:assert/strict'
import {cpSync, existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {COMMANDS} from '../../src/cli/commands.ts'
import {
  eventually,
  syncedRemotes,
  withIstioLock
} from '../helpers/istio-testbed.ts'
import {ROOT} from '../helpers/run-bundle.ts'
import {need} from '../helpers/testbed.ts'
import {npmStart, tableRows} from './npm-start.ts'

/** A RUNNER_TEMP of its own holding copies of the stand-in stages. */
function workspace() {
  const temp = mkdtempSync(join(tmpdir(), 'cli-pipeline-'))
  cpSync(join(ROOT, 'test', 'fixtures', 'stages', 'pipeline'), temp, {
    recursive: true
  })
  const env = {PATH: process.env.PATH, HOME: temp, RUNNER_TEMP: temp}
  const flags = [
    '--vpc-stage',
    join(temp, 'vpc'),
    '--cluster-stage',
    join(temp, 'cluster'),
    '--certs-dir',
    join(temp, 'certs'),
    '--key-type',
    'ecdsa-p256',
    '--binary',
    need('tofu')
  ]
  return {temp, env, flags}
}

test('--help on every command and action says how to use it', async () => {
  const all = await npmStart(['--help'])
  assert.equal(all.status, 0)
  for (const c of COMMANDS)
    assert.match(all.stdout, new RegExp(`^  ${c.name} `, 'm'))
  assert.match(
    all.stdout,
    /actions: generate-certs, apply-stage, exchange-secrets/
  )
  for (const c of COMMANDS) {
    const r = await npmStart([c.name, '--help'])
    assert.equal(r.status, 0, r.stdout)
    assert.match(r.stdout, new RegExp(`^usage: npm start -- ${c.name}`, 'm'))
  }
  const action = await npmStart(['apply-stage', '--help'])
  assert.equal(action.status, 0)
  assert.match(action.stdout, /--stage \(required\)/)
  assert.match(action.stdout, /--command \(default plan\)/)
  const wrong = await npmStart(['plan'])
  assert.equal(wrong.status, 1)
  assert.match(wrong.stdout, /plan: expected 1 to 2 argument\(s\), got 0/)
})

test('certs, plan and apply of the vpc and cluster stages, with local state', async () => {
  const {env, flags, temp} = workspace()
  const clusters = ['--clusters', 'east,west']
  const certs = await npmStart(['certs', ...clusters, ...flags], env)
  assert.equal(certs.status, 0, certs.stdout)
  assert.ok(existsSync(join(temp, 'certs', 'west', 'ca-cert.pem')))

  const plan = await npmStart(['plan', 'vpc', ...clusters, ...flags], env)
  assert.equal(plan.status, 0, plan.stdout)
  assert.match(plan.stdout, /ok: plan in .*\(plan \+1 ~0 -0\)/)
  assert.ok(!existsSync(join(temp, 'vpc', '.state', 'default.tfstate')))

  const vpc = await npmStart(['apply', 'vpc', ...clusters, ...flags], env)
  assert.equal(vpc.status, 0, vpc.stdout)
  assert.match(vpc.stdout, /applied \+1 ~0 -0/)
  const one = await npmStart(
    ['apply', 'cluster', 'west', ...clusters, ...flags],
    env
  )
  assert.equal(one.status, 0, one.stdout)
  assert.match(one.stdout, /applied \+1 ~0 -0/)
  const state = JSON.parse(
    readFileSync(join(temp, 'cluster', '.state', 'west.tfstate'), 'utf8')
  ) as {
    resources: {
      type: string
      instances: {attributes: {input: {value: Record<string, string>}}}[]
    }[]
  }
  const cluster = state.resources.find(r => r.type === 'terraform_data')!
  const input = cluster.instances[0]!.attributes.input.value
  assert.equal(input.cluster_name, 'west')
  assert.equal(input.region, 'eu-west-1', 'read from the vpc state')
  const both = await npmStart(['plan', 'cluster', ...clusters, ...flags], env)
  assert.equal(both.status, 0, both.stdout)
  assert.match(both.stdout, /east: plan \+1 ~0 -0, west: plan \+0 ~0 -0/)

  const stranger = await npmStart(
    ['plan', 'cluster', 'north', ...clusters, ...flags],
    env
  )
  assert.equal(stranger.status, 1)
  assert.match(
    stranger.stdout,
    /cluster 'north' is not one of --clusters \(east, west\)/
  )
})

test('up without AWS credentials says so, makes the certificates and stops naming what is missing', async () => {
  const {env, temp} = workspace()
  const r = await npmStart(
    ['up', '--certs-dir', join(temp, 'certs'), '--key-type', 'ecdsa-p256'],
    env
  )
  assert.equal(r.status, 1, r.stdout)
  assert.match(
    r.stdout,
    /^up: missing AWS credentials \(none in .*\); an AWS region \(--region or AWS_REGION\)/m
  )
  assert.match(
    r.stdout,
    /steps vpc, clusters, exchange, verify need it; running what needs none: certs/
  )
  assert.deepEqual(tableRows(r.stdout), {certs: 'pass'})
  assert.match(r.stdout, /^up stopped before vpc: missing AWS credentials/m)
  assert.ok(existsSync(join(temp, 'certs', 'cluster-2', 'cert-chain.pem')))
})

test('up then down with provider kubeconfig: stages, remote secrets, verify, then all removed', async () => {
  const {env, flags} = workspace()
  const mesh = ['cluster-1', 'cluster-2']
  const istiod = need('istiod')
  const reach = [
    '--clusters',
    mesh.join(','),
    '--provider',
    'kubeconfig',
    '--kubeconfig',
    need('kubeconfig'),
    '--checks',
    'control-plane',
    ...mesh.flatMap(c => ['--istiod-url', `${c}=${istiod[c]!.debug}`])
  ]
  await withIstioLock(async () => {
    const up = await npmStart(['up', ...reach, ...flags], env)
    assert.equal(up.status, 0, up.stdout)
    assert.deepEqual(tableRows(up.stdout), {
      certs: 'pass',
      vpc: 'pass',
      clusters: 'pass',
      exchange: 'pass',
      verify: 'pass'
    })
    assert.match(
      up.stdout,
      /cluster-1: applied \+1 ~0 -0, cluster-2: applied \+1 ~0 -0/
    )

    const refused = await npmStart(['down', ...reach, ...flags], env)
    assert.equal(refused.status, 1)
    assert.match(refused.stdout, /rerun with --yes/)

    // Never delete a remote secret istiod has not synced (docs/testbed.md).
    for (const [c, peer] of [mesh, [...mesh].reverse()]) {
      await eventually(
        `${c} synced ${peer}`,
        () => syncedRemotes(c!),
        s => s.includes(peer!),
        90_000
      )
    }
    const down = await npmStart(['down', '--yes', ...reach, ...flags], env)
    assert.equal(down.status, 0, down.stdout)
    assert.deepEqual(tableRows(down.stdout), {
      revoke: 'pass',
      clusters: 'pass',
      vpc: 'pass'
    })
    assert.match(down.stdout, /2 deleted/)
    assert.match(down.stdout, /cluster-1: destroyed 1, cluster-2: destroyed 1/)
  })
})
