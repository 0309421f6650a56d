import {getState, saveState} from '@actions/core'
import {actionsCoreAdapter, type Core} from '../common/core.ts'

/** What every action's run() needs from the outside world at minimum. */
export interface BaseDeps {
  core: Core
  env: NodeJS.ProcessEnv
  /** Hands state from the main step to the post step; absent in the CLI. */
  saveState?: (name: string, value: string) => void
}

export interface PostDeps extends BaseDeps {
  getState: (name: string) => string
}

export type ActionRun = (deps: BaseDeps) => Promise<void>
export type ActionPost = (deps: PostDeps) => Promise<void>

export function liveBaseDeps(): BaseDeps {
  return {core: actionsCoreAdapter(), env: process.env, saveState}
}

export function livePostDeps(): PostDeps {
  return {...liveBaseDeps(), getState}
}
