import type {ActionName} from '../common/action-metadata.ts'
import type {ActionPost, PostDeps} from './deps.ts'

/**
 * Post steps of the actions that have one. Kept apart from the registry of
 * main steps so that the root action's post bundle holds only these.
 */
export const POSTS: Partial<Record<ActionName, () => Promise<ActionPost>>> = {
  'generate-certs': async () =>
    (await import('./generate-certs/cleanup.ts')).post
}

/** Runs the chosen action's post step, when it has one. */
export async function dispatchPost(
  action: ActionName,
  deps: PostDeps
): Promise<void> {
  const load = POSTS[action]
  if (load) await (await load())(deps)
}
