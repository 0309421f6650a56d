// The scheduled mesh check's reports (connectivity.yml), from jobs without
// cloud credentials.
//   drift: reads the drift plans' summary-json files (DRIFT_DIR, one per
//     stage instance; CLUSTERS is the JSON list of clusters), writes the
//     drift table to the job summary and the outputs `clean` (every
//     instance planned, none drifted) and `report` (the table).
//   issue: when the stages are not clean, comments the drift table and
//     verify-mesh's verdict (DRIFT_REPORT, VERIFY_JOB, VERIFY_RESULT,
//     MATRIX_JSON) on the open mesh-connectivity issue, or opens it, with
//     GITHUB_TOKEN and the runner's GITHUB_* variables.
import * as core from '@actions/core'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {createGitHubClient} from '../../src/github/client.ts'
import {
  apiBaseUrl,
  repository,
  runId,
  runUrl
} from '../../src/github/context.ts'
import {reportIssue} from '../../src/github/issues.ts'
import {driftIssueReport} from '../../src/mesh/connectivity-report.ts'
import {
  driftReport,
  parseSummaryJson,
  renderDriftReport,
  type DriftTarget
} from '../../src/terraform/drift-report.ts'

const env = process.env

function targets(): DriftTarget[] {
  let clusters: unknown
  try {
    clusters = JSON.parse(env.CLUSTERS ?? '')
  } catch {
    clusters = undefined
  }
  if (
    !Array.isArray(clusters) ||
    !clusters.every(c => typeof c === 'string' && c)
  ) {
    throw new Error('CLUSTERS must be a JSON list of cluster names')
  }
  return [
    {stage: 'terraform/vpc'},
    ...clusters.map(c => ({stage: 'terraform/cluster', instance: c}))
  ]
}

async function drift(): Promise<void> {
  const dir = env.DRIFT_DIR ?? ''
  if (!dir) throw new Error('DRIFT_DIR is empty: no drift plans to read')
  const expected = targets()
  let files: string[] = []
  try {
    files = readdirSync(dir).filter(f => f.endsWith('.json'))
  } catch {
    // No plan kept a summary: every instance is reported as no result.
  }
  const summaries = files.flatMap(f => {
    try {
      return [parseSummaryJson(readFileSync(join(dir, f), 'utf8'), f)]
    } catch (err) {
      core.warning((err as Error).message)
      return []
    }
  })
  const r = driftReport(expected, summaries)
  const md = renderDriftReport(r)
  for (const row of r.rows) {
    core.info(
      `${row.stage} ${row.instance}: ${row.state}${row.drift.length ? ` (${row.drift.length} drifted)` : ''}`
    )
  }
  core.setOutput('clean', String(r.clean))
  core.setOutput('report', md)
  await core.summary.addRaw(md, true).write()
}

async function issue(): Promise<void> {
  const repo = repository(env)
  if (!repo) throw new Error('GITHUB_REPOSITORY is not set')
  if (!env.GITHUB_TOKEN) {
    throw new Error('GITHUB_TOKEN is empty: the issue cannot be written')
  }
  const report = driftIssueReport(
    {
      driftReport: env.DRIFT_REPORT ?? '',
      verifyJob: env.VERIFY_JOB ?? '',
      verifyResult: env.VERIFY_RESULT ?? '',
      matrixJson: env.MATRIX_JSON ?? ''
    },
    runId(env),
    runUrl(env)
  )
  const gh = createGitHubClient({
    token: env.GITHUB_TOKEN,
    baseUrl: apiBaseUrl(env),
    warn: m => core.warning(m)
  })
  const r = await reportIssue(gh, repo, true, report)
  core.info(
    r.action === 'none'
      ? 'no issue written'
      : `${r.action} issue #${r.number}${r.url ? ` ${r.url}` : ''}`
  )
}

const mode = process.argv[2]
try {
  if (mode === 'drift') await drift()
  else if (mode === 'issue') await issue()
  else throw new Error(`mode must be drift or issue, got '${mode ?? ''}'`)
} catch (err) {
  // API errors are described by status and reason, never by their body.
  core.setFailed(`mesh report (${mode ?? ''}): ${(err as Error).message}`)
}
