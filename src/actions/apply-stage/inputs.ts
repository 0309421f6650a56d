import {ConfigurationError} from '../../common/errors.ts'
import {
  bool,
  duration,
  keyValues,
  lines,
  oneOf,
  optional,
  required,
  secret,
  text,
  type InputSpec,
  type Parser
} from '../../common/inputs.ts'

/** Safe in an S3 key, a file name and a comment marker. */
const instanceName: Parser<string> = (raw, name) => {
  if (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(raw) && !raw.includes('..')) {
    return raw
  }
  throw new ConfigurationError(
    `input '${name}' must be a name of letters, digits, '-', '_' and '.' (at most 128), got '${raw}'`
  )
}

/**
 * Values reach the stage through a .tfvars.json file, where a string stays a
 * string: a list or map (a value starting with `[` or `{`) is written in
 * JSON and passed on as JSON, so `cluster_names=["a","b"]` works as it
 * would with -var. Numbers and booleans convert from strings by themselves.
 */
const variables: Parser<Record<string, unknown>> = (raw, name) => {
  const parsed: Record<string, unknown> = keyValues(raw, name)
  for (const [key, value] of Object.entries(parsed)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
      throw new ConfigurationError(
        `input '${name}' must name Terraform variables (letters, digits, '_' and '-'), got '${key}'`
      )
    }
    if (typeof value === 'string' && /^[[{]/.test(value)) {
      try {
        parsed[key] = JSON.parse(value)
      } catch {
        throw new ConfigurationError(
          `input '${name}': the value of '${key}' starts like a list or map but is not JSON (write lists as ["a","b"] and maps as {"k":"v"})`
        )
      }
    }
  }
  return parsed
}

const sha256Hex: Parser<string> = (raw, name) => {
  const value = raw.replace(/^sha256:/, '').toLowerCase()
  if (/^[0-9a-f]{64}$/.test(value)) return value
  throw new ConfigurationError(
    `input '${name}' must be a plan-digest (64 hexadecimal characters), got '${raw}'`
  )
}

export const spec = {
  stage: required(text),
  instance: optional(instanceName),
  command: optional(oneOf('plan', 'apply', 'destroy')),
  backend: optional(oneOf('local', 's3')),
  'backend-config': optional(keyValues),
  vars: optional(variables),
  'var-files': optional(lines),
  'plan-file': optional(text),
  'allow-destroy': optional(bool),
  'comment-on-pr': optional(bool),
  'github-token': secret(optional(text)),
  binary: optional(text),
  'lock-timeout': optional(duration),
  'plugin-cache': optional(bool),
  protect: optional(lines),
  'expected-plan-digest': optional(sha256Hex)
} satisfies InputSpec
