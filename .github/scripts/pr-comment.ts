// Comments one stage instance's plan on the pull request, from a job that
// has pull-requests: write and no cloud credentials (preview.yml). The body
// is apply-stage's `summary` output of the plan job, redacted there; the
// marker is the one apply-stage writes, so the same comment is edited in
// place on every push. Reads SUMMARY, STAGE, INSTANCE, GITHUB_TOKEN and the
// runner's GITHUB_* variables.
import {relative, resolve} from 'node:path'
import {createGitHubClient} from '../../src/github/client.ts'
import {commentMarker, upsertComment} from '../../src/github/comments.ts'
import {apiBaseUrl, pullRequestTarget} from '../../src/github/context.ts'
import {instanceName} from '../../src/terraform/backend.ts'

const env = process.env
// Workflow command data: %, CR and LF are escaped so one line stays one.
const command = (kind: string, message: string) =>
  console.log(
    `::${kind}::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`
  )

async function main(): Promise<number> {
  const summary = env.SUMMARY ?? ''
  const stage = env.STAGE ?? ''
  if (!stage) {
    command('error', 'STAGE is empty: no stage to comment on')
    return 1
  }
  const target = pullRequestTarget(env)
  if (!target) {
    command(
      'error',
      'not a pull_request event: there is no pull request to comment on'
    )
    return 1
  }
  if (!summary.trim()) {
    // The runner drops a job output that contains a masked value, and a
    // plan job that failed before planning has none.
    command(
      'warning',
      `the plan job reported no summary for ${stage} ${instanceName(env.INSTANCE)}: no comment written; the plan job's summary shows what happened`
    )
    return 0
  }
  if (!env.GITHUB_TOKEN) {
    command('error', 'GITHUB_TOKEN is empty: the comment cannot be written')
    return 1
  }
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd())
  const marker = commentMarker('apply-stage', {
    stage: relative(workspace, resolve(workspace, stage)) || '.',
    instance: instanceName(env.INSTANCE)
  })
  const gh = createGitHubClient({
    token: env.GITHUB_TOKEN,
    baseUrl: apiBaseUrl(env),
    warn: m => command('warning', m)
  })
  const r = await upsertComment(gh, target, marker, `${marker}\n${summary}`)
  console.log(`pull-request comment ${r.action}${r.url ? `: ${r.url}` : ''}`)
  return 0
}

try {
  process.exitCode = await main()
} catch (err) {
  // API errors are described by status and reason, never by their body.
  command(
    'error',
    `pull-request comment not written: ${(err as Error).message}`
  )
  process.exitCode = 1
}
