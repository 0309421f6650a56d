import type {Refusal} from './guard.ts'
import {describeRefusal} from './guard.ts'
import {
  countsLine,
  isDestructive,
  type ChangeKind,
  type OutputSummary,
  type PlanSummary,
  type ResourceSummary
} from './plan-summary.ts'
import {
  certificatesOf,
  describeCertificates,
  resourceSecrets,
  SECRET_BEARING_TYPES
} from './sensitive.ts'

/** GitHub refuses comment bodies over 65,536 characters; keep a margin. */
export const COMMENT_BUDGET = 60_000
/** A step summary over 1 MiB is dropped whole; UTF-8 may take 3 bytes a unit. */
export const SUMMARY_BUDGET = 300_000
/** Deletes named in the always-visible head before the rest is folded. */
const HEAD_DESTROY_LIMIT = 20
const VALUE_LIMIT = 200

export type StageStatus =
  'planned' | 'no-changes' | 'applied' | 'refused' | 'failed'

export interface StageReport {
  stage: string
  instance?: string
  command: 'plan' | 'apply' | 'destroy'
  status: StageStatus
  summary?: PlanSummary
  digest?: string
  durationsMs: {init?: number; plan?: number; apply?: number}
  refused?: Refusal[]
  /** One line: why the run failed or was refused. */
  message?: string
}

export interface RenderOptions {
  maxChars: number
  /** Where the uncut plan can be read, named in the cut note. */
  fullPlanAt: string
  /** The hidden marker the comment is found again by. */
  marker?: string
}

const SYMBOL: Record<ChangeKind, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  forget: '.',
  import: '<=',
  move: '->',
  read: '<=',
  'no-op': ' '
}

const STATUS_ICON: Record<StageStatus, string> = {
  planned: '📝',
  'no-changes': '✅',
  applied: '✅',
  refused: '⛔',
  failed: '❌'
}

