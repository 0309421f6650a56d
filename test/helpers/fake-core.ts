import type {AnnotationProperties, Core} from '../../src/common/core.ts'

export interface RecordedAnnotation {
  level: 'warning' | 'error' | 'notice'
  message: string
  properties?: AnnotationProperties
}

/** A Core stand-in that records everything, for tests of run() and adapters. */
export function fakeCore() {
  const log: string[] = []
  const secrets: string[] = []
  const outputs: Record<string, string> = {}
  const annotations: RecordedAnnotation[] = []
  const summaries: string[] = []
  const state = {failed: undefined as string | undefined}
  const core: Core = {
    info: m => void log.push(m),
    debug: m => void log.push(`debug: ${m}`),
    warning: (message, properties) =>
      void annotations.push({level: 'warning', message, properties}),
    error: (message, properties) =>
      void annotations.push({level: 'error', message, properties}),
    notice: (message, properties) =>
      void annotations.push({level: 'notice', message, properties}),
    setSecret: s => void secrets.push(s),
    setOutput: (name, value) => {
      outputs[name] = typeof value === 'string' ? value : JSON.stringify(value)
    },
    setFailed: m => {
      state.failed = m
    },
    group: async (name, fn) => {
      log.push(`group: ${name}`)
      return fn()
    },
    writeSummary: async markdown => void summaries.push(markdown)
  }
  return {core, log, secrets, outputs, annotations, summaries, state}
}
