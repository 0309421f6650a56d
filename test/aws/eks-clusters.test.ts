import assert from 'node:assert/strict'
import {test} from 'node:test'
import {CreateClusterCommand, EKSClient} from '@aws-sdk/client-eks'
import {awsClientSettings, createAwsClient} from '../../src/aws/clients.ts'
import {describeEksCluster} from '../../src/aws/eks-clusters.ts'
import {ConfigurationError} from '../../src/common/errors.ts'
import {awsEnv} from '../helpers/testbed.ts'

// The SDK reads the fake credentials from the process environment.
Object.assign(process.env, awsEnv())

function client() {
  return createAwsClient(
    EKSClient,
    awsClientSettings({env: process.env, regionInput: 'aws-region'})
  )
}

test('endpoint and CA come from DescribeCluster (moto)', async () => {
  const eks = client()
  const name = `xs-${process.pid}-${Date.now()}`
  try {
    const {cluster} = await eks.send(
      new CreateClusterCommand({
        name,
        roleArn: 'arn:aws:iam::123456789012:role/eks',
        resourcesVpcConfig: {subnetIds: ['subnet-1', 'subnet-2']}
      })
    )
    const got = await describeEksCluster(eks, name)
    assert.equal(got.name, name)
    assert.equal(got.endpoint, cluster?.endpoint)
    assert.match(got.endpoint, /^https:\/\//)
    assert.equal(got.caData, cluster?.certificateAuthority?.data)
    assert.ok(got.caData.length > 0)
  } finally {
    eks.destroy()
  }
})

test('a missing cluster is a configuration error naming the input', async () => {
  const eks = client()
  try {
    await assert.rejects(
      describeEksCluster(eks, 'no-such-cluster'),
      (err: unknown) =>
        err instanceof ConfigurationError &&
        /input 'clusters' names EKS cluster 'no-such-cluster'/.test(err.message)
    )
  } finally {
    eks.destroy()
  }
})
