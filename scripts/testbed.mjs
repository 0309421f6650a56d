#!/usr/bin/env node
// The local test bed of real components (docs/testbed.md):
//   npm run testbed -- up [--clusters N] [--only tofu,kube,istio,aws,lint]
//   npm run testbed -- down
//   npm run testbed -- status
// `up` builds what is missing into ~/.cache/eks-istio-mesh, starts what is
// asked, and writes .testbed/env.json and .testbed/env.sh. It is idempotent.
import {existsSync, mkdirSync, realpathSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {$} from 'zx'
import {startAws} from './testbed/aws.mjs'
import {CACHE, holdLock} from './testbed/cache.mjs'
import {
  VERSIONS,
  buildActionlint,
  buildCheckov,
  buildEtcd,
  buildIstio,
  buildKube,
  buildMoto,
  buildTofu,
  buildZizmor
} from './testbed/components.mjs'
import {
  clusterRunning,
  startCluster,
  stopCluster,
  writeKubeconfig
} from './testbed/kube.mjs'
import {downIstio, istioStatus, upIstio} from './testbed/istio-up.mjs'
import {isOurs, stop} from './testbed/procs.mjs'
import {
  DIR,
  byClusterNumber,
  envJson,
  readState,
  writeEnv,
  writeState
} from './testbed/state.mjs'

$.verbose = false
const COMPONENTS = ['tofu', 'kube', 'istio', 'aws', 'lint']
const USAGE = `usage: npm run testbed -- up [--clusters N] [--only ${COMPONENTS.join(',')}]
         (istio runs on the clusters, so it brings kube up too)
       npm run testbed -- down
       npm run testbed -- status`

function fail(message) {
  console.error(`testbed: ${message}`)
  process.exit(1)
}

function parse(argv) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {clusters: {type: 'string'}, only: {type: 'string'}}
    })
  } catch (err) {
    fail(`${err.message}\n${USAGE}`)
  }
  const {positionals, values} = parsed
  const command = positionals[0] ?? ''
  if (!['up', 'down', 'status'].includes(command) || positionals.length > 1) {
    fail(`expected one command, found '${positionals.join(' ')}'\n${USAGE}`)
  }
  const clusters = Number(values.clusters ?? '2')
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > 8) {
    fail(
      `--clusters: expected an integer from 1 to 8, found '${values.clusters}'`
    )
  }
  const only = values.only
    ? values.only
        .split(',')
        .map(s => s.trim())
        .filter(Boolean)
    : COMPONENTS
  const unknown = only.filter(c => !COMPONENTS.includes(c))
  if (unknown.length) {
    fail(
      `--only: expected some of ${COMPONENTS.join(',')}, found '${unknown.join(',')}'`
    )
  }
  if (only.includes('istio') && !only.includes('kube')) only.push('kube')
  return {command, clusters, only: new Set(only)}
}

// The Node that runs the test bed is the project's Node 24.
const node = realpathSync(process.execPath)

/** Runs the builds of the asked components; one failing does not stop the rest. */
async function buildAll(only) {
  const jobs = []
  const all = async (...builds) =>
    Object.assign({}, ...(await Promise.all(builds.map(build => build()))))
  // Go builds queue for two slots in call order: the longest (Kubernetes)
  // goes first so the cold build ends when it does.
  if (only.has('kube')) jobs.push(['kube', () => all(buildKube, buildEtcd)])
  if (only.has('istio')) jobs.push(['istio', buildIstio])
  if (only.has('tofu')) jobs.push(['tofu', buildTofu])
  if (only.has('aws')) jobs.push(['aws', buildMoto])
  if (only.has('lint')) {
    jobs.push(['lint', () => all(buildActionlint, buildZizmor, buildCheckov)])
  }
  const results = await Promise.allSettled(jobs.map(([, build]) => build()))
  const bins = {}
  const failed = []
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') Object.assign(bins, r.value)
    else failed.push([jobs[i][0], r.reason])
  })
  return {bins, failed}
}

/** The lock of `up`/`down`, given back even on Ctrl-C. */
async function lock() {
  mkdirSync(DIR, {recursive: true, mode: 0o700})
  const release = await holdLock(join(DIR, 'up.lock'))
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      release()
      process.exit(130)
    })
  }
  return release
}

/** Tools the builds need from the machine, checked before any build. */
async function preflight(only) {
  const needs = []
  if (['tofu', 'kube', 'istio', 'lint'].some(c => only.has(c))) {
    needs.push(['go', () => $`go version`, 'a Go toolchain (>= 1.25) on PATH'])
  }
  if (only.has('aws') || only.has('lint')) {
    needs.push([
      'python3 venv',
      () => $`python3 -m venv --help`,
      'python3 with the venv module (Debian: apt-get install python3-venv)'
    ])
  }
  if (only.has('kube')) {
    needs.push(['openssl', () => $`openssl version`, 'the openssl command'])
  }
  const missing = []
  for (const [name, probe, what] of needs) {
    try {
      await probe().quiet()
    } catch {
      missing.push(`${name}: needs ${what}`)
    }
  }
  if (missing.length) fail(`cannot build:\n  ${missing.join('\n  ')}`)
}

