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
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import {parseOutputFile, runBundle} from '../helpers/run-bundle.ts'
import {awsEnv, testbed} from '../helpers/testbed.ts'
import {openssl, verify} from '../certs/openssl.ts'
import {PKCS8_BEGIN} from '../fixtures/pem.ts'

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
const run = (cwd: string, extra: Record<string, string> = {}) =>
  runBundle(
    'generate-certs',
    {...inputs, ...extra},
    {cwd, env, defaultsFrom: 'generate-certs'}
  )
const secret = async (name: string) =>
  JSON.parse(
    (await sm.send(new GetSecretValueCommand({SecretId: name}))).SecretString!
  ) as {cert: string; key: string}
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
  const root = await secret(`${prefix}root-ca`)
  assert.equal(root.cert, readFileSync(join(dir, 'root-cert.pem'), 'utf8'))
  assert.ok(root.key.startsWith(PKCS8_BEGIN))
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
  const names = [`${prefix}root-ca`, `${prefix}intermediate/east`]
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
  const rootVersions = await versions(`${prefix}root-ca`)
  const ws = mkdtempSync(join(tmpdir(), 'gc-aws-'))
  const r = await run(ws, {clusters: 'east,west,north'})
  assert.equal(r.status, 0, r.stdout)
  const status = JSON.parse(r.outputs['clusters-json']!)
  assert.deepEqual(
    ['east', 'west', 'north'].map(c => status[c].status),
    ['reused', 'reused', 'issued']
  )
  assert.deepEqual(await versions(`${prefix}root-ca`), rootVersions)
  const north = await secret(`${prefix}intermediate/north`)
  assert.match(
    verify((await secret(`${prefix}root-ca`)).cert, north.cert),
    /OK$/
  )
})

test('no key from Secrets Manager reaches the log, outputs or summary', async () => {
  const r = await first
  const keys = [
    (await secret(`${prefix}root-ca`)).key,
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
