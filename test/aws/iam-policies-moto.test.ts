import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'
import {Sha256} from '@aws-crypto/sha256-js'
import {
  CreateSecretCommand,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import {HttpRequest} from '@smithy/protocol-http'
import {SignatureV4} from '@smithy/signature-v4'
import {awsClientSettings, createAwsClient} from '../../src/aws/clients.ts'
import {
  EXAMPLE_SETTINGS,
  MESH_ROLES,
  meshIamPolicies,
  type MeshIamSettings,
  type PolicyDocument
} from '../../src/aws/iam-policies.ts'
import {secretsManagerStore} from '../../src/aws/secrets-store.ts'
import {fetchCerts} from '../../src/certs/fetch.ts'
import {writeFileSet} from '../../src/certs/file-set.ts'
import {generateCerts} from '../../src/certs/generate.ts'
import {generateKey, issueRoot} from '../../src/certs/x509.ts'
import {awsEnv, need} from '../helpers/testbed.ts'
import {evaluate} from './iam-evaluate.ts'
import {recordingProxy, type AwsCall} from './recording-proxy.ts'

// What moto 5.2.5 can say about the policies: its IAM validates every
// document on CreatePolicy (grammar, actions, ARN shapes per service), so a
// malformed one is refused as AWS would. It cannot enforce a policy scoped
// to one secret (it authorises Secrets Manager calls against resource "*"),
// so the calls generate-certs really makes are recorded through a proxy and
// each is checked against the documents by the evaluator.
const endpoint = need('awsEndpoint')
const env = awsEnv()
// The SDK's default credential chain reads them from the environment.
Object.assign(process.env, env)
const ACCOUNT = '123456789012' // moto's default account

async function iam(params: Record<string, string>): Promise<{
  status: number
  text: string
}> {
  const url = new URL(endpoint)
  const body = new URLSearchParams({
    ...params,
    Version: '2010-05-08'
  }).toString()
  const signer = new SignatureV4({
    service: 'iam',
    region: 'us-east-1',
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY!
    },
    sha256: Sha256
  })
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8'
      },
      body
    })
  )
  const res = await fetch(url, {method: 'POST', headers: signed.headers, body})
  return {status: res.status, text: await res.text()}
}

const tag = (xml: string, name: string) =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]

async function createPolicy(doc: PolicyDocument) {
  return iam({
    Action: 'CreatePolicy',
    PolicyName: `mesh-${randomBytes(4).toString('hex')}`,
    PolicyDocument: JSON.stringify(doc)
  })
}

const variants: [string, MeshIamSettings][] = [
  ['the documented example', EXAMPLE_SETTINGS],
  ['no cluster list', {...EXAMPLE_SETTINGS, clusters: []}],
  [
    'China, with a KMS key for the CA secrets',
    {
      ...EXAMPLE_SETTINGS,
      region: 'cn-north-1',
      stateKmsKeyArn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/k`,
      secretsKmsKeyArn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/s`
    }
  ]
]

for (const [name, settings] of variants) {
  test(`moto's IAM accepts every role's policy (${name}) and stores it unchanged`, async () => {
    const policies = meshIamPolicies(settings)
    for (const role of MESH_ROLES) {
      const created = await createPolicy(policies[role])
      assert.equal(created.status, 200, `${role}: ${created.text}`)
      const arn = tag(created.text, 'Arn')!
      const version = await iam({
        Action: 'GetPolicyVersion',
        PolicyArn: arn,
        VersionId: 'v1'
      })
      assert.equal(version.status, 200, version.text)
      assert.deepEqual(
        JSON.parse(decodeURIComponent(tag(version.text, 'Document')!)),
        policies[role],
        role
      )
    }
  })
}

test("moto's IAM refuses a malformed policy, so the acceptance above means something", async () => {
  const bad = meshIamPolicies(EXAMPLE_SETTINGS).plan
  const withRegion = {
    ...bad,
    Statement: bad.Statement.map(s =>
      s.Sid === 'StateBucketList'
        ? {...s, Resource: ['arn:aws:s3:eu-west-1::example-mesh-state']}
        : s
    )
  }
  const noEffect = {
    ...bad,
    Statement: [{...bad.Statement[0]!, Effect: 'Permit' as 'Allow'}]
  }
  for (const doc of [withRegion, noEffect]) {
    const r = await createPolicy(doc)
    assert.equal(r.status, 400, r.text)
    assert.equal(tag(r.text, 'Code'), 'MalformedPolicyDocument')
  }
})

