import assert from 'node:assert/strict'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {writeFileSet} from '../../src/certs/file-set.ts'
import {ConfigurationError} from '../../src/common/errors.ts'

const fresh = () => mkdtempSync(join(tmpdir(), 'file-set-'))
const mode = (file: string) => statSync(file).mode & 0o777

/** Every file below dir, relative, sorted: temp leftovers would show. */
function listAll(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter(e => e.isFile())
    .map(e => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

test('keys are written 0600 and certificates 0644, folders created', async () => {
  const dir = fresh()
  const r = await writeFileSet(
    dir,
    [
      {path: 'a/ca-key.pem', content: 'KEY\n', secret: true},
      {path: 'a/ca-cert.pem', content: 'CERT\n', secret: false}
    ],
    'output-dir'
  )
  assert.deepEqual(r.written, ['a/ca-key.pem', 'a/ca-cert.pem'])
  assert.equal(mode(join(dir, 'a/ca-key.pem')), 0o600)
  assert.equal(mode(join(dir, 'a/ca-cert.pem')), 0o644)
  assert.equal(readFileSync(join(dir, 'a/ca-key.pem'), 'utf8'), 'KEY\n')
  assert.deepEqual(listAll(dir), ['a/ca-cert.pem', 'a/ca-key.pem'])
})

test('files already right are not touched, not even their mtime', async () => {
  const dir = fresh()
  writeFileSync(join(dir, 'same.pem'), 'SAME\n')
  writeFileSync(join(dir, 'old.pem'), 'OLD\n')
  const before = statSync(join(dir, 'same.pem')).mtimeMs
  await new Promise(r => setTimeout(r, 20))
  const r = await writeFileSet(
    dir,
    [
      {path: 'same.pem', content: 'SAME\n', secret: false},
      {path: 'old.pem', content: 'NEW\n', secret: false}
    ],
    'output-dir'
  )
  assert.deepEqual(r, {written: ['old.pem'], unchanged: ['same.pem']})
  assert.equal(statSync(join(dir, 'same.pem')).mtimeMs, before)
  assert.equal(readFileSync(join(dir, 'old.pem'), 'utf8'), 'NEW\n')
})

test('a key left readable by others is tightened to 0600', async () => {
  const dir = fresh()
  writeFileSync(join(dir, 'k.pem'), 'KEY\n', {mode: 0o644})
  await writeFileSet(
    dir,
    [{path: 'k.pem', content: 'KEY\n', secret: true}],
    'output-dir'
  )
  assert.equal(mode(join(dir, 'k.pem')), 0o600)
})

test('a failure part-way leaves the old files and no temporary file', async () => {
  const dir = fresh()
  writeFileSync(join(dir, 'a.pem'), 'OLD\n')
  // A file where a folder must go makes the second write fail.
  writeFileSync(join(dir, 'blocked'), '')
  await assert.rejects(
    writeFileSet(
      dir,
      [
        {path: 'a.pem', content: 'NEW\n', secret: false},
        {path: 'blocked/b.pem', content: 'B\n', secret: false}
      ],
      'output-dir'
    )
  )
  assert.equal(readFileSync(join(dir, 'a.pem'), 'utf8'), 'OLD\n')
  assert.deepEqual(listAll(dir), ['a.pem', 'blocked'])
})

test('a symbolic link in place of a file is refused, nothing written', async () => {
  const dir = fresh()
  const elsewhere = join(fresh(), 'target.pem')
  writeFileSync(elsewhere, 'THEIRS\n')
  mkdirSync(join(dir, 'c'))
  symlinkSync(elsewhere, join(dir, 'c', 'ca-key.pem'))
  await assert.rejects(
    writeFileSet(
      dir,
      [
        {path: 'root-cert.pem', content: 'R\n', secret: false},
        {path: 'c/ca-key.pem', content: 'KEY\n', secret: true}
      ],
      'output-dir'
    ),
    (err: Error) =>
      err instanceof ConfigurationError &&
      /input 'output-dir'.*ca-key\.pem must be a regular file, found a symbolic link/.test(
        err.message
      )
  )
  assert.equal(readFileSync(elsewhere, 'utf8'), 'THEIRS\n')
  assert.deepEqual(listAll(dir), [])
})
