import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {removeFiles} from '../../src/certs/remove-files.ts'

test('removes files, counts the gone ones as done, never follows links', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'remove-'))
  const key = join(dir, 'ca-key.pem')
  const target = join(dir, 'target.pem')
  const link = join(dir, 'link.pem')
  writeFileSync(key, 'KEY')
  writeFileSync(target, 'KEEP')
  symlinkSync(target, link)
  const r = await removeFiles([key, join(dir, 'gone.pem'), link, dir])
  assert.equal(r.removed, 1)
  assert.ok(!existsSync(key))
  assert.ok(existsSync(target) && existsSync(link))
  assert.deepEqual(r.problems, [
    `${link} is not a regular file; left in place`,
    `${dir} is not a regular file; left in place`
  ])
})
