/**
 * Failures of init and read-only plans that a second try can fix: provider
 * or registry downloads, network hiccups, a throttled or briefly failing
 * backend, a plugin binary still being written by another process. Lock
 * contention is not here: -lock-timeout handles it, then it fails with the
 * holder named.
 */
const TRANSIENT: readonly [RegExp, string][] = [
  [/text file busy/i, 'plugin binary busy'],
  [/\b(429|too many requests)\b/i, 'rate limited (429)'],
  [
    /\b(SlowDown|Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException)\b/,
    'backend throttled'
  ],
  [
    /\b(50[234])\b|bad gateway|service unavailable|gateway timeout/i,
    'server error (5xx)'
  ],
  [/\b(InternalError|ServiceUnavailable|RequestTimeout)\b/, 'backend error'],
  [
    /connection reset|connection refused|broken pipe|unexpected EOF|\bEOF\b/i,
    'connection dropped'
  ],
  [
    /i\/o timeout|TLS handshake timeout|context deadline exceeded|Client\.Timeout/i,
    'network timeout'
  ],
  [/temporary failure in name resolution|no such host/i, 'DNS lookup failed'],
  [
    /failed to (install|query|download) provider|could not connect to registry|error while installing/i,
    'provider download failed'
  ]
]

const NEVER: readonly RegExp[] = [/state lock/i, /saved plan is stale/i]

/** The reason to retry, or undefined when the failure is not transient. */
export function transientReason(text: string): string | undefined {
  if (NEVER.some(re => re.test(text))) return undefined
  return TRANSIENT.find(([re]) => re.test(text))?.[1]
}

export interface RetryOptions {
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  sleep: (ms: number) => Promise<void>
  random: () => number
  onRetry: (attempt: number, reason: string, delayMs: number) => void
}

/** Full-jitter exponential backoff, capped. */
export function backoffMs(
  attempt: number,
  o: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>
): number {
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (o.random() * ceiling) / 2)
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts run out.
 * `attempt` returns undefined on success or the failure text to classify.
 */
export async function withRetries<T>(
  attempt: () => Promise<{result: T; failure?: string}>,
  o: RetryOptions
): Promise<T> {
  for (let n = 1; ; n++) {
    const {result, failure} = await attempt()
    if (failure === undefined || n >= o.attempts) return result
    const reason = transientReason(failure)
    if (!reason) return result
    const delay = backoffMs(n, o)
    o.onRetry(n, reason, delay)
    await o.sleep(delay)
  }
}
