import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'
import type {CliIo, CliResult} from '../../src/terraform/cli.ts'
import {
  runStage,
  StageFailure,
  type StageInputs
} from '../../src/terraform/stage.ts'
import {fakeCore} from '../helpers/fake-core.ts'

// The orchestration with a scripted CLI: what is retried, what never is,
// and what runs in which order. Real OpenTofu runs in the integration tests.
const ok = (stdout = ''): CliResult => ({exitCode: 0, stdout, stderr: ''})
const failed = (text: string): CliResult => ({
  exitCode: 1,
  stdout: '',
  stderr: text
})

const planJson = JSON.stringify({
  format_version: '1.2',
  resource_changes: [
    {
      address: 'terraform_data.a',
      mode: 'managed',
      change: {actions: ['create'], after: {input: 'x'}}
    }
  ],
  applyable: true
})

function setup(
  script: Record<string, CliResult[]>,
  overrides: Partial<StageInputs> = {}
) {
  const ws = mkdtempSync(join(tmpdir(), 'stage-unit-'))
  after(() => rmSync(ws, {recursive: true, force: true}))
  mkdirSync(join(ws, 'stage'))
  const calls: string[] = []
  const argv: string[][] = []
  const sleeps: number[] = []
  const fake = fakeCore()
  const inputs: StageInputs = {
    stageDir: join(ws, 'stage'),
    stageLabel: 'stage',
    command: 'apply',
    backend: 'local',
    backendConfig: {},
    vars: {},
    varFiles: [],
    allowDestroy: false,
    lockTimeoutMs: 1000,
    lock: true,
    protect: [],
    pluginCache: false,
    workspace: ws,
    tempDir: ws,
    tool: 'tofu',
    ...overrides
  }
  const deps = {
    cli: {
      run: async (args: string[], io: CliIo) => {
        calls.push(args[0]!)
        argv.push(args)
        const queue = script[args[0]!] ?? []
        const r = queue.length > 1 ? queue.shift()! : (queue[0] ?? ok('{}'))
        for (const line of r.stdout.split('\n')) io.onStdoutLine?.(line)
        return r
      }
    },
    core: fake.core,
    now: () => 0,
    sleep: async (ms: number) => void sleeps.push(ms),
    random: () => 0.5
  }
  return {inputs, deps, calls, argv, sleeps, fake}
}

test('a transient init failure is retried with the reason logged', async () => {
  const {inputs, deps, calls, sleeps, fake} = setup({
    init: [failed('Error: Failed to install provider: unexpected EOF'), ok()],
    plan: [{exitCode: 2, stdout: '', stderr: ''}],
    show: [ok(planJson)],
    apply: [ok()]
  })
  const r = await runStage(inputs, deps)
  assert.equal(r.report.status, 'applied')
  assert.deepEqual(calls, ['init', 'init', 'plan', 'show', 'apply', 'output'])
  assert.equal(sleeps.length, 1)
  assert.match(
    fake.annotations[0]!.message,
    /init failed \(connection dropped\); retry 1/
  )
})

test('a failing apply is never retried, even when the error looks transient', async () => {
  const {inputs, deps, calls} = setup({
    plan: [{exitCode: 2, stdout: '', stderr: ''}],
    show: [ok(planJson)],
    apply: [failed('502 Bad Gateway')]
  })
  await assert.rejects(runStage(inputs, deps), StageFailure)
  assert.equal(calls.filter(c => c === 'apply').length, 1)
})

test('a permanent init failure stops at once', async () => {
  const {inputs, deps, calls} = setup({init: [failed('Unsupported argument')]})
  await assert.rejects(runStage(inputs, deps), /init failed \(exit 1\)/)
  assert.deepEqual(calls, ['init'])
})

test('a plan that is not applyable is refused before apply', async () => {
  const {inputs, deps, calls} = setup({
    plan: [{exitCode: 1, stdout: '', stderr: ''}],
    show: [
      ok(
        JSON.stringify({format_version: '1.0', errored: true, applyable: false})
      )
    ]
  })
  inputs.planFile = undefined
  await assert.rejects(runStage(inputs, deps), /plan failed/)
  assert.ok(!calls.includes('apply'))
})

test('command plan stops after show; a missing reviewed plan is a configuration error', async () => {
  const a = setup(
    {plan: [{exitCode: 0, stdout: '', stderr: ''}], show: [ok(planJson)]},
    {command: 'plan', planFile: '/nonexistent/p'}
  )
  const r = await runStage(a.inputs, a.deps)
  assert.equal(r.report.status, 'planned')
  assert.deepEqual(a.calls, ['init', 'plan', 'show'])
  const b = setup({}, {command: 'apply', planFile: '/nonexistent/p'})
  await assert.rejects(
    runStage(b.inputs, b.deps),
    /input 'plan-file' must name the reviewed saved plan/
  )
  assert.deepEqual(b.calls, [])
})

