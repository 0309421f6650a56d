import assert from 'node:assert/strict'
import {createHash, createHmac} from 'node:crypto'
import {test} from 'node:test'
import {EKS_TOKEN_PREFIX, eksToken} from '../../src/aws/eks-token.ts'

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session/token+with=odd&chars'
}
const now = new Date('2026-01-02T03:04:05Z')

async function decoded(cluster = 'cluster-1', region = 'eu-west-1') {
  const token = await eksToken({cluster, region, credentials, now})
  assert.ok(token.startsWith(EKS_TOKEN_PREFIX), 'the k8s-aws-v1. prefix')
  const body = token.slice(EKS_TOKEN_PREFIX.length)
  assert.match(body, /^[A-Za-z0-9_-]+$/, 'base64url without padding')
  return {token, url: new URL(Buffer.from(body, 'base64url').toString())}
}

test('the token is a presigned GetCallerIdentity URL as aws eks get-token makes it', async () => {
  const {url} = await decoded()
  assert.equal(url.protocol, 'https:')
  assert.equal(url.host, 'sts.eu-west-1.amazonaws.com')
  assert.equal(url.pathname, '/')
  const q = url.searchParams
  assert.deepEqual([...q.keys()].sort(), [
    'Action',
    'Version',
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-Security-Token',
    'X-Amz-Signature',
    'X-Amz-SignedHeaders'
  ])
  for (const key of q.keys()) assert.equal(q.getAll(key).length, 1, key)
  assert.equal(q.get('Action'), 'GetCallerIdentity')
  assert.equal(q.get('Version'), '2011-06-15')
  assert.equal(q.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256')
  assert.equal(
    q.get('X-Amz-Credential'),
    'AKIDEXAMPLE/20260102/eu-west-1/sts/aws4_request'
  )
  assert.equal(q.get('X-Amz-Date'), '20260102T030405Z')
  assert.equal(q.get('X-Amz-Expires'), '60')
  assert.equal(q.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id')
  assert.equal(q.get('X-Amz-Security-Token'), credentials.sessionToken)
})

/** SigV4 by hand, as STS checks it, so the test does not trust the signer. */
function expectedSignature(url: URL, cluster: string, region: string) {
  const enc = (s: string) =>
    encodeURIComponent(s).replace(
      /[!'()*]/g,
      c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
    )
  const query = [...url.searchParams]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [enc(k), enc(v)])
    .sort(([a], [b]) => (a! < b! ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  const sha = (s: string) => createHash('sha256').update(s).digest('hex')
  const canonical = [
    'GET',
    '/',
    query,
    `host:${url.host}`,
    `x-k8s-aws-id:${cluster}`,
    '',
    'host;x-k8s-aws-id',
    sha('')
  ].join('\n')
  const date = url.searchParams.get('X-Amz-Date')!
  const scope = `${date.slice(0, 8)}/${region}/sts/aws4_request`
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha(canonical)].join('\n')
  let key: Buffer | string = `AWS4${credentials.secretAccessKey}`
  for (const part of [date.slice(0, 8), region, 'sts', 'aws4_request']) {
    key = createHmac('sha256', key).update(part).digest()
  }
  return createHmac('sha256', key).update(toSign).digest('hex')
}

test('the signature covers the x-k8s-aws-id header and the query', async () => {
  const {url} = await decoded('my-cluster', 'us-west-2')
  assert.equal(
    url.searchParams.get('X-Amz-Signature'),
    expectedSignature(url, 'my-cluster', 'us-west-2')
  )
  const other = await decoded('other-cluster', 'us-west-2')
  assert.notEqual(
    other.url.searchParams.get('X-Amz-Signature'),
    url.searchParams.get('X-Amz-Signature'),
    'another cluster name gives another signature'
  )
})

test('the token fits the 4096 bytes EKS accepts and has no padding', async () => {
  for (const cluster of ['a', 'ab', 'abc', 'x'.repeat(63)]) {
    const {token} = await decoded(cluster)
    assert.ok(token.length <= 4096)
    assert.ok(!token.includes('='))
  }
})

// One region per partition, with the STS host AWS publishes for it (checked
// against botocore 1.44.8's endpoint resolution as well as the JS SDK's).
// EKS's authenticator accepts a token only from its own partition's STS.
const PARTITIONS: [partition: string, region: string, host: string][] = [
  ['aws', 'us-east-1', 'sts.us-east-1.amazonaws.com'],
  ['aws-cn', 'cn-north-1', 'sts.cn-north-1.amazonaws.com.cn'],
  ['aws-cn', 'cn-northwest-1', 'sts.cn-northwest-1.amazonaws.com.cn'],
  ['aws-us-gov', 'us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com'],
  ['aws-us-gov', 'us-gov-east-1', 'sts.us-gov-east-1.amazonaws.com'],
  ['aws-iso', 'us-iso-east-1', 'sts.us-iso-east-1.c2s.ic.gov'],
  ['aws-iso-b', 'us-isob-east-1', 'sts.us-isob-east-1.sc2s.sgov.gov'],
  ['aws-iso-e', 'eu-isoe-west-1', 'sts.eu-isoe-west-1.cloud.adc-e.uk'],
  ['aws-iso-f', 'us-isof-south-1', 'sts.us-isof-south-1.csp.hci.ic.gov'],
  ['aws-eusc', 'eusc-de-east-1', 'sts.eusc-de-east-1.amazonaws.eu']
]

for (const [partition, region, host] of PARTITIONS) {
  test(`partition ${partition}: ${region} presigns for ${host}`, async () => {
    const {url} = await decoded('mesh-1', region)
    assert.equal(url.host, host)
    assert.equal(
      url.searchParams.get('X-Amz-Credential'),
      `AKIDEXAMPLE/20260102/${region}/sts/aws4_request`
    )
    // Signed for that host: a token for another partition's STS would not
    // verify there.
    assert.equal(
      url.searchParams.get('X-Amz-Signature'),
      expectedSignature(url, 'mesh-1', region)
    )
  })
}
