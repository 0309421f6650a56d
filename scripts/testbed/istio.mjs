// Istio on the test bed: in every cluster what the cluster stage installs
// (Istio's own rendered manifests for the cluster's meshID, clusterName and
// network; the `cacerts` secret from a generate-certs run; the reader token
// secret), and one istiod (pilot-discovery) process per cluster on that
// cluster's intermediate CA, run as its rendered Deployment would run it.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {$} from 'zx'
import {applyObjects, parseManifests} from '../../src/kube/apply.ts'
import {httpsTransport, kubeClient} from '../../src/kube/client.ts'
import {freePort, isOurs, startDetached, stop, waitUntil} from './procs.mjs'
import {writeAtomic} from './state.mjs'

export const ISTIO_NAMESPACE = 'istio-system'
// The cluster stage's defaults (terraform/cluster/variables.tf).
export const MESH_ID = 'mesh1'
export const NETWORK = 'network1'
export const READER_SA = 'istio-reader-service-account'
export const READER_TOKEN_SECRET =
  'istio-reader-service-account-istio-remote-secret-token'
export const CACERTS_FILES = [
  'ca-cert.pem',
  'ca-key.pem',
  'root-cert.pem',
  'cert-chain.pem'
]
const MANAGER = 'testbed-istio'
// istiod's own credentials: a long-lived token of its service account, as
// the pod's projected token would be (test bed only, never a toolkit path).
const ISTIOD_TOKEN_SECRET = 'istiod-testbed-token'

/**
 * `istioctl manifest generate` with the values the cluster stage gives the
 * base and istiod charts: the minimal profile is exactly those two charts.
 */
export async function renderIstio(
  istioctl,
  cluster,
  namespace = ISTIO_NAMESPACE
) {
  const sets = [
    'profile=minimal',
    `values.global.istioNamespace=${namespace}`,
    `values.global.meshID=${MESH_ID}`,
    `values.global.multiCluster.clusterName=${cluster}`,
    `values.global.network=${NETWORK}`,
    'meshConfig.accessLogFile=/dev/stdout'
  ]
  const out =
    await $`${istioctl} manifest generate ${sets.flatMap(s => ['--set', s])}`.quiet()
  return out.stdout
}

/** Admin access to one test-bed cluster through the toolkit's own client. */
export function adminClient(c) {
  const pem = file => readFileSync(join(c.pki, file), 'utf8')
  return kubeClient(
    c.name,
    httpsTransport({
      server: c.server,
      ca: pem('ca.crt'),
      cert: pem('admin.crt'),
      key: pem('admin.key'),
      insecure: false
    })
  )
}

const applyOne = (kube, obj) =>
  applyObjects(kube, [obj], {
    fieldManager: MANAGER,
    namespace: obj.metadata.namespace ?? ISTIO_NAMESPACE
  })

/** The `cacerts` secret from a generate-certs folder, as the stage writes it. */
export function cacertsSecret(certsDir, cluster) {
  const data = {}
  for (const f of CACERTS_FILES) {
    data[f] = readFileSync(join(certsDir, cluster, f)).toString('base64')
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {name: 'cacerts', namespace: ISTIO_NAMESPACE},
    data
  }
}

function tokenSecret(name, serviceAccount) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/service-account-token',
    metadata: {
      name,
      namespace: ISTIO_NAMESPACE,
      annotations: {'kubernetes.io/service-account.name': serviceAccount}
    }
  }
}

async function getJson(kube, path) {
  const res = await kube.call(
    {method: 'GET', path},
    s => (s >= 200 && s < 300) || s === 404
  )
  return res.status === 404 ? undefined : res.body
}