function formatSeconds(ms: number | undefined): string {
  return ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`
}

function pick(obj: unknown, key: string | number): unknown {
  return obj !== null && typeof obj === 'object'
    ? (obj as Record<string | number, unknown>)[key]
    : undefined
}

const SENSITIVE = '(sensitive)'
const UNKNOWN = '(known after apply)'

/**
 * A value as compact JSON, except: a secret leaf is `(sensitive)`, an
 * unknown one `(known after apply)`, and a public certificate its subject
 * and fingerprint (what a reviewer can check, instead of base64).
 */
function valueText(value: unknown, secret: unknown, unknown: unknown): string {
  if (secret === true) return SENSITIVE
  if (unknown === true) return UNKNOWN
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) {
    const items = value.map((v, i) =>
      valueText(v, pick(secret, i), pick(unknown, i))
    )
    return `[${items.join(',')}]`
  }
  if (typeof value === 'object') {
    const fields = Object.entries(value).map(
      ([k, v]) =>
        `${JSON.stringify(k)}:${valueText(v, pick(secret, k), pick(unknown, k))}`
    )
    return `{${fields.join(',')}}`
  }
  const certs = certificatesOf(value)
  return certs ? describeCertificates(certs) : JSON.stringify(value)
}

/** One attribute (or one key of a split map) as the renderer sees it. */
interface Attribute {
  label: string
  /** The top-level attribute, as replace_paths name it. */
  key: string
  before: unknown
  after: unknown
  beforeSecret: unknown
  afterSecret: unknown
  afterUnknown: unknown
  /** valueText of each side, made once. */
  texts?: {before?: string; after?: string}
}

function sideText(a: Attribute, side: 'before' | 'after'): string {
  a.texts ??= {}
  return (a.texts[side] ??=
    side === 'after'
      ? valueText(a.after, a.afterSecret, a.afterUnknown)
      : valueText(a.before, a.beforeSecret, false))
}

/** A side as shown on its line: cut to VALUE_LIMIT. */
function formatSide(a: Attribute, side: 'before' | 'after'): string {
  const text = sideText(a, side)
  const secret = side === 'after' ? a.afterSecret : a.beforeSecret
  // A certificate's description is short and bounded; cut, it says nothing.
  if (secret !== true && certificatesOf(a[side])) return text
  return text.length > VALUE_LIMIT ? `${text.slice(0, VALUE_LIMIT)}…` : text
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** `key` after an identifier path, `["key"]` for any other key. */
function childLabel(label: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)
    ? `${label}.${key}`
    : `${label}[${JSON.stringify(key)}]`
}

const MAX_SPLIT_DEPTH = 3

/**
 * One attribute, or, when it is a map too long for one line (or any map of
 * a secret-bearing type, such as a Kubernetes secret's `data`), one entry
 * per key, recursively: a reviewer sees which keys change and which are
 * secret. A map flagged sensitive as a whole is never split (its keys may be
 * secret too), except in secret-bearing types, whose keys are names.
 */
function expand(
  a: Attribute,
  bearing: boolean,
  creating: boolean,
  depth: number
): Attribute[] {
  const maps = isMap(a.before) || isMap(a.after)
  const whollySecret = a.beforeSecret === true || a.afterSecret === true
  const tooLong = () =>
    (!creating && sideText(a, 'before').length > VALUE_LIMIT) ||
    sideText(a, 'after').length > VALUE_LIMIT
  const split =
    maps &&
    a.afterUnknown !== true &&
    depth < MAX_SPLIT_DEPTH &&
    (bearing || !whollySecret) &&
    ((bearing && depth === 0) || tooLong())
  if (!split) return [a]
  const keys = new Set([
    ...Object.keys(isMap(a.after) ? a.after : {}),
    ...Object.keys(isMap(a.before) && !creating ? a.before : {})
  ])
  const inherit = (flag: unknown, k: string) =>
    flag === true ? true : pick(flag, k)
  return [...keys].sort().flatMap(k =>
    expand(
      {
        label: childLabel(a.label, k),
        key: a.key,
        before: pick(a.before, k),
        after: pick(a.after, k),
        beforeSecret: inherit(a.beforeSecret, k),
        afterSecret: inherit(a.afterSecret, k),
        afterUnknown: pick(a.afterUnknown, k)
      },
      bearing,
      creating,
      depth + 1
    )
  )
}

/** The attributes of a change, sorted, long maps split (see expand). */
function attributesOf(r: ResourceSummary): Attribute[] {
  const c = r.change
  const secret = resourceSecrets({type: r.type, change: c})
  const keys = new Set([
    ...Object.keys((c.after as object | null) ?? {}),
    ...Object.keys((c.after_unknown as object | null) ?? {})
  ])
  const creating = r.kind === 'create'
  if (!creating) {
    for (const k of Object.keys((c.before as object | null) ?? {})) keys.add(k)
  }
  const bearing = SECRET_BEARING_TYPES.has(r.type ?? '')
  return [...keys].sort().flatMap(key =>
    expand(
      {
        label: key,
        key,
        before: pick(c.before, key),
        after: pick(c.after, key),
        beforeSecret: pick(secret.before, key),
        afterSecret: pick(secret.after, key),
        afterUnknown: pick(c.after_unknown, key)
      },
      bearing,
      creating,
      0
    )
  )
}

/** Attribute lines for one resource: what a reviewer needs to see change. */
function attributeLines(r: ResourceSummary): string[] {
  if (r.kind === 'delete' || r.kind === 'forget' || r.kind === 'move') return []
  const forced = new Set(r.replacePaths?.map(p => p.split(/[.[]/)[0]))
  const lines: string[] = []
  for (const a of attributesOf(r)) {
    const after = formatSide(a, 'after')
    const note = forced.has(a.key) ? '  # forces replacement' : ''
    if (r.kind === 'create') {
      if (a.after === null && a.afterUnknown !== true) continue
      lines.push(`    ${a.label} = ${after}`)
      continue
    }
    const before = formatSide(a, 'before')
    const same =
      JSON.stringify(a.before ?? null) === JSON.stringify(a.after ?? null)
    if (same && a.afterUnknown !== true) continue
    lines.push(`    ${a.label}: ${before} -> ${after}${note}`)
  }
  return lines
}

function resourceHeadline(r: ResourceSummary): string {
  const extra = [
    r.previousAddress && r.previousAddress !== r.address
      ? `moved from ${r.previousAddress}`
      : '',
    r.importing ? 'imported' : '',
    r.reason ?? ''
  ]
    .filter(Boolean)
    .join(', ')
  return `${SYMBOL[r.kind]} ${r.kind} ${r.address}${extra ? `  (${extra})` : ''}`
}

function outputLine(o: OutputSummary): string {
  const value = o.sensitive
    ? '(sensitive)'
    : formatSide(
        {
          label: o.name,
          key: o.name,
          before: null,
          after: o.change.after,
          beforeSecret: false,
          afterSecret: false,
          afterUnknown: o.change.after_unknown
        },
        'after'
      )
  return `${SYMBOL[o.kind]} ${o.kind} output.${o.name}${o.kind === 'delete' ? '' : ` = ${value}`}`
}

interface Section {
  title: string
  lines: string[]
}

/** Deleting kinds first: they are what a reviewer must not miss. */
const GROUP_ORDER: ChangeKind[] = [
  'replace',
  'delete',
  'forget',
  'create',
  'update',
  'import',
  'move',
  'read',
  'no-op'
]

/** Resources grouped by what happens to them, plan order within a group. */
function groupedLines(resources: readonly ResourceSummary[]): string[] {
  const lines: string[] = []
  for (const kind of GROUP_ORDER) {
    const group = resources.filter(r => r.kind === kind)
    if (group.length === 0) continue
    lines.push(`# ${kind}: ${group.length}`)
    for (const r of group) lines.push(resourceHeadline(r), ...attributeLines(r))
  }
  return lines
}

