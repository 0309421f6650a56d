import {controlPlaneJson, type ClusterView} from './verify-control-plane.ts'
import {matrixJson} from './verify-traffic.ts'
import type {VerifyReport} from './verify.ts'

/** The label of the one issue verify-mesh keeps open while the mesh fails. */
export const ISSUE_LABEL = 'mesh-connectivity'
export const ISSUE_TITLE = 'Mesh connectivity check is failing'
/** GitHub refuses issue and comment bodies longer than this. */
export const MAX_BODY_CHARS = 65_536

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** The action's outputs, by name. */
export function outputs(report: VerifyReport): {
  result: string
  'matrix-json': string
  'control-plane-json': string
} {
  const cp = report.controlPlane
  return {
    result: report.result,
    'matrix-json': report.traffic
      ? matrixJson(report.traffic.tallies, report.traffic.versions)
      : '{}',
    'control-plane-json': cp
      ? controlPlaneJson(cp.views, report.clusters, {endpoints: cp.endpoints})
      : '{}'
  }
}

function controlPlaneCell(
  v: ClusterView,
  peer: string,
  endpoints: boolean
): string {
  const parts: string[] = []
  let bad = false
  if (peer === v.cluster) {
    parts.push(v.istiod.ready ? 'istiod ready' : 'istiod not ready')
    bad ||= !v.istiod.ready
    const w = v.webhook.state
    parts.push(
      w === 'present'
        ? 'injector'
        : w === 'missing'
          ? 'no injector'
          : 'injector without caBundle'
    )
    bad ||= w !== 'present'
  } else {
    const has = v.secrets.includes(peer)
    parts.push(has ? 'secret' : 'no secret')
    bad ||= !has
  }
  if (v.debug.ok) {
    const status =
      v.debug.clusters.find(r => r.id === peer)?.syncStatus ?? 'not listed'
    parts.push(status)
    bad ||= status !== 'synced'
    if (endpoints) {
      const n = v.debug.endpoints?.[peer]?.healthy ?? 0
      parts.push(`${n} endpoint${n === 1 ? '' : 's'}`)
      bad ||= n === 0
    }
  } else {
    parts.push(v.istiod.ready ? 'debug API: no answer' : 'istiod not asked')
    bad = true
  }
  return `${bad ? '❌' : '✅'} ${parts.join(', ')}`
}

function controlPlaneTable(report: VerifyReport): string[] {
  const cp = report.controlPlane
  if (!cp) return []
  const names = report.clusters
  const lines = [
    '#### Control plane',
    '',
    `Each row is one cluster's control plane: its istiod, its sidecar injector, the remote secret it holds for each other cluster, and istiod's own view (\`/debug/clusterz\`${cp.endpoints ? ', and the ready `helloworld` endpoints it knows from each cluster (`/debug/endpointShardz`)' : ''}).`,
    '',
    `| istiod in \\ cluster | ${names.map(cell).join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...cp.views.map(
      v =>
        `| ${cell(v.cluster)} | ${names.map(p => cell(controlPlaneCell(v, p, cp.endpoints))).join(' | ')} |`
    )
  ]
  if (cp.note) lines.push('', cp.note)
  return lines
}

function trafficTable(report: VerifyReport): string[] {
  const t = report.traffic
  if (!t) return []
  const lines = ['#### Traffic', '']
  if (t.skipped && t.tallies.length === 0) {
    lines.push(`No request was sent: ${t.skipped}.`)
    return lines
  }
  lines.push(
    `Answers of \`helloworld\` per version, from the curl client in each cluster (at most ${t.requests} answered requests per source; each stops once every version has answered).`,
    '',
    `| source \\ version | ${t.versions.map(v => `${v} (${cell(t.versionCluster[v] ?? '?')})`).join(' | ')} | errors | last error |`,
    `|---|${t.versions.map(() => '---').join('|')}|---|---|`,
    ...t.tallies.map(
      s =>
        `| ${cell(s.source)} | ${t.versions.map(v => (s.counts[v] ? String(s.counts[v]) : '❌ 0')).join(' | ')} | ${s.errors} | ${cell(s.lastError ?? '')} |`
    )
  )
  return lines
}

/** The job summary: verdict, times, the control-plane table, the matrix. */
export function renderSummary(report: VerifyReport): string {
  const total = report.timings.reduce((sum, t) => sum + t.ms, 0)
  const lines = [
    `### verify-mesh: ${report.result === 'pass' ? '✅ pass' : '❌ fail'}`,
    '',
    `${report.clusters.length} cluster(s): ${report.clusters.map(c => `\`${c}\``).join(', ')}. Elapsed ${seconds(total)}${report.timings.length ? ` (${report.timings.map(t => `${t.phase} ${seconds(t.ms)}`).join(', ')})` : ''}.`,
    ''
  ]
  const cp = controlPlaneTable(report)
  if (cp.length) lines.push(...cp, '')
  const tr = trafficTable(report)
  if (tr.length) lines.push(...tr, '')
  if (report.failures.length > 0) {
    lines.push('**Failed:**', '')
    const shown = report.failures.slice(0, 50)
    lines.push(...shown.map(f => `- ${cell(f)}`))
    if (report.failures.length > shown.length) {
      lines.push(`- … and ${report.failures.length - shown.length} more`)
    }
    lines.push('')
  }
  if (report.cleanup) {
    lines.push(
      report.cleanup.errors.length
        ? `Cleanup left objects behind: ${report.cleanup.errors.map(cell).join('; ')}`
        : `Cleanup removed the sample from ${report.cleanup.removed.length} cluster(s).`,
      ''
    )
  }
  return lines.join('\n')
}

/** Cuts a body to GitHub's limit, saying so, without splitting a line. */
export function fitBody(body: string, max = MAX_BODY_CHARS): string {
  if (body.length <= max) return body
  const note = "\n\n… (cut to fit GitHub's limit; the job summary has it all)\n"
  const cut = body.slice(0, max - note.length)
  return cut.slice(0, Math.max(0, cut.lastIndexOf('\n'))) + note
}

export const ISSUE_MARKER = '<!-- eks-istio-mesh:verify-mesh:v1 -->'

export function runMarker(runId: string): string {
  return `<!-- eks-istio-mesh:verify-mesh:v1 run=${encodeURIComponent(runId)} -->`
}

const runLine = (runUrl: string | undefined) =>
  runUrl ? `Run: ${runUrl}` : 'Run: (not in GitHub Actions)'

/** The body of a new issue: what failed, the run, then the summary. */
export function issueBody(summary: string, runUrl: string | undefined): string {
  return fitBody(
    [
      ISSUE_MARKER,
      'The mesh connectivity check failed. verify-mesh comments here on each failing run and closes this issue when a run passes.',
      '',
      runLine(runUrl),
      '',
      summary
    ].join('\n')
  )
}

/** A comment for one run (its marker first, so a retry does not repeat it). */
export function runComment(
  runId: string,
  summary: string,
  runUrl: string | undefined,
  passing: boolean
): string {
  return fitBody(
    [
      runMarker(runId),
      passing
        ? 'The mesh connectivity check passes again; closing.'
        : 'The mesh connectivity check failed again.',
      '',
      runLine(runUrl),
      '',
      summary
    ].join('\n')
  )
}
