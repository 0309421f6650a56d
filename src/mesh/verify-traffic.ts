/**
 * The traffic half of verify-mesh as plain functions: how many requests to
 * send, the curl command that sends them, how to read what came back, and
 * the verdict. No I/O here.
 */

/** The whole run may fail falsely at most this often (one in a million). */
export const FALSE_FAILURE_BOUND = 1e-6

/**
 * `requests: auto`: the fewest answered requests per source cluster that
 * keep a false failure of the whole run under one in a million.
 *
 * Assume each answered request reaches one of the N versions uniformly at
 * random (one helloworld pod per cluster, no locality or DestinationRule
 * preference: Envoy's default balancing, not its failover). For one source,
 * a given version is missed by all k requests with probability (1 - 1/N)^k,
 * so by the union bound over the N versions
 *
 *   P(some version unseen after k) <= N (1 - 1/N)^k.
 *
 * A run fails falsely if any of the N sources misses a version; by the union
 * bound again that is at most N times the per-source bound. Requiring
 * N * N (1 - 1/N)^k <= eps gives
 *
 *   k = ceil( ln(N^2 / eps) / -ln(1 - 1/N) ).
 *
 * For eps = 1e-6: N=2 -> 22, 3 -> 40, 4 -> 58, 8 -> 135 (the table in the
 * reference's section e, "1e-6 for the whole run"). With one cluster there
 * is one version and one answer proves it.
 */
export function autoRequests(clusterCount: number): number {
  if (!Number.isInteger(clusterCount) || clusterCount < 1) {
    throw new Error(
      `cluster count must be a positive integer, got ${clusterCount}`
    )
  }
  if (clusterCount === 1) return 1
  const n = clusterCount
  return Math.ceil(
    Math.log((n * n) / FALSE_FAILURE_BOUND) / -Math.log(1 - 1 / n)
  )
}

/** What one curl invocation per request batch appends after each answer. */
export const RECORD_MARK = '@@verify-mesh'

/**
 * One exec runs one curl over `count` copies of the URL: curl goes on to the
 * next URL after a failed one, and after every transfer prints the
 * write-out line, even on failure (status 000, its exit code and message).
 * No shell is needed, so the command is the same in any image with curl.
 */
export function curlCommand(
  namespace: string,
  count: number,
  requestTimeoutSeconds = 5
): string[] {
  const url = `http://helloworld.${namespace}:5000/hello`
  return [
    'curl',
    '-sS',
    '--max-time',
    String(requestTimeoutSeconds),
    '-w',
    `\\n${RECORD_MARK} %{http_code} %{exitcode} %{errormsg}\\n`,
    ...Array.from({length: count}, () => url)
  ]
}

/** The helloworld answer, as istio.io's verify procedure parses it. */
export const HELLO = /^Hello version: (\S+), instance: (\S+)$/

export type Attempt =
  {ok: true; version: string; instance: string} | {ok: false; error: string}

const MARK_LINE = new RegExp(`^${RECORD_MARK} (\\d{3}) (\\d+) ?(.*)$`, 'm')

