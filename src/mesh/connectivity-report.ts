import type {IssueReport} from '../github/issues.ts'
import {ISSUE_LABEL, fitBody} from './verify-report.ts'

/**
 * The scheduled check (connectivity.yml) in one issue: verify-mesh reports
 * its verdict there itself while the stages are clean; when they drifted or
 * could not be planned, this report does, with the drift table, so the
 * issue stays open until a run finds both clean.
 */
export const DRIFT_ISSUE_TITLE =
  'Mesh check is failing: the stages drifted or could not be planned'

export function driftRunMarker(runId: string): string {
  return `<!-- eks-istio-mesh:connectivity-drift:v1 run=${encodeURIComponent(runId)} -->`
}

export interface MeshCheck {
  /** The drift job's report (Markdown); empty when it did not arrive. */
  driftReport: string
  /** The verify job's result: success, failure, cancelled or skipped. */
  verifyJob: string
  /** verify-mesh's `result` output: pass, fail, or empty. */
  verifyResult: string
  /** verify-mesh's `matrix-json` output. */
  matrixJson: string
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** verify-mesh's verdict, and its matrix when it has one. */
export function verdictLines(c: MeshCheck): string[] {
  const verdict =
    c.verifyResult === 'pass'
      ? '✅ pass'
      : c.verifyResult === 'fail'
        ? '❌ fail'
        : `❌ no verdict (its job: ${c.verifyJob || 'unknown'})`
  const lines = [`### verify-mesh: ${verdict}`, '']
  let matrix: Record<string, Record<string, number>> = {}
  try {
    const parsed: unknown = JSON.parse(c.matrixJson || '{}')
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      matrix = parsed as typeof matrix
    }
  } catch {
    // An output the runner dropped or cut: the verdict line stands alone.
  }
  const sources = Object.keys(matrix)
  const versions = [
    ...new Set(sources.flatMap(s => Object.keys(matrix[s] ?? {})))
  ].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
  if (sources.length && versions.length) {
    lines.push(
      `| source \\ version | ${versions.map(cell).join(' | ')} |`,
      `|---|${versions.map(() => '---').join('|')}|`,
      ...sources.map(
        s =>
          `| ${cell(s)} | ${versions.map(v => (matrix[s]?.[v] ? String(matrix[s][v]) : '❌ 0')).join(' | ')} |`
      ),
      ''
    )
  }
  lines.push(
    c.verifyResult
      ? "The verify job's summary has the control-plane table and the errors."
      : 'See the verify job in the run for why it gave no verdict.'
  )
  return lines
}

const runLine = (runUrl: string | undefined) =>
  runUrl ? `Run: ${runUrl}` : 'Run: (not in GitHub Actions)'

/**
 * The issue report of a run whose stages are not clean: always failing, so
 * it comments on the open mesh-connectivity issue or opens one.
 */
export function driftIssueReport(
  c: MeshCheck,
  runId: string,
  runUrl: string | undefined
): IssueReport {
  const drift =
    c.driftReport.trim() ||
    '### Drift: ❌ no report\n\nThe drift job gave no report; its summary in the run says why.'
  const details = [drift, '', ...verdictLines(c)].join('\n')
  const marker = driftRunMarker(runId)
  return {
    label: ISSUE_LABEL,
    title: DRIFT_ISSUE_TITLE,
    body: fitBody(
      [
        '<!-- eks-istio-mesh:connectivity-drift:v1 -->',
        'The scheduled mesh check found the stages drifted (changed outside Terraform) or could not plan them. Each such run comments here; the first run that finds the stages clean and the mesh passing closes this issue (verify-mesh does).',
        '',
        runLine(runUrl),
        '',
        details
      ].join('\n')
    ),
    comment: fitBody(
      [
        marker,
        'The mesh check still finds the stages drifted or not planned.',
        '',
        runLine(runUrl),
        '',
        details
      ].join('\n')
    ),
    commentMarker: marker
  }
}
