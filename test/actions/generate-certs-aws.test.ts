import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import {parseOutputFile, runBundle} from '../helpers/run-bundle.ts'
import {awsEnv, testbed} from '../helpers/testbed.ts'
import {openssl, verify} from '../certs/openssl.ts'
import {PKCS8_BEGIN} from '../fixtures/pem.ts'
import {generateKey, issueRoot} from '../../src/certs/x509.ts'
import {recordingProxy, type AwsCall} from '../aws/recording-proxy.ts'

// store aws-secrets-manager, run as the runner runs it, against the test
// bed's moto server.
const bed = testbed()
if (!bed.awsEndpoint) {
  throw new Error(
    'the test bed has no AWS emulator: run `npm run testbed -- up --only aws`'
  )
}
const env = awsEnv(bed)
const sm = new SecretsManagerClient({
  region: env.AWS_REGION,
  endpoint: env.AWS_ENDPOINT_URL,
  credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}
})
after(() => sm.destroy())

const prefix = `mesh-${randomBytes(4).toString('hex')}/`
const inputs = {
  clusters: 'east,west',
  store: 'aws-secrets-manager',
  'secret-prefix': prefix,
  'key-type': 'ecdsa-p256'
}
const run = (
  cwd: string,
  extra: Record<string, string> = {},
  envExtra: NodeJS.ProcessEnv = {}
) =>
  runBundle(
    'generate-certs',
    {...inputs, ...extra},
    {cwd, env: {...env, ...envExtra}, defaultsFrom: 'generate-certs'}
  )
const secret = async (name: string) =>
  JSON.parse(
    (await sm.send(new GetSecretValueCommand({SecretId: name}))).SecretString!
  ) as {cert: string; key: string}
/** The root as the store keeps it: certificate and key in two secrets. */
const rootOf = async (p: string) => ({
  cert: (await secret(`${p}root-cert`)).cert,
  key: (await secret(`${p}root-key`)).key
})
const versions = async (name: string) =>
  (await sm.send(new DescribeSecretCommand({SecretId: name})))
    .VersionIdsToStages

const firstWs = mkdtempSync(join(tmpdir(), 'gc-aws-'))
const first = run(firstWs)

test('the CA lives in Secrets Manager; the root key never touches disk', async () => {
  const r = await first
  assert.equal(r.status, 0, r.stdout)
  const dir = join(firstWs, 'certs')
  assert.ok(!existsSync(join(dir, 'root-key.pem')))
  assert.deepEqual(readdirSync(dir).sort(), ['east', 'root-cert.pem', 'west'])
  const root = await rootOf(prefix)
  assert.equal(root.cert, readFileSync(join(dir, 'root-cert.pem'), 'utf8'))
  assert.ok(root.key.startsWith(PKCS8_BEGIN))
  assert.deepEqual(Object.keys(await secret(`${prefix}root-cert`)), ['cert'])
  assert.deepEqual(Object.keys(await secret(`${prefix}root-key`)), ['key'])
  for (const c of ['east', 'west']) {
    const ca = await secret(`${prefix}intermediate/${c}`)
    assert.equal(ca.cert, readFileSync(join(dir, c, 'ca-cert.pem'), 'utf8'))
    assert.equal(ca.key, readFileSync(join(dir, c, 'ca-key.pem'), 'utf8'))
    assert.match(verify(root.cert, ca.cert), /OK$/)
  }
  const fp = openssl(['x509', '-noout', '-fingerprint', '-sha256'], root.cert)
  assert.equal(
    r.outputs['root-fingerprint'],
    fp.trim().split('=')[1]!.replace(/:/g, '').toLowerCase()
  )
})

