import {ConfigurationError} from '../../common/errors.ts'
import {
  bool,
  oneOf,
  optional,
  readInputs,
  type InputSpec,
  given
} from '../../common/inputs.ts'
import {
  clusterReach,
  clusterReachSpec,
  dns1123,
  type ClusterReach
} from '../clusters.ts'
import type {Mode} from '../../mesh/exchange.ts'

export const spec = {
  ...clusterReachSpec,
  namespace: optional(dns1123),
  'service-account': optional(dns1123),
  'token-secret': optional(dns1123),
  mode: optional(oneOf('apply', 'check', 'revoke')),
  prune: optional(bool)
} satisfies InputSpec

export interface ExchangeInputs extends ClusterReach {
  namespace: string
  serviceAccount: string
  tokenSecret: string
  mode: Mode
  prune: boolean
}

/** Every input, validated together, before any cluster is contacted. */
export function readExchangeInputs(
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd()
): ExchangeInputs {
  const raw = readInputs(spec, env)
  const mode = given(raw.mode, 'mode')
  const prune = given(raw.prune, 'prune')
  if (prune && mode !== 'apply') {
    throw new ConfigurationError(
      `input 'prune' works only with mode apply, got mode '${mode}'`
    )
  }
  return {
    ...clusterReach(raw, env, cwd),
    namespace: given(raw.namespace, 'namespace'),
    serviceAccount: given(raw['service-account'], 'service-account'),
    tokenSecret: given(raw['token-secret'], 'token-secret'),
    mode,
    prune
  }
}
