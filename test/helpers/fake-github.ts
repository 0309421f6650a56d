import {
  createServer,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * A local HTTP server that follows GitHub's REST API for the endpoints the
 * toolkit uses: issue comments (list with per_page/page and a Link header,
 * create, update), issues (get; list by labels and state, pull requests
 * included as GitHub includes them, paged like comments; create, which
 * needs a title; update of title, body, state with state_reason, labels),
 * 422 for bodies over 65,536 characters or invalid fields, and rate-limit
 * answers with the headers GitHub sends. Reach it through GITHUB_API_URL.
 */
export const MAX_BODY_CHARS = 65_536

export interface FakeComment {
  id: number
  body: string
  user: {login: string; type: 'Bot' | 'User'}
  html_url: string
  created_at: string
  updated_at: string
}

export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason?: 'completed' | 'not_planned' | 'reopened' | null
  labels: {name: string}[]
  pull_request?: {url: string}
  comments: FakeComment[]
}

export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A scripted answer for the next request that matches. */
export interface Fault {
  method?: string
  path?: RegExp
  status: number
  headers?: Record<string, string>
  message?: string
  /** Store the write first, then answer with the fault (a lost response). */
  afterStoring?: boolean
}

export interface FakeGitHub {
  url: string
  issues: Map<string, FakeIssue>
  requests: RecordedRequest[]
  /** The login that writes; a Bot, as with GITHUB_TOKEN. */
  login: string
  issue(owner: string, repo: string, n: number): FakeIssue
  addComment(
    owner: string,
    repo: string,
    n: number,
    body: string,
    user?: FakeComment['user']
  ): FakeComment
  fail(fault: Fault): void
  close(): Promise<void>
}

function rateHeaders(remaining = 4999): Record<string, string> {
  return {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-used': String(5000 - remaining),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core'
  }
}

