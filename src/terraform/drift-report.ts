import {instanceName} from './backend.ts'

/** One stage instance the drift check must plan. */
export interface DriftTarget {
  stage: string
  instance?: string
}

/** What one stage instance's drift plan found. */
export interface DriftRow {
  stage: string
  instance: string
  /**
   * `clean`: planned, nothing changed outside Terraform; `drift`: resources
   * changed outside Terraform; `failed`: the plan failed (or was refused);
   * `missing`: no summary-json arrived for it.
   */
  state: 'clean' | 'drift' | 'failed' | 'missing'
  /** Resources changed outside Terraform, from the plan's resource_drift. */
  drift: {address: string; action: string}[]
  /** The plan would also change resources (the code is ahead of the state). */
  hasChanges: boolean
  message?: string
}

export interface DriftReport {
  rows: DriftRow[]
  /** Every instance planned, and none drifted. */
  clean: boolean
}

interface SummaryJson {
  version: number
  stage: string
  instance: string | null
  status: string
  hasChanges: boolean
  drift: {address: string; action: string}[]
  message: string | null
}

const normalStage = (stage: string) =>
  stage.replace(/^\.\//, '').replace(/\/+$/, '')
const key = (stage: string, instance: string | null | undefined) =>
  `${normalStage(stage)}\u0000${instanceName(instance ?? undefined)}`

/**
 * apply-stage's `summary-json` output (version 1), or an error naming what
 * is wrong with it; its drift entries carry addresses and actions only.
 */
export function parseSummaryJson(text: string, source: string): SummaryJson {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw new Error(`${source}: not JSON (expected apply-stage's summary-json)`)
  }
  const d = doc as Partial<SummaryJson> | null
  if (
    d === null ||
    typeof d !== 'object' ||
    d.version !== 1 ||
    typeof d.stage !== 'string' ||
    typeof d.status !== 'string' ||
    !Array.isArray(d.drift)
  ) {
    throw new Error(
      `${source}: not an apply-stage summary-json of version 1 (stage, status and drift expected)`
    )
  }
  return {
    version: 1,
    stage: d.stage,
    instance: typeof d.instance === 'string' ? d.instance : null,
    status: d.status,
    hasChanges: d.hasChanges === true,
    drift: d.drift.map(x => ({
      address: String(x?.address ?? ''),
      action: String(x?.action ?? '')
    })),
    message: typeof d.message === 'string' ? d.message : null
  }
}

/**
 * The drift verdict over every stage instance: one row per expected
 * instance, in the order given, from the summaries that arrived. An
 * instance without a summary, or whose plan failed, is not clean: a drift
 * check that could not look has found nothing.
 */
export function driftReport(
  targets: DriftTarget[],
  summaries: SummaryJson[]
): DriftReport {
  const byKey = new Map(summaries.map(s => [key(s.stage, s.instance), s]))
  const rows = targets.map((t): DriftRow => {
    const s = byKey.get(key(t.stage, t.instance))
    const base = {
      stage: normalStage(t.stage),
      instance: instanceName(t.instance)
    }
    if (!s) return {...base, state: 'missing', drift: [], hasChanges: false}
    const planned = s.status === 'planned' || s.status === 'no-changes'
    return {
      ...base,
      state: !planned ? 'failed' : s.drift.length > 0 ? 'drift' : 'clean',
      drift: s.drift,
      hasChanges: s.hasChanges,
      ...(planned || !s.message ? {} : {message: s.message})
    }
  })
  return {rows, clean: rows.every(r => r.state === 'clean')}
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

const STATE: Record<DriftRow['state'], string> = {
  clean: '✅ none',
  drift: '⚠️ drift',
  failed: '❌ plan failed',
  missing: '❌ no result'
}

/** The most drifted addresses listed per instance; the rest are counted. */
export const MAX_LISTED_DRIFT = 20

/** The drift table: one row per instance, then the drifted addresses. */
export function renderDriftReport(r: DriftReport): string {
  const drifted = r.rows.filter(x => x.state === 'drift')
  const lines = [
    `### Drift: ${r.clean ? '✅ none' : drifted.length ? `⚠️ ${drifted.length} of ${r.rows.length} stage instance(s) changed outside Terraform` : '❌ not every stage instance was planned'}`,
    '',
    'A plan of every stage instance (no state lock), compared with what is deployed.',
    '',
    '| stage | instance | drift | resources drifted | plan also changes |',
    '|---|---|---|---|---|',
    ...r.rows.map(
      x =>
        `| \`${cell(x.stage)}\` | \`${cell(x.instance)}\` | ${STATE[x.state]} | ${x.state === 'drift' || x.state === 'clean' ? x.drift.length : ''} | ${x.state === 'drift' || x.state === 'clean' ? (x.hasChanges ? 'yes' : 'no') : ''} |`
    )
  ]
  for (const x of r.rows.filter(x => x.state === 'failed' && x.message)) {
    lines.push(
      '',
      `${cell(x.stage)} \`${cell(x.instance)}\`: ${cell(x.message!)}`
    )
  }
  for (const x of drifted) {
    const shown = x.drift.slice(0, MAX_LISTED_DRIFT)
    lines.push(
      '',
      `<details><summary>${cell(x.stage)} <code>${cell(x.instance)}</code>: ${x.drift.length} resource(s) changed outside Terraform</summary>`,
      '',
      ...shown.map(d => `- \`${cell(d.address)}\` (${cell(d.action)})`),
      ...(x.drift.length > shown.length
        ? [`- … and ${x.drift.length - shown.length} more`]
        : []),
      '',
      '</details>'
    )
  }
  return lines.join('\n')
}
