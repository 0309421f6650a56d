import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {test} from 'node:test'
import {ROOT} from '../helpers/run-bundle.ts'
import {need, testbed} from '../helpers/testbed.ts'

function testbedCli(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'testbed.mjs'), ...args],
    {cwd: ROOT, encoding: 'utf8'}
  )
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

test('testbed refuses unknown commands and options, naming what it expected', () => {
  const cases: [string[], RegExp][] = [
    [['start'], /expected one command, found 'start'/],
    [
      ['up', '--only', 'tofu,nope'],
      /--only: expected some of tofu,kube,istio,aws,lint, found 'nope'/
    ],
    [
      ['up', '--clusters', '0'],
      /--clusters: expected an integer from 1 to 8, found '0'/
    ],
    [
      ['up', '--clusters', 'two'],
      /--clusters: expected an integer from 1 to 8, found 'two'/
    ]
  ]
  for (const [args, message] of cases) {
    const r = testbedCli(...args)
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.match(r.stderr, message)
    assert.match(r.stderr, /usage: npm run testbed -- up|expected/)
  }
})

test('status names the pinned versions and the running clusters', () => {
  const r = testbedCli('status')
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /kubernetes\s+v1\.35\.4/)
  assert.match(r.stdout, /tofu\s+v1\.11\.6/)
  for (const name of need('clusters')) {
    assert.match(
      r.stdout,
      new RegExp(`kube ${name}: running https://127\\.0\\.0\\.1:\\d+`)
    )
  }
  assert.match(r.stdout, /aws: running moto http:\/\/127\.0\.0\.1:\d+/)
})

test('env.sh exports what env.json says, with fake AWS credentials', () => {
  const bed = testbed()
  const r = spawnSync('bash', ['-c', '. .testbed/env.sh && env'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {PATH: process.env.PATH}
  })
  assert.equal(r.status, 0, r.stderr)
  const vars = Object.fromEntries(
    r.stdout
      .split('\n')
      .map(line => [line.split('=')[0], line.slice(line.indexOf('=') + 1)])
  )
  assert.equal(vars.TOFU, bed.tofu)
  assert.equal(vars.KUBECONFIG, bed.kubeconfig)
  assert.equal(vars.AWS_ENDPOINT_URL, bed.awsEndpoint)
  assert.equal(vars.AWS_REGION, 'us-east-1')
  assert.equal(vars.AWS_ACCESS_KEY_ID, 'testing')
  assert.equal(vars.TESTBED_CLUSTERS, bed.clusters.join(','))
  for (const path of [bed.tofu, bed.kubeconfig, bed.node, bed.checkov]) {
    assert.ok(path.startsWith('/'), `absolute: ${path}`)
  }
})
