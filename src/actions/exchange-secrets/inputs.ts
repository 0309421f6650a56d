import {ConfigurationError} from '../../common/errors.ts'
import {
  awsRegion,
  bool,
  list,
  oneOf,
  optional,
  readInputs,
  required,
  text,
  type InputSpec,
  given
} from '../../common/inputs.ts'
import {resolveInside} from '../../common/paths.ts'
import type {ClusterEntry} from '../../kube/kubeconfig.ts'
import {clusterEntries, dns1123} from '../clusters.ts'
import type {Mode} from '../../mesh/exchange.ts'

export const spec = {
  clusters: required(list),
  provider: optional(oneOf('eks', 'kubeconfig')),
  'aws-region': optional(awsRegion),
  kubeconfig: optional(text),
  namespace: optional(dns1123),
  'service-account': optional(dns1123),
  'token-secret': optional(dns1123),
  mode: optional(oneOf('apply', 'check', 'revoke')),
  prune: optional(bool)
} satisfies InputSpec

export interface ExchangeInputs {
  clusters: ClusterEntry[]
  provider: 'eks' | 'kubeconfig'
  awsRegion?: string
  /** undefined: $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string
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
  const provider = given(raw.provider, 'provider')
  const mode = given(raw.mode, 'mode')
  const prune = given(raw.prune, 'prune')
  if (prune && mode !== 'apply') {
    throw new ConfigurationError(
      `input 'prune' works only with mode apply, got mode '${mode}'`
    )
  }
  return {
    clusters: clusterEntries(raw.clusters, provider),
    provider,
    awsRegion: raw['aws-region'],
    kubeconfig:
      raw.kubeconfig === undefined
        ? undefined
        : resolveInside(raw.kubeconfig, 'kubeconfig', env, cwd),
    namespace: given(raw.namespace, 'namespace'),
    serviceAccount: given(raw['service-account'], 'service-account'),
    tokenSecret: given(raw['token-secret'], 'token-secret'),
    mode,
    prune
  }
}
