import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {fileURLToPath} from 'node:url'
import {directoryStore} from '../../src/certs/directory-store.ts'
import {writeFileSet} from '../../src/certs/file-set.ts'
import {generateCerts} from '../../src/certs/generate.ts'
import type {KeyType} from '../../src/certs/profile.ts'

// A second independent verifier beside openssl: Go's crypto/x509, which is
// what istiod itself runs on the cacerts files.
const source = fileURLToPath(new URL('istiod-check/main.go', import.meta.url))
const binary = join(
  mkdtempSync(join(tmpdir(), 'istiod-check-')),
  'istiod-check'
)
const build = spawnSync('go', ['build', '-o', binary, source], {
  encoding: 'utf8'
})
if (build.error || build.status !== 0) {
  throw new Error(
    `Go is needed for the istiod check (go build): ${build.error ?? build.stderr}`
  )
}

function istiodCheck(dir: string): {ok: boolean; out: string} {
  const r = spawnSync(binary, [dir], {encoding: 'utf8'})
  return {ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim()}
}

async function generate(dir: string, keyType: KeyType) {
  await generateCerts(
    {
      clusters: ['east', 'west'],
      keyType,
      rootDays: 3650,
      intermediateDays: 730,
      renewWithinDays: 30,
      rotateRoot: false
    },
    {
      store: directoryStore(dir, 'output-dir'),
      mask: () => {},
      writeFiles: files => writeFileSet(dir, files, 'output-dir'),
      now: () => new Date()
    }
  )
}

for (const keyType of ['rsa-2048', 'ecdsa-p256'] as const) {
  test(`${keyType}: Go's x509 accepts every cluster folder as istiod would`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'istiod-'))
    await generate(dir, keyType)
    for (const cluster of ['east', 'west']) {
      assert.deepEqual(istiodCheck(join(dir, cluster)), {ok: true, out: 'OK'})
    }
  })
}

test("the check fails on a folder whose root is another mesh's", async () => {
  const [a, b] = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'istiod-')))
  await Promise.all([generate(a!, 'ecdsa-p256'), generate(b!, 'ecdsa-p256')])
  writeFileSync(
    join(a!, 'east', 'root-cert.pem'),
    readFileSync(join(b!, 'root-cert.pem'))
  )
  const r = istiodCheck(join(a!, 'east'))
  assert.equal(r.ok, false)
  assert.match(r.out, /cannot verify the cert with the provided root chain/)
})
