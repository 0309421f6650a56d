import {actionsCoreAdapter, type Core} from '../common/core.ts'

/** What every action's run() needs from the outside world at minimum. */
export interface BaseDeps {
  core: Core
  env: NodeJS.ProcessEnv
}

export type ActionRun = (deps: BaseDeps) => Promise<void>

export function liveBaseDeps(): BaseDeps {
  return {core: actionsCoreAdapter(), env: process.env}
}
