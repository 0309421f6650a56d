import {ConfigurationError} from './errors.ts'

/**
 * One parser per action mirrors its action.yml. Defaults live only in
 * action.yml: the runner supplies them, and the local command line and the
 * root action read them from the same file (see action-metadata.ts).
 */
export type Parser<T> = (raw: string, name: string) => T

export interface InputDef<T> {
  readonly required: boolean
  readonly parse: Parser<T>
  /** Secret inputs are masked as soon as they are read and never echoed. */
  readonly secret?: boolean
}

export type InputSpec = Record<string, InputDef<unknown>>

export type Inputs<S extends InputSpec> = {
  [K in keyof S]: S[K] extends InputDef<infer T> ? T : never
}

export function required<T>(parse: Parser<T>): InputDef<T> {
  return {required: true, parse}
}

export function optional<T>(parse: Parser<T>): InputDef<T | undefined> {
  return {required: false, parse}
}

export function secret<T>(def: InputDef<T>): InputDef<T> {
  return {...def, secret: true}
}

/** The environment variable the runner sets for an input (hyphens stay). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

export interface ReadOptions {
  /** Called for every non-empty secret input before it is parsed. */
  onSecret?: (value: string) => void
}

/**
 * Reads and validates every input up front, before any side effect, so that
 * bad input fails the step with nothing written.
 */
export function readInputs<S extends InputSpec>(
  spec: S,
  env: NodeJS.ProcessEnv,
  options: ReadOptions = {}
): Inputs<S> {
  const result: Record<string, unknown> = {}
  for (const [name, def] of Object.entries(spec)) {
    const raw = (env[inputEnvName(name)] ?? '').trim()
    if (def.secret && raw !== '') options.onSecret?.(raw)
    if (raw === '') {
      if (def.required) {
        throw new ConfigurationError(`input '${name}' is required`)
      }
      result[name] = undefined
      continue
    }
    result[name] = def.parse(raw, name)
  }
  return result as Inputs<S>
}

export const text: Parser<string> = raw => raw

/**
 * For inputs whose default action.yml supplies: empty means someone cleared
 * it on purpose, which is an error rather than a silent fallback.
 */
export function given<T>(value: T | undefined, name: string): T {
  if (value === undefined) {
    throw new ConfigurationError(`input '${name}' must not be empty`)
  }
  return value
}

const TRUE_FORMS = ['true', 'True', 'TRUE']
const FALSE_FORMS = ['false', 'False', 'FALSE']

/** The same forms @actions/core's getBooleanInput accepts (YAML 1.2 core). */
export const bool: Parser<boolean> = (raw, name) => {
  if (TRUE_FORMS.includes(raw)) return true
  if (FALSE_FORMS.includes(raw)) return false
  throw new ConfigurationError(
    `input '${name}' must be true or false, got '${raw}'`
  )
}

export function oneOf<const T extends string>(...values: T[]): Parser<T> {
  return (raw, name) => {
    if ((values as string[]).includes(raw)) return raw as T
    throw new ConfigurationError(
      `input '${name}' must be one of ${values.join(', ')}, got '${raw}'`
    )
  }
}

export function integer(range: {min?: number; max?: number} = {}) {
  const {min = 0, max = Number.MAX_SAFE_INTEGER} = range
  const parser: Parser<number> = (raw, name) => {
    const value = /^-?\d+$/.test(raw) ? Number(raw) : NaN
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const bound =
        max === Number.MAX_SAFE_INTEGER
          ? `a whole number of at least ${min}`
          : `a whole number from ${min} to ${max}`
      throw new ConfigurationError(
        `input '${name}' must be ${bound}, got '${raw}'`
      )
    }
    return value
  }
  return parser
}

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000
}

/** A Go-style duration such as 30s, 5m or 1h30m, in milliseconds. */
export const duration: Parser<number> = (raw, name) => {
  const parts = [...raw.matchAll(/(\d+)(ms|s|m|h)/g)]
  const consumed = parts.map(p => p[0]).join('')
  if (parts.length === 0 || consumed !== raw) {
    throw new ConfigurationError(
      `input '${name}' must be a duration like 30s, 5m or 1h30m, got '${raw}'`
    )
  }
  return parts.reduce(
    (ms, [, amount, unit]) =>
      ms + Number(amount) * (DURATION_UNITS_MS[unit!] ?? 0),
    0
  )
}

/** Items separated by newlines or commas; blank items are dropped. */
export const list: Parser<string[]> = raw =>
  raw
    .split(/[\n,]/)
    .map(item => item.trim())
    .filter(item => item !== '')

/** Lines, each kept whole (commas allowed); blank lines and # comments dropped. */
export const lines: Parser<string[]> = raw =>
  raw
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '' && !line.startsWith('#'))

/** Multiline `key=value`; the first `=` splits, so values may contain `=`. */
export const keyValues: Parser<Record<string, string>> = (raw, name) => {
  const result: Record<string, string> = {}
  for (const line of lines(raw, name)) {
    const at = line.indexOf('=')
    const key = at > 0 ? line.slice(0, at).trim() : ''
    if (key === '') {
      throw new ConfigurationError(
        `input '${name}' must hold one key=value per line, got a line without a key`
      )
    }
    if (key in result) {
      throw new ConfigurationError(
        `input '${name}' sets '${key}' more than once`
      )
    }
    result[key] = line.slice(at + 1).trim()
  }
  return result
}

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS_1123_LABEL.test(value)
}

/**
 * Cluster names: DNS-1123 labels (they become secret names, Helm values and
 * the remote-secret data key), unique, at least one.
 */
export const clusterNames: Parser<string[]> = (raw, name) => {
  const names = list(raw, name)
  if (names.length === 0) {
    throw new ConfigurationError(
      `input '${name}' must list at least one cluster name`
    )
  }
  const seen = new Set<string>()
  for (const cluster of names) {
    if (!isDns1123Label(cluster)) {
      throw new ConfigurationError(
        `input '${name}' must hold DNS-1123 labels (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric), got '${cluster}'`
      )
    }
    if (seen.has(cluster)) {
      throw new ConfigurationError(
        `input '${name}' lists '${cluster}' more than once`
      )
    }
    seen.add(cluster)
  }
  return names
}

/** An AWS region name such as eu-west-1; validated so it is safe in URLs. */
export const awsRegion: Parser<string> = (raw, name) => {
  if (/^[a-z]{2}(-[a-z]+)+-\d+$/.test(raw)) return raw
  throw new ConfigurationError(
    `input '${name}' must be an AWS region like eu-west-1, got '${raw}'`
  )
}
