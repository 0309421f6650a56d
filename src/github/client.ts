import {retry} from '@octokit/plugin-retry'
import {throttling} from '@octokit/plugin-throttling'
import {Octokit} from '@octokit/rest'

export type GitHubClient = InstanceType<typeof Octokit>

export interface ClientOptions {
  token: string
  /** GITHUB_API_URL: github.com's API, or GitHub Enterprise Server's. */
  baseUrl: string
  warn: (message: string) => void
  /** Scales Retry-After seconds; tests pass 1 so a wait takes milliseconds. */
  retryAfterBaseMs?: number
}

const ThrottledOctokit = Octokit.plugin(retry, throttling)

/** Retries when the wait is bounded: two primary, one secondary limit. */
export const MAX_PRIMARY_RETRIES = 2
export const MAX_SECONDARY_RETRIES = 1
/** A primary limit resets hourly: waiting longer than this fails instead. */
export const MAX_WAIT_SECONDS = 120

/**
 * An Octokit with retries and throttling. plugin-retry retries 5xx (three
 * times); 429 is left to the throttling plugin, which honours Retry-After
 * and the primary limit's reset time, where plugin-retry would not.
 */
export function createGitHubClient(o: ClientOptions): GitHubClient {
  return new ThrottledOctokit({
    auth: o.token,
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    userAgent: 'eks-istio-mesh-actions',
    log: {
      debug: () => {},
      info: () => {},
      // Octokit's own warnings may quote response bodies: keep them out.
      warn: () => {},
      error: () => {}
    },
    retry: {doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451]},
    throttle: {
      retryAfterBaseValue: o.retryAfterBaseMs ?? 1000,
      onRateLimit: (retryAfter, options, _octokit, retryCount) => {
        if (retryCount >= MAX_PRIMARY_RETRIES) return false
        if (retryAfter > MAX_WAIT_SECONDS) {
          o.warn(
            `GitHub API rate limit reached for ${options.method} ${options.url}; it resets in ${retryAfter} s, longer than the ${MAX_WAIT_SECONDS} s this step waits`
          )
          return false
        }
        o.warn(
          `GitHub API rate limit reached for ${options.method} ${options.url}; retrying in ${retryAfter} s`
        )
        return true
      },
      onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
        if (retryCount >= MAX_SECONDARY_RETRIES) return false
        if (retryAfter > MAX_WAIT_SECONDS) return false
        o.warn(
          `GitHub API secondary rate limit for ${options.method} ${options.url}; retrying in ${retryAfter} s`
        )
        return true
      }
    }
  })
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout'
}

export function apiStatus(err: unknown): number | undefined {
  const status = (err as {status?: unknown} | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** Status and reason only: API error bodies may echo what was sent. */
export function describeApiError(what: string, err: unknown): string {
  const status = apiStatus(err)
  if (status === undefined) {
    const code = (err as {code?: unknown} | null)?.code
    return `GitHub API ${what} failed: no response${typeof code === 'string' ? ` (${code})` : ''}`
  }
  return `GitHub API ${what} failed: ${status} ${REASONS[status] ?? 'error'}`
}
