import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {after, test} from 'node:test'
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import {awsClientSettings, createAwsClient} from '../../src/aws/clients.ts'
import {
  intermediateSecretName,
  legacyRootSecretName,
  LEGACY_RECOVERY_DAYS,
  rootCertSecretName,
  rootKeySecretName,
  secretsManagerStore
} from '../../src/aws/secrets-store.ts'
import {ConfigurationError} from '../../src/common/errors.ts'
import {awsEnv, testbed} from '../helpers/testbed.ts'
import {recordingProxy} from './recording-proxy.ts'

// Against the test bed's moto server, never a mock: what the SDK sends and
// what Secrets Manager answers (not-found errors included) are real.
const bed = testbed()
if (!bed.awsEndpoint) {
  throw new Error(
    'the test bed has no AWS emulator: run `npm run testbed -- up --only aws`'
  )
}
Object.assign(process.env, awsEnv(bed))
const clientFor = (endpoint: string) =>
  createAwsClient(
    SecretsManagerClient,
    awsClientSettings({
      env: {...process.env, AWS_ENDPOINT_URL: endpoint},
      regionInput: 'aws-region'
    })
  )
const client = clientFor(bed.awsEndpoint)
after(() => client.destroy())
const prefix = () => `test-${randomBytes(4).toString('hex')}/`
const pem = (tag: string) => ({cert: `CERT ${tag}\n`, key: `KEY ${tag}\n`})
const ISSUE = {rootKey: true}
const FETCH = {rootKey: false}

const value = async (name: string) =>
  JSON.parse(
    (await client.send(new GetSecretValueCommand({SecretId: name})))
      .SecretString!
  ) as unknown
const describe = (name: string) =>
  client.send(new DescribeSecretCommand({SecretId: name}))
const create = (name: string, v: unknown) =>
  client.send(
    new CreateSecretCommand({Name: name, SecretString: JSON.stringify(v)})
  )

test('the secret names: certificate and key of the root apart', () => {
  assert.equal(rootCertSecretName('p/'), 'p/root-cert')
  assert.equal(rootKeySecretName('p/'), 'p/root-key')
  assert.equal(legacyRootSecretName('p/'), 'p/root-ca')
  assert.equal(intermediateSecretName('p/', 'east'), 'p/intermediate/east')
})

test('an empty store loads nothing, in either mode, and saves nothing else', async () => {
  for (const mode of [ISSUE, FETCH]) {
    const store = secretsManagerStore(client, prefix(), 'secret-prefix')
    assert.deepEqual(await store.load(['a', 'b'], mode), {
      root: undefined,
      intermediates: {a: undefined, b: undefined}
    })
  }
})

test('save keeps the root certificate and key in two secrets; fetch loads the certificate only', async () => {
  const p = prefix()
  const store = secretsManagerStore(client, p, 'secret-prefix')
  await store.load(['a'], ISSUE)
  assert.deepEqual(
    await store.save({root: pem('root'), intermediates: {a: pem('a')}}),
    []
  )
  assert.deepEqual(await value(`${p}root-cert`), {cert: 'CERT root\n'})
  assert.deepEqual(await value(`${p}root-key`), {key: 'KEY root\n'})
  assert.deepEqual(await value(`${p}intermediate/a`), pem('a'))
  assert.match(
    (await describe(`${p}root-key`)).Description!,
    /root CA key \(private: only the issuing role reads it\)/
  )
  const again = secretsManagerStore(client, p, 'secret-prefix')
  assert.deepEqual(await again.load(['a', 'b'], ISSUE), {
    root: pem('root'),
    intermediates: {a: pem('a'), b: undefined}
  })
  assert.deepEqual(await again.load(['a'], FETCH), {
    root: {cert: 'CERT root\n'},
    intermediates: {a: pem('a')}
  })
})

test('fetch never asks for the root key or the earlier combined secret', async () => {
  const p = prefix()
  const seed = secretsManagerStore(client, p, 'secret-prefix')
  await seed.load(['a'], ISSUE)
  await seed.save({root: pem('root'), intermediates: {a: pem('a')}})
  // As a half-finished move leaves it: the same root, key included.
  await create(`${p}root-ca`, pem('root'))
  const proxy = await recordingProxy(bed.awsEndpoint)
  const viaProxy = clientFor(proxy.endpoint)
  try {
    const store = secretsManagerStore(viaProxy, p, 'secret-prefix')
    await store.load(['a'], FETCH)
    assert.deepEqual(proxy.calls.map(c => `${c.action} ${c.secret}`).sort(), [
      `GetSecretValue ${p}intermediate/a`,
      `GetSecretValue ${p}root-cert`
    ])
    // The same store in issue mode does ask: the recording is not blind.
    proxy.calls.length = 0
    await secretsManagerStore(viaProxy, p, 'secret-prefix').load([], ISSUE)
    assert.ok(
      proxy.calls.some(
        c => c.action === 'GetSecretValue' && c.secret === `${p}root-key`
      )
    )
  } finally {
    viaProxy.destroy()
    await proxy.close()
  }
})