test('providers: restored by key before init, saved after a plan on a miss only', async () => {
  const events: string[] = []
  const cache = {
    restore: async (_dir: string, key: string) => {
      events.push(`restore ${key}`)
      return false
    },
    save: async (_dir: string, key: string) => void events.push(`save ${key}`)
  }
  const run = async (command: 'plan' | 'apply') => {
    const s = setup(
      {
        version: [ok('{"terraform_version":"1.11.6"}')],
        plan: [{exitCode: 0, stdout: '', stderr: ''}],
        show: [ok(planJson)],
        apply: [ok()]
      },
      {command, pluginCache: true}
    )
    writeFileSync(
      join(s.inputs.stageDir, '.terraform.lock.hcl'),
      'provider "x" {}'
    )
    await runStage(s.inputs, {
      ...s.deps,
      cache,
      pluginCacheDir: join(s.inputs.tempDir, 'plugins')
    })
    return s.calls
  }
  const calls = await run('plan')
  assert.deepEqual(calls.slice(0, 2), ['version', 'init'])
  await run('apply')
  assert.equal(events.length, 3)
  assert.match(
    events[0]!,
    /^restore apply-stage-providers-linux-\w+-tofu-1\.11\.6-[0-9a-f]{32}$/
  )
  assert.equal(events[1], events[0]!.replace('restore', 'save'))
  assert.match(events[2]!, /^restore /, 'apply restores but never saves')
})

test('no lock file, no provider cache', async () => {
  const events: string[] = []
  const s = setup(
    {plan: [{exitCode: 0, stdout: '', stderr: ''}], show: [ok(planJson)]},
    {command: 'plan', pluginCache: true}
  )
  const cache = {
    restore: async () => {
      events.push('restore')
      return false
    },
    save: async () => void events.push('save')
  }
  await runStage(s.inputs, {
    ...s.deps,
    cache,
    pluginCacheDir: join(s.inputs.tempDir, 'plugins')
  })
  assert.deepEqual(events, [])
  assert.ok(s.fake.log.some(l => /no \.terraform\.lock\.hcl/.test(l)))
})

test('lock false plans a preview with -lock=false; a plan that is applied always locks', async () => {
  const planOf = (argv: string[][]) => argv.find(a => a[0] === 'plan')!
  const preview = setup(
    {plan: [{exitCode: 2, stdout: '', stderr: ''}], show: [ok(planJson)]},
    {command: 'plan', lock: false}
  )
  await runStage(preview.inputs, preview.deps)
  assert.ok(planOf(preview.argv).includes('-lock=false'))

  const applied = setup(
    {plan: [{exitCode: 2, stdout: '', stderr: ''}], show: [ok(planJson)]},
    {command: 'apply', lock: false}
  )
  await runStage(applied.inputs, applied.deps)
  assert.ok(!planOf(applied.argv).includes('-lock=false'))
  assert.ok(planOf(applied.argv).includes('-lock-timeout=1s'))
  assert.ok(!applied.argv.find(a => a[0] === 'apply')!.includes('-lock=false'))
})

test('plan and apply show their progress inside their groups; init and show do not', async () => {
  const event = (type: string, extra: object) =>
    JSON.stringify({'@message': 'raw', type, ...extra})
  const hook = {resource: {addr: 'terraform_data.a'}, action: 'create'}
  const {inputs, deps, fake} = setup({
    init: [ok(event('apply_start', {hook}))],
    plan: [
      {
        exitCode: 2,
        stdout: event('change_summary', {
          changes: {add: 1, change: 0, remove: 0, operation: 'plan'}
        }),
        stderr: ''
      }
    ],
    show: [ok(planJson)],
    apply: [
      ok(
        [
          event('apply_start', {hook}),
          event('apply_progress', {hook: {...hook, elapsed_seconds: 10}}),
          event('apply_complete', {hook: {...hook, elapsed_seconds: 12}}),
          event('change_summary', {
            changes: {add: 1, change: 0, remove: 0, operation: 'apply'}
          })
        ].join('\n')
      )
    ]
  })
  await runStage(inputs, deps)
  const from = (g: string) => fake.log.indexOf(`group: ${g} stage`)
  const shown = fake.log.filter(l => !l.startsWith('debug'))
  assert.deepEqual(shown.slice(from('plan'), from('plan') + 2), [
    'group: plan stage',
    'plan: 1 to add, 0 to change, 0 to destroy'
  ])
  assert.deepEqual(shown.slice(shown.indexOf('group: apply stage')), [
    'group: apply stage',
    'terraform_data.a: creating',
    'terraform_data.a: still creating, 10s elapsed',
    'terraform_data.a: created after 12s',
    'apply complete: 1 added, 0 changed, 0 destroyed'
  ])
  assert.ok(!fake.log.includes('raw'))
  assert.equal(
    fake.log.filter(l => l === 'terraform_data.a: creating').length,
    1,
    'init output is not read as progress'
  )
})
