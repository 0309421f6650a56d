import type {StageResult} from './stage.ts'

/**
 * The `summary-json` output: the run's result in a stable, versioned shape
 * that a later job can combine across many stage instances. It carries
 * addresses, actions and counts only, never values.
 */
export function renderSummaryJson(r: StageResult, planFile?: string): string {
  const {report, summary} = r
  return JSON.stringify({
    version: 1,
    stage: report.stage,
    instance: report.instance ?? null,
    command: report.command,
    status: report.status,
    hasChanges: r.hasChanges,
    counts: summary?.counts ?? null,
    planDigest: r.digest ?? null,
    planFile: planFile ?? null,
    resources: (summary?.resources ?? []).map(x => ({
      address: x.address,
      action: x.kind,
      ...(x.reason ? {reason: x.reason} : {}),
      ...(x.previousAddress ? {previousAddress: x.previousAddress} : {})
    })),
    outputs: (summary?.outputs ?? []).map(o => ({
      name: o.name,
      action: o.kind,
      sensitive: o.sensitive
    })),
    drift: (summary?.drift ?? []).map(x => ({
      address: x.address,
      action: x.kind
    })),
    durationsMs: report.durationsMs,
    message: report.message ?? null,
    refused: report.refused ?? []
  })
}