function sections(s: PlanSummary): Section[] {
  const out: Section[] = []
  if (s.resources.length > 0) {
    out.push({
      title: `Full plan: ${s.resources.length} resource change${s.resources.length === 1 ? '' : 's'}`,
      lines: groupedLines(s.resources)
    })
  }
  if (s.outputs.length > 0) {
    out.push({
      title: `Output changes: ${s.outputs.length}`,
      lines: s.outputs.map(outputLine)
    })
  }
  if (s.drift.length > 0) {
    out.push({
      title: `Drift: ${s.drift.length} resource${s.drift.length === 1 ? '' : 's'} changed outside Terraform`,
      lines: s.drift.flatMap(r => [resourceHeadline(r), ...attributeLines(r)])
    })
  }
  return out
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'")
}

function head(report: StageReport): string[] {
  const s = report.summary
  const where = `\`${escapeCode(report.stage)}\`${report.instance ? ` · \`${escapeCode(report.instance)}\`` : ''}`
  const lines = [
    `### ${STATUS_ICON[report.status]} ${report.command} ${where}: ${report.status}`,
    ''
  ]
  if (s) {
    const c = s.counts
    lines.push(
      `**${countsLine(c)}**${c.drift ? ` · ⚠️ drift: ${c.drift}` : ''}${s.outputs.length ? ` · outputs changed: ${s.outputs.length}` : ''}${s.deferred ? ` · ⚠️ deferred: ${s.deferred}` : ''}`,
      '',
      '| add | change | destroy | replace | import | move | drift |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      `| ${c.add} | ${c.change} | ${c.destroy} | ${c.replace} | ${c.import} | ${c.move} | ${c.drift} |`,
      ''
    )
    const destructive = s.resources.filter(r => isDestructive(r.kind))
    if (destructive.length > 0) {
      lines.push('**Deleted or replaced:**')
      for (const r of destructive.slice(0, HEAD_DESTROY_LIMIT)) {
        lines.push(
          `- \`${escapeCode(describeRefusal({address: r.address, kind: r.kind, reason: r.reason, replacePaths: r.replacePaths}))}\``
        )
      }
      if (destructive.length > HEAD_DESTROY_LIMIT) {
        lines.push(
          `- … and ${destructive.length - HEAD_DESTROY_LIMIT} more in the full plan`
        )
      }
      lines.push('')
    }
  }
  if (report.message) {
    lines.push(
      `> **${report.status === 'refused' ? 'Refused' : 'Failed'}:** ${report.message}`
    )
    const refused = report.refused ?? []
    for (const r of refused.slice(0, HEAD_DESTROY_LIMIT)) {
      lines.push(`> - \`${escapeCode(describeRefusal(r))}\``)
    }
    if (refused.length > HEAD_DESTROY_LIMIT) {
      lines.push(
        `> - … and ${refused.length - HEAD_DESTROY_LIMIT} more (see summary-json)`
      )
    }
    lines.push('')
  }
  const d = report.durationsMs
  lines.push(
    `init ${formatSeconds(d.init)} · plan ${formatSeconds(d.plan)} · apply ${formatSeconds(d.apply)}${report.digest ? ` · plan digest \`${report.digest}\`` : ''}`,
    ''
  )
  return lines
}

/**
 * The one renderer for the PR comment, the job summary and the `summary`
 * output. The head (status, counts, deletes, refusal, durations) is never
 * cut; the folded detail is cut on whole lines to fit `maxChars` (UTF-16
 * units, which is how JavaScript and, as far as is known, GitHub count),
 * with a note saying how much is missing and where the rest is.
 */
export function renderStage(report: StageReport, o: RenderOptions): string {
  const top = [...(o.marker ? [o.marker] : []), ...head(report)].join('\n')
  const parts: string[] = [top]
  let used = top.length + 1
  const all = report.summary ? sections(report.summary) : []
  const totalLines = all.reduce((n, sec) => n + sec.lines.length, 0)
  let shown = 0
  // Room kept for the closing tags and the cut note.
  const reserve = 400 + o.fullPlanAt.length
  let cut = false
  for (const sec of all) {
    if (cut) break
    const open = `<details><summary>${sec.title}</summary>\n\n\`\`\`diff`
    const close = '```\n</details>\n'
    if (used + open.length + close.length + reserve > o.maxChars) {
      cut = true
      break
    }
    const body: string[] = []
    let size = open.length + close.length + 2
    for (const line of sec.lines) {
      if (used + size + line.length + 1 + reserve > o.maxChars) {
        cut = true
        break
      }
      body.push(line)
      size += line.length + 1
      shown++
    }
    parts.push([open, ...body, close].join('\n'))
    used += size
  }
  if (cut) {
    parts.push(
      `> ✂️ **Cut here to fit:** ${totalLines - shown} of ${totalLines} plan lines are not shown. The full plan is in ${o.fullPlanAt}.\n`
    )
  }
  return parts.join('\n')
}
