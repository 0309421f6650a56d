import {backoffMs} from '../terraform/retry.ts'

/** Network failures where the request may not have reached the server. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET'
])

export interface Failure {
  /** HTTP status, when the server answered. */
  status?: number
  /** Node's error code, when it did not. */
  code?: string
  /** Retry-After, in seconds, as the server sent it. */
  retryAfter?: string
}

export const MAX_ATTEMPTS = 4
const BASE_DELAY_MS = 500
const MAX_DELAY_MS = 8000

/**
 * Whether, and after how long, to try an idempotent call again (every call
 * this toolkit makes to Kubernetes is one: GET, LIST, server-side apply,
 * DELETE, SelfSubjectAccessReview). 429 honours Retry-After within the cap;
 * 5xx and dropped connections back off; any other 4xx never repeats.
 */
export function retryDelay(
  failure: Failure,
  attempt: number,
  random: () => number = Math.random
): number | undefined {
  if (attempt >= MAX_ATTEMPTS) return undefined
  const {status, code} = failure
  const transient =
    status === 429 ||
    (status !== undefined && status >= 500 && status !== 501) ||
    (status === undefined && code !== undefined && TRANSIENT_CODES.has(code))
  if (!transient) return undefined
  const seconds = Number(failure.retryAfter)
  if (status === 429 && Number.isFinite(seconds) && seconds >= 0) {
    return Math.min(seconds * 1000, MAX_DELAY_MS)
  }
  return backoffMs(attempt, {
    baseDelayMs: BASE_DELAY_MS,
    maxDelayMs: MAX_DELAY_MS,
    random
  })
}
