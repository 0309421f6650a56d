import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {after, test} from 'node:test'
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import {awsClientSettings, createAwsClient} from '../../src/aws/clients.ts'
import {
  intermediateSecretName,
  rootSecretName,
  secretsManagerStore
} from '../../src/aws/secrets-store.ts'
import {awsEnv, testbed} from '../helpers/testbed.ts'

// Against the test bed's moto server, never a mock: what the SDK sends and
// what Secrets Manager answers (not-found errors included) are real.
const bed = testbed()
if (!bed.awsEndpoint) {
  throw new Error(
    'the test bed has no AWS emulator: run `npm run testbed -- up --only aws`'
  )
}
Object.assign(process.env, awsEnv(bed))
const client = createAwsClient(
  SecretsManagerClient,
  awsClientSettings({env: process.env, regionInput: 'aws-region'})
)
after(() => client.destroy())
const prefix = () => `test-${randomBytes(4).toString('hex')}/`
const pem = (tag: string) => ({cert: `CERT ${tag}\n`, key: `KEY ${tag}\n`})

test('an empty store loads nothing', async () => {
  const store = secretsManagerStore(client, prefix(), 'secret-prefix')
  assert.deepEqual(await store.load(['a', 'b']), {
    root: undefined,
    intermediates: {a: undefined, b: undefined}
  })
})

test('save creates one secret per CA under the prefix; load reads them back', async () => {
  const p = prefix()
  const store = secretsManagerStore(client, p, 'secret-prefix')
  await store.save({root: pem('root'), intermediates: {a: pem('a')}})
  assert.deepEqual(await store.load(['a', 'b']), {
    root: pem('root'),
    intermediates: {a: pem('a'), b: undefined}
  })
  const raw = await client.send(
    new GetSecretValueCommand({SecretId: intermediateSecretName(p, 'a')})
  )
  assert.deepEqual(JSON.parse(raw.SecretString!), pem('a'))
  assert.equal(rootSecretName(p), `${p}root-ca`)
})

test('saving again puts a new version on the same secret', async () => {
  const p = prefix()
  const store = secretsManagerStore(client, p, 'secret-prefix')
  await store.save({root: pem('one'), intermediates: {}})
  const before = await client.send(
    new DescribeSecretCommand({SecretId: rootSecretName(p)})
  )
  // The next run loads first, as generateCerts does, then saves.
  const next = secretsManagerStore(client, p, 'secret-prefix')
  await next.load([])
  await next.save({root: pem('two'), intermediates: {}})
  const after = await client.send(
    new DescribeSecretCommand({SecretId: rootSecretName(p)})
  )
  assert.equal(after.ARN, before.ARN)
  assert.notDeepEqual(after.VersionIdsToStages, before.VersionIdsToStages)
  assert.deepEqual((await store.load([])).root, pem('two'))
})

test('two runs creating the same root: the second fails, the first root stays', async () => {
  const p = prefix()
  const [one, two] = [0, 1].map(() =>
    secretsManagerStore(client, p, 'secret-prefix')
  )
  await Promise.all([one!.load([]), two!.load([])])
  await one!.save({root: pem('one'), intermediates: {}})
  await assert.rejects(
    two!.save({root: pem('two'), intermediates: {}}),
    new RegExp(
      `secret '${p}root-ca' was created by another run while this one was working`
    )
  )
  assert.deepEqual((await one!.load([])).root, pem('one'))
})

test('a secret that is not our JSON loads as a pair with nothing in it', async () => {
  const p = prefix()
  const store = secretsManagerStore(client, p, 'secret-prefix')
  await store.save({root: pem('x'), intermediates: {}})
  await client.send(
    new PutSecretValueCommand({
      SecretId: rootSecretName(p),
      SecretString: 'oops'
    })
  )
  assert.deepEqual((await store.load([])).root, {})
})

test('an unreachable store fails naming the input, status only', async () => {
  const dead = createAwsClient(
    SecretsManagerClient,
    awsClientSettings({
      env: {...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9'},
      regionInput: 'aws-region',
      maxAttempts: 1
    })
  )
  try {
    const store = secretsManagerStore(dead, 'x/', 'secret-prefix')
    await assert.rejects(
      store.load([]),
      /^ConfigurationError: input 'secret-prefix': cannot read secret 'x\/root-ca' from AWS Secrets Manager: \w+ ECONNREFUSED$/
    )
  } finally {
    dead.destroy()
  }
})
