import * as actionsCore from '@actions/core'

/**
 * The part of @actions/core the actions use. Entry points receive it as a
 * dependency so that the same run() serves GitHub, the local command line
 * (console-backed) and tests.
 */
export interface Core {
  info(message: string): void
  warning(message: string, properties?: AnnotationProperties): void
  error(message: string, properties?: AnnotationProperties): void
  notice(message: string, properties?: AnnotationProperties): void
  debug(message: string): void
  setSecret(secret: string): void
  setOutput(name: string, value: unknown): void
  setFailed(message: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
  writeSummary(markdown: string): Promise<void>
}

export interface AnnotationProperties {
  title?: string
  file?: string
  startLine?: number
  endLine?: number
  startColumn?: number
  endColumn?: number
}

/** The real runner-backed implementation. */
export function actionsCoreAdapter(): Core {
  return {
    info: m => actionsCore.info(m),
    warning: (m, p) => actionsCore.warning(m, p),
    error: (m, p) => actionsCore.error(m, p),
    notice: (m, p) => actionsCore.notice(m, p),
    debug: m => actionsCore.debug(m),
    setSecret: s => actionsCore.setSecret(s),
    setOutput: (n, v) => actionsCore.setOutput(n, v),
    setFailed: m => actionsCore.setFailed(m),
    group: (n, fn) => actionsCore.group(n, fn),
    async writeSummary(markdown) {
      // Outside a runner there is no summary file; the log already has it all.
      if (!process.env.GITHUB_STEP_SUMMARY) return
      await actionsCore.summary.addRaw(markdown, true).write()
    }
  }
}

/**
 * A console-backed Core for the local command line: outputs are printed as
 * `name=value` lines, secrets are remembered and redacted from everything
 * printed, and the summary is printed at the end.
 */
export function consoleCore(
  stream: NodeJS.WritableStream = process.stdout
): Core & {readonly outputs: Record<string, string>; failed: boolean} {
  const secrets: string[] = []
  const outputs: Record<string, string> = {}
  const redact = (text: string) =>
    secrets.reduce((t, s) => t.split(s).join('***'), text)
  const print = (text: string): void => {
    stream.write(`${redact(text)}\n`)
  }
  const core = {
    outputs,
    failed: false,
    info: print,
    warning: (m: string) => print(`warning: ${m}`),
    error: (m: string) => print(`error: ${m}`),
    notice: (m: string) => print(`notice: ${m}`),
    debug: (m: string) => {
      if (process.env.RUNNER_DEBUG === '1') print(`debug: ${m}`)
    },
    setSecret: (s: string) => {
      for (const part of [s, ...s.split('\n').map(l => l.trim())]) {
        if (part.length >= 4 && !secrets.includes(part)) secrets.push(part)
      }
      secrets.sort((a, b) => b.length - a.length)
    },
    setOutput: (name: string, value: unknown) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      outputs[name] = text
      print(`output ${name}=${text}`)
    },
    setFailed: (m: string) => {
      core.failed = true
      process.exitCode = 1
      print(`error: ${m}`)
    },
    group: async <T>(name: string, fn: () => Promise<T>) => {
      print(`== ${name}`)
      return fn()
    },
    writeSummary: async (markdown: string) => {
      print(markdown)
    }
  }
  return core
}