export async function startFakeGitHub(
  options: {login?: string} = {}
): Promise<FakeGitHub> {
  const issues = new Map<string, FakeIssue>()
  const requests: RecordedRequest[] = []
  const faults: Fault[] = []
  const login = options.login ?? 'github-actions[bot]'
  let nextId = 1000
  let base = ''

  const issue = (owner: string, repo: string, n: number): FakeIssue => {
    const key = `${owner}/${repo}#${n}`
    let found = issues.get(key)
    if (!found) {
      found = {
        number: n,
        title: `issue ${n}`,
        body: '',
        state: 'open',
        labels: [],
        comments: []
      }
      issues.set(key, found)
    }
    return found
  }
  const newComment = (
    owner: string,
    repo: string,
    n: number,
    body: string,
    user: FakeComment['user'] = {login, type: 'Bot'}
  ): FakeComment => {
    const id = nextId++
    const now = new Date().toISOString()
    const c: FakeComment = {
      id,
      body,
      user,
      html_url: `https://github.test/${owner}/${repo}/pull/${n}#issuecomment-${id}`,
      created_at: now,
      updated_at: now
    }
    issue(owner, repo, n).comments.push(c)
    return c
  }

  /** GitHub's paging: per_page (30, at most 100), page, a Link header. */
  const paged = <T>(url: URL, all: T[]) => {
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 30),
      100
    )
    const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1)
    const last = Math.max(1, Math.ceil(all.length / perPage))
    const link = (p: number, rel: string) => {
      const u = new URL(`${base}${url.pathname}${url.search}`)
      u.searchParams.set('per_page', String(perPage))
      u.searchParams.set('page', String(p))
      return `<${u}>; rel="${rel}"`
    }
    const links: string[] = []
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'))
    return {
      items: all.slice((page - 1) * perPage, page * perPage),
      headers: links.length
        ? {link: links.join(', ')}
        : ({} as Record<string, string>)
    }
  }
  const invalid = (
    res: ServerResponse,
    resource: string,
    field: string,
    code = 'invalid'
  ) =>
    send(res, 422, {
      message: 'Validation Failed',
      errors: [{resource, code, field}],
      status: '422'
    })

  const send = (
    res: ServerResponse,
    status: number,
    data: unknown,
    headers: Record<string, string> = {}
  ) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      ...rateHeaders(),
      ...headers
    })
    res.end(status === 204 ? '' : JSON.stringify(data))
  }
  const tooLong = (res: ServerResponse) =>
    send(res, 422, {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: `Body is too long (maximum is ${MAX_BODY_CHARS} characters)`
        }
      ],
      documentation_url:
        'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '422'
    })

  const server = createServer(async (req: IncomingMessage, res) => {
    let raw = ''
    for await (const chunk of req) raw += chunk
    const url = new URL(req.url ?? '/', 'http://localhost')
    const method = req.method ?? 'GET'
    requests.push({
      method,
      path: url.pathname + url.search,
      headers: req.headers,
      body: raw
    })
    if (!req.headers.authorization) {
      return send(res, 401, {message: 'Requires authentication'})
    }
    const at = faults.findIndex(
      f =>
        (!f.method || f.method === method) &&
        (!f.path || f.path.test(url.pathname))
    )
    const fault = at >= 0 ? faults.splice(at, 1)[0] : undefined
    const answerFault = () =>
      send(
        res,
        fault!.status,
        {message: fault!.message ?? 'fault'},
        fault!.headers
      )
    if (fault && !fault.afterStoring) return answerFault()
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {}

    let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(
      url.pathname
    )
    if (m) {
      const [, owner, repo, n] = m
      if (method === 'GET') {
        const all = issue(owner!, repo!, Number(n)).comments
        const {items, headers} = paged(url, all)
        return send(res, 200, items, headers)
      }
      if (method === 'POST') {
        const text = String(body.body ?? '')
        if (text.length > MAX_BODY_CHARS) return tooLong(res)
        const c = newComment(owner!, repo!, Number(n), text)
        if (fault) return answerFault()
        return send(res, 201, c)
      }
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(
      url.pathname
    )
    if (m && method === 'PATCH') {
      const id = Number(m[3])
      const c = [...issues.values()]
        .flatMap(i => i.comments)
        .find(x => x.id === id)
      if (!c) return send(res, 404, {message: 'Not Found'})
      const text = String(body.body ?? '')
      if (text.length > MAX_BODY_CHARS) return tooLong(res)
      c.body = text
      c.updated_at = new Date().toISOString()
      if (fault) return answerFault()
      return send(res, 200, c)
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/issues(?:\/(\d+))?$/.exec(url.pathname)
    if (m) {
      const [, owner, repo, n] = m
      const prefix = `${owner}/${repo}#`
      const view = (i: FakeIssue) => {
        const {comments, ...rest} = i
        const kind = i.pull_request ? 'pull' : 'issues'
        return {
          ...rest,
          state_reason: i.state_reason ?? null,
          html_url: `https://github.test/${owner}/${repo}/${kind}/${i.number}`,
          user: {login, type: 'Bot'},
          comments: comments.length
        }
      }
      if (n && method === 'GET') {
        const found = issues.get(`${prefix}${n}`)
        return found
          ? send(res, 200, view(found))
          : send(res, 404, {message: 'Not Found'})
      }
      if (n && method === 'PATCH') {
        const found = issues.get(`${prefix}${n}`)
        if (!found) return send(res, 404, {message: 'Not Found'})
        if (
          typeof body.body === 'string' &&
          body.body.length > MAX_BODY_CHARS
        ) {
          return tooLong(res)
        }
        if (
          body.state !== undefined &&
          body.state !== 'open' &&
          body.state !== 'closed'
        ) {
          return invalid(res, 'Issue', 'state')
        }
        const reasons = ['completed', 'not_planned', 'reopened', null]
        if (
          body.state_reason !== undefined &&
          !reasons.includes(body.state_reason as string)
        ) {
          return invalid(res, 'Issue', 'state_reason')
        }
        if (typeof body.title === 'string') found.title = body.title
        if (typeof body.body === 'string') found.body = body.body
        if (body.state === 'open' || body.state === 'closed') {
          // Closing without a reason records 'completed'; reopening 'reopened'.
          found.state_reason =
            body.state === 'closed'
              ? ((body.state_reason as FakeIssue['state_reason']) ??
                'completed')
              : found.state === 'closed'
                ? 'reopened'
                : found.state_reason
          found.state = body.state
        }
        if (Array.isArray(body.labels)) {
          found.labels = body.labels.map(l => ({name: String(l)}))
        }
        return send(res, 200, view(found))
      }
      if (!n && method === 'GET') {
        const state = url.searchParams.get('state') ?? 'open'
        if (!['open', 'closed', 'all'].includes(state)) {
          return invalid(res, 'Issue', 'state')
        }
        const labels = (url.searchParams.get('labels') ?? '')
          .split(',')
          .filter(Boolean)
        const list = [...issues.entries()]
          .filter(([k]) => k.startsWith(prefix))
          .map(([, i]) => i)
          .filter(i => state === 'all' || i.state === state)
          .filter(i => labels.every(l => i.labels.some(x => x.name === l)))
          .sort((a, b) => b.number - a.number)
        const {items, headers} = paged(url, list.map(view))
        return send(res, 200, items, headers)
      }
      if (!n && method === 'POST') {
        const text = String(body.body ?? '')
        if (text.length > MAX_BODY_CHARS) return tooLong(res)
        if (typeof body.title !== 'string' || body.title === '') {
          return invalid(res, 'Issue', 'title', 'missing_field')
        }
        const numbers = [...issues.keys()]
          .filter(k => k.startsWith(prefix))
          .map(k => Number(k.slice(prefix.length)))
        const created = issue(owner!, repo!, Math.max(0, ...numbers) + 1)
        created.title = String(body.title ?? '')
        created.body = text
        created.labels = ((body.labels as unknown[]) ?? []).map(l => ({
          name: String(l)
        }))
        if (fault) return answerFault()
        return send(res, 201, view(created))
      }
    }
    send(res, 404, {message: 'Not Found'})
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    issues,
    requests,
    login,
    issue,
    addComment: newComment,
    fail: f => void faults.push(f),
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** The headers GitHub sends with a primary rate-limit 403. */
export function primaryLimitFault(resetInSeconds: number): Fault {
  return {
    status: 403,
    message: 'API rate limit exceeded for installation.',
    headers: {
      ...rateHeaders(0),
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds)
    }
  }
}

/** A secondary rate limit: 429 (or 403) with Retry-After. */
export function secondaryLimitFault(
  retryAfterSeconds: number,
  status = 429
): Fault {
  return {
    status,
    message:
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    headers: {'retry-after': String(retryAfterSeconds)}
  }
}
