import assert from 'node:assert/strict'
import {
  existsSync,
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
import {runBundle, type BundleRun} from '../helpers/run-bundle.ts'
import {
  certPublicKey,
  certText,
  keyPublicKey,
  openssl,
  splitPem,
  verify
} from '../certs/openssl.ts'
import {PKCS8_BEGIN, PKCS8_END} from '../fixtures/pem.ts'

const workspace = () => mkdtempSync(join(tmpdir(), 'generate-certs-'))
const run = (cwd: string, inputs: Record<string, string>) =>
  runBundle('generate-certs', inputs, {cwd, defaultsFrom: 'generate-certs'})

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of readdirSync(dir, {recursive: true, withFileTypes: true})) {
    if (!e.isFile()) continue
    const file = join(e.parentPath, e.name)
    const s = statSync(file)
    out[file.slice(dir.length + 1)] =
      `${readFileSync(file, 'base64')} ${s.mtimeMs} ${(s.mode & 0o777).toString(8)}`
  }
  return out
}

/** Key lines that would give a key away (PEM boilerplate excluded). */
function keyLines(keys: string[]): string[] {
  return keys.flatMap(k =>
    k.split('\n').filter(l => l.length > 0 && !l.startsWith('-----'))
  )
}

/**
 * The canary check: no key line anywhere the world can read, except inside
 * the runner's ::add-mask:: commands that hide it.
 */
function assertNoKeyMaterial(r: BundleRun, keys: string[]) {
  const visible = r.stdout
    .split('\n')
    .filter(l => !l.startsWith('::add-mask::'))
    .join('\n')
  const outputs = JSON.stringify(r.outputs)
  for (const line of keyLines(keys)) {
    assert.ok(!visible.includes(line), 'key material in stdout')
    assert.ok(!r.stderr.includes(line), 'key material in stderr')
    assert.ok(!outputs.includes(line), 'key material in GITHUB_OUTPUT')
    assert.ok(!r.summary.includes(line), 'key material in the summary')
  }
}

// The default key type (rsa-4096, as Istio's Makefile) on the real bundle.
const cwd = workspace()
const first = run(cwd, {clusters: 'cluster-1\ncluster-2'})
const dir = join(cwd, 'certs')
const read = (path: string) => readFileSync(join(dir, path), 'utf8')

test('first run issues a root and one intermediate per cluster', async () => {
  const r = await first
  assert.equal(r.status, 0, r.stdout)
  assert.equal(r.outputs['certs-dir'], dir)
  const clusters = JSON.parse(r.outputs['clusters-json']!)
  assert.deepEqual(Object.keys(clusters), ['cluster-1', 'cluster-2'])
  for (const c of ['cluster-1', 'cluster-2']) {
    assert.equal(clusters[c].status, 'issued')
    const fp = openssl(
      ['x509', '-noout', '-fingerprint', '-sha256'],
      read(`${c}/ca-cert.pem`)
    )
    assert.equal(
      clusters[c].fingerprint,
      fp.trim().split('=')[1]!.replace(/:/g, '').toLowerCase()
    )
    const end = openssl(
      ['x509', '-noout', '-enddate'],
      read(`${c}/ca-cert.pem`)
    )
    assert.equal(
      new Date(clusters[c]['not-after']).getTime(),
      new Date(end.split('=')[1]!).getTime()
    )
  }
  const rootFp = openssl(
    ['x509', '-noout', '-fingerprint', '-sha256'],
    read('root-cert.pem')
  )
  assert.equal(
    r.outputs['root-fingerprint'],
    rootFp.trim().split('=')[1]!.replace(/:/g, '').toLowerCase()
  )
})

test('the files have the Makefile layout, keys 0600', async () => {
  await first
  const modes = Object.fromEntries(
    Object.entries(snapshot(dir)).map(([f, s]) => [f, s.split(' ')[2]])
  )
  assert.deepEqual(modes, {
    'cluster-1/ca-cert.pem': '644',
    'cluster-1/ca-key.pem': '600',
    'cluster-1/cert-chain.pem': '644',
    'cluster-1/root-cert.pem': '644',
    'cluster-2/ca-cert.pem': '644',
    'cluster-2/ca-key.pem': '600',
    'cluster-2/cert-chain.pem': '644',
    'cluster-2/root-cert.pem': '644',
    'root-cert.pem': '644',
    'root-key.pem': '600'
  })
})

