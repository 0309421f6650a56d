// `up`, `down` and `status` of the test bed's Istio part (istio.mjs does the
// work): certificates from the toolkit's own generate-certs, then per
// running cluster the stage's objects and one istiod.
import {join} from 'node:path'
import {$} from 'zx'
import {repoRoot} from '../lib/paths.mjs'
import {holdLock} from './cache.mjs'
import {
  ensureInotifyInstances,
  installIstio,
  istiodRunning,
  restartIstiod,
  startIstiod,
  stopIstiod
} from './istio.mjs'
import {clusterRunning} from './kube.mjs'
import {
  DIR,
  byClusterNumber,
  istiodEndpoints,
  readState,
  writeState
} from './state.mjs'

export const CERTS_DIR = join(DIR, 'certs')

/**
 * The CA of the test bed's mesh, made by the toolkit's command line exactly
 * as a user would: idempotent, so a new cluster gets an intermediate under
 * the same root and the others are reused.
 */
async function generateCerts(clusters) {
  const cli = join(repoRoot, 'src', 'cli', 'index.ts')
  const out = await $({
    cwd: repoRoot,
    nothrow: true
  })`${process.execPath} ${cli} generate-certs --clusters ${clusters.join(',')} --output-dir ${CERTS_DIR}`.quiet()
  if (out.exitCode !== 0) {
    throw new Error(
      `generate-certs failed:\n${(out.stdout + out.stderr).trim().split('\n').slice(-10).join('\n')}`
    )
  }
}

export async function upIstio(state, bins) {
  const names = Object.keys(state.clusters)
    .filter(name => clusterRunning(state.clusters[name]))
    .sort(byClusterNumber)
  for (const name of Object.keys(state.istiod)) {
    if (!names.includes(name)) {
      await stopIstiod(state.istiod[name])
      delete state.istiod[name]
    }
  }
  if (!names.length) throw new Error('no cluster runs: istio needs kube')
  ensureInotifyInstances()
  await generateCerts(names)
  const missing = names.filter(name => {
    const i = state.istiod[name]
    // A restarted cluster has a new API server and an empty etcd.
    const fine = istiodRunning(i) && i.server === state.clusters[name].server
    if (fine) {
      console.log(
        `istio: ${name} istiod already running at ${istiodEndpoints(i).debug}`
      )
    }
    return !fine
  })
  const errors = []
  await Promise.all(
    missing.map(async name => {
      const c = state.clusters[name]
      await stopIstiod(state.istiod[name])
      delete state.istiod[name]
      try {
        const objects = await installIstio(c, {
          istioctl: bins.istioctl,
          certsDir: CERTS_DIR,
          dir: c.dir
        })
        const i = await startIstiod(c, objects, {
          pilotDiscovery: bins.pilotDiscovery,
          dir: c.dir
        })
        state.istiod[name] = i
        console.log(
          `istio: ${name} istiod ready at ${istiodEndpoints(i).debug}`
        )
      } catch (err) {
        errors.push(err)
      }
    })
  )
  if (errors.length) throw new Error(errors.map(e => e.message).join('\n'))
}

export async function downIstio(state) {
  for (const [name, i] of Object.entries(state.istiod ?? {})) {
    if (istiodRunning(i)) {
      await stopIstiod(i)
      console.log(`istio: stopped istiod of ${name}`)
    }
  }
  state.istiod = {}
}

export function istioStatus(state) {
  const names = Object.keys(state.istiod ?? {}).sort(byClusterNumber)
  if (!names.length) console.log('istio: not started')
  for (const name of names) {
    const i = state.istiod[name]
    const e = istiodEndpoints(i)
    console.log(
      `istio ${name}: istiod ${istiodRunning(i) ? 'running' : 'NOT running'} pid ${i.pid} (debug ${e.debug}, xds ${e.xds}, secure xds ${e.secureXds}, log ${i.log})`
    )
  }
}

/** Restarts the istiod of each named cluster in place (tests use it). */
export async function restartIstiods(clusters) {
  const release = await holdLock(join(DIR, 'up.lock'))
  try {
    ensureInotifyInstances()
    const state = readState()
    for (const name of clusters) {
      const i = state.istiod[name]
      if (!i) throw new Error(`istio: ${name} has no istiod to restart`)
      state.istiod[name] = await restartIstiod(i)
    }
    writeState(state)
  } finally {
    release()
  }
}
