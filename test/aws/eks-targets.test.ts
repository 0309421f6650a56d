import assert from 'node:assert/strict'
import {test} from 'node:test'
import {CreateClusterCommand, EKSClient} from '@aws-sdk/client-eks'
import {awsClientSettings, createAwsClient} from '../../src/aws/clients.ts'
import {EKS_TOKEN_PREFIX} from '../../src/aws/eks-token.ts'
import {eksTargets} from '../../src/aws/eks-targets.ts'
import {runBundle} from '../helpers/run-bundle.ts'
import {awsEnv} from '../helpers/testbed.ts'

// The SDK reads the fake credentials from the process environment.
Object.assign(process.env, awsEnv())

async function createCluster(name: string) {
  const eks = createAwsClient(
    EKSClient,
    awsClientSettings({env: process.env, regionInput: 'aws-region'})
  )
  try {
    const {cluster} = await eks.send(
      new CreateClusterCommand({
        name,
        roleArn: 'arn:aws:iam::123456789012:role/eks',
        resourcesVpcConfig: {subnetIds: ['subnet-1', 'subnet-2']}
      })
    )
    return cluster!
  } finally {
    eks.destroy()
  }
}

test('provider eks: each target is the DescribeCluster endpoint, its token masked first', async () => {
  const names = [`xs-a-${process.pid}`, `xs-b-${process.pid}`]
  const clusters = await Promise.all(names.map(createCluster))
  const masked: string[] = []
  const targets = await eksTargets({
    entries: names.map(n => ({name: n, context: n})),
    env: process.env,
    mask: s => void masked.push(s)
  })
  assert.deepEqual(
    targets.map(t => [t.name, t.server]),
    clusters.map(c => [c.name, c.endpoint])
  )
  assert.equal(masked.length, 2)
  assert.ok(masked.every(t => t.startsWith(EKS_TOKEN_PREFIX)))
})

test('provider eks through the bundle: an unreachable endpoint fails quietly, the token stays masked', async () => {
  const name = `xs-bundle-${process.pid}`
  await createCluster(name)
  const other = `${name}-2`
  await createCluster(other)
  const r = await runBundle(
    'exchange-secrets',
    {clusters: `${name},${other}`},
    {env: awsEnv(), defaultsFrom: 'exchange-secrets'}
  )
  assert.notEqual(r.status, 0)
  const masks = r.stdout
    .split('\n')
    .filter(l => l.startsWith(`::add-mask::${EKS_TOKEN_PREFIX}`))
  assert.equal(masks.length, 2, 'one EKS token per cluster, masked')
  const tokens = masks.map(l => l.slice('::add-mask::'.length))
  const rest = r.stdout
    .split('\n')
    .filter(l => !l.startsWith('::add-mask::'))
    .join('\n')
  for (const token of tokens) {
    assert.ok(!rest.includes(token), 'token in the log')
    assert.ok(!r.stderr.includes(token), 'token on stderr')
    assert.ok(!JSON.stringify(r.outputs).includes(token), 'token in outputs')
  }
  assert.match(
    rest,
    new RegExp(
      `::error::exchange-secrets: ${name}(-2)?: GET /api/v1/namespaces/istio-system/secrets/istio-reader-service-account-istio-remote-secret-token failed: \\S+`
    )
  )
})
