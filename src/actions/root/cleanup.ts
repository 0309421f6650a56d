import {parseActionName} from '../../common/action-metadata.ts'
import {describeError} from '../../common/errors.ts'
import type {PostDeps} from '../deps.ts'
import {dispatchPost} from '../posts.ts'

/** The root action's post step: the chosen action's own, and only warnings. */
export async function post(deps: PostDeps): Promise<void> {
  try {
    const action = parseActionName(deps.env.INPUT_ACTION ?? '', 'action')
    await dispatchPost(action, deps)
  } catch (err) {
    deps.core.warning(describeError(err, 'eks-istio-mesh post'))
  }
}
