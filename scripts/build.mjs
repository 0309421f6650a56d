#!/usr/bin/env node
// Builds every action bundle: tsc compiles src/ to lib/ (ESM, .ts imports
// rewritten to .js), then ncc bundles each entry into its committed dist/.
// ncc never sees TypeScript. `npm run build -- apply-stage` builds one.
import {existsSync, readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {$, cd, chalk} from 'zx'
import {repoRoot} from './lib/paths.mjs'
import {acquireLock} from './lib/lock.mjs'

$.verbose = false
cd(repoRoot)

export function entries() {
  const found = []
  for (const dir of readdirSync('src/actions', {withFileTypes: true})) {
    if (!dir.isDirectory()) continue
    for (const [file, suffix] of [
      ['index.ts', ''],
      ['post.ts', '-post']
    ]) {
      if (existsSync(join('src/actions', dir.name, file))) {
        found.push({
          name: `${dir.name}${suffix}`,
          input: `lib/actions/${dir.name}/${file.replace(/\.ts$/, '.js')}`
        })
      }
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name))
}

const wanted = process.argv.slice(2)
const selected = entries().filter(
  e => wanted.length === 0 || wanted.includes(e.name)
)
if (wanted.length > 0 && selected.length !== wanted.length) {
  console.error(`unknown bundle in: ${wanted.join(', ')}`)
  process.exit(1)
}

// Several builds may run at once in one work tree (lib/ is shared): take
// an exclusive lock so they run one after another.
const release = await acquireLock('.build.lock')
process.on('exit', release)

rmSync('lib', {recursive: true, force: true})
console.log('tsc: compiling src/ to lib/')
await $({stdio: 'inherit'})`tsc -p tsconfig.build.json`

for (const entry of selected) {
  const out = join('dist', entry.name)
  rmSync(out, {recursive: true, force: true})
  const started = Date.now()
  await $({
    stdio: 'inherit'
  })`ncc build ${entry.input} -o ${out} --quiet --target es2024`
  console.log(
    `${chalk.green('bundled')} ${out}/index.js (${Date.now() - started} ms)`
  )
}
