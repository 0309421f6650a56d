#!/usr/bin/env node
// The one test command (`npm test`): static checks, then every test file on
// Node 24 with the built-in runner. Extra arguments select test files.
import {$, cd, glob} from 'zx'
import {repoRoot} from './lib/paths.mjs'
import {step} from './lib/step.mjs'

cd(repoRoot)
$.verbose = false
const sh = $({stdio: 'inherit'})

await step('eslint', () => sh`eslint --max-warnings=0 .`)
await step('prettier', () => sh`prettier --check .`)
await step('tsc', () => sh`tsc --noEmit -p tsconfig.json`)

const patterns = process.argv.slice(2)
const files = (
  await glob(patterns.length ? patterns : 'test/**/*.test.ts')
).sort()
await step(
  `node --test (${files.length} files)`,
  () => sh`node --test --test-concurrency=2 ${files}`
)