/** Waits for the token controller to fill a service-account token secret. */
async function filledToken(kube, name) {
  const path = `/api/v1/namespaces/${ISTIO_NAMESPACE}/secrets/${name}`
  for (let i = 0; i < 300; i++) {
    const s = await getJson(kube, path)
    if (s?.data?.token) return s.data
    await sleep(100)
  }
  throw new Error(
    `${kube.cluster}: the token controller did not fill ${ISTIO_NAMESPACE}/${name} in 30 s: is kube-controller-manager running?`
  )
}

/**
 * What the cluster stage applies, in its order: namespace, cacerts,
 * Istio's manifests (base, then istiod), the reader token secret.
 */
export async function installIstio(c, {istioctl, certsDir, dir}) {
  const kube = adminClient(c)
  await applyOne(kube, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {name: ISTIO_NAMESPACE}
  })
  await applyOne(kube, cacertsSecret(certsDir, c.name))
  const manifest = await renderIstio(istioctl, c.name)
  writeAtomic(join(dir, 'istio.yaml'), manifest, 0o644)
  const objects = parseManifests(
    manifest,
    `istioctl manifest generate (${c.name})`
  )
  await applyObjects(kube, objects, {
    fieldManager: MANAGER,
    namespace: ISTIO_NAMESPACE
  })
  await applyOne(kube, tokenSecret(READER_TOKEN_SECRET, READER_SA))
  await filledToken(kube, READER_TOKEN_SECRET)
  return objects
}

/**
 * Writes `files` into `dir` the way the kubelet updates a mounted secret or
 * ConfigMap: a new hidden folder, an atomic swap of the `..data` symlink,
 * and one symlink per key. A watcher never sees a half-written set.
 */
export function projectVolume(dir, files) {
  mkdirSync(dir, {recursive: true})
  const current = join(dir, '..data')
  const same =
    existsSync(current) &&
    Object.entries(files).every(([k, v]) => {
      try {
        return readFileSync(join(current, k), 'utf8') === v
      } catch {
        return false
      }
    }) &&
    readdirSync(current).length === Object.keys(files).length
  if (same) return false
  const stamp = `..${new Date().toISOString().replace(/[-:.]/g, '_')}_${process.pid}`
  const fresh = join(dir, stamp)
  mkdirSync(fresh, {mode: 0o700})
  for (const [k, v] of Object.entries(files)) {
    writeFileSync(join(fresh, k), v, {mode: 0o600})
  }
  const tmp = join(dir, '..data_tmp')
  rmSync(tmp, {force: true})
  symlinkSync(stamp, tmp)
  renameSync(tmp, current)
  for (const k of Object.keys(files)) {
    if (!existsSync(join(dir, k))) symlinkSync(join('..data', k), join(dir, k))
  }
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('..') && entry !== '..data' && entry !== stamp) {
      rmSync(join(dir, entry), {recursive: true, force: true})
    }
  }
  return true
}

const decodeAll = data =>
  Object.fromEntries(
    Object.entries(data ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8')
    ])
  )

/**
 * The kubelet's part for istiod's volumes: the `cacerts` secret at
 * etc/cacerts and the `istio` ConfigMap at etc/istio/config, relative to
 * istiod's working folder (istiod's defaults are relative paths). Returns
 * whether anything changed.
 */
export async function syncIstiodVolumes(c, istiodDir) {
  const kube = adminClient(c)
  const ns = ISTIO_NAMESPACE
  const cacerts = await getJson(
    kube,
    `/api/v1/namespaces/${ns}/secrets/cacerts`
  )
  const mesh = await getJson(kube, `/api/v1/namespaces/${ns}/configmaps/istio`)
  if (!cacerts || !mesh) {
    throw new Error(
      `${c.name}: ${!cacerts ? 'secret' : 'ConfigMap'} ${ns}/${!cacerts ? 'cacerts' : 'istio'} is missing`
    )
  }
  const a = projectVolume(
    join(istiodDir, 'etc', 'cacerts'),
    decodeAll(cacerts.data)
  )
  const b = projectVolume(
    join(istiodDir, 'etc', 'istio', 'config'),
    mesh.data ?? {}
  )
  return a || b
}