test('openssl: chains verify, keys match, RSA 4096, chain intermediate first', async () => {
  await first
  const root = read('root-cert.pem')
  assert.equal(certPublicKey(root), keyPublicKey(read('root-key.pem')))
  assert.match(certText(root), /Public-Key: \(4096 bit\)/)
  for (const c of ['cluster-1', 'cluster-2']) {
    const ca = read(`${c}/ca-cert.pem`)
    assert.equal(read(`${c}/root-cert.pem`), root)
    assert.match(verify(root, ca), /OK$/)
    assert.equal(certPublicKey(ca), keyPublicKey(read(`${c}/ca-key.pem`)))
    assert.match(
      certText(ca),
      new RegExp(`Subject: O = Istio, CN = Intermediate CA, L = ${c}\\n`)
    )
    assert.match(certText(ca), /Public-Key: \(4096 bit\)/)
    assert.deepEqual(splitPem(read(`${c}/cert-chain.pem`)), [ca, root])
    // istiod's own check: ca-cert.pem against root-cert.pem with cert-chain.pem.
    openssl([
      'verify',
      '-CAfile',
      join(dir, c, 'root-cert.pem'),
      '-untrusted',
      join(dir, c, 'cert-chain.pem'),
      join(dir, c, 'ca-cert.pem')
    ])
  }
})

test('the job summary has one row per CA; keys are masked, certificates not', async () => {
  const r = await first
  assert.match(
    r.summary,
    /\| cluster \| status \| fingerprint \(SHA-256\) \| not after \|/
  )
  assert.match(r.summary, /\| cluster-1 \| issued \| `[0-9a-f]{64}` \| 20\d\d-/)
  assert.match(r.summary, /\| root CA \| issued \|/)
  const masks = r.stdout.split('\n').filter(l => l.startsWith('::add-mask::'))
  // One command per key, the whole multi-line PEM escaped into one line.
  assert.equal(masks.length, 3)
  for (const m of masks)
    assert.match(
      m,
      new RegExp(`^::add-mask::${PKCS8_BEGIN}%0A.+%0A${PKCS8_END}%0A$`)
    )
  assert.ok(!r.stdout.includes('::add-mask::-----BEGIN CERTIFICATE'))
  assertNoKeyMaterial(r, [
    read('root-key.pem'),
    read('cluster-1/ca-key.pem'),
    read('cluster-2/ca-key.pem')
  ])
})

test('second run changes no byte and no mtime, and says so', async () => {
  await first
  const before = snapshot(dir)
  const r = await run(cwd, {clusters: 'cluster-1,cluster-2'})
  assert.equal(r.status, 0, r.stdout)
  assert.deepEqual(snapshot(dir), before)
  const clusters = JSON.parse(r.outputs['clusters-json']!)
  assert.deepEqual(
    Object.values(clusters).map(c => (c as {status: string}).status),
    ['reused', 'reused']
  )
  assert.equal(
    r.outputs['root-fingerprint'],
    (await first).outputs['root-fingerprint']
  )
  assert.match(
    r.stdout,
    /nothing changed: the root CA and 2 intermediate CA\(s\) were reused/
  )
  assert.match(r.summary, /\| cluster-2 \| reused \|/)
  assert.match(r.summary, /Nothing changed/)
  // Stored keys are masked on every run, before anything else is printed.
  const lines = r.stdout.split('\n')
  const masks = lines.filter(l => l.startsWith('::add-mask::'))
  assert.equal(masks.length, 3)
  const lastMask = lines.findLastIndex(l => l.startsWith('::add-mask::'))
  const firstMessage = lines.findIndex(
    l => !l.startsWith('::add-mask::') && !l.startsWith('::group::')
  )
  assert.ok(lastMask < firstMessage, 'a message was printed before a mask')
  assertNoKeyMaterial(r, [read('root-key.pem'), read('cluster-1/ca-key.pem')])
})

test('bad inputs fail before anything is written, naming the input', async () => {
  const cases: [Record<string, string>, string][] = [
    [{clusters: 'cluster_1'}, 'clusters'],
    [{clusters: 'a', 'key-type': 'dsa'}, 'key-type'],
    [{clusters: 'a', 'root-days': '-1'}, 'root-days'],
    [{clusters: 'a', 'renew-within-days': '800'}, 'renew-within-days'],
    [{clusters: 'a', 'output-dir': '../../x'}, 'output-dir']
  ]
  await Promise.all(
    cases.map(async ([inputs, name]) => {
      const ws = workspace()
      const r = await run(ws, inputs)
      assert.equal(r.status, 1, JSON.stringify(inputs))
      assert.match(r.stdout, new RegExp(`::error::input '${name}'`))
      assert.deepEqual(readdirSync(ws), [])
    })
  )
})

test('an unreadable store fails naming output-dir, writing nothing', async () => {
  const ws = workspace()
  writeFileSync(join(ws, 'certs'), 'not a folder')
  const r = await run(ws, {clusters: 'a', 'key-type': 'ecdsa-p256'})
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /::error::input 'output-dir': cannot read .*certs\/root-cert\.pem \(ENOTDIR\)/
  )
  assert.equal(readFileSync(join(ws, 'certs'), 'utf8'), 'not a folder')
})

