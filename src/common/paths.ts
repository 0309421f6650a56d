import {isAbsolute, relative, resolve} from 'node:path'
import {ConfigurationError} from './errors.ts'

/**
 * Resolves a path input against the workspace and refuses one that leaves
 * both the workspace and the runner's temp folder, so an input cannot make
 * an action write keys somewhere unexpected.
 */
export function resolveInside(
  raw: string,
  inputName: string,
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd()
): string {
  const workspace = env.GITHUB_WORKSPACE || cwd
  const target = resolve(workspace, raw)
  const roots = [workspace, env.RUNNER_TEMP].filter(
    (root): root is string => !!root
  )
  const inside = roots.some(root => {
    const rel = relative(resolve(root), target)
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
  })
  if (!inside) {
    throw new ConfigurationError(
      `input '${inputName}' must be a path inside the workspace (${workspace})${env.RUNNER_TEMP ? ` or RUNNER_TEMP` : ''}, got '${raw}'`
    )
  }
  return target
}
