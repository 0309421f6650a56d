import {ConfigurationError} from '../common/errors.ts'
import type {CaFacts} from './inspect.ts'
import {DAY_MS, type KeyType} from './profile.ts'

/** What happens to one CA in this run; also the status users see. */
export type CaStatus = 'issued' | 'reused' | 'renewed'

export interface Decision {
  status: CaStatus
  /** Why, in words, for the log. */
  reason: string
}

export interface RootInput {
  /** Undefined when the store holds no root at all. */
  facts: CaFacts | undefined
  rotateRoot: boolean
  now: Date
  /** Where the root is kept, for messages: names the input to fix. */
  where: string
}

/**
 * The root is replaced only on request: every cluster's trust hangs on it,
 * and istiod refuses a new root unless a multi-root rollout is under way.
 * A broken or expired stored root is therefore an error, not a reissue.
 */
export function decideRoot(input: RootInput): Decision {
  const {facts, rotateRoot, now, where} = input
  if (rotateRoot) {
    return {
      status: facts ? 'renewed' : 'issued',
      reason: 'rotate-root is true'
    }
  }
  if (!facts) return {status: 'issued', reason: 'no root CA stored yet'}
  if (facts.defect) {
    throw new ConfigurationError(
      `the root CA in ${where} is unusable (${facts.defect}); restore it, or set rotate-root: true to replace it`
    )
  }
  if (facts.notAfter && facts.notAfter <= now) {
    throw new ConfigurationError(
      `the root CA in ${where} expired on ${facts.notAfter.toISOString()}; set rotate-root: true to replace it`
    )
  }
  return {status: 'reused', reason: 'root CA stored'}
}

export interface IntermediateInput {
  facts: CaFacts | undefined
  /** Whether the stored intermediate was issued and signed by the root in use. */
  signedByRoot: boolean
  keyType: KeyType
  renewWithinDays: number
  now: Date
}

/**
 * An intermediate is reissued when missing, unusable, not signed by the
 * current root, near expiry, or of another key type than asked for.
 */
export function decideIntermediate(input: IntermediateInput): Decision {
  const {facts, signedByRoot, keyType, renewWithinDays, now} = input
  if (!facts) return {status: 'issued', reason: 'no intermediate CA yet'}
  if (facts.defect) return {status: 'renewed', reason: facts.defect}
  if (!signedByRoot) {
    return {status: 'renewed', reason: 'signed by another root CA'}
  }
  const notAfter = facts.notAfter!
  const daysLeft = (notAfter.getTime() - now.getTime()) / DAY_MS
  if (daysLeft <= renewWithinDays) {
    return {
      status: 'renewed',
      reason: `expires ${notAfter.toISOString()}, within ${renewWithinDays} days`
    }
  }
  if (facts.keyType !== keyType) {
    return {
      status: 'renewed',
      reason: `key type is ${facts.keyType ?? 'unknown'}, wanted ${keyType}`
    }
  }
  return {status: 'reused', reason: 'valid and signed by the root CA'}
}
