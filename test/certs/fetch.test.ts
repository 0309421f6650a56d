import assert from 'node:assert/strict'
import {
  mkdirSync,
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
import {fetchCerts} from '../../src/certs/fetch.ts'
import {writeFileSet} from '../../src/certs/file-set.ts'
import {generateCerts} from '../../src/certs/generate.ts'
import {ConfigurationError} from '../../src/common/errors.ts'
import {verify} from './openssl.ts'

const DAY = 86_400_000
const start = new Date('2027-03-01T12:00:00Z')
const clusters = ['cluster-1', 'cluster-2']

const deps = (dir: string, now: Date, masked: string[] = []) => ({
  store: directoryStore(dir, 'output-dir'),
  mask: (s: string) => void masked.push(s),
  writeFiles: (files: Parameters<typeof writeFileSet>[1]) =>
    writeFileSet(dir, files, 'output-dir'),
  now: () => now
})

async function issued(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fetch-'))
  await generateCerts(
    {
      clusters,
      keyType: 'ecdsa-p256',
      rootDays: 3650,
      intermediateDays: 60,
      renewWithinDays: 30,
      rotateRoot: false
    },
    deps(dir, start)
  )
  return dir
}

const fetch = (dir: string, o: {clusters?: string[]; now?: Date} = {}) => {
  const masked: string[] = []
  return fetchCerts(
    {clusters: o.clusters ?? clusters, renewWithinDays: 30},
    deps(dir, o.now ?? start, masked)
  ).then(r => ({...r, masked}))
}

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

test('fetch from an issued folder changes nothing and reports every CA reused', async () => {
  const dir = await issued()
  const before = snapshot(dir)
  const r = await fetch(dir)
  assert.deepEqual(snapshot(dir), before)
  assert.equal(r.root.status, 'reused')
  assert.deepEqual(
    r.clusters.map(c => c.status),
    ['reused', 'reused']
  )
  assert.deepEqual(r.files.written, [])
  // Only the intermediate keys were read, so only they are masked.
  assert.deepEqual(
    r.masked.sort(),
    [
      read(dir, 'cluster-1/ca-key.pem'),
      read(dir, 'cluster-2/ca-key.pem')
    ].sort()
  )
})

test('fetch never reads root-key.pem: unreadable or gone, it still works', async () => {
  const dir = await issued()
  // A folder in its place: any read of it fails with EISDIR.
  rmSync(join(dir, 'root-key.pem'))
  mkdirSync(join(dir, 'root-key.pem'))
  const r = await fetch(dir)
  assert.deepEqual(
    r.clusters.map(c => c.status),
    ['reused', 'reused']
  )
  // The issue mode does read it, so the trap is real.
  await assert.rejects(
    generateCerts(
      {
        clusters,
        keyType: 'ecdsa-p256',
        rootDays: 3650,
        intermediateDays: 60,
        renewWithinDays: 30,
        rotateRoot: false
      },
      deps(dir, start)
    ),
    /cannot read .*root-key\.pem \(EISDIR\)/
  )
  rmSync(join(dir, 'root-key.pem'), {recursive: true})
  await fetch(dir)
  assert.ok(!readdirSync(dir).includes('root-key.pem'), 'no key written')
})

test('fetch rewrites a damaged per-cluster copy, as the cluster stage needs it', async () => {
  const dir = await issued()
  rmSync(join(dir, 'cluster-1/cert-chain.pem'))
  writeFileSync(join(dir, 'cluster-2/root-cert.pem'), 'garbage\n')
  const r = await fetch(dir)
  assert.deepEqual(r.files.written.sort(), [
    'cluster-1/cert-chain.pem',
    'cluster-2/root-cert.pem'
  ])
  assert.equal(read(dir, 'cluster-2/root-cert.pem'), read(dir, 'root-cert.pem'))
  assert.match(
    verify(
      read(dir, 'root-cert.pem'),
      read(dir, 'cluster-1/ca-cert.pem'),
      start
    ),
    /OK$/
  )
})

test('a missing cluster and one due for renewal: fetch names both and writes nothing', async () => {
  const dir = await issued()
  const before = snapshot(dir)
  const later = new Date(start.getTime() + 31 * DAY)
  await assert.rejects(
    fetch(dir, {clusters: [...clusters, 'cluster-3'], now: later}),
    (err: Error) => {
      assert.ok(err instanceof ConfigurationError)
      assert.match(
        err.message,
        /^mode fetch cannot complete without writing to the CA store, which it never does: /
      )
      for (const c of clusters) {
        assert.match(
          err.message,
          new RegExp(
            `cluster '${c}': due for renewal: expires .*, within 30 days \\(input 'output-dir' \\(.*${c}/ca-cert.pem and ca-key.pem\\)\\)`
          )
        )
      }
      assert.match(err.message, /cluster 'cluster-3': no intermediate CA yet/)
      assert.match(
        err.message,
        /Run generate-certs with mode issue \(the certs job\) first$/
      )
      return true
    }
  )
  assert.deepEqual(snapshot(dir), before)
})

test('no root at all: fetch says the root certificate is missing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fetch-'))
  await assert.rejects(
    fetch(dir),
    /the root CA certificate is missing \(input 'output-dir' \(.*root-cert\.pem and root-key\.pem\)\)/
  )
  assert.deepEqual(readdirSync(dir), [])
})
