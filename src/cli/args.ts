import {ConfigurationError} from '../common/errors.ts'
import {inputEnvName} from '../common/inputs.ts'

export interface CliArgs {
  help: boolean
  action: string
  /** INPUT_* variables, as the runner would set them. */
  env: Record<string, string>
}

/**
 * `<action> --name value` or `--name=value`; a repeated input is joined with
 * newlines, so `--vars a=1 --vars b=2` gives a multiline input.
 */
export function parseCliArgs(argv: string[]): CliArgs {
  const [action = '', ...rest] = argv
  if (action === '' || action === '--help' || action === '-h') {
    return {help: true, action: '', env: {}}
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    return {help: true, action, env: {}}
  }
  const env: Record<string, string> = {}
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (!arg.startsWith('--') || arg === '--') {
      throw new ConfigurationError(
        `expected an input as --name value, got '${arg}'`
      )
    }
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2)
    let value: string
    if (eq > 0) {
      value = arg.slice(eq + 1)
    } else {
      const next = rest[i + 1]
      if (next === undefined || next.startsWith('--')) {
        throw new ConfigurationError(`input '--${name}' needs a value`)
      }
      value = next
      i++
    }
    const key = inputEnvName(name)
    env[key] = key in env ? `${env[key]}\n${value}` : value
  }
  return {help: false, action, env}
}
