import {lstat, unlink} from 'node:fs/promises'

/**
 * Removes regular files, never following a link and never failing: what is
 * already gone counts as done, anything else is reported as a problem.
 */
export async function removeFiles(
  files: string[]
): Promise<{removed: number; problems: string[]}> {
  let removed = 0
  const problems: string[] = []
  for (const file of files) {
    try {
      const stat = await lstat(file)
      if (!stat.isFile()) {
        problems.push(`${file} is not a regular file; left in place`)
        continue
      }
      await unlink(file)
      removed++
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT') problems.push(`cannot remove ${file} (${code})`)
    }
  }
  return {removed, problems}
}
