import {convertFiles, getReferencesInExpression} from '@cdktf/hcl2json'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from '../helpers/run-bundle.ts'

export const TERRAFORM_DIR = join(ROOT, 'terraform')
export const STAGES = ['vpc', 'cluster'] as const
export type StageName = (typeof STAGES)[number]

/** One root folder as hcl2json gives it: every block type, then its label(s). */
// hcl2json output is untyped JSON by nature.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Hcl = Record<string, any>

export interface Stage {
  name: StageName
  dir: string
  hcl: Hcl
}

const cache = new Map<StageName, Promise<Stage>>()

export function loadStage(name: StageName): Promise<Stage> {
  let stage = cache.get(name)
  if (!stage) {
    const dir = join(TERRAFORM_DIR, name)
    stage = convertFiles(dir).then(hcl => ({name, dir, hcl}))
    cache.set(name, stage)
  }
  return stage
}

/** The single block of a labelled block type (variable, output, resource). */
export function block(
  hcl: Hcl,
  ...path: string[]
): Record<string, unknown> | undefined {
  let node: unknown = hcl
  for (const key of path) {
    node = (node as Hcl | undefined)?.[key]
  }
  return Array.isArray(node) ? (node[0] as Record<string, unknown>) : undefined
}

export function variableNames(stage: Stage): string[] {
  return Object.keys(stage.hcl.variable ?? {}).sort()
}

export function outputNames(stage: Stage): string[] {
  return Object.keys(stage.hcl.output ?? {}).sort()
}

/** All locals of a stage, merged from every `locals` block. */
export function locals(stage: Stage): Record<string, unknown> {
  return Object.assign({}, ...((stage.hcl.locals as object[]) ?? []))
}

/** Every string in the parsed tree, with where it sits. */
export function strings(
  node: unknown,
  path: string[] = []
): {path: string[]; value: string}[] {
  if (typeof node === 'string') return [{path, value: node}]
  if (Array.isArray(node)) {
    return node.flatMap((item, i) => strings(item, [...path, String(i)]))
  }
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => strings(v, [...path, k]))
  }
  return []
}

/** The traversals (`var.x`, `local.y.z`, `module.m.o`) an expression makes. */
export async function references(expression: unknown): Promise<string[]> {
  const found = new Set<string>()
  for (const {value} of strings(expression)) {
    if (!value.includes('${')) continue
    for (const ref of await getReferencesInExpression('stage.tf', value)) {
      found.add(ref.value)
    }
  }
  return [...found].sort()
}

/** The stage's .tf files as text, for what a parser drops (comments). */
export function sources(stage: Stage): {file: string; text: string}[] {
  return readdirSync(stage.dir)
    .filter(f => f.endsWith('.tf'))
    .sort()
    .map(file => ({file, text: readFileSync(join(stage.dir, file), 'utf8')}))
}

/** The one body of a block hcl2json gives as a list (`[ {...} ]`). */
export function only(list: unknown, what: string): Hcl {
  if (
    !Array.isArray(list) ||
    list.length !== 1 ||
    typeof list[0] !== 'object'
  ) {
    throw new Error(`expected exactly one ${what}`)
  }
  return list[0] as Hcl
}
