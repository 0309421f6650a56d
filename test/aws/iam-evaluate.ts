import type {PolicyDocument} from '../../src/aws/iam-policies.ts'

/**
 * IAM's wildcard match: `*` any run of characters, `?` exactly one. Actions
 * compare case-insensitively, ARNs case-sensitively, as IAM does.
 */
export function iamMatch(
  pattern: string,
  value: string,
  ignoreCase = false
): boolean {
  const source = pattern
    .split('')
    .map(ch =>
      ch === '*'
        ? '.*'
        : ch === '?'
          ? '.'
          : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')
    )
    .join('')
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value)
}

export type Verdict = 'allow' | 'deny' | 'implicit-deny'

/**
 * The decision of one identity policy for one action on one resource: an
 * explicit Deny wins, then any Allow, else the implicit deny. Conditions
 * are ignored, which only widens what counts as granted: a test that finds
 * no grant here finds none under any condition either.
 */
export function evaluate(
  doc: PolicyDocument,
  action: string,
  resource: string
): Verdict {
  const applies = (s: PolicyDocument['Statement'][number]) =>
    s.Action.some(a => iamMatch(a, action, true)) &&
    s.Resource.some(r => iamMatch(r, resource))
  if (doc.Statement.some(s => s.Effect === 'Deny' && applies(s))) return 'deny'
  if (doc.Statement.some(s => s.Effect === 'Allow' && applies(s))) {
    return 'allow'
  }
  return 'implicit-deny'
}