test('a later run on a fresh runner reuses the same CA and writes no secret', async () => {
  await first
  const names = [
    `${prefix}root-cert`,
    `${prefix}root-key`,
    `${prefix}intermediate/east`
  ]
  const before = await Promise.all(names.map(versions))
  const ws = mkdtempSync(join(tmpdir(), 'gc-aws-'))
  const r = await run(ws)
  assert.equal(r.status, 0, r.stdout)
  assert.equal(
    r.outputs['root-fingerprint'],
    (await first).outputs['root-fingerprint']
  )
  assert.equal(
    r.outputs['clusters-json'],
    (await first).outputs['clusters-json']!.replace(/issued/g, 'reused')
  )
  assert.deepEqual(await Promise.all(names.map(versions)), before)
  for (const f of ['root-cert.pem', 'east/ca-key.pem', 'west/cert-chain.pem']) {
    assert.equal(
      readFileSync(join(ws, 'certs', f), 'utf8'),
      readFileSync(join(firstWs, 'certs', f), 'utf8')
    )
  }
  assert.ok(!existsSync(join(ws, 'certs', 'root-key.pem')))
})

test('adding a cluster writes only its own secret', async () => {
  await first
  const rootVersions = await versions(`${prefix}root-key`)
  const ws = mkdtempSync(join(tmpdir(), 'gc-aws-'))
  const r = await run(ws, {clusters: 'east,west,north'})
  assert.equal(r.status, 0, r.stdout)
  const status = JSON.parse(r.outputs['clusters-json']!)
  assert.deepEqual(
    ['east', 'west', 'north'].map(c => status[c].status),
    ['reused', 'reused', 'issued']
  )
  assert.deepEqual(await versions(`${prefix}root-key`), rootVersions)
  const north = await secret(`${prefix}intermediate/north`)
  assert.match(verify((await rootOf(prefix)).cert, north.cert), /OK$/)
})

test('no key from Secrets Manager reaches the log, outputs or summary', async () => {
  const r = await first
  const keys = [
    (await rootOf(prefix)).key,
    (await secret(`${prefix}intermediate/east`)).key
  ]
  const visible = r.stdout
    .split('\n')
    .filter(l => !l.startsWith('::add-mask::'))
    .join('\n')
  const masks = r.stdout.split('\n').filter(l => l.startsWith('::add-mask::'))
  assert.equal(masks.length, 3)
  for (const key of keys) {
    for (const line of key
      .split('\n')
      .filter(l => l && !l.startsWith('-----'))) {
      for (const [where, text] of [
        ['stdout', visible],
        ['stderr', r.stderr],
        ['GITHUB_OUTPUT', JSON.stringify(r.outputs)],
        ['summary', r.summary]
      ]) {
        assert.ok(!text!.includes(line), `key material in ${where}`)
      }
    }
  }
})

test('no region at all fails naming aws-region, before anything is written', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'gc-aws-'))
  const r = await runBundle('generate-certs', inputs, {
    cwd: ws,
    env: {...env, AWS_REGION: '', AWS_DEFAULT_REGION: ''},
    defaultsFrom: 'generate-certs'
  })
  assert.equal(r.status, 1)
  assert.match(r.stdout, /::error::input 'aws-region' is required here/)
  assert.deepEqual(readdirSync(ws), [])
})

/**
 * A proxy in front of moto that answers AccessDenied, as IAM would for the
 * plan and apply roles, for the root key and the earlier combined secret,
 * and records every call the bundle makes.
 */
const deniedRootKey = (p: string) =>
  recordingProxy(
    bed.awsEndpoint,
    c => c.secret === `${p}root-key` || c.secret === `${p}root-ca`
  )
const WRITES = [
  'CreateSecret',
  'PutSecretValue',
  'DeleteSecret',
  'UpdateSecret'
]
const callList = (calls: AwsCall[]) =>
  [...new Set(calls.map(c => `${c.action} ${c.secret ?? ''}`))].sort()

