import {isDestructive, type ResourceSummary} from './plan-summary.ts'

export interface Refusal {
  address: string
  kind: ResourceSummary['kind']
  reason?: string
  replacePaths?: string[]
  /** The `protect` pattern that matched, when that is why it is refused. */
  protectedBy?: string
}

export interface GuardVerdict {
  ok: boolean
  refused: Refusal[]
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${body}$`)
}

/**
 * The forms of an address a pattern is tried against: the address itself,
 * without instance keys, and each tail that starts after a module call, so
 * `aws_eks_cluster.*` also guards `module.eks.aws_eks_cluster.this[0]`.
 */
function addressForms(address: string): string[] {
  const forms = new Set<string>()
  for (const form of [address, address.replace(/\[[^\]]*\]/g, '')]) {
    forms.add(form)
    const steps = form.match(/module\.[^.[]+(\[[^\]]*\])?\./g) ?? []
    let tail = form
    for (const step of steps) {
      tail = tail.slice(tail.indexOf(step) + step.length)
      forms.add(tail)
    }
  }
  return [...forms]
}

export function matchProtect(
  address: string,
  patterns: readonly string[]
): string | undefined {
  const forms = addressForms(address)
  return patterns.find(p => {
    const re = globToRegExp(p)
    return forms.some(f => re.test(f))
  })
}

/**
 * Whether a plan may be applied: nothing deleted, replaced or forgotten
 * unless allowed, and never anything that a protect pattern names.
 */
export function destroyVerdict(
  resources: readonly ResourceSummary[],
  allowDestroy: boolean,
  protect: readonly string[]
): GuardVerdict {
  const refused: Refusal[] = []
  for (const r of resources) {
    if (!isDestructive(r.kind)) continue
    const protectedBy = matchProtect(r.address, protect)
    if (allowDestroy && !protectedBy) continue
    const refusal: Refusal = {address: r.address, kind: r.kind}
    if (r.reason) refusal.reason = r.reason
    if (r.replacePaths) refusal.replacePaths = r.replacePaths
    if (protectedBy) refusal.protectedBy = protectedBy
    refused.push(refusal)
  }
  return {ok: refused.length === 0, refused}
}

export function describeRefusal(r: Refusal): string {
  const why = [
    r.reason,
    r.replacePaths?.length ? `forced by ${r.replacePaths.join(', ')}` : ''
  ]
    .filter(Boolean)
    .join(', ')
  return `${r.kind} ${r.address}${why ? ` (${why})` : ''}${r.protectedBy ? ` [protected by '${r.protectedBy}']` : ''}`
}

/** Names the first few refusals; a plan may refuse thousands. */
export function listRefusals(refused: readonly Refusal[], max = 20): string {
  const named = refused.slice(0, max).map(describeRefusal).join('; ')
  return refused.length > max
    ? `${named}; and ${refused.length - max} more`
    : named
}
