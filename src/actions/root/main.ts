import {describeError} from '../../common/errors.ts'
import type {BaseDeps, PostDeps} from '../deps.ts'
import {dispatch, dispatchPost, parseActionName} from '../dispatch.ts'

/** The root action.yml: input `action` picks which of the four runs. */
export async function run(deps: BaseDeps): Promise<void> {
  try {
    const action = parseActionName(deps.env.INPUT_ACTION ?? '', 'action')
    // The root action.yml declares no defaults, so each action's own apply.
    await dispatch(action, deps)
  } catch (err) {
    deps.core.setFailed(describeError(err, 'eks-istio-mesh'))
  }
}

/** The root action's post step: the chosen action's own, and only warnings. */
export async function post(deps: PostDeps): Promise<void> {
  try {
    const action = parseActionName(deps.env.INPUT_ACTION ?? '', 'action')
    await dispatchPost(action, deps)
  } catch (err) {
    deps.core.warning(describeError(err, 'eks-istio-mesh post'))
  }
}