test('mode fetch writes the cluster files from Secrets Manager and never asks for the root key', async () => {
  await first
  const proxy = await deniedRootKey(prefix)
  try {
    const ws = mkdtempSync(join(tmpdir(), 'gc-aws-'))
    const r = await run(ws, {mode: 'fetch'}, {AWS_ENDPOINT_URL: proxy.endpoint})
    assert.equal(r.status, 0, r.stdout)
    assert.deepEqual(callList(proxy.calls), [
      `GetSecretValue ${prefix}intermediate/east`,
      `GetSecretValue ${prefix}intermediate/west`,
      `GetSecretValue ${prefix}root-cert`
    ])
    const dir = join(ws, 'certs')
    assert.deepEqual(readdirSync(dir).sort(), ['east', 'root-cert.pem', 'west'])
    for (const c of ['east', 'west']) {
      assert.deepEqual(readdirSync(join(dir, c)).sort(), [
        'ca-cert.pem',
        'ca-key.pem',
        'cert-chain.pem',
        'root-cert.pem'
      ])
      for (const f of readdirSync(join(dir, c))) {
        assert.equal(
          readFileSync(join(dir, c, f), 'utf8'),
          readFileSync(join(firstWs, 'certs', c, f), 'utf8'),
          `${c}/${f}`
        )
      }
    }
    assert.equal(
      r.outputs['root-fingerprint'],
      (await first).outputs['root-fingerprint']
    )
    assert.equal(
      r.outputs['clusters-json'],
      (await first).outputs['clusters-json']!.replace(/issued/g, 'reused')
    )
    // The two intermediate keys it read are masked; it read no other key.
    const masks = r.stdout.split('\n').filter(l => l.startsWith('::add-mask::'))
    assert.equal(masks.length, 2)
    assert.match(r.summary, /fetched: the store was only read/)
    assert.match(r.stdout, /::group::generate-certs \(fetch\)/)
  } finally {
    await proxy.close()
  }
})

test('mode fetch with nothing stored fails naming each secret and writes nothing anywhere', async () => {
  const p = `mesh-${randomBytes(4).toString('hex')}/`
  const proxy = await deniedRootKey(p)
  try {
    const ws = mkdtempSync(join(tmpdir(), 'gc-aws-'))
    const r = await run(
      ws,
      {mode: 'fetch', 'secret-prefix': p},
      {AWS_ENDPOINT_URL: proxy.endpoint}
    )
    assert.equal(r.status, 1, r.stdout)
    const error = r.stdout.split('\n').find(l => l.startsWith('::error::'))!
    assert.match(
      error,
      new RegExp(
        `the root CA certificate is missing \\(AWS Secrets Manager secrets '${p}root-cert' and '${p}root-key'`
      )
    )
    for (const c of ['east', 'west']) {
      assert.match(
        error,
        new RegExp(
          `cluster '${c}': no intermediate CA yet \\(AWS Secrets Manager secret '${p}intermediate/${c}'\\)`
        )
      )
    }
    assert.match(
      error,
      /Run generate-certs with mode issue \(the certs job\) first$/
    )
    assert.ok(!proxy.calls.some(c => WRITES.includes(c.action)))
    assert.ok(!proxy.calls.some(c => c.secret === `${p}root-key`))
    assert.deepEqual(readdirSync(ws), [])
  } finally {
    await proxy.close()
  }
})

