import {
  ACTION_NAMES,
  readActionMetadata,
  withDefaults,
  type ActionName
} from '../common/action-metadata.ts'
import {ConfigurationError} from '../common/errors.ts'
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
  const load = ACTIONS[action]
  if (!load) {
    throw new ConfigurationError(
      `action '${action}' is not available yet in this version of the toolkit; available: ${ACTION_NAMES.filter(n => ACTIONS[n]).join(', ') || 'none'}`
    )
  }
  const env = withDefaults(readActionMetadata(action, root), deps.env)
  const run = await load()
  await run({...deps, env})
}
