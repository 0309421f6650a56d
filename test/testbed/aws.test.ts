import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  CreateClusterCommand,
  DescribeClusterCommand,
  EKSClient
} from '@aws-sdk/client-eks'
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts'
import {awsEnv, need, testbed} from '../helpers/testbed.ts'

// Clients are pointed at the emulator by endpoint settings only.
function clientConfig() {
  const env = awsEnv(testbed())
  return {
    endpoint: need('awsEndpoint'),
    region: env.AWS_REGION!,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY!
    }
  }
}

const unique = (prefix: string) =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}`

test('moto answers sts get-caller-identity', async () => {
  const sts = new STSClient(clientConfig())
  const me = await sts.send(new GetCallerIdentityCommand({}))
  assert.match(me.Account ?? '', /^\d{12}$/)
  assert.match(me.Arn ?? '', /^arn:aws:(iam|sts)::\d{12}:/)
})

test('moto answers eks describe-cluster for a cluster created in it', async () => {
  const eks = new EKSClient(clientConfig())
  const name = unique('smoke')
  await eks.send(
    new CreateClusterCommand({
      name,
      version: '1.35',
      roleArn: 'arn:aws:iam::123456789012:role/eks',
      resourcesVpcConfig: {subnetIds: ['subnet-1', 'subnet-2']}
    })
  )
  const {cluster} = await eks.send(new DescribeClusterCommand({name}))
  assert.equal(cluster?.name, name)
  assert.match(cluster?.endpoint ?? '', /^https:\/\//)
  assert.ok(cluster?.certificateAuthority?.data, 'cluster has a CA')
  await assert.rejects(
    eks.send(new DescribeClusterCommand({name: unique('absent')})),
    (err: Error) => err.name === 'ResourceNotFoundException'
  )
})

test('moto keeps Secrets Manager secrets', async () => {
  const sm = new SecretsManagerClient(clientConfig())
  const name = unique('smoke/secret')
  await sm.send(new CreateSecretCommand({Name: name, SecretString: 'value-1'}))
  const got = await sm.send(new GetSecretValueCommand({SecretId: name}))
  assert.equal(got.SecretString, 'value-1')
})