// The calls generate-certs makes, recorded, against the documents.
const sm = new SecretsManagerClient({
  region: env.AWS_REGION,
  endpoint,
  credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}
})
after(() => sm.destroy())

async function recorded(
  prefix: string,
  run: (store: ReturnType<typeof secretsManagerStore>) => Promise<unknown>
): Promise<AwsCall[]> {
  const proxy = await recordingProxy(endpoint)
  const client = createAwsClient(
    SecretsManagerClient,
    awsClientSettings({
      env: {...env, AWS_ENDPOINT_URL: proxy.endpoint},
      regionInput: 'aws-region'
    })
  )
  try {
    await run(secretsManagerStore(client, prefix, 'secret-prefix'))
    return proxy.calls
  } finally {
    client.destroy()
    await proxy.close()
  }
}

const certsDeps = (store: ReturnType<typeof secretsManagerStore>) => {
  const dir = mkdtempSync(join(tmpdir(), 'iam-calls-'))
  return {
    store,
    mask: () => {},
    writeFiles: (files: Parameters<typeof writeFileSet>[1]) =>
      writeFileSet(dir, files, 'output-dir'),
    now: () => new Date()
  }
}
const issue = {
  clusters: ['a', 'b'],
  keyType: 'ecdsa-p256' as const,
  rootDays: 3650,
  intermediateDays: 730,
  renewWithinDays: 30
}

test('every call generate-certs makes is allowed to the role that runs it, and the root key to no other', async () => {
  const prefix = `iam-${randomBytes(4).toString('hex')}/`
  const policies = meshIamPolicies({
    ...EXAMPLE_SETTINGS,
    region: env.AWS_REGION!,
    accountId: ACCOUNT,
    secretPrefix: prefix,
    clusters: ['a', 'b']
  })
  const arn = (call: AwsCall) =>
    `arn:aws:secretsmanager:${env.AWS_REGION}:${ACCOUNT}:secret:${call.secret}-Ab12Cd`

  // An earlier version's combined root, moved by the first issue run; then
  // a rotation; then fetch, as the plan and apply jobs run it.
  const key = await generateKey('ecdsa-p256')
  await sm.send(
    new CreateSecretCommand({
      Name: `${prefix}root-ca`,
      SecretString: JSON.stringify({
        cert: await issueRoot({key, days: 3650, now: new Date()}),
        key
      })
    })
  )
  const issueCalls = [
    ...(await recorded(prefix, store =>
      generateCerts({...issue, rotateRoot: false}, certsDeps(store))
    )),
    ...(await recorded(prefix, store =>
      generateCerts({...issue, rotateRoot: true}, certsDeps(store))
    ))
  ]
  const fetchCalls = await recorded(prefix, store =>
    fetchCerts(issue, certsDeps(store))
  )

  const seen = (calls: AwsCall[]) =>
    [...new Set(calls.map(c => c.action))].sort()
  assert.deepEqual(seen(issueCalls), [
    'CreateSecret',
    'DeleteSecret',
    'DescribeSecret',
    'GetSecretValue',
    'PutSecretValue'
  ])
  assert.deepEqual(seen(fetchCalls), ['GetSecretValue'])

  for (const call of issueCalls) {
    assert.equal(
      evaluate(policies.certs, `secretsmanager:${call.action}`, arn(call)),
      'allow',
      `certs ${call.action} ${call.secret}`
    )
  }
  for (const role of ['plan', 'apply'] as const) {
    for (const call of fetchCalls) {
      assert.equal(
        evaluate(policies[role], `secretsmanager:${call.action}`, arn(call)),
        'allow',
        `${role} ${call.action} ${call.secret}`
      )
    }
  }
  const rootKeyCalls = issueCalls.filter(
    c => c.secret === `${prefix}root-key` || c.secret === `${prefix}root-ca`
  )
  assert.ok(rootKeyCalls.length > 0)
  for (const role of ['plan', 'apply', 'mesh', 'verify'] as const) {
    for (const call of rootKeyCalls) {
      assert.equal(
        evaluate(policies[role], `secretsmanager:${call.action}`, arn(call)),
        'deny',
        `${role} ${call.action} ${call.secret}`
      )
    }
  }
})
