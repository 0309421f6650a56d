import {apiStatus, describeApiError, type GitHubClient} from './client.ts'
import type {IssueTarget} from './context.ts'

export interface IssueComment {
  id: number
  body?: string
  user?: {login?: string; type?: string} | null
  html_url?: string
}

/**
 * A hidden, versioned marker naming what a comment is about, e.g.
 * `<!-- eks-istio-mesh:apply-stage:v1 stage=terraform%2Fvpc instance=default -->`.
 * Values are URI-encoded so none can close the HTML comment.
 */
export function commentMarker(
  kind: string,
  key: Record<string, string>
): string {
  const fields = Object.entries(key)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join(' ')
  return `<!-- eks-istio-mesh:${kind}:v1 ${fields} -->`
}

/**
 * The comment carrying the marker. Bot-written ones come first: anyone can
 * paste a marker, and the toolkit's comments are written by a bot when it
 * runs with GITHUB_TOKEN. Every page is read.
 */
export async function findComment(
  gh: GitHubClient,
  target: IssueTarget,
  marker: string
): Promise<IssueComment | undefined> {
  let comments: IssueComment[]
  try {
    comments = await gh.paginate(gh.rest.issues.listComments, {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      per_page: 100
    })
  } catch (err) {
    throw new Error(describeApiError('list comments', err))
  }
  const marked = comments.filter(
    c => c.body?.startsWith(`${marker}\n`) || c.body === marker
  )
  return marked.find(c => c.user?.type === 'Bot') ?? marked[0]
}

export interface UpsertResult {
  action: 'created' | 'updated' | 'unchanged'
  id: number
  url?: string
}

/**
 * One comment per marker, edited in place. The body must start with the
 * marker line. A create is never retried blindly: after a failure that may
 * have stored it (5xx, no response), the list is read again first.
 */
export async function upsertComment(
  gh: GitHubClient,
  target: IssueTarget,
  marker: string,
  body: string
): Promise<UpsertResult> {
  if (!body.startsWith(`${marker}\n`)) {
    throw new Error('comment body must start with its marker line')
  }
  const update = async (existing: IssueComment): Promise<UpsertResult> => {
    if (existing.body === body) {
      return {action: 'unchanged', id: existing.id, url: existing.html_url}
    }
    try {
      const {data} = await gh.rest.issues.updateComment({
        owner: target.owner,
        repo: target.repo,
        comment_id: existing.id,
        body
      })
      return {action: 'updated', id: data.id, url: data.html_url}
    } catch (err) {
      throw new Error(describeApiError('update comment', err))
    }
  }
  const create = async (): Promise<UpsertResult> => {
    const {data} = await gh.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body,
      request: {retries: 0}
    })
    return {action: 'created', id: data.id, url: data.html_url}
  }
  const existing = await findComment(gh, target, marker)
  if (existing) return update(existing)
  try {
    return await create()
  } catch (err) {
    const status = apiStatus(err)
    if (status !== undefined && status < 500) {
      throw new Error(describeApiError('create comment', err))
    }
    const stored = await findComment(gh, target, marker)
    if (stored) return update(stored)
    try {
      return await create()
    } catch (again) {
      throw new Error(describeApiError('create comment', again))
    }
  }
}
