import type {Core} from '../common/core.ts'
import {ConfigurationError} from '../common/errors.ts'
import {
  awsRegion,
  given,
  isDns1123Label,
  list,
  oneOf,
  optional,
  required,
  text,
  type Inputs,
  type InputSpec,
  type Parser
} from '../common/inputs.ts'
import {resolveInside} from '../common/paths.ts'
import {
  kubeconfigTargets,
  loadKubeconfig,
  type ClusterEntry,
  type ClusterTarget
} from '../kube/kubeconfig.ts'

/** A name that must be a DNS-1123 label (a namespace, an object name). */
export const dns1123: Parser<string> = (raw, name) => {
  if (isDns1123Label(raw)) return raw
  throw new ConfigurationError(
    `input '${name}' must be a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric), got '${raw}'`
  )
}

/** The server-side apply field manager of what the actions write in clusters. */
export const FIELD_MANAGER = 'eks-istio-mesh'

/** The inputs by which exchange-secrets and verify-mesh reach clusters. */
export const clusterReachSpec = {
  clusters: required(list),
  provider: optional(oneOf('eks', 'kubeconfig')),
  'aws-region': optional(awsRegion),
  kubeconfig: optional(text)
} satisfies InputSpec

export interface ClusterReach {
  clusters: ClusterEntry[]
  provider: 'eks' | 'kubeconfig'
  awsRegion?: string
  /** undefined: $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string
}

/** The read `clusterReachSpec` inputs, checked and resolved. */
export function clusterReach(
  raw: Inputs<typeof clusterReachSpec>,
  env: NodeJS.ProcessEnv,
  cwd: string
): ClusterReach {
  const provider = given(raw.provider, 'provider')
  return {
    clusters: clusterEntries(raw.clusters, provider),
    provider,
    awsRegion: raw['aws-region'],
    kubeconfig:
      raw.kubeconfig === undefined
        ? undefined
        : resolveInside(raw.kubeconfig, 'kubeconfig', env, cwd)
  }
}

/**
 * Input `clusters` of the actions that reach clusters (exchange-secrets,
 * verify-mesh): `name` or, with provider kubeconfig, `name=context`. The
 * name is the cluster ID (Istio's clusterName, the remote-secret key), so it
 * must be a DNS-1123 label.
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

/**
 * Every listed cluster's API client: from a kubeconfig, or from EKS
 * (DescribeCluster and a token made from the runner's AWS credentials,
 * masked at once). An unknown cluster fails before any call to the others.
 */
export async function clusterTargets(
  settings: {
    provider: 'eks' | 'kubeconfig'
    clusters: readonly ClusterEntry[]
    kubeconfig?: string
    awsRegion?: string
  },
  deps: {core: Pick<Core, 'setSecret'>; env: NodeJS.ProcessEnv}
): Promise<ClusterTarget[]> {
  if (settings.provider === 'kubeconfig') {
    return kubeconfigTargets(
      loadKubeconfig(settings.kubeconfig, deps.env),
      settings.clusters
    )
  }
  // The AWS SDK is loaded only for provider eks.
  const {eksTargets} = await import('../aws/eks-targets.ts')
  return eksTargets({
    entries: settings.clusters,
    region: settings.awsRegion,
    env: deps.env,
    mask: s => deps.core.setSecret(s)
  })
}