function istiodContainer(objects) {
  const deployment = objects.find(
    o => o.kind === 'Deployment' && o.metadata.name === 'istiod'
  )
  const container = deployment?.spec?.template?.spec?.containers?.find(
    x => x.name === 'discovery'
  )
  if (!container) {
    throw new Error(
      'the rendered manifests have no istiod Deployment with a discovery container'
    )
  }
  return {
    container,
    serviceAccount: deployment.spec.template.spec.serviceAccountName ?? 'istiod'
  }
}

const ADDRESS_FLAGS = [
  'httpAddr',
  'grpcAddr',
  'secureGRPCAddr',
  'monitoringAddr',
  'httpsAddr',
  'ctrlz_port',
  'ctrlz_address',
  'kubeconfig'
]

/**
 * The rendered container's args and env, with every listening address on
 * loopback and the pod's downward-API fields filled in as the kubelet would.
 */
export function istiodCommand(
  container,
  {cluster, serviceAccount, ports, kubeconfig}
) {
  const args = []
  const given = container.args ?? []
  for (let i = 0; i < given.length; i++) {
    const flag = given[i].replace(/^--?/, '').split('=')[0]
    if (ADDRESS_FLAGS.includes(flag)) {
      if (!given[i].includes('=')) i++
      continue
    }
    args.push(given[i])
  }
  args.push(
    `--kubeconfig=${kubeconfig}`,
    `--httpAddr=127.0.0.1:${ports.http}`,
    `--grpcAddr=127.0.0.1:${ports.grpc}`,
    `--secureGRPCAddr=127.0.0.1:${ports.secureGrpc}`,
    `--monitoringAddr=127.0.0.1:${ports.monitoring}`,
    `--httpsAddr=127.0.0.1:${ports.https}`,
    `--ctrlz_port=${ports.ctrlz}`,
    '--ctrlz_address=127.0.0.1'
  )
  const pod = {
    'metadata.name': `istiod-${cluster}-testbed`,
    'metadata.namespace': ISTIO_NAMESPACE,
    'spec.serviceAccountName': serviceAccount
  }
  const env = {}
  for (const e of container.env ?? []) {
    if (typeof e.value === 'string') env[e.name] = e.value
    else if (e.valueFrom?.fieldRef) {
      const v = pod[e.valueFrom.fieldRef.fieldPath]
      if (v !== undefined) env[e.name] = v
    }
    // resourceFieldRef (GOMEMLIMIT, GOMAXPROCS): no pod limits here.
  }
  return {args, env}
}

function kubeconfigFor(c, token) {
  const ca = readFileSync(join(c.pki, 'ca.crt')).toString('base64')
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${c.name}`,
    '  cluster:',
    `    server: ${c.server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: istiod',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${c.name}`,
    '  context:',
    `    cluster: ${c.name}`,
    '    user: istiod',
    `current-context: ${c.name}`,
    ''
  ].join('\n')
}

export function istiodRunning(i) {
  return isOurs(i?.pid, i?.bin, i?.mark)
}

export async function stopIstiod(i) {
  if (i) await stop(i)
}

