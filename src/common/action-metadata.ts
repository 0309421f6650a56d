import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'
import {ConfigurationError} from './errors.ts'
import {inputEnvName} from './inputs.ts'

export const ACTION_NAMES = [
  'generate-certs',
  'apply-stage',
  'exchange-secrets',
  'verify-mesh'
] as const

export type ActionName = (typeof ACTION_NAMES)[number]

export function parseActionName(raw: string, inputName: string): ActionName {
  const name = raw.trim()
  if ((ACTION_NAMES as readonly string[]).includes(name)) {
    return name as ActionName
  }
  throw new ConfigurationError(
    `input '${inputName}' must be one of ${ACTION_NAMES.join(', ')}, got '${name}'`
  )
}

export interface ActionMetadata {
  name: string
  description: string
  inputs: Record<
    string,
    {description?: string; required?: boolean; default?: string}
  >
  outputs: Record<string, {description?: string}>
  runs: {using: string; main: string; post?: string}
}

export function parseActionMetadata(yamlText: string): ActionMetadata {
  const doc = parse(yamlText) as Partial<ActionMetadata>
  return {
    name: doc.name ?? '',
    description: doc.description ?? '',
    inputs: doc.inputs ?? {},
    outputs: doc.outputs ?? {},
    runs: doc.runs ?? {using: '', main: ''}
  }
}

/**
 * The repository root, found from this file's location: `src/common/` when
 * run from source, `dist/<bundle>/` when bundled.
 */
export function repositoryRoot(moduleUrl: string = import.meta.url): string {
  return join(dirname(fileURLToPath(moduleUrl)), '..', '..')
}

export function readActionMetadata(
  action: ActionName,
  root: string = repositoryRoot()
): ActionMetadata {
  const file = join(root, 'actions', action, 'action.yml')
  return parseActionMetadata(readFileSync(file, 'utf8'))
}

/**
 * Does what the runner does with action.yml defaults: every input that is
 * not set gets its default as an INPUT_* variable. Used by the root action
 * (whose action.yml declares no defaults) and by the local command line.
 */
export function withDefaults(
  metadata: ActionMetadata,
  env: NodeJS.ProcessEnv
): NodeJS.ProcessEnv {
  const result = {...env}
  for (const [name, input] of Object.entries(metadata.inputs)) {
    const key = inputEnvName(name)
    if ((result[key] ?? '') === '' && input.default !== undefined) {
      result[key] = String(input.default)
    }
  }
  return result
}
