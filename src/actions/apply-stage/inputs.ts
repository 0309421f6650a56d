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

const variables: Parser<Record<string, string>> = (raw, name) => {
  const parsed = keyValues(raw, name)
  for (const key of Object.keys(parsed)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
      throw new ConfigurationError(
        `input '${name}' must name Terraform variables (letters, digits, '_' and '-'), got '${key}'`
      )
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
