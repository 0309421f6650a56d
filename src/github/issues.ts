import {apiStatus, describeApiError, type GitHubClient} from './client.ts'
import {upsertComment} from './comments.ts'

export interface Repository {
  owner: string
  repo: string
}

interface Issue {
  number: number
  html_url?: string
  pull_request?: unknown
}

/**
 * The open issues carrying `label`, oldest first, pull requests left out
 * (GitHub's issues list includes them). Every page is read.
 */
export async function openIssues(
  gh: GitHubClient,
  repo: Repository,
  label: string
): Promise<Issue[]> {
  let issues: Issue[]
  try {
    issues = await gh.paginate(gh.rest.issues.listForRepo, {
      ...repo,
      state: 'open',
      labels: label,
      per_page: 100
    })
  } catch (err) {
    throw new Error(describeApiError('list issues', err))
  }
  return issues.filter(i => !i.pull_request).sort((a, b) => a.number - b.number)
}

export interface IssueReport {
  label: string
  title: string
  /** The body of a new issue. */
  body: string
  /** The comment for this run; must start with its own marker line. */
  comment: string
  /** That marker, so that a retried comment is not written twice. */
  commentMarker: string
}

export type IssueAction =
  | {action: 'opened' | 'commented' | 'closed'; number: number; url?: string}
  | {action: 'none'}

/**
 * One issue per label while something fails: a failing run comments on
 * the open one (the oldest, if people opened more) or opens it; a passing
 * run comments on it and closes it. Creating an issue is not retried
 * blindly: after an answer that may have stored it (5xx, none), the list is
 * read again first, so there is never a second open issue.
 */
export async function reportIssue(
  gh: GitHubClient,
  repo: Repository,
  failing: boolean,
  r: IssueReport
): Promise<IssueAction> {
  const [open] = await openIssues(gh, repo, r.label)
  if (open) {
    const target = {...repo, issueNumber: open.number}
    await upsertComment(gh, target, r.commentMarker, r.comment)
    if (failing)
      return {action: 'commented', number: open.number, url: open.html_url}
    try {
      await gh.rest.issues.update({
        ...repo,
        issue_number: open.number,
        state: 'closed',
        state_reason: 'completed'
      })
    } catch (err) {
      throw new Error(describeApiError('close issue', err))
    }
    return {action: 'closed', number: open.number, url: open.html_url}
  }
  if (!failing) return {action: 'none'}
  const create = async () => {
    const {data} = await gh.rest.issues.create({
      ...repo,
      title: r.title,
      body: r.body,
      labels: [r.label],
      request: {retries: 0}
    })
    return {action: 'opened', number: data.number, url: data.html_url} as const
  }
  try {
    return await create()
  } catch (err) {
    const status = apiStatus(err)
    if (status !== undefined && status < 500) {
      throw new Error(describeApiError('create issue', err))
    }
    const [stored] = await openIssues(gh, repo, r.label)
    if (stored) {
      return {action: 'opened', number: stored.number, url: stored.html_url}
    }
    try {
      return await create()
    } catch (again) {
      throw new Error(describeApiError('create issue', again))
    }
  }
}