test('the root action dispatches to generate-certs with its defaults', async () => {
  const ws = workspace()
  const r = await runBundle(
    'root',
    {action: 'generate-certs', clusters: 'east', 'key-type': 'ecdsa-p256'},
    {cwd: ws}
  )
  assert.equal(r.status, 0, r.stdout)
  assert.equal(r.outputs['certs-dir'], join(ws, 'certs'))
  assert.ok(existsSync(join(ws, 'certs', 'east', 'cert-chain.pem')))
  // The defaults of actions/generate-certs/action.yml applied: 730 days.
  const clusters = JSON.parse(r.outputs['clusters-json']!)
  const days =
    (new Date(clusters.east['not-after']).getTime() - Date.now()) / 86_400_000
  assert.ok(Math.abs(days - 730) < 1, `${days} days`)
})

test('with the directory store the keys stay: the folder is the store', async () => {
  const ws = workspace()
  const stateFile = `${ws}.state`
  writeFileSync(stateFile, '')
  const r = await runBundle(
    'generate-certs',
    {clusters: 'a', 'key-type': 'ecdsa-p256'},
    {cwd: ws, env: {GITHUB_STATE: stateFile}, defaultsFrom: 'generate-certs'}
  )
  assert.equal(r.status, 0, r.stdout)
  assert.equal(readFileSync(stateFile, 'utf8'), '')
})

test('mode fetch on the folder store: the files again, never a read of root-key.pem', async () => {
  await first
  const before = snapshot(dir)
  // A folder in place of the key: reading it fails, so success proves fetch
  // never read it. Kept aside and put back for the other tests.
  const key = read('root-key.pem')
  rmSync(join(dir, 'root-key.pem'))
  mkdirSync(join(dir, 'root-key.pem'))
  try {
    const r = await run(cwd, {clusters: 'cluster-1,cluster-2', mode: 'fetch'})
    assert.equal(r.status, 0, r.stdout)
    assert.equal(
      r.outputs['root-fingerprint'],
      (await first).outputs['root-fingerprint']
    )
    assert.match(r.stdout, /nothing changed/)
    const masks = r.stdout.split('\n').filter(l => l.startsWith('::add-mask::'))
    assert.equal(masks.length, 2, 'the two intermediate keys, no root key')
    const issue = await run(cwd, {clusters: 'cluster-1,cluster-2'})
    assert.equal(issue.status, 1)
    assert.match(issue.stdout, /root-key\.pem \(EISDIR\)/)
  } finally {
    rmSync(join(dir, 'root-key.pem'), {recursive: true})
    writeFileSync(join(dir, 'root-key.pem'), key, {mode: 0o600})
  }
  const after = snapshot(dir)
  delete after['root-key.pem']
  delete before['root-key.pem']
  assert.deepEqual(after, before)
})

test('mode fetch refuses to add a cluster, naming it and writing nothing', async () => {
  const ws = workspace()
  const seeded = await run(ws, {clusters: 'a', 'key-type': 'ecdsa-p256'})
  assert.equal(seeded.status, 0, seeded.stdout)
  const before = snapshot(join(ws, 'certs'))
  const r = await run(ws, {clusters: 'a,b', mode: 'fetch'})
  assert.equal(r.status, 1)
  assert.match(
    r.stdout,
    /::error::mode fetch cannot complete without writing to the CA store, which it never does: cluster 'b': no intermediate CA yet \(input 'output-dir' \(.*\/certs\/b\/ca-cert\.pem and ca-key\.pem\)\)\. Run generate-certs with mode issue \(the certs job\) first/
  )
  assert.deepEqual(snapshot(join(ws, 'certs')), before)
})

test('the root action passes mode to generate-certs; unset, it issues', async () => {
  const ws = workspace()
  const fetched = await runBundle(
    'root',
    {action: 'generate-certs', clusters: 'east', mode: 'fetch'},
    {cwd: ws}
  )
  assert.equal(fetched.status, 1)
  assert.match(fetched.stdout, /::error::mode fetch cannot complete/)
  const issued = await runBundle(
    'root',
    {action: 'generate-certs', clusters: 'east', 'key-type': 'ecdsa-p256'},
    {cwd: ws}
  )
  assert.equal(issued.status, 0, issued.stdout)
  assert.match(issued.stdout, /::group::generate-certs \(issue\)/)
  const again = await runBundle(
    'root',
    {action: 'generate-certs', clusters: 'east', mode: 'fetch'},
    {cwd: ws}
  )
  assert.equal(again.status, 0, again.stdout)
  assert.equal(
    again.outputs['root-fingerprint'],
    issued.outputs['root-fingerprint']
  )
})
