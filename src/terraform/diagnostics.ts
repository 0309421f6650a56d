import {isAbsolute, join, relative} from 'node:path'
import type {AnnotationProperties} from '../common/core.ts'

/** One diagnostic from Terraform's machine-readable (`-json`) UI. */
export interface Diagnostic {
  severity: 'error' | 'warning'
  summary: string
  detail?: string
  address?: string
  range?: {
    filename: string
    start: {line: number; column: number}
    end?: {line: number; column: number}
  }
}

export interface UiMessage {
  type?: string
  '@level'?: string
  '@message'?: string
  diagnostic?: Diagnostic
  changes?: {add: number; change: number; remove: number; import?: number}
}

/**
 * Parses a `-json` UI stream, one object per line. Lines that are not JSON
 * (a crash, a plugin's stray print) are kept apart as plain text.
 */
export function parseUiStream(text: string): {
  messages: UiMessage[]
  plain: string[]
} {
  const messages: UiMessage[] = []
  const plain: string[] = []
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (trimmed === '') continue
    if (trimmed.startsWith('{')) {
      try {
        messages.push(JSON.parse(trimmed) as UiMessage)
        continue
      } catch {
        // not JSON after all: keep it as text
      }
    }
    plain.push(trimmed)
  }
  return {messages, plain}
}

export function diagnosticsOf(messages: readonly UiMessage[]): Diagnostic[] {
  return messages
    .filter(m => m.type === 'diagnostic' && m.diagnostic)
    .map(m => m.diagnostic!)
}

export interface Annotation {
  level: 'error' | 'warning'
  message: string
  properties: AnnotationProperties
}

/**
 * A diagnostic as a GitHub annotation. Its filename is relative to the
 * stage folder; the annotation needs it relative to the workspace, and only
 * files inside the workspace get a location (a var file in RUNNER_TEMP does
 * not exist in the repository).
 */
export function toAnnotation(
  d: Diagnostic,
  stageDir: string,
  workspace: string
): Annotation {
  const message = d.detail ? `${d.summary}: ${d.detail}` : d.summary
  const properties: AnnotationProperties = {title: d.summary}
  if (d.range?.filename) {
    const absolute = isAbsolute(d.range.filename)
      ? d.range.filename
      : join(stageDir, d.range.filename)
    const file = relative(workspace, absolute)
    if (!file.startsWith('..') && !isAbsolute(file)) {
      properties.file = file
      properties.startLine = d.range.start.line
      properties.startColumn = d.range.start.column
      if (d.range.end) {
        properties.endLine = d.range.end.line
        if (d.range.end.line === d.range.start.line) {
          properties.endColumn = d.range.end.column
        }
      }
    }
  }
  return {
    level: d.severity === 'warning' ? 'warning' : 'error',
    message,
    properties
  }
}

export interface LockInfo {
  id?: string
  path?: string
  operation?: string
  who?: string
  version?: string
  created?: string
}

const LOCK_FIELDS: Record<string, keyof LockInfo> = {
  ID: 'id',
  Path: 'path',
  Operation: 'operation',
  Who: 'who',
  Version: 'version',
  Created: 'created'
}

/**
 * Terraform reports a held lock only as text in the diagnostic's detail
 * (a `Lock Info:` block of `Name: value` lines); there is no structured form.
 */
export function parseLockInfo(detail: string): LockInfo | undefined {
  const at = detail.indexOf('Lock Info:')
  if (at < 0) return undefined
  const info: LockInfo = {}
  for (const line of detail.slice(at).split('\n').slice(1)) {
    const m = /^\s+([A-Za-z]+):\s*(.*)$/.exec(line)
    if (!m) break
    const key = LOCK_FIELDS[m[1]!]
    if (key && m[2]) info[key] = m[2].trim()
  }
  return info
}

export function isLockError(d: Diagnostic): boolean {
  return /state lock/i.test(d.summary)
}

export function isStalePlan(d: Diagnostic): boolean {
  return /saved plan is stale/i.test(d.summary)
}

/** Go's time.Time String form: `2026-11-24 23:15:36.123456 +0000 UTC`. */
export function parseGoTime(text: string): number | undefined {
  const m =
    /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? ([+-]\d{2})(\d{2})/.exec(
      text
    )
  if (!m) return undefined
  const fraction = (m[3] ?? '').slice(0, 4)
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${m[4]}:${m[5]}`)
  return Number.isNaN(ms) ? undefined : ms
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 120) return `${s}s`
  const m = Math.round(s / 60)
  if (m < 60) return `${m}m`
  const h = Math.floor(m / 60)
  return h < 48
    ? `${h}h${m % 60 ? `${m % 60}m` : ''}`
    : `${Math.floor(h / 24)}d`
}

export function describeLock(info: LockInfo, nowMs: number): string {
  const created = info.created ? parseGoTime(info.created) : undefined
  const age =
    created === undefined ? '' : `, held for ${formatAge(nowMs - created)}`
  return `the state is locked by ${info.who ?? 'an unknown holder'} (${info.operation ?? 'unknown operation'}, ${info.version ? `version ${info.version}, ` : ''}since ${info.created ?? 'an unknown time'}${age}; lock ID ${info.id ?? 'unknown'})`
}