/** Starts istiod for cluster `c` from its rendered Deployment and waits until ready. */
export async function startIstiod(c, objects, {pilotDiscovery, dir}) {
  const kube = adminClient(c)
  const {container, serviceAccount} = istiodContainer(objects)
  await applyOne(kube, tokenSecret(ISTIOD_TOKEN_SECRET, serviceAccount))
  const token = Buffer.from(
    (await filledToken(kube, ISTIOD_TOKEN_SECRET)).token,
    'base64'
  ).toString('utf8')
  const work = join(dir, 'istiod')
  rmSync(work, {recursive: true, force: true})
  mkdirSync(work, {recursive: true, mode: 0o700})
  const kubeconfig = join(work, 'kubeconfig')
  writeAtomic(kubeconfig, kubeconfigFor(c, token))
  await syncIstiodVolumes(c, work)
  const ports = {}
  for (const p of [
    'http',
    'grpc',
    'secureGrpc',
    'monitoring',
    'https',
    'ctrlz'
  ]) {
    ports[p] = await freePort()
  }
  const {args, env} = istiodCommand(container, {
    cluster: c.name,
    serviceAccount,
    ports,
    kubeconfig
  })
  return launchIstiod({
    bin: pilotDiscovery,
    mark: work,
    dir: work,
    log: join(dir, 'logs', 'istiod.log'),
    ports,
    server: c.server,
    args,
    // Nothing of the caller's environment: istiod reads many variables.
    env: {PATH: process.env.PATH, HOME: process.env.HOME, ...env},
    cluster: c.name
  })
}

const INOTIFY_LIMIT = '/proc/sys/fs/inotify/max_user_instances'
const INOTIFY_WANTED = 1024

/**
 * istiod watches etc/cacerts with inotify; every API server, controller
 * manager and istiod holds instances, and the kernel's default of 128 per
 * user runs out with a few test beds on one machine. Raised when we may.
 */
export function ensureInotifyInstances() {
  let limit
  try {
    limit = Number(readFileSync(INOTIFY_LIMIT, 'utf8'))
  } catch {
    return
  }
  if (limit >= INOTIFY_WANTED) return
  try {
    writeFileSync(INOTIFY_LIMIT, String(INOTIFY_WANTED))
    console.log(
      `istio: raised fs.inotify.max_user_instances from ${limit} to ${INOTIFY_WANTED}`
    )
  } catch {
    console.log(
      `istio: fs.inotify.max_user_instances is ${limit} and cannot be raised here; istiod may start without its cacerts watcher`
    )
  }
}

/**
 * Without its watcher istiod runs, but never takes a renewed intermediate:
 * a test bed that hides that would let the renewal tests fail for the wrong
 * reason, so such a start is refused, naming the cause.
 */
export function watcherFailure(logText) {
  const line = logText
    .split('\n')
    .find(l => /failed to add CAcerts (file )?watcher/.test(l))
  if (!line) return undefined
  const why = line.slice(line.indexOf('failed to add')).trim()
  return /too many open files/.test(why)
    ? `${why}: the machine's inotify instances are used up; raise them, e.g. sysctl -w fs.inotify.max_user_instances=${INOTIFY_WANTED}`
    : why
}

/** Starts (or restarts) the istiod a record describes and waits until ready. */
async function launchIstiod(spec) {
  const from = existsSync(spec.log) ? statSync(spec.log).size : 0
  const record = {
    ...spec,
    pid: startDetached(spec.bin, spec.args, spec.log, spec.env, spec.dir)
  }
  try {
    await waitUntil(`istio ${spec.cluster}: istiod`, {
      ...record,
      timeoutMs: 120_000,
      probe: async () =>
        (await fetch(`http://127.0.0.1:${spec.ports.http}/ready`)).status ===
        200
    })
    const failure = watcherFailure(
      readFileSync(spec.log).subarray(from).toString('utf8')
    )
    if (failure) {
      throw new Error(
        `istio ${spec.cluster}: istiod started without its cacerts watcher (${failure})`
      )
    }
  } catch (err) {
    await stop(record)
    throw err
  }
  return record
}

/**
 * Stops an istiod and starts it again as it was (same ports, folder and
 * credentials), as a pod restart would: the way out of the istiod hang
 * described in docs/testbed.md.
 */
export async function restartIstiod(record) {
  if (!Array.isArray(record.args) || !record.env) {
    throw new Error(
      `istio ${record.cluster ?? ''}: this istiod was started by an older test bed; run \`npm run testbed -- down\` and \`up\``
    )
  }
  await stop(record)
  const {pid: _pid, ...spec} = record
  return launchIstiod(spec)
}
