import {ConfigurationError} from '../../common/errors.ts'
import {
  awsRegion,
  bool,
  clusterNames,
  integer,
  oneOf,
  optional,
  readInputs,
  required,
  text,
  type InputSpec,
  type Parser,
  given
} from '../../common/inputs.ts'
import {resolveInside} from '../../common/paths.ts'
import {KEY_TYPES, type KeyType} from '../../certs/profile.ts'

/** Secrets Manager allows these characters in names (512 at most). */
const secretPrefix: Parser<string> = (raw, name) => {
  if (/^[A-Za-z0-9/_+=.@-]{1,400}$/.test(raw)) return raw
  throw new ConfigurationError(
    `input '${name}' must use only letters, digits and /_+=.@- (at most 400), got '${raw}'`
  )
}

const days = integer({min: 1, max: 36_500})

export const MODES = ['issue', 'fetch'] as const

export type CertsMode = (typeof MODES)[number]

export const spec = {
  clusters: required(clusterNames),
  mode: optional(oneOf(...MODES)),
  'output-dir': optional(text),
  store: optional(oneOf('directory', 'aws-secrets-manager')),
  'secret-prefix': optional(secretPrefix),
  'aws-region': optional(awsRegion),
  'key-type': optional(oneOf(...KEY_TYPES)),
  'root-days': optional(days),
  'intermediate-days': optional(days),
  'renew-within-days': optional(integer({min: 0, max: 36_500})),
  'rotate-root': optional(bool)
} satisfies InputSpec

export interface GenerateCertsInputs {
  clusters: string[]
  mode: CertsMode
  outputDir: string
  store: 'directory' | 'aws-secrets-manager'
  secretPrefix: string
  awsRegion?: string
  keyType: KeyType
  rootDays: number
  intermediateDays: number
  renewWithinDays: number
  rotateRoot: boolean
}

/** Every input, validated together, before anything is read or written. */
export function readGenerateCertsInputs(
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd()
): GenerateCertsInputs {
  const raw = readInputs(spec, env)
  const inputs: GenerateCertsInputs = {
    clusters: raw.clusters,
    mode: given(raw.mode, 'mode'),
    outputDir: resolveInside(
      given(raw['output-dir'], 'output-dir'),
      'output-dir',
      env,
      cwd
    ),
    store: given(raw.store, 'store'),
    secretPrefix: raw['secret-prefix'] ?? '',
    awsRegion: raw['aws-region'],
    keyType: given(raw['key-type'], 'key-type'),
    rootDays: given(raw['root-days'], 'root-days'),
    intermediateDays: given(raw['intermediate-days'], 'intermediate-days'),
    renewWithinDays: given(raw['renew-within-days'], 'renew-within-days'),
    rotateRoot: given(raw['rotate-root'], 'rotate-root')
  }
  if (inputs.renewWithinDays >= inputs.intermediateDays) {
    // Otherwise every run would find every intermediate due for renewal.
    throw new ConfigurationError(
      `input 'renew-within-days' must be less than intermediate-days (${inputs.intermediateDays}), got '${inputs.renewWithinDays}'`
    )
  }
  if (inputs.mode === 'fetch' && inputs.rotateRoot) {
    throw new ConfigurationError(
      `input 'rotate-root' must be false with mode fetch, which never writes to the store; rotate the root with mode issue, got 'true'`
    )
  }
  if (inputs.store === 'aws-secrets-manager' && inputs.secretPrefix === '') {
    throw new ConfigurationError(
      `input 'secret-prefix' must not be empty with store aws-secrets-manager`
    )
  }
  return inputs
}
