import {createHash} from 'node:crypto'
import type {PlanJson} from './plan-json.ts'

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value ?? null)
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

const isNoOp = (actions: readonly string[]) =>
  actions.length === 1 && actions[0] === 'no-op'

/**
 * SHA-256 of what the plan would do: every resource change that is not a
 * no-op (moves and imports included), with its actions and known values,
 * and every output change, sorted by address. Timestamps, versions, prior
 * state and the order Terraform lists changes in are left out, so the same
 * changes planned twice give the same digest and a text-level difference
 * never does.
 */
export function planDigest(plan: PlanJson): string {
  const resources = (plan.resource_changes ?? [])
    .filter(
      rc =>
        !isNoOp(rc.change.actions) ||
        (rc.previous_address && rc.previous_address !== rc.address) ||
        rc.change.importing != null
    )
    .map(rc => ({
      address: rc.address,
      previous_address: rc.previous_address,
      actions: rc.change.actions,
      before: rc.change.before,
      after: rc.change.after,
      after_unknown: rc.change.after_unknown,
      importing: rc.change.importing ?? undefined
    }))
    .sort((a, b) =>
      a.address < b.address ? -1 : a.address > b.address ? 1 : 0
    )
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, oc]) => !isNoOp(oc.actions))
    .map(([name, oc]) => ({
      name,
      actions: oc.actions,
      before: oc.before,
      after: oc.after,
      after_unknown: oc.after_unknown
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const canonical = canonicalJson({v: 1, resources, outputs})
  return createHash('sha256').update(canonical).digest('hex')
}
