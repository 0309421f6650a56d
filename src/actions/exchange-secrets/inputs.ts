import {ConfigurationError} from '../../common/errors.ts'
import {
  awsRegion,
  bool,
  isDns1123Label,
  list,
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
import type {ClusterEntry} from '../../kube/kubeconfig.ts'
import type {Mode} from '../../mesh/exchange.ts'

const dns1123: Parser<string> = (raw, name) => {
  if (isDns1123Label(raw)) return raw
  throw new ConfigurationError(
    `input '${name}' must be a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric), got '${raw}'`
  )
}

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

/**
 * `name` or, with provider kubeconfig, `name=context`: the name is the
 * cluster ID (data key and secret name), so it must be a DNS-1123 label.
 */
export function clusterEntries(
  items: readonly string[],
  provider: 'eks' | 'kubeconfig'
): ClusterEntry[] {
  if (items.length === 0) {
    throw new ConfigurationError(
      `input 'clusters' must list at least one cluster`
    )
  }
  const entries = items.map(item => {
    const at = item.indexOf('=')
    if (at >= 0 && provider !== 'kubeconfig') {
      throw new ConfigurationError(
        `input 'clusters' takes name=context only with provider kubeconfig, got '${item}'`
      )
    }
    const name = at >= 0 ? item.slice(0, at).trim() : item
    const context = at >= 0 ? item.slice(at + 1).trim() : item
    if (!isDns1123Label(name)) {
      throw new ConfigurationError(
        `input 'clusters' must name clusters with DNS-1123 labels (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric), got '${name}'`
      )
    }
    if (context === '') {
      throw new ConfigurationError(
        `input 'clusters' has no context after '=' in '${item}'`
      )
    }
    return {name, context}
  })
  const seen = new Set<string>()
  for (const e of entries) {
    if (seen.has(e.name)) {
      throw new ConfigurationError(
        `input 'clusters' lists '${e.name}' more than once`
      )
    }
    seen.add(e.name)
  }
  return entries
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