async function up({clusters, only}) {
  const started = Date.now()
  await preflight(only)
  const release = await lock()
  try {
    const state = readState()
    const {bins, failed} = await buildAll(only)
    if (bins.tofu) state.tools.tofu = bins.tofu
    for (const tool of ['actionlint', 'zizmor', 'checkov']) {
      if (bins[tool]) state.tools[tool] = bins[tool]
    }
    if (bins.motoServer) {
      try {
        state.aws = await startAws(state, bins, DIR)
      } catch (err) {
        delete state.aws
        failed.push(['aws', err])
      }
    }
    if (bins.apiserver) {
      try {
        await upClusters(state, clusters, bins)
      } catch (err) {
        failed.push(['kube', err])
      }
    }
    if (bins.pilotDiscovery) {
      state.tools.istioctl = bins.istioctl
      try {
        await upIstio(state, bins)
      } catch (err) {
        failed.push(['istio', err])
      }
    }
    writeState(state)
    const env = writeEnv(state, node)
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    console.log(`\ntestbed up in ${seconds}s; wrote ${join(DIR, 'env.json')}`)
    printEnv(env)
    if (failed.length) {
      for (const [component, err] of failed) {
        console.error(`\ntestbed: ${component} failed: ${err?.message ?? err}`)
      }
      process.exit(1)
    }
  } finally {
    release()
  }
}

async function upClusters(state, count, bins) {
  const root = join(DIR, 'clusters')
  const wanted = Array.from({length: count}, (_, i) => `cluster-${i + 1}`)
  const missing = []
  for (const name of wanted) {
    const c = state.clusters[name]
    if (c && clusterRunning(c)) {
      console.log(`kube: ${name} already running at ${c.server}`)
      continue
    }
    if (c) await stopCluster(c)
    delete state.clusters[name]
    missing.push(name)
  }
  // Two cores: start clusters two at a time.
  const errors = []
  for (let i = 0; i < missing.length; i += 2) {
    const batch = missing.slice(i, i + 2)
    const results = await Promise.allSettled(
      batch.map(name => startCluster(name, bins, root))
    )
    results.forEach((r, j) => {
      if (r.status === 'fulfilled') state.clusters[batch[j]] = r.value
      else errors.push(r.reason)
    })
  }
  const names = Object.keys(state.clusters)
  if (names.length) writeKubeconfig(join(DIR, 'kubeconfig'), state.clusters)
  if (errors.length) throw new Error(errors.map(e => e.message).join('\n'))
}

function printEnv(env) {
  for (const [key, value] of Object.entries(env)) {
    const shown = Array.isArray(value)
      ? value.join(', ')
      : typeof value === 'object'
        ? Object.entries(value)
            .map(([name, i]) => `${name} ${i.debug}`)
            .join(', ')
        : value
    console.log(`  ${key.padEnd(11)} ${shown || '(not started)'}`)
  }
}

async function down() {
  const release = await lock()
  try {
    const state = readState()
    await downIstio(state)
    for (const [name, c] of Object.entries(state.clusters)) {
      await stopCluster(c)
      console.log(`kube: stopped ${name}`)
    }
    if (state.aws && (await stop(state.aws))) {
      console.log('aws: stopped moto')
    }
    for (const file of [
      'certs',
      'clusters',
      'kubeconfig',
      'env.json',
      'env.sh',
      'state.json',
      'moto.log'
    ]) {
      rmSync(join(DIR, file), {recursive: true, force: true})
    }
    console.log('testbed down')
  } finally {
    release()
  }
}

function status() {
  const state = readState()
  const mark = ok => (ok ? 'running' : 'NOT running')
  console.log(`cache: ${CACHE}`)
  for (const [name, version] of Object.entries(VERSIONS)) {
    console.log(`  ${name.padEnd(11)} ${version}`)
  }
  for (const [tool, path] of Object.entries(state.tools)) {
    console.log(`${tool}: ${existsSync(path) ? path : `missing (${path})`}`)
  }
  if (state.aws) {
    console.log(
      `aws: ${mark(isOurs(state.aws.pid, state.aws.bin, state.aws.mark))} moto ${state.aws.endpoint} pid ${state.aws.pid}`
    )
  } else console.log('aws: not started')
  const names = Object.keys(state.clusters).sort(byClusterNumber)
  if (!names.length) console.log('kube: not started')
  for (const name of names) {
    const c = state.clusters[name]
    console.log(
      `kube ${name}: ${mark(clusterRunning(c))} ${c.server} (etcd pid ${c.etcd?.pid} port ${c.etcd?.port}, kube-apiserver pid ${c.apiserver?.pid}, kube-controller-manager pid ${c.controllerManager?.pid})`
    )
  }
  istioStatus(state)
  const env = envJson(state, node)
  if (existsSync(join(DIR, 'env.json')))
    console.log(`env: ${join(DIR, 'env.json')}`)
  return env
}

const args = parse(process.argv.slice(2))
if (args.command === 'up') await up(args)
else if (args.command === 'down') await down()
else status()
