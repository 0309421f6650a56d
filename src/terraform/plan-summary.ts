import type {
  Change,
  OutputChange,
  PlanAction,
  PlanJson,
  ResourceChange
} from './plan-json.ts'

/** What a change does, one word each, as a reviewer reads it. */
export type ChangeKind =
  | 'create'
  | 'update'
  | 'replace'
  | 'delete'
  | 'forget'
  | 'import'
  | 'move'
  | 'read'
  | 'no-op'

export interface ResourceSummary {
  address: string
  kind: ChangeKind
  actions: PlanAction[]
  previousAddress?: string
  reason?: string
  /** Attribute paths that forced a replacement, dotted (`triggers_replace`). */
  replacePaths?: string[]
  importing?: boolean
  /** The raw change, kept for the detailed rendering; never logged. */
  change: Change
  type?: string
}

export interface OutputSummary {
  name: string
  kind: ChangeKind
  sensitive: boolean
  change: OutputChange
}

export interface PlanCounts {
  add: number
  change: number
  destroy: number
  replace: number
  import: number
  forget: number
  move: number
  /** Resources changed outside Terraform since the last apply. */
  drift: number
}

export interface PlanSummary {
  counts: PlanCounts
  /** Every resource that changes, in plan order (no-ops left out). */
  resources: ResourceSummary[]
  outputs: OutputSummary[]
  drift: ResourceSummary[]
  /** Anything at all would change: a resource, an output, a move. */
  hasChanges: boolean
  /** Refuse to apply: the plan errored or says it cannot be applied. */
  isApplyable: boolean
  deferred: number
}

export function changeKind(
  actions: readonly PlanAction[],
  extra: {previousAddress?: string; importing?: boolean} = {}
): ChangeKind {
  const has = (a: PlanAction) => actions.includes(a)
  if (has('delete') && has('create')) return 'replace'
  if (has('create') && has('forget')) return 'replace'
  if (has('create')) return 'create'
  if (has('delete')) return 'delete'
  if (has('forget')) return 'forget'
  if (has('update')) return 'update'
  if (has('read')) return 'read'
  if (extra.importing) return 'import'
  if (extra.previousAddress) return 'move'
  return 'no-op'
}

/** Deleting, in any form: the kinds the destroy guard refuses. */
export function isDestructive(kind: ChangeKind): boolean {
  return kind === 'delete' || kind === 'replace' || kind === 'forget'
}

function pathToString(path: unknown[]): string {
  return path
    .map((step, i) =>
      typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`
    )
    .join('')
}

function summarizeResource(rc: ResourceChange): ResourceSummary {
  const importing = rc.change.importing != null
  const kind = changeKind(rc.change.actions, {
    previousAddress: rc.previous_address,
    importing
  })
  const summary: ResourceSummary = {
    address: rc.address,
    kind,
    actions: rc.change.actions,
    change: rc.change,
    type: rc.type
  }
  if (rc.previous_address) summary.previousAddress = rc.previous_address
  if (rc.action_reason) summary.reason = rc.action_reason
  if (rc.change.replace_paths?.length) {
    summary.replacePaths = rc.change.replace_paths.map(pathToString)
  }
  if (importing) summary.importing = true
  return summary
}

/**
 * Builds every count and list from the plan JSON, counting the way the CLI
 * does: a replacement adds one and destroys one, reads and no-ops are left
 * out, imports and moves are counted on their own.
 */
export function summarizePlan(plan: PlanJson): PlanSummary {
  const counts: PlanCounts = {
    add: 0,
    change: 0,
    destroy: 0,
    replace: 0,
    import: 0,
    forget: 0,
    move: 0,
    drift: 0
  }
  const resources: ResourceSummary[] = []
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue
    const r = summarizeResource(rc)
    if (r.importing) counts.import++
    if (r.previousAddress && r.previousAddress !== r.address) counts.move++
    switch (r.kind) {
      case 'create':
        counts.add++
        break
      case 'update':
        counts.change++
        break
      case 'delete':
        counts.destroy++
        break
      case 'forget':
        counts.forget++
        break
      case 'replace':
        counts.replace++
        counts.add++
        if (r.actions.includes('delete')) counts.destroy++
        else counts.forget++
        break
    }
    const moved = r.previousAddress && r.previousAddress !== r.address
    if (r.kind !== 'no-op' && r.kind !== 'read') resources.push(r)
    else if (moved || r.importing) resources.push(r)
  }
  const outputs: OutputSummary[] = []
  for (const [name, change] of Object.entries(plan.output_changes ?? {})) {
    const kind = changeKind(change.actions)
    if (kind === 'no-op') continue
    outputs.push({
      name,
      kind,
      sensitive:
        change.before_sensitive === true || change.after_sensitive === true,
      change
    })
  }
  const drift = (plan.resource_drift ?? [])
    .filter(rc => rc.mode !== 'data')
    .map(summarizeResource)
    .filter(r => r.kind !== 'no-op' && r.kind !== 'read')
  counts.drift = drift.length
  return {
    counts,
    resources,
    outputs,
    drift,
    hasChanges: resources.length > 0 || outputs.length > 0,
    isApplyable: plan.errored !== true && plan.applyable !== false,
    deferred: plan.deferred_changes?.length ?? 0
  }
}

export function countsLine(c: PlanCounts): string {
  const extra = [
    c.forget ? `${c.forget} to forget` : '',
    c.import ? `${c.import} to import` : '',
    c.move ? `${c.move} moved` : ''
  ].filter(Boolean)
  return `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy${c.replace ? ` (${c.replace} replaced)` : ''}${extra.map(e => `, ${e}`).join('')}`
}
