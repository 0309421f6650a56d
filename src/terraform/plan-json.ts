/**
 * The parts of `show -json <planfile>` the action reads. Terraform writes
 * format 1.2, OpenTofu 1.0: every key is optional here and unknown keys are
 * ignored, so both (and later minor versions) parse.
 */
export type PlanAction =
  'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget'

/** An output's change; a resource's change carries more. */
export interface OutputChange {
  actions: PlanAction[]
  before?: unknown
  after?: unknown
  after_unknown?: unknown
  before_sensitive?: unknown
  after_sensitive?: unknown
}

export interface Change extends OutputChange {
  replace_paths?: unknown[][]
  importing?: {id?: string; identity?: unknown} | null
}

export interface ResourceChange {
  address: string
  previous_address?: string
  module_address?: string
  mode?: 'managed' | 'data'
  type?: string
  name?: string
  action_reason?: string
  change: Change
}

export interface PlanJson {
  format_version?: string
  terraform_version?: string
  resource_changes?: ResourceChange[]
  resource_drift?: ResourceChange[]
  output_changes?: Record<string, OutputChange>
  deferred_changes?: {reason?: string; resource_change?: ResourceChange}[]
  errored?: boolean
  applyable?: boolean
  complete?: boolean
}

/** Parses plan JSON and checks the one thing the action depends on. */
export function parsePlanJson(text: string): PlanJson {
  const plan = JSON.parse(text) as PlanJson
  const major = (plan.format_version ?? '').split('.')[0]
  if (major !== '1') {
    throw new Error(
      `unsupported plan JSON format_version '${plan.format_version ?? ''}' (expected 1.x)`
    )
  }
  return plan
}
