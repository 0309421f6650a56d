import {ConfigurationError} from '../../common/errors.ts'
import {
  bool,
  duration,
  given,
  keyValues,
  list,
  optional,
  readInputs,
  secret,
  text,
  type InputSpec,
  type Parser
} from '../../common/inputs.ts'
import type {ClusterEntry} from '../../kube/kubeconfig.ts'
import type {Images} from '../../mesh/verify-manifests.ts'
import {autoRequests} from '../../mesh/verify-traffic.ts'
import type {Checks} from '../../mesh/verify.ts'
import {
  clusterReach,
  clusterReachSpec,
  dns1123,
  type ClusterReach
} from '../clusters.ts'

const CHECKS = ['control-plane', 'traffic'] as const

const checks: Parser<Checks> = (raw, name) => {
  const items = list(raw, name)
  for (const item of items) {
    if (!(CHECKS as readonly string[]).includes(item)) {
      throw new ConfigurationError(
        `input '${name}' must list control-plane, traffic or both, got '${item}'`
      )
    }
  }
  if (items.length === 0) {
    throw new ConfigurationError(
      `input '${name}' must list control-plane, traffic or both`
    )
  }
  return {
    controlPlane: items.includes('control-plane'),
    traffic: items.includes('traffic')
  }
}

export const MAX_REQUESTS = 10_000

const requests: Parser<number | 'auto'> = (raw, name) => {
  if (raw === 'auto') return 'auto'
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_REQUESTS) {
    throw new ConfigurationError(
      `input '${name}' must be auto or a whole number from 1 to ${MAX_REQUESTS}, got '${raw}'`
    )
  }
  return n
}

const positiveDuration: Parser<number> = (raw, name) => {
  const ms = duration(raw, name)
  if (ms <= 0) {
    throw new ConfigurationError(
      `input '${name}' must be a duration longer than 0 like 30s or 5m, got '${raw}'`
    )
  }
  return ms
}

/** A container image reference: no spaces, no shell or YAML specials. */
const image: Parser<string> = (raw, name) => {
  if (/^[A-Za-z0-9][A-Za-z0-9._\-/:@]{0,254}$/.test(raw)) return raw
  throw new ConfigurationError(
    `input '${name}' must be a container image like registry.example/app:1.0, got '${raw}'`
  )
}

export const spec = {
  ...clusterReachSpec,
  namespace: optional(dns1123),
  'istio-namespace': optional(dns1123),
  checks: optional(checks),
  'istiod-urls': optional(keyValues),
  requests: optional(requests),
  timeout: optional(positiveDuration),
  cleanup: optional(bool),
  'helloworld-image': optional(image),
  'helloworld-v2-image': optional(image),
  'curl-image': optional(image),
  'report-issue': optional(bool),
  'github-token': secret(optional(text))
} satisfies InputSpec

export interface VerifyInputs extends ClusterReach {
  namespace: string
  istioNamespace: string
  checks: Checks
  /** cluster -> istiod's address, instead of a port-forward. */
  istiodUrls: Record<string, string>
  /** The resolved count; `auto` already worked out for the clusters. */
  requests: number
  requestsAuto: boolean
  timeoutMs: number
  cleanup: boolean
  images: Images
  reportIssue: boolean
  githubToken?: string
}

/** istiod addresses: http(s), no credentials, for listed clusters only. */
function istiodUrls(
  raw: Record<string, string> | undefined,
  clusters: readonly ClusterEntry[]
): Record<string, string> {
  const names = clusters.map(c => c.name)
  const out: Record<string, string> = {}
  for (const [cluster, value] of Object.entries(raw ?? {})) {
    if (!names.includes(cluster)) {
      throw new ConfigurationError(
        `input 'istiod-urls' names cluster '${cluster}', which input 'clusters' does not list (${names.join(', ')})`
      )
    }
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw new ConfigurationError(
        `input 'istiod-urls' must give ${cluster}=http(s)://host:port, got a value for '${cluster}' that is not a URL`
      )
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigurationError(
        `input 'istiod-urls' must give http or https URLs, got ${url.protocol} for '${cluster}'`
      )
    }
    if (url.username || url.password) {
      throw new ConfigurationError(
        `input 'istiod-urls' must not carry credentials in the URL for '${cluster}'`
      )
    }
    out[cluster] = value
  }
  return out
}

/** Every input, validated together, before any cluster is contacted. */
export function readVerifyInputs(
  env: NodeJS.ProcessEnv,
  options: {onSecret?: (s: string) => void; cwd?: string} = {}
): VerifyInputs {
  const raw = readInputs(spec, env, {onSecret: options.onSecret})
  const reach = clusterReach(raw, env, options.cwd ?? process.cwd())
  const {clusters} = reach
  const asked = given(raw.requests, 'requests')
  const reportIssue = given(raw['report-issue'], 'report-issue')
  const token = raw['github-token']
  if (reportIssue && (!token || token.startsWith('${{'))) {
    throw new ConfigurationError(
      `input 'report-issue' needs input 'github-token' (a token with issues: write)`
    )
  }
  return {
    ...reach,
    namespace: given(raw.namespace, 'namespace'),
    istioNamespace: given(raw['istio-namespace'], 'istio-namespace'),
    checks: given(raw.checks, 'checks'),
    istiodUrls: istiodUrls(raw['istiod-urls'], clusters),
    requests: asked === 'auto' ? autoRequests(clusters.length) : asked,
    requestsAuto: asked === 'auto',
    timeoutMs: given(raw.timeout, 'timeout'),
    cleanup: given(raw.cleanup, 'cleanup'),
    images: {
      helloworld: given(raw['helloworld-image'], 'helloworld-image'),
      helloworldV2: given(raw['helloworld-v2-image'], 'helloworld-v2-image'),
      curl: given(raw['curl-image'], 'curl-image')
    },
    reportIssue,
    ...(token && !token.startsWith('${{') ? {githubToken: token} : {})
  }
}
