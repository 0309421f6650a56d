#!/usr/bin/env node
// Fails when a committed bundle differs from a fresh build, including new or
// deleted files under dist/ (git status sees both).
import {$, cd} from 'zx'
import {repoRoot} from './lib/paths.mjs'

$.verbose = false
cd(repoRoot)
await $({stdio: 'inherit'})`node scripts/build.mjs`
const status = (await $`git status --porcelain -- dist`).stdout.trim()
if (status !== '') {
  console.error(
    'dist/ is out of date with src/. Run `npm run build` and commit dist/:\n' +
      status
  )
  const diff = await $`git diff --stat -- dist`
  console.error(diff.stdout)
  process.exit(1)
}
console.log('dist/ matches a fresh build')
