#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (or the ones named) one after
// another on Node 24. Each prints its own side-by-side table: the toolkit
// against its baseline, measured in the same run, reported as ratios.
import {$, cd, glob} from 'zx'
import {repoRoot} from './lib/paths.mjs'
import {step} from './lib/step.mjs'

cd(repoRoot)
$.verbose = false
const wanted = process.argv.slice(2)
const files = (await glob('bench/*.bench.ts'))
  .sort()
  .filter(f => wanted.length === 0 || wanted.some(w => f.includes(w)))
if (files.length === 0) {
  console.error('no benchmark matched')
  process.exit(1)
}
for (const file of files) {
  await step(file, () => $({stdio: 'inherit'})`node ${file}`)
}
