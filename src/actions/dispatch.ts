import {
  ACTION_NAMES,
  readActionMetadata,
  withDefaults,
  type ActionName
} from '../common/action-metadata.ts'
import {ConfigurationError} from '../common/errors.ts'
import type {BaseDeps, PostDeps} from './deps.ts'
import {ACTIONS, POSTS} from './registry.ts'

export function parseActionName(raw: string, inputName: string): ActionName {
  const name = raw.trim()
  if ((ACTION_NAMES as readonly string[]).includes(name)) {
    return name as ActionName
  }
  throw new ConfigurationError(
    `input '${inputName}' must be one of ${ACTION_NAMES.join(', ')}, got '${name}'`
  )
}

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
      `action '${action}' is not available yet in this version of the toolkit; available: ${Object.keys(ACTIONS).join(', ') || 'none'}`
    )
  }
  const env = withDefaults(readActionMetadata(action, root), deps.env)
  const run = await load()
  await run({...deps, env})
}

/** Runs the chosen action's post step, when it has one. */
export async function dispatchPost(
  action: ActionName,
  deps: PostDeps
): Promise<void> {
  const load = POSTS[action]
  if (load) await (await load())(deps)
}
