import type {PlanJson} from './plan-json.ts'

/**
 * Resource types whose values are secrets whether or not the provider flags
 * them: their attributes are never printed (digger#2677 leaked these).
 */
export const SECRET_BEARING_TYPES: ReadonlySet<string> = new Set([
  'kubernetes_secret',
  'kubernetes_secret_v1',
  'tls_private_key',
  'random_password',
  'aws_secretsmanager_secret_version'
])

/** Short values are left out: masking `true` or `1` would garble logs. */
export const MIN_SECRET_LENGTH = 6

function collectFlagged(
  value: unknown,
  flags: unknown,
  out: Set<string>,
  all = false
): void {
  const flagged = all || flags === true
  if (value === null || value === undefined) return
  if (typeof value !== 'object') {
    if (flagged) {
      const text = String(value)
      if (text.length >= MIN_SECRET_LENGTH) out.add(text)
    }
    return
  }
  const children = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value as Record<string, unknown>)
  for (const [key, child] of children) {
    const childFlags =
      flags !== null && typeof flags === 'object'
        ? (flags as Record<string | number, unknown>)[key]
        : undefined
    collectFlagged(child, childFlags, out, flagged)
  }
}

interface ConfigVariables {
  configuration?: {
    root_module?: {variables?: Record<string, {sensitive?: boolean}>}
  }
  variables?: Record<string, {value?: unknown}>
}

/**
 * Every value the plan marks sensitive (resource and output changes,
 * sensitive root variables) and every value of a secret-bearing type, so
 * they can be masked in logs and removed from anything sent to GitHub.
 */
export function sensitiveValues(plan: PlanJson & ConfigVariables): string[] {
  const out = new Set<string>()
  const changes = [
    ...(plan.resource_changes ?? []),
    ...(plan.resource_drift ?? [])
  ]
  for (const rc of changes) {
    const all = SECRET_BEARING_TYPES.has(rc.type ?? '')
    collectFlagged(rc.change.before, rc.change.before_sensitive, out, all)
    collectFlagged(rc.change.after, rc.change.after_sensitive, out, all)
  }
  for (const oc of Object.values(plan.output_changes ?? {})) {
    collectFlagged(oc.before, oc.before_sensitive, out)
    collectFlagged(oc.after, oc.after_sensitive, out)
  }
  const declared = plan.configuration?.root_module?.variables ?? {}
  for (const [name, v] of Object.entries(declared)) {
    if (v.sensitive) collectFlagged(plan.variables?.[name]?.value, true, out)
  }
  return [...out]
}
