import type {UiMessage} from './diagnostics.ts'

/**
 * Live progress from the machine-readable UI (`plan -json`, `apply -json`):
 * one readable line per event, built only from structured fields (address,
 * action, elapsed seconds, a diagnostic's summary, counts). The CLI's own
 * `@message` is never printed: it carries resource ids, and a provisioner's
 * output can carry anything.
 */
export interface ProgressMessage extends UiMessage {
  hook?: {
    resource?: {addr?: string}
    action?: string
    elapsed_seconds?: number
    provisioner?: string
  }
  changes?: {
    add: number
    change: number
    remove: number
    import?: number
    operation?: string
  }
}

const VERBS: Record<string, [doing: string, done: string]> = {
  create: ['creating', 'created'],
  update: ['updating', 'updated'],
  replace: ['replacing', 'replaced'],
  delete: ['destroying', 'destroyed'],
  read: ['reading', 'read'],
  noop: ['checking', 'checked']
}

/**
 * Elapsed seconds at which a "still creating" line is shown: early feedback,
 * then once a minute, so a 20-minute cluster gives about 20 lines instead
 * of Terraform's 120. Terraform reports every 10 s.
 */
export function nextProgressAt(shownAtSeconds: number): number {
  if (shownAtSeconds < 10) return 10
  if (shownAtSeconds < 30) return 30
  return (Math.floor(shownAtSeconds / 60) + 1) * 60
}

export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s}s`
  const rest = s % 60
  return `${Math.floor(s / 60)}m${rest ? `${rest}s` : ''}`
}

function changeSummary(c: NonNullable<ProgressMessage['changes']>): string {
  const imported = c.import ? `, ${c.import} imported` : ''
  if (c.operation === 'plan') {
    return `plan: ${c.add} to add, ${c.change} to change, ${c.remove} to destroy${c.import ? `, ${c.import} to import` : ''}`
  }
  const what = c.operation === 'destroy' ? 'destroy' : 'apply'
  return `${what} complete: ${c.add} added, ${c.change} changed, ${c.remove} destroyed${imported}`
}

/**
 * A stateful reader of one CLI run's UI lines: returns the line to show for
 * each, or undefined for lines that are not progress or are throttled.
 */
export function progressReader(): (line: string) => string | undefined {
  // Per resource and action: the elapsed seconds of the next line to show.
  const due = new Map<string, number>()
  return line => {
    const text = line.trim()
    if (!text.startsWith('{')) return undefined
    let m: ProgressMessage
    try {
      m = JSON.parse(text) as ProgressMessage
    } catch {
      return undefined
    }
    const addr = m.hook?.resource?.addr ?? 'a resource'
    const action = m.hook?.action ?? 'noop'
    const [doing, done] = VERBS[action] ?? [action, action]
    const elapsed = m.hook?.elapsed_seconds ?? 0
    const key = `${addr}\u0000${action}`
    switch (m.type) {
      case 'apply_start':
        due.set(key, nextProgressAt(0))
        return `${addr}: ${doing}`
      case 'apply_progress': {
        if (elapsed < (due.get(key) ?? nextProgressAt(0))) return undefined
        due.set(key, nextProgressAt(elapsed))
        return `${addr}: still ${doing}, ${formatElapsed(elapsed)} elapsed`
      }
      case 'apply_complete':
        due.delete(key)
        return `${addr}: ${done} after ${formatElapsed(elapsed)}`
      case 'apply_errored':
        due.delete(key)
        return `${addr}: ${doing} failed after ${formatElapsed(elapsed)}`
      case 'provision_errored':
        return `${addr}: provisioner ${m.hook?.provisioner ?? ''} failed`
      case 'diagnostic': {
        const d = m.diagnostic
        if (!d) return undefined
        return `${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}`
      }
      case 'change_summary':
        return m.changes ? changeSummary(m.changes) : undefined
      default:
        return undefined
    }
  }
}
