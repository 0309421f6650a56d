import type {Mode, PairResult} from './exchange.ts'

export interface Counts {
  created: number
  updated: number
  unchanged: number
}

export function countResults(results: readonly PairResult[]): Counts {
  const n = (s: string) => results.filter(r => r.status === s).length
  return {
    created: n('created'),
    updated: n('updated'),
    unchanged: n('unchanged')
  }
}

/** `{"<source>": {"<target>": "<status>"}}`, sources and targets in order. */
export function matrixJson(results: readonly PairResult[]): string {
  const matrix: Record<string, Record<string, string>> = {}
  for (const r of results) {
    ;(matrix[r.source] ??= {})[r.target] = r.status
  }
  return JSON.stringify(matrix)
}

/** Pairs that make the step fail: errors always, and fail in check mode. */
export function failures(results: readonly PairResult[]): PairResult[] {
  return results.filter(r => r.status === 'error' || r.status === 'fail')
}

const cell = (text: string) => text.replace(/\|/g, '\\|')

/** The job summary: a source × target table, then what failed and why. */
export function renderSummary(
  mode: Mode,
  namespace: string,
  results: readonly PairResult[]
): string {
  // One order for rows and columns: the clusters as the pairs first name them.
  const order = [...new Set(results.flatMap(r => [r.source, r.target]))]
  const sources = order.filter(n => results.some(r => r.source === n))
  const targets = order.filter(n => results.some(r => r.target === n))
  const status = (s: string, t: string) =>
    s === t
      ? '—'
      : (results.find(r => r.source === s && r.target === t)?.status ?? '')
  const lines = [
    `### exchange-secrets: ${mode}`,
    '',
    `Remote secrets \`istio-remote-secret-<source>\` in namespace \`${namespace}\` of each target.`,
    '',
    `| source \\ target | ${targets.map(cell).join(' | ')} |`,
    `|---|${targets.map(() => '---').join('|')}|`,
    ...sources.map(
      s => `| ${cell(s)} | ${targets.map(t => status(s, t)).join(' | ')} |`
    )
  ]
  const failed = failures(results)
  if (failed.length > 0) {
    lines.push('', '**Failed:**', '')
    for (const f of failed) {
      lines.push(
        `- ${cell(f.source)} → ${cell(f.target)}: ${cell(f.detail ?? f.status)}`
      )
    }
  }
  return `${lines.join('\n')}\n`
}
