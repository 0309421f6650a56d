import {describeError} from '../../common/errors.ts'
import {parseActionName} from '../../common/action-metadata.ts'
import type {BaseDeps} from '../deps.ts'
import {dispatch} from '../dispatch.ts'

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
