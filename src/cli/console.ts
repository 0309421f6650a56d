import type {Core} from '../common/core.ts'

/**
 * Where the command line prints: one stream, one list of secrets that every
 * line is redacted against, shared by all the steps of one command so a
 * secret masked by one action stays masked in the next.
 */
export interface Console {
  print(line: string): void
  mask(secret: string): void
}

export function createConsole(
  stream: NodeJS.WritableStream = process.stdout
): Console {
  const secrets: string[] = []
  const redact = (text: string) =>
    secrets.reduce((t, s) => t.split(s).join('***'), text)
  return {
    print: line => void stream.write(`${redact(line)}\n`),
    mask(secret) {
      for (const part of [secret, ...secret.split('\n').map(l => l.trim())]) {
        if (part.length >= 4 && !secrets.includes(part)) secrets.push(part)
      }
      secrets.sort((a, b) => b.length - a.length)
    }
  }
}

export interface StepCoreOptions {
  /** Put in front of every line, e.g. two spaces under a step's title. */
  indent?: string
  /** Print the job summary (Markdown) the action writes. */
  showSummary?: boolean
  /** Print `output name=value` lines. */
  showOutputs?: boolean
}

/** What an action run through a StepCore reported. */
export interface StepRecord {
  outputs: Record<string, string>
  /** setFailed's message; undefined when the action succeeded. */
  failure?: string
  summary: string
}

/**
 * A Core for running an action as one step of a command: it prints through
 * the shared Console, indented, and records outputs and failure instead of
 * setting the process's exit code, so the command decides what fails.
 */
export function stepCore(
  out: Console,
  options: StepCoreOptions = {}
): Core & {readonly record: StepRecord} {
  const indent = options.indent ?? '  '
  const record: StepRecord = {outputs: {}, summary: ''}
  const print = (text: string) => {
    for (const line of text.split('\n')) out.print(`${indent}${line}`)
  }
  return {
    record,
    info: print,
    warning: m => print(`warning: ${m}`),
    error: m => print(`error: ${m}`),
    notice: m => print(`notice: ${m}`),
    debug: m => {
      if (process.env.RUNNER_DEBUG === '1') print(`debug: ${m}`)
    },
    setSecret: s => out.mask(s),
    setOutput: (name, value) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      record.outputs[name] = text
      if (options.showOutputs) print(`output ${name}=${text}`)
    },
    setFailed: m => {
      record.failure = m
      print(`error: ${m}`)
    },
    group: async (name, fn) => {
      print(`-- ${name}`)
      return fn()
    },
    writeSummary: async markdown => {
      record.summary += markdown
      if (options.showSummary) print(markdown.trimEnd())
    }
  }
}