const shorten = (text: string, max = 240) => {
  const one = text.replace(/\s+/g, ' ').trim()
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

/** One transfer: its body and what curl's write-out said about it. */
function attempt(body: string, http: string, exit: string, message: string) {
  // curl's -w starts with a newline so that a body without one (Envoy's
  // "no healthy upstream") still ends its line; helloworld adds its own.
  const text = body.replace(/\n$/, '').replace(/\n$/, '')
  if (exit !== '0') {
    const partial = text.trim()
      ? ` after partial output '${shorten(text, 60)}'`
      : ''
    return {
      ok: false,
      error: `curl exit ${exit}: ${shorten(message) || 'no message'}${partial}`
    } as const
  }
  if (http !== '200') {
    return {
      ok: false,
      error: `HTTP ${http}${text.trim() ? `: ${shorten(text)}` : ''}`
    } as const
  }
  const m = HELLO.exec(text.trim())
  if (!m) {
    return {
      ok: false,
      error: `unexpected answer '${shorten(text, 80)}'`
    } as const
  }
  return {ok: true, version: m[1]!, instance: m[2]!} as const
}

/**
 * The attempts in a transcript (curl's stdout). Text after the last
 * write-out line is a transfer the exec was cut off in: an error. An empty
 * transcript has no attempts; the caller reports why the exec failed.
 */
export function parseTranscript(stdout: string): Attempt[] {
  const attempts: Attempt[] = []
  let rest = stdout
  for (;;) {
    const m = MARK_LINE.exec(rest)
    if (!m) break
    attempts.push(attempt(rest.slice(0, m.index), m[1]!, m[2]!, m[3] ?? ''))
    rest = rest.slice(m.index + m[0].length).replace(/^\n/, '')
  }
  if (rest.trim() !== '') {
    attempts.push({
      ok: false,
      error: `output ended inside a request: '${shorten(rest, 80)}'`
    })
  }
  return attempts
}

/** One source cluster's tally: answers per version, errors, the last one. */
export interface SourceTally {
  source: string
  counts: Record<string, number>
  answered: number
  errors: number
  lastError?: string
  /** Answers from versions no cluster serves (another deployment's). */
  unexpected: Record<string, number>
}

export function emptyTally(source: string): SourceTally {
  return {source, counts: {}, answered: 0, errors: 0, unexpected: {}}
}

/** Adds attempts to a tally (a new object; the old one is left as it was). */
export function addAttempts(
  tally: SourceTally,
  attempts: readonly Attempt[],
  versions: readonly string[]
): SourceTally {
  const next: SourceTally = {
    ...tally,
    counts: {...tally.counts},
    unexpected: {...tally.unexpected}
  }
  for (const a of attempts) {
    if (!a.ok) {
      next.errors++
      next.lastError = a.error
      continue
    }
    if (versions.includes(a.version)) {
      next.counts[a.version] = (next.counts[a.version] ?? 0) + 1
      next.answered++
    } else {
      next.unexpected[a.version] = (next.unexpected[a.version] ?? 0) + 1
    }
  }
  return next
}

/** An error of the exec itself (no transcript): counted as one error. */
export function addExecError(tally: SourceTally, error: string): SourceTally {
  return {...tally, errors: tally.errors + 1, lastError: error}
}

export const missingVersions = (
  tally: SourceTally,
  versions: readonly string[]
): string[] => versions.filter(v => !tally.counts[v])

/** Whether a source may stop sending: every version answered, or k answers. */
export function sourceDone(
  tally: SourceTally,
  versions: readonly string[],
  requests: number
): boolean {
  return (
    missingVersions(tally, versions).length === 0 || tally.answered >= requests
  )
}

/** The next batch: never more answers than still needed, at most `max`. */
export function nextBatch(tally: SourceTally, requests: number, max = 10) {
  return Math.max(1, Math.min(max, requests - tally.answered))
}

export interface TrafficVerdict {
  ok: boolean
  /** One line per source that missed a version: source, versions, last error. */
  failures: string[]
}

/** Passes only if every source reached every version. */
export function trafficVerdict(
  tallies: readonly SourceTally[],
  versions: readonly string[],
  versionCluster: Readonly<Record<string, string>>
): TrafficVerdict {
  const failures: string[] = []
  for (const t of tallies) {
    const missing = missingVersions(t, versions)
    if (missing.length === 0) continue
    const named = missing
      .map(v => `${v} (${versionCluster[v] ?? '?'})`)
      .join(', ')
    const why = t.lastError
      ? `; ${t.errors} error(s), last: ${t.lastError}`
      : t.answered === 0
        ? '; no answer at all'
        : `; ${t.answered} answer(s), all from other versions`
    failures.push(`${t.source} never reached ${named}${why}`)
  }
  return {ok: failures.length === 0, failures}
}

/** `{"<source>": {"<version>": count}}`: the matrix-json output. */
export function matrixJson(
  tallies: readonly SourceTally[],
  versions: readonly string[]
): string {
  const matrix: Record<string, Record<string, number>> = {}
  for (const t of tallies) {
    matrix[t.source] = Object.fromEntries(
      versions.map(v => [v, t.counts[v] ?? 0])
    )
  }
  return JSON.stringify(matrix)
}