test('saving again puts a new version on the same secrets', async () => {
  const p = prefix()
  const store = secretsManagerStore(client, p, 'secret-prefix')
  await store.load([], ISSUE)
  await store.save({root: pem('one'), intermediates: {}})
  const before = await Promise.all(
    [`${p}root-cert`, `${p}root-key`].map(describe)
  )
  // The next run loads first, as generateCerts does, then saves.
  const next = secretsManagerStore(client, p, 'secret-prefix')
  await next.load([], ISSUE)
  await next.save({root: pem('two'), intermediates: {}})
  const after = await Promise.all(
    [`${p}root-cert`, `${p}root-key`].map(describe)
  )
  for (const i of [0, 1]) {
    assert.equal(after[i]!.ARN, before[i]!.ARN)
    assert.notDeepEqual(
      after[i]!.VersionIdsToStages,
      before[i]!.VersionIdsToStages
    )
  }
  assert.deepEqual((await next.load([], ISSUE)).root, pem('two'))
})

test('two runs creating the same root: the second fails, the first root stays', async () => {
  const p = prefix()
  const [one, two] = [0, 1].map(() =>
    secretsManagerStore(client, p, 'secret-prefix')
  )
  await Promise.all([one!.load([], ISSUE), two!.load([], ISSUE)])
  await one!.save({root: pem('one'), intermediates: {}})
  await assert.rejects(
    two!.save({root: pem('two'), intermediates: {}}),
    new RegExp(
      `secret '${p}root-key' was created by another run while this one was working`
    )
  )
  assert.deepEqual((await one!.load([], ISSUE)).root, pem('one'))
})

test('a key left without its certificate by a failed run is no root, and is overwritten', async () => {
  const p = prefix()
  await create(`${p}root-key`, {key: 'KEY orphan\n'})
  const store = secretsManagerStore(client, p, 'secret-prefix')
  assert.equal((await store.load([], ISSUE)).root, undefined)
  await store.save({root: pem('new'), intermediates: {}})
  assert.deepEqual((await store.load([], ISSUE)).root, pem('new'))
})

test('a certificate without its key loads as such (the issue run then refuses it)', async () => {
  const p = prefix()
  await create(`${p}root-cert`, {cert: 'CERT lone\n'})
  const store = secretsManagerStore(client, p, 'secret-prefix')
  assert.deepEqual((await store.load([], ISSUE)).root, {
    cert: 'CERT lone\n',
    key: undefined
  })
})

test('the earlier combined root secret is moved by the next issue run, then deleted (restorable)', async () => {
  const p = prefix()
  await create(`${p}root-ca`, pem('old'))
  await create(`${p}intermediate/a`, pem('a'))
  const store = secretsManagerStore(client, p, 'secret-prefix')
  const loaded = await store.load(['a'], ISSUE)
  assert.deepEqual(loaded.root, pem('old'))
  assert.match(store.rootLocation, new RegExp(`secret '${p}root-ca'`))
  const notes = await store.save({intermediates: {}})
  assert.deepEqual(notes, [
    `moved the root CA from secret '${p}root-ca' to '${p}root-cert' (certificate) and '${p}root-key' (key)`,
    `scheduled secret '${p}root-ca' (the earlier layout, root key included) for deletion; it can be restored for ${LEGACY_RECOVERY_DAYS} days`
  ])
  assert.deepEqual(await value(`${p}root-cert`), {cert: 'CERT old\n'})
  assert.deepEqual(await value(`${p}root-key`), {key: 'KEY old\n'})
  assert.ok((await describe(`${p}root-ca`)).DeletedDate instanceof Date)
  await assert.rejects(value(`${p}root-ca`), /marked deleted/)

  // The run after that finds the new layout only and changes nothing.
  const next = secretsManagerStore(client, p, 'secret-prefix')
  assert.deepEqual((await next.load(['a'], ISSUE)).root, pem('old'))
  assert.deepEqual(await next.save({intermediates: {}}), [])
  assert.doesNotMatch(next.rootLocation, /root-ca/)
})

