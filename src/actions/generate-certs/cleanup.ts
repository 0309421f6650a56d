import {removeFiles} from '../../certs/remove-files.ts'
import type {PostDeps} from '../deps.ts'

/** The state the main step leaves for the post step. */
export const KEY_FILES_STATE = 'key-files'

/**
 * The post step: removes the intermediate keys the main step left in the
 * output folder when Secrets Manager holds them anyway, so they do not
 * outlive the job on a reused runner. It only ever warns.
 */
export async function post(deps: PostDeps): Promise<void> {
  const {core} = deps
  try {
    const raw = deps.getState(KEY_FILES_STATE)
    if (raw === '') return
    const files = JSON.parse(raw) as unknown
    if (!Array.isArray(files) || !files.every(f => typeof f === 'string')) {
      core.warning(
        'generate-certs cleanup: the saved list of key files is unreadable; nothing removed'
      )
      return
    }
    const {removed, problems} = await removeFiles(files)
    for (const problem of problems)
      core.warning(`generate-certs cleanup: ${problem}`)
    core.info(`removed ${removed} key file(s) from the output folder`)
  } catch (err) {
    core.warning(
      `generate-certs cleanup: ${err instanceof Error ? err.message : String(err)}`
    )
  }
}
