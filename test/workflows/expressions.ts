import {data, Evaluator, Lexer, Parser} from '@actions/expressions'
import {truthy} from '@actions/expressions/result'

/**
 * GitHub's own expression language (`@actions/expressions`, the library
 * GitHub's language service evaluates with), for asking what a workflow's
 * `if:` or `with:` expression gives in a given run.
 */
export interface Run {
  /** github, inputs, needs, vars, matrix, steps, runner, ...: plain JSON. */
  contexts: Record<string, unknown>
  /** The jobs or steps before have all succeeded (the default); or not. */
  status?: 'success' | 'failure' | 'cancelled'
}

const STATUS = ['success', 'failure', 'cancelled', 'always'] as const

type ExpressionData = ReturnType<Evaluator['evaluate']>

function toData(value: unknown): ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver)
}

function toJs(value: ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer))
}

function evaluateOne(source: string, run: Run): ExpressionData {
  const {tokens} = new Lexer(source).lex()
  const names = Object.keys(run.contexts)
  const functions = STATUS.map(name => ({name, minArgs: 0, maxArgs: 0}))
  const tree = new Parser(tokens, names, functions).parse()
  const status = run.status ?? 'success'
  const implementations = new Map(
    STATUS.map(name => [
      name,
      {
        name,
        minArgs: 0,
        maxArgs: 0,
        call: () =>
          new data.BooleanData(name === 'always' ? true : name === status)
      }
    ])
  )
  const context = new data.Dictionary(
    ...names.map(key => ({key, value: toData(run.contexts[key])}))
  )
  return new Evaluator(tree, context, implementations).evaluate()
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g

/**
 * A job's or step's `if:` as the runner decides it: the whole value is one
 * expression, with or without `${{ }}`, and without a status function it is
 * `success() && (...)`.
 */
export function condition(value: string | undefined, run: Run): boolean {
  let source = (value ?? '').trim()
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(source)
  if (whole) source = whole[1]!.trim()
  if (!source) source = 'success()'
  else if (!/\b(success|failure|cancelled|always)\(\)/.test(source)) {
    source = `success() && (${source})`
  }
  return truthy(evaluateOne(source, run))
}

/**
 * A `with:`/`env:` value: a string with `${{ }}` parts is interpolated, one
 * that is a single expression keeps the expression's own value.
 */
export function interpolate(value: unknown, run: Run): unknown {
  if (typeof value !== 'string') return value
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value)
  if (whole && !whole[1]!.includes('}}')) {
    return toJs(evaluateOne(whole[1]!, run))
  }
  return value.replace(TEMPLATE, (_, source: string) =>
    evaluateOne(source, run).coerceString()
  )
}

/** `interpolate`, as the string the runner hands an action or a shell. */
export function interpolateString(value: unknown, run: Run): string {
  const v = interpolate(value, run)
  if (v === null || v === undefined) return ''
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}
