import {
  readActionMetadata,
  withDefaults,
  type ActionName
} from '../common/action-metadata.ts'
import type {BaseDeps} from './deps.ts'
import {ACTIONS} from './registry.ts'

/**
 * Runs one action with that action's own defaults applied, the way the
 * runner would have applied them had it been called as actions/<name>.
 */
export async function dispatch(
  action: ActionName,
  deps: BaseDeps,
  root?: string
): Promise<void> {
  const env = withDefaults(readActionMetadata(action, root), deps.env)
  const run = await ACTIONS[action]()
  await run({...deps, env})
}
