import {
  withDefaults,
  type ActionMetadata
} from '../../src/common/action-metadata.ts'
import {inputEnvName} from '../../src/common/inputs.ts'

/**
 * The environment the runner gives an action: the inputs as INPUT_*
 * variables over the action.yml defaults, in the given workspace.
 */
export function actionEnv(
  meta: ActionMetadata,
  inputs: Record<string, string>,
  workspace: string
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {GITHUB_WORKSPACE: workspace}
  for (const [name, value] of Object.entries(inputs)) {
    env[inputEnvName(name)] = value
  }
  return withDefaults(meta, env)
}
