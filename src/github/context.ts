import {readFileSync} from 'node:fs'

export interface IssueTarget {
  owner: string
  repo: string
  /** A pull request's number is an issue number for comments. */
  issueNumber: number
}

/** owner and repo of GITHUB_REPOSITORY; undefined when it is not set. */
export function repository(
  env: NodeJS.ProcessEnv
): {owner: string; repo: string} | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  return owner && repo ? {owner, repo} : undefined
}

/**
 * This run's attempt, `<run id>.<attempt>`: the marker that keeps a rerun
 * from commenting twice, so every writer of one issue must name runs alike.
 */
export function runId(env: NodeJS.ProcessEnv): string {
  return `${env.GITHUB_RUN_ID ?? 'local'}.${env.GITHUB_RUN_ATTEMPT ?? '1'}`
}

export function apiBaseUrl(env: NodeJS.ProcessEnv): string {
  return env.GITHUB_API_URL || 'https://api.github.com'
}

/**
 * The pull request this run belongs to, from the event payload the runner
 * writes; undefined outside a pull_request event.
 */
export function pullRequestTarget(
  env: NodeJS.ProcessEnv
): IssueTarget | undefined {
  const repo = repository(env)
  if (!repo || !env.GITHUB_EVENT_PATH) return undefined
  let event: {pull_request?: {number?: unknown}}
  try {
    event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
  } catch {
    return undefined
  }
  const n = event.pull_request?.number
  return typeof n === 'number' ? {...repo, issueNumber: n} : undefined
}

export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const {GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID} = env
  if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID)
    return undefined
  return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
}
