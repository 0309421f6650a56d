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
  /** The key type asked for; undefined accepts any (fetch never reissues). */
  keyType?: KeyType
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
  if (keyType !== undefined && facts.keyType !== keyType) {
    return {
      status: 'renewed',
      reason: `key type is ${facts.keyType ?? 'unknown'}, wanted ${keyType}`
    }
  }
  return {status: 'reused', reason: 'valid and signed by the root CA'}
}

export interface FetchInput {
  /** The root certificate's facts (fetch never sees the root key). */
  root: CaFacts | undefined
  intermediates: {
    cluster: string
    facts: CaFacts | undefined
    signedByRoot: boolean
  }[]
  renewWithinDays: number
  now: Date
  rootLocation: string
  intermediateLocation: (cluster: string) => string
}

/**
 * What stops `mode: fetch`, which reads and never writes: everything that
 * `mode: issue` would create or renew (whatever the key type: that only
 * matters to new keys), and a root that is missing, broken or expired.
 * Empty when the stored CAs can be handed to the cluster stage as they are.
 */
export function fetchProblems(input: FetchInput): string[] {
  const {root, now} = input
  const problems: string[] = []
  if (!root) {
    problems.push(`the root CA certificate is missing (${input.rootLocation})`)
  } else if (root.defect) {
    problems.push(`the root CA: ${root.defect} (${input.rootLocation})`)
  } else if (root.notAfter && root.notAfter <= now) {
    problems.push(
      `the root CA expired on ${root.notAfter.toISOString()} (${input.rootLocation})`
    )
  }
  const rootUsable = problems.length === 0
  for (const i of input.intermediates) {
    const decision = decideIntermediate({
      facts: i.facts,
      // Against a missing or broken root, "signed by another root" would
      // only repeat the root's problem.
      signedByRoot: i.signedByRoot || !rootUsable,
      renewWithinDays: input.renewWithinDays,
      now
    })
    if (decision.status === 'reused') continue
    const what =
      decision.status === 'issued'
        ? 'no intermediate CA yet'
        : `due for renewal: ${decision.reason}`
    problems.push(
      `cluster '${i.cluster}': ${what} (${input.intermediateLocation(i.cluster)})`
    )
  }
  return problems
}
