#!/usr/bin/env node
// Writes each action's inputs and outputs tables into actions/<name>/README.md
// from its action.yml, between the markers
//   <!-- inputs:<name> --> ... <!-- /inputs:<name> -->
//   <!-- outputs:<name> --> ... <!-- /outputs:<name> -->
// Descriptions are written once, in action.yml; the prose around the
// markers is the README's own.
//   npm run docs            rewrite the tables
//   npm run docs -- --check exit 1 naming each README whose tables drifted
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {parse} from 'yaml'
import {repoRoot} from './lib/paths.mjs'

/**
 * A table cell: one line, pipes escaped, and `<` outside code spans written
 * as an entity, so `<cluster>` shows instead of vanishing as an HTML tag.
 */
export function cell(text) {
  return String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .split('`')
    .map((part, i) => (i % 2 ? part : part.replaceAll('<', '&lt;')))
    .join('`')
    .replaceAll('|', '\\|')
}

function code(text) {
  // A default holding a backtick needs a longer fence.
  return String(text).includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``
}

export function inputsTable(meta) {
  const rows = Object.entries(meta.inputs ?? {}).map(([name, i]) => {
    const def = i.required
      ? 'required'
      : i.default !== undefined && String(i.default) !== ''
        ? code(i.default)
        : ''
    return `| \`${name}\` | ${def} | ${cell(i.description)} |`
  })
  return [
    '| name | default | description |',
    '| --- | --- | --- |',
    ...rows
  ].join('\n')
}

export function outputsTable(meta) {
  const rows = Object.entries(meta.outputs ?? {}).map(
    ([name, o]) => `| \`${name}\` | ${cell(o.description)} |`
  )
  return ['| name | description |', '| --- | --- |', ...rows].join('\n')
}

/**
 * The README with each marked region replaced by its table. Throws when a
 * README lacks a pair of markers, naming the markers it needs.
 */
export function renderReadme(name, readme, meta) {
  let text = readme
  for (const [kind, table] of [
    ['inputs', inputsTable(meta)],
    ['outputs', outputsTable(meta)]
  ]) {
    const open = `<!-- ${kind}:${name} -->`
    const close = `<!-- /${kind}:${name} -->`
    const start = text.indexOf(open)
    const end = text.indexOf(close)
    if (start < 0 || end < start) {
      throw new Error(
        `actions/${name}/README.md needs the markers ${open} and ${close} around its ${kind} table`
      )
    }
    text = `${text.slice(0, start + open.length)}\n${table}\n${text.slice(end)}`
  }
  return text
}

/** Every action folder with both an action.yml and a README.md. */
export function actionReadmes(root = repoRoot) {
  const dir = join(root, 'actions')
  return readdirSync(dir)
    .filter(
      name =>
        existsSync(join(dir, name, 'action.yml')) &&
        existsSync(join(dir, name, 'README.md'))
    )
    .sort()
    .map(name => ({
      name,
      file: join(dir, name, 'README.md'),
      meta: parse(readFileSync(join(dir, name, 'action.yml'), 'utf8'))
    }))
}

/** The READMEs whose tables differ from their action.yml. */
export function driftedReadmes(root = repoRoot) {
  return actionReadmes(root).filter(
    ({name, file, meta}) =>
      renderReadme(name, readFileSync(file, 'utf8'), meta) !==
      readFileSync(file, 'utf8')
  )
}

async function main(argv) {
  if (argv.includes('--check')) {
    const drifted = driftedReadmes()
    for (const {file} of drifted) {
      console.error(
        `${file}: inputs/outputs tables differ from action.yml; run \`npm run docs\``
      )
    }
    process.exit(drifted.length ? 1 : 0)
  }
  for (const {name, file, meta} of actionReadmes()) {
    const before = readFileSync(file, 'utf8')
    const after = renderReadme(name, before, meta)
    if (after !== before) {
      writeFileSync(file, after)
      console.log(`docs: wrote the tables of ${file}`)
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2))
}
