import assert from 'node:assert/strict'
import {test} from 'node:test'
import {SecretsManagerClient} from '@aws-sdk/client-secrets-manager'
import {
  awsClientSettings,
  createAwsClient,
  describeAwsError
} from '../../src/aws/clients.ts'
import {ConfigurationError} from '../../src/common/errors.ts'

test('region: the input wins, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
  const cases: [string | undefined, NodeJS.ProcessEnv, string][] = [
    ['eu-west-1', {AWS_REGION: 'us-east-1'}, 'eu-west-1'],
    [
      undefined,
      {AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'x'},
      'us-east-1'
    ],
    [undefined, {AWS_DEFAULT_REGION: 'ap-south-1'}, 'ap-south-1']
  ]
  for (const [region, env, expected] of cases) {
    const s = awsClientSettings({region, env, regionInput: 'aws-region'})
    assert.equal(s.region, expected)
  }
})

test('no region anywhere fails naming the input', () => {
  assert.throws(
    () => awsClientSettings({env: {}, regionInput: 'aws-region'}),
    (err: Error) =>
      err instanceof ConfigurationError &&
      /input 'aws-region' is required here/.test(err.message)
  )
})

test('AWS_ENDPOINT_URL is the endpoint; a malformed one is refused', () => {
  const env = {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:5000'
  }
  const s = awsClientSettings({env, regionInput: 'aws-region'})
  assert.equal(s.endpoint, 'http://127.0.0.1:5000')
  assert.equal(
    awsClientSettings({env: {AWS_REGION: 'us-east-1'}, regionInput: 'r'})
      .endpoint,
    undefined
  )
  assert.throws(
    () =>
      awsClientSettings({
        env: {AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'not a url'},
        regionInput: 'aws-region'
      }),
    /AWS_ENDPOINT_URL must be a URL/
  )
})

test('a built client carries the region, endpoint and bounded attempts', async () => {
  const client = createAwsClient(
    SecretsManagerClient,
    awsClientSettings({
      env: {AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9'},
      regionInput: 'aws-region',
      maxAttempts: 5
    })
  )
  try {
    assert.equal(await client.config.region(), 'eu-central-1')
    assert.equal(await client.config.maxAttempts(), 5)
    const endpoint = await client.config.endpoint!()
    assert.equal(
      `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      'http://127.0.0.1:9'
    )
  } finally {
    client.destroy()
  }
  const defaults = awsClientSettings({
    env: {AWS_REGION: 'us-east-1'},
    regionInput: 'r'
  })
  assert.equal(defaults.maxAttempts, 3)
})

test('SDK errors are described by name and status, never by message', () => {
  const err = Object.assign(new Error('secret value CANARY-123 was rejected'), {
    name: 'AccessDeniedException',
    $metadata: {httpStatusCode: 400}
  })
  assert.equal(describeAwsError(err), 'AccessDeniedException (HTTP 400)')
})
