import assert from 'node:assert/strict'
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {directoryStore} from '../../src/certs/directory-store.ts'
import {writeFileSet} from '../../src/certs/file-set.ts'
import {generateCerts, type GenerateOptions} from '../../src/certs/generate.ts'
import {ConfigurationError} from '../../src/common/errors.ts'
import {splitPem, verify} from './openssl.ts'

const DAY = 86_400_000
const start = new Date('2027-03-01T12:00:00Z')

const options = (o: Partial<GenerateOptions> = {}): GenerateOptions => ({
  clusters: ['cluster-1', 'cluster-2'],
  keyType: 'ecdsa-p256',
  rootDays: 3650,
  intermediateDays: 730,
  renewWithinDays: 30,
  rotateRoot: false,
  ...o
})

function generate(dir: string, o: Partial<GenerateOptions>, now = start) {
  const masked: string[] = []
  const result = generateCerts(options(o), {
    store: directoryStore(dir, 'output-dir'),
    mask: s => void masked.push(s),
    writeFiles: files => writeFileSet(dir, files, 'output-dir'),
    now: () => now
  })
  return result.then(r => ({...r, masked}))
}

/** Every file's bytes and mtime, to prove what a run did not touch. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of readdirSync(dir, {recursive: true, withFileTypes: true})) {
    if (!e.isFile()) continue
    const file = join(e.parentPath, e.name)
    out[file.slice(dir.length + 1)] =
      `${readFileSync(file, 'base64')} @${statSync(file).mtimeMs}`
  }
  return out
}

const read = (dir: string, path: string) =>
  readFileSync(join(dir, path), 'utf8')
const fresh = () => mkdtempSync(join(tmpdir(), 'generate-'))

test('first run: the Makefile layout, every chain verifies, keys masked', async () => {
  const dir = fresh()
  const r = await generate(dir, {})
  assert.deepEqual(Object.keys(snapshot(dir)).sort(), [
    'cluster-1/ca-cert.pem',
    'cluster-1/ca-key.pem',
    'cluster-1/cert-chain.pem',
    'cluster-1/root-cert.pem',
    'cluster-2/ca-cert.pem',
    'cluster-2/ca-key.pem',
    'cluster-2/cert-chain.pem',
    'cluster-2/root-cert.pem',
    'root-cert.pem',
    'root-key.pem'
  ])
  const root = read(dir, 'root-cert.pem')
  for (const c of ['cluster-1', 'cluster-2']) {
    assert.equal(read(dir, `${c}/root-cert.pem`), root)
    assert.match(verify(root, read(dir, `${c}/ca-cert.pem`), start), /OK$/)
    assert.deepEqual(splitPem(read(dir, `${c}/cert-chain.pem`)), [
      read(dir, `${c}/ca-cert.pem`),
      root
    ])
  }
  assert.equal(r.root.status, 'issued')
  assert.deepEqual(
    r.clusters.map(c => c.status),
    ['issued', 'issued']
  )
  assert.deepEqual(
    r.masked.sort(),
    [
      read(dir, 'root-key.pem'),
      read(dir, 'cluster-1/ca-key.pem'),
      read(dir, 'cluster-2/ca-key.pem')
    ].sort()
  )
})

test('second run: nothing changes, every CA reused, stored keys masked again', async () => {
  const dir = fresh()
  await generate(dir, {})
  const before = snapshot(dir)
  const r = await generate(dir, {}, new Date(start.getTime() + DAY))
  assert.deepEqual(snapshot(dir), before)
  assert.equal(r.root.status, 'reused')
  assert.deepEqual(
    r.clusters.map(c => c.status),
    ['reused', 'reused']
  )
  assert.deepEqual(r.files.written, [])
  assert.equal(r.masked.length, 3)
})

test('near expiry: the intermediate is renewed, the root bytes stay', async () => {
  const dir = fresh()
  await generate(dir, {intermediateDays: 60})
  const before = snapshot(dir)
  const later = new Date(start.getTime() + 31 * DAY)
  const r = await generate(dir, {intermediateDays: 60}, later)
  const after = snapshot(dir)
  assert.deepEqual(
    r.clusters.map(c => c.status),
    ['renewed', 'renewed']
  )
  for (const f of [
    'root-cert.pem',
    'root-key.pem',
    'cluster-1/root-cert.pem'
  ]) {
    assert.equal(after[f], before[f], `${f} must not change`)
  }
  assert.notEqual(
    after['cluster-1/ca-cert.pem'],
    before['cluster-1/ca-cert.pem']
  )
  assert.notEqual(after['cluster-1/ca-key.pem'], before['cluster-1/ca-key.pem'])
  assert.match(
    verify(
      read(dir, 'root-cert.pem'),
      read(dir, 'cluster-1/ca-cert.pem'),
      later
    ),
    /OK$/
  )
})

test('an intermediate signed by another root is renewed', async () => {
  const dir = fresh()
  const other = fresh()
  await generate(dir, {})
  await generate(other, {})
  for (const f of ['ca-cert.pem', 'ca-key.pem']) {
    writeFileSync(join(dir, 'cluster-2', f), read(other, `cluster-2/${f}`))
  }
  const before = snapshot(dir)
  const r = await generate(dir, {})
  assert.deepEqual(
    r.clusters.map(c => [c.status, c.reason]),
    [
      ['reused', 'valid and signed by the root CA'],
      ['renewed', 'signed by another root CA']
    ]
  )
  const after = snapshot(dir)
  assert.equal(after['cluster-1/ca-cert.pem'], before['cluster-1/ca-cert.pem'])
  assert.match(
    verify(
      read(dir, 'root-cert.pem'),
      read(dir, 'cluster-2/ca-cert.pem'),
      start
    ),
    /OK$/
  )
})

test('a key that does not match its certificate is renewed', async () => {
  const dir = fresh()
  await generate(dir, {})
  writeFileSync(
    join(dir, 'cluster-1/ca-key.pem'),
    read(dir, 'cluster-2/ca-key.pem')
  )
  const r = await generate(dir, {})
  assert.deepEqual(r.clusters[0]!.status, 'renewed')
  assert.match(r.clusters[0]!.reason, /key does not match/)
})

test('rotate-root: a new root and new intermediates signed by it', async () => {
  const dir = fresh()
  const first = await generate(dir, {})
  const r = await generate(dir, {rotateRoot: true})
  assert.equal(r.root.status, 'renewed')
  assert.notEqual(r.root.fingerprint, first.root.fingerprint)
  assert.deepEqual(
    r.clusters.map(c => c.status),
    ['renewed', 'renewed']
  )
  const root = read(dir, 'root-cert.pem')
  assert.equal(read(dir, 'cluster-2/root-cert.pem'), root)
  assert.match(verify(root, read(dir, 'cluster-2/ca-cert.pem'), start), /OK$/)
})

test('adding a cluster keeps the root and the other intermediates byte for byte', async () => {
  const dir = fresh()
  await generate(dir, {})
  const before = snapshot(dir)
  const r = await generate(dir, {
    clusters: ['cluster-1', 'cluster-2', 'cluster-3']
  })
  const after = snapshot(dir)
  for (const [file, stamp] of Object.entries(before)) {
    assert.equal(after[file], stamp, `${file} must not change`)
  }
  assert.deepEqual(
    r.clusters.map(c => c.status),
    ['reused', 'reused', 'issued']
  )
  assert.deepEqual(r.files.written.sort(), [
    'cluster-3/ca-cert.pem',
    'cluster-3/ca-key.pem',
    'cluster-3/cert-chain.pem',
    'cluster-3/root-cert.pem'
  ])
})

test('a damaged per-cluster copy is rewritten without reissuing the CA', async () => {
  const dir = fresh()
  await generate(dir, {})
  rmSync(join(dir, 'cluster-1/cert-chain.pem'))
  writeFileSync(join(dir, 'cluster-2/root-cert.pem'), 'garbage\n')
  const r = await generate(dir, {})
  assert.deepEqual(
    r.clusters.map(c => c.status),
    ['reused', 'reused']
  )
  assert.deepEqual(r.files.written.sort(), [
    'cluster-1/cert-chain.pem',
    'cluster-2/root-cert.pem'
  ])
  assert.equal(read(dir, 'cluster-2/root-cert.pem'), read(dir, 'root-cert.pem'))
})

test('a root key gone missing stops the run before anything is written', async () => {
  const dir = fresh()
  await generate(dir, {})
  rmSync(join(dir, 'root-key.pem'))
  const before = snapshot(dir)
  await assert.rejects(
    generate(dir, {clusters: ['cluster-1', 'cluster-2', 'cluster-3']}),
    (err: Error) =>
      err instanceof ConfigurationError &&
      /input 'output-dir' .*root-cert\.pem.*unusable \(the key is missing\)/.test(
        err.message
      )
  )
  assert.deepEqual(snapshot(dir), before)
})

test('a changed key type reissues intermediates and warns about the root', async () => {
  const dir = fresh()
  await generate(dir, {})
  const r = await generate(dir, {keyType: 'rsa-2048'})
  assert.equal(r.root.status, 'reused')
  assert.deepEqual(
    r.clusters.map(c => c.status),
    ['renewed', 'renewed']
  )
  assert.match(r.warnings.join('\n'), /root CA's key is ecdsa-p256/)
  assert.match(
    verify(
      read(dir, 'root-cert.pem'),
      read(dir, 'cluster-1/ca-cert.pem'),
      start
    ),
    /OK$/
  )
})
