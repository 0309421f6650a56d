#!/usr/bin/env node
// The one test command (`npm test`): static checks, then every test file on
// Node 24 with the built-in runner. Extra arguments select test files.
// Without them the test bed (real tofu, clusters, moto, linters) is brought
// up first; it is idempotent and takes seconds when warm. With them it is
// left alone, so a developer's running test bed is reused as it is.
import {$, cd, glob} from 'zx'
import {repoRoot} from './lib/paths.mjs'
import {step} from './lib/step.mjs'

cd(repoRoot)
$.verbose = false
const sh = $({stdio: 'inherit'})

const patterns = process.argv.slice(2)
if (!patterns.length) {
  // Four clusters: the Istio tests prove the mesh for 12 pairs, not just 2.
  await step('testbed up', () => sh`node scripts/testbed.mjs up --clusters 4`)
}

await step('eslint', () => sh`eslint --max-warnings=0 .`)
await step('prettier', () => sh`prettier --check .`)
await step('tsc', () => sh`tsc --noEmit -p tsconfig.json`)

const files = (
  await glob(patterns.length ? patterns : 'test/**/*.test.ts')
).sort()
await step(
  `node --test (${files.length} files)`,
  () => sh`node --test --test-concurrency=2 ${files}`
)
