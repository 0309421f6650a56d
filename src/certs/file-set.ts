import {randomBytes} from 'node:crypto'
import {
  chmod,
  lstat,
  mkdir,
  open,
  readFile,
  rename,
  unlink
} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {ConfigurationError} from '../common/errors.ts'
import type {CertFile} from './layout.ts'

export interface FileSetReport {
  written: string[]
  unchanged: string[]
}

const KEY_MODE = 0o600
const CERT_MODE = 0o644

interface Existing {
  content?: Buffer
  mode?: number
}

async function readExisting(
  target: string,
  inputName: string
): Promise<Existing> {
  let stat
  try {
    stat = await lstat(target)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new ConfigurationError(
      `input '${inputName}': cannot read ${target} (${(err as NodeJS.ErrnoException).code})`
    )
  }
  // A link could point the write at a file elsewhere: refuse rather than follow.
  if (!stat.isFile()) {
    throw new ConfigurationError(
      `input '${inputName}': ${target} must be a regular file, found a ${stat.isSymbolicLink() ? 'symbolic link' : 'directory or special file'}`
    )
  }
  return {content: await readFile(target), mode: stat.mode & 0o777}
}

/**
 * Writes a set of files so that a failure leaves the old set in place:
 * every changed file goes to a temporary file beside its target first,
 * and only when all of them are on disk are they renamed over the targets.
 * Files whose bytes are already right are not touched (mtime included).
 */
export async function writeFileSet(
  dir: string,
  files: CertFile[],
  inputName: string
): Promise<FileSetReport> {
  const report: FileSetReport = {written: [], unchanged: []}
  const pending: {temp: string; target: string; path: string}[] = []
  const chmods: {target: string; mode: number}[] = []
  const plans = await Promise.all(
    files.map(async file => ({
      file,
      target: join(dir, file.path),
      existing: await readExisting(join(dir, file.path), inputName)
    }))
  )
  try {
    for (const {file, target, existing} of plans) {
      const mode = file.secret ? KEY_MODE : CERT_MODE
      if (existing.content?.equals(Buffer.from(file.content))) {
        report.unchanged.push(file.path)
        // A key someone made readable is tightened; nothing else is touched.
        if (file.secret && existing.mode !== KEY_MODE) {
          chmods.push({target, mode})
        }
        continue
      }
      await mkdir(dirname(target), {recursive: true, mode: 0o700})
      const temp = join(
        dirname(target),
        `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`
      )
      const handle = await open(temp, 'wx', mode)
      pending.push({temp, target, path: file.path})
      try {
        await handle.writeFile(file.content)
        await handle.sync()
      } finally {
        await handle.close()
      }
    }
  } catch (err) {
    await Promise.all(pending.map(p => unlink(p.temp).catch(() => {})))
    throw err
  }
  for (const {temp, target, path} of pending) {
    await rename(temp, target)
    report.written.push(path)
  }
  for (const {target, mode} of chmods) await chmod(target, mode)
  return report
}