test('a move that stopped half-way is finished by the next run', async () => {
  const p = prefix()
  await create(`${p}root-ca`, pem('old'))
  await create(`${p}root-key`, {key: 'KEY old\n'})
  const store = secretsManagerStore(client, p, 'secret-prefix')
  assert.deepEqual((await store.load([], ISSUE)).root, pem('old'))
  const notes = await store.save({intermediates: {}})
  assert.equal(notes.length, 2)
  assert.deepEqual(await value(`${p}root-cert`), {cert: 'CERT old\n'})
  // Moved, and the next step (deleting the old secret) too.
  const later = secretsManagerStore(client, p, 'secret-prefix')
  await create(`${p}root-ca-x`, {}) // an unrelated name is left alone
  assert.deepEqual((await later.load([], ISSUE)).root, pem('old'))
  assert.deepEqual(await later.save({intermediates: {}}), [])
})

test('the certificate moved but the old secret not yet deleted: the next run deletes it', async () => {
  const p = prefix()
  await create(`${p}root-ca`, pem('old'))
  await create(`${p}root-cert`, {cert: 'CERT old\n'})
  await create(`${p}root-key`, {key: 'KEY old\n'})
  const store = secretsManagerStore(client, p, 'secret-prefix')
  assert.deepEqual((await store.load([], ISSUE)).root, pem('old'))
  const notes = await store.save({intermediates: {}})
  assert.equal(notes.length, 1)
  assert.match(notes[0]!, /^scheduled secret '.*root-ca' .* for deletion/)
})

test('a rotation with the old secret still there replaces both layouts', async () => {
  const p = prefix()
  await create(`${p}root-ca`, pem('old'))
  const store = secretsManagerStore(client, p, 'secret-prefix')
  await store.load([], ISSUE)
  const notes = await store.save({root: pem('new'), intermediates: {}})
  assert.equal(notes.length, 1)
  assert.deepEqual((await store.load([], ISSUE)).root, pem('new'))
  assert.ok((await describe(`${p}root-ca`)).DeletedDate instanceof Date)
})

test('two different roots in the two layouts: the issue run stops, naming both', async () => {
  const p = prefix()
  await create(`${p}root-ca`, pem('old'))
  await create(`${p}root-cert`, {cert: 'CERT other\n'})
  const store = secretsManagerStore(client, p, 'secret-prefix')
  await assert.rejects(
    store.load([], ISSUE),
    (err: Error) =>
      err instanceof ConfigurationError &&
      err.message.includes(`'${p}root-cert' and '${p}root-ca'`) &&
      /hold different root CAs/.test(err.message)
  )
  assert.ok((await describe(`${p}root-ca`)).DeletedDate === undefined)
})

test('a secret that is not our JSON loads as a pair with nothing in it', async () => {
  const p = prefix()
  const store = secretsManagerStore(client, p, 'secret-prefix')
  await store.load([], ISSUE)
  await store.save({root: pem('x'), intermediates: {}})
  await client.send(
    new PutSecretValueCommand({
      SecretId: rootCertSecretName(p),
      SecretString: 'oops'
    })
  )
  assert.deepEqual((await store.load([], ISSUE)).root, {
    cert: undefined,
    key: 'KEY x\n'
  })
  assert.deepEqual((await store.load([], FETCH)).root, {cert: undefined})
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
      store.load([], FETCH),
      /^ConfigurationError: input 'secret-prefix': cannot read secret 'x\/root-cert' from AWS Secrets Manager: \w+ ECONNREFUSED$/
    )
  } finally {
    dead.destroy()
  }
})

test('a role denied the root key fails issue naming the secret, status only', async () => {
  const p = prefix()
  const proxy = await recordingProxy(
    bed.awsEndpoint,
    c => c.secret === `${p}root-key`
  )
  const viaProxy = createAwsClient(
    SecretsManagerClient,
    awsClientSettings({
      env: {...process.env, AWS_ENDPOINT_URL: proxy.endpoint},
      regionInput: 'aws-region',
      maxAttempts: 1
    })
  )
  try {
    await assert.rejects(
      secretsManagerStore(viaProxy, p, 'secret-prefix').load([], ISSUE),
      new RegExp(
        `^ConfigurationError: input 'secret-prefix': cannot read secret '${p}root-key' from AWS Secrets Manager: AccessDeniedException \\(HTTP 400\\)$`
      )
    )
  } finally {
    viaProxy.destroy()
    await proxy.close()
  }
})
