import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {ROOT} from '../helpers/run-bundle.ts'
import {verify} from '../certs/openssl.ts'

/**
 * `npm start -- generate-certs ...`, the pattern's create-certs.sh step for
 * users who are not on GitHub. npm runs it from the repository root, so the
 * output goes to RUNNER_TEMP here instead of the work tree.
 */
async function npmStart(args: string[], temp: string) {
  const child = spawn('npm', ['start', '--silent', '--', ...args], {
    cwd: ROOT,
    env: {PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_TEMP: temp}
  })
  let stdout = ''
  child.stdout.on('data', d => (stdout += d))
  child.stderr.on('data', d => (stdout += d))
  const status = await new Promise<number | null>(r =>
    child.on('close', code => r(code))
  )
  return {status, stdout}
}

test('npm start -- generate-certs writes the certificates and prints outputs', async () => {
  const temp = mkdtempSync(join(tmpdir(), 'gc-cli-'))
  const out = join(temp, 'certs')
  const args = [
    'generate-certs',
    '--clusters',
    'cluster-1,cluster-2',
    '--output-dir',
    out,
    '--key-type',
    'ecdsa-p256'
  ]
  const r = await npmStart(args, temp)
  assert.equal(r.status, 0, r.stdout)
  assert.match(r.stdout, /cluster-1: issued/)
  assert.match(r.stdout, /output root-fingerprint=[0-9a-f]{64}\n/)
  assert.match(r.stdout, new RegExp(`output certs-dir=${out}\\n`))
  const root = readFileSync(join(out, 'root-cert.pem'), 'utf8')
  assert.match(
    verify(root, readFileSync(join(out, 'cluster-2', 'ca-cert.pem'), 'utf8')),
    /OK$/
  )
  assert.equal(
    statSync(join(out, 'cluster-1', 'ca-key.pem')).mode & 0o777,
    0o600
  )
  for (const key of ['root-key.pem', 'cluster-1/ca-key.pem']) {
    const body = readFileSync(join(out, key), 'utf8').split('\n')[1]!
    assert.ok(!r.stdout.includes(body), `${key} printed`)
  }

  const again = await npmStart(args, temp)
  assert.equal(again.status, 0, again.stdout)
  assert.match(again.stdout, /nothing changed/)
})

test('the command line refuses bad input with the input named, exit 1', async () => {
  const temp = mkdtempSync(join(tmpdir(), 'gc-cli-'))
  const r = await npmStart(
    [
      'generate-certs',
      '--clusters',
      'Bad_Name',
      '--output-dir',
      join(temp, 'c')
    ],
    temp
  )
  assert.equal(r.status, 1)
  assert.match(r.stdout, /error: input 'clusters' must hold DNS-1123 labels/)
  assert.ok(!existsSync(join(temp, 'c')))
})
