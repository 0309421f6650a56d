import {readFileSync} from 'node:fs'

export interface IssueTarget {
  owner: string
  repo: string
  /** A pull request's number is an issue number for comments. */
  issueNumber: number
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
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo || !env.GITHUB_EVENT_PATH) return undefined
  let event: {pull_request?: {number?: unknown}}
  try {
    event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
  } catch {
    return undefined
  }
  const n = event.pull_request?.number
  return typeof n === 'number' ? {owner, repo, issueNumber: n} : undefined
}

export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const {GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID} = env
  if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID)
    return undefined
  return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
}