test('a root kept by an earlier version in one secret is moved by the next issue run', async () => {
  const p = `mesh-${randomBytes(4).toString('hex')}/`
  const key = await generateKey('ecdsa-p256')
  const legacy = {
    cert: await issueRoot({key, days: 3650, now: new Date()}),
    key
  }
  await sm.send(
    new CreateSecretCommand({
      Name: `${p}root-ca`,
      SecretString: JSON.stringify(legacy)
    })
  )
  const legacyFp = openssl(
    ['x509', '-noout', '-fingerprint', '-sha256'],
    legacy.cert
  )
    .trim()
    .split('=')[1]!
    .replace(/:/g, '')
    .toLowerCase()

  // Before the move, fetch cannot find the certificate and never looks in
  // the old secret (it holds the key).
  const proxy = await deniedRootKey(p)
  try {
    const ws = mkdtempSync(join(tmpdir(), 'gc-aws-'))
    const r = await run(
      ws,
      {mode: 'fetch', 'secret-prefix': p},
      {AWS_ENDPOINT_URL: proxy.endpoint}
    )
    assert.equal(r.status, 1)
    assert.match(r.stdout, /the root CA certificate is missing/)
    assert.ok(!proxy.calls.some(c => c.secret === `${p}root-ca`))
  } finally {
    await proxy.close()
  }

  const ws = mkdtempSync(join(tmpdir(), 'gc-aws-'))
  const moved = await run(ws, {'secret-prefix': p})
  assert.equal(moved.status, 0, moved.stdout)
  assert.equal(moved.outputs['root-fingerprint'], legacyFp)
  assert.match(
    moved.stdout,
    new RegExp(
      `moved the root CA from secret '${p}root-ca' to '${p}root-cert' \\(certificate\\) and '${p}root-key' \\(key\\)`
    )
  )
  assert.match(
    moved.stdout,
    new RegExp(`scheduled secret '${p}root-ca' .* for deletion`)
  )
  assert.match(moved.summary, /^- moved the root CA/m)
  assert.deepEqual(await rootOf(p), legacy)
  assert.ok(
    (await sm.send(new DescribeSecretCommand({SecretId: `${p}root-ca`})))
      .DeletedDate instanceof Date
  )
  // The old root key was masked before anything was printed.
  assert.ok(
    moved.stdout.includes(`::add-mask::${legacy.key.replace(/\n/g, '%0A')}`)
  )

  const again = await run(ws, {'secret-prefix': p})
  assert.equal(again.status, 0, again.stdout)
  assert.match(again.stdout, /nothing changed/)
  assert.equal(again.outputs['root-fingerprint'], legacyFp)
})

// The same post step runs as actions/generate-certs' own and as the root
// action's (which dispatches on its `action` input).
const ways: {main: string; post: string; extra: Record<string, string>}[] = [
  {main: 'generate-certs', post: 'generate-certs-post', extra: {}},
  {main: 'root', post: 'root-post', extra: {action: 'generate-certs'}}
]
for (const via of ways) {
  test(`the ${via.post} step removes the intermediate keys Secrets Manager keeps`, async () => {
    const ws = mkdtempSync(join(tmpdir(), 'gc-aws-'))
    const stateFile = join(ws, '..', `${ws.split('/').at(-1)}.state`)
    writeFileSync(stateFile, '')
    const r = await runBundle(
      via.main,
      {...inputs, ...via.extra},
      {
        cwd: ws,
        env: {...env, GITHUB_STATE: stateFile},
        defaultsFrom: 'generate-certs'
      }
    )
    assert.equal(r.status, 0, r.stdout)
    const state = parseOutputFile(readFileSync(stateFile, 'utf8'))
    const keys = ['east', 'west'].map(c => join(ws, 'certs', c, 'ca-key.pem'))
    assert.deepEqual(JSON.parse(state['key-files']!), keys)
    assert.ok(keys.every(k => existsSync(k)))

    const post = await runBundle(via.post, via.extra, {
      cwd: ws,
      env: {'STATE_key-files': state['key-files']}
    })
    assert.equal(post.status, 0, post.stdout)
    assert.match(post.stdout, /removed 2 key file\(s\)/)
    assert.ok(keys.every(k => !existsSync(k)))
    assert.ok(existsSync(join(ws, 'certs', 'east', 'ca-cert.pem')))

    const again = await runBundle(via.post, via.extra, {
      cwd: ws,
      env: {'STATE_key-files': 'not json'}
    })
    assert.equal(again.status, 0)
    assert.match(again.stdout, /::warning::generate-certs cleanup: /)
  })
}
