import type {ActionName} from '../common/action-metadata.ts'
import {inputEnvName} from '../common/inputs.ts'
import {dispatch} from '../actions/dispatch.ts'
import {
  stepCore,
  type Console,
  type StepCoreOptions,
  type StepRecord
} from './console.ts'

/**
 * The environment one action sees: the command's environment without any
 * INPUT_* variable of its own (a shell may have some set), then the inputs
 * given here. Defaults come from the action's action.yml, as on a runner.
 */
export function actionEnv(
  base: NodeJS.ProcessEnv,
  inputs: Record<string, string | undefined>
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(base)) {
    if (!key.startsWith('INPUT_')) env[key] = value
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (value !== undefined && value !== '') env[inputEnvName(name)] = value
  }
  return env
}

/**
 * Runs one action's run() (the code the GitHub action runs) with the given
 * inputs and the action's own defaults, and returns what it reported.
 */
export async function runAction(
  action: ActionName,
  inputs: Record<string, string | undefined>,
  context: {out: Console; env: NodeJS.ProcessEnv},
  options: StepCoreOptions = {}
): Promise<StepRecord> {
  const core = stepCore(context.out, options)
  try {
    await dispatch(action, {core, env: actionEnv(context.env, inputs)})
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err))
  }
  return core.record
}
