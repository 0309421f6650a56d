// verify-mesh's control-plane check against what a person does by hand for
// the same facts, one cluster after another: `kubectl get` of the injector
// webhook and of the remote secrets, and curl of istiod's /ready,
// /debug/clusterz and /debug/endpointShardz (istioctl's remote-clusters
// would port-forward to an istiod pod; the test bed's istiods are
// processes, so their debug URLs are asked directly, as verify-mesh is told
// to by `istiod-urls`). The manual side only fetches; verify-mesh also
// reads and judges every pair: timed as the runner runs it (a fresh Node
// process and its bundle's start-up per run) and as the library call alone. Both run against the test bed's real istiods after
// exchange-secrets, with helloworld as selector-less Services and
// EndpointSlices in every cluster, so istiod knows it from every cluster.
// Needs Istio on 4 clusters: it runs `npm run testbed -- up --clusters 4`.
import {spawnSync} from 'node:child_process'
import {loadavg} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {buildKubectl} from '../scripts/testbed/components.mjs'
import {
  applyObjects,
  deleteObjects,
  type KubeObject
} from '../src/kube/apply.ts'
import {urlIstiod} from '../src/mesh/verify-istiod.ts'
import {verifyMesh} from '../src/mesh/verify.ts'
import {admin, adminTargets} from '../test/helpers/istio-fixture.ts'
import {istiod, withIstioLock} from '../test/helpers/istio-testbed.ts'
import {ROOT, runBundle} from '../test/helpers/run-bundle.ts'
import {need} from '../test/helpers/testbed.ts'

const REPS = Number(process.env.BENCH_REPS ?? 5)
const SIZES = [2, 4]

const up = spawnSync(
  process.execPath,
  [
    join(ROOT, 'scripts', 'testbed.mjs'),
    'up',
    '--clusters',
    String(Math.max(...SIZES))
  ],
  {cwd: ROOT, encoding: 'utf8'}
)
if (up.status !== 0)
  throw new Error(`testbed up failed:\n${up.stdout}${up.stderr}`)
const {kubectl} = await buildKubectl()
const kubeconfig = need('kubeconfig')
const env = {KUBECONFIG: kubeconfig}
const namespace = `bench-vm-${process.pid}`
const all = need('clusters').slice(0, Math.max(...SIZES))

const sample = (i: number): KubeObject[] => [
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace}},
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: 'helloworld', namespace},
    spec: {ports: [{name: 'http', port: 5000, protocol: 'TCP'}]}
  },
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'helloworld-bench',
      namespace,
      labels: {'kubernetes.io/service-name': 'helloworld'}
    },
    addressType: 'IPv4',
    // Never dialled: EndpointSlices refuse loopback, so a TEST-NET address.
    endpoints: [{addresses: [`192.0.2.${i + 1}`], conditions: {ready: true}}],
    ports: [{name: 'http', port: 5000, protocol: 'TCP'}]
  }
]

function manual(clusters: string[]): number {
  const script = clusters
    .flatMap(c => {
      const debug = istiod(c).debug
      return [
        `curl -fsS ${debug}/ready > /dev/null`,
        `${kubectl} --context=${c} get mutatingwebhookconfigurations -l app=sidecar-injector -o name > /dev/null`,
        `${kubectl} --context=${c} -n istio-system get secrets -l istio/multiCluster=true -o name > /dev/null`,
        `curl -fsS ${debug}/debug/clusterz > /dev/null`,
        `curl -fsS ${debug}/debug/endpointShardz > /dev/null`
      ]
    })
    .join('\n')
  const started = performance.now()
  const r = spawnSync('bash', ['-ec', script], {
    encoding: 'utf8',
    env: {...process.env, ...env}
  })
  if (r.status !== 0)
    throw new Error(`manual step failed: ${r.stderr.slice(-500)}`)
  return performance.now() - started
}

/** The action as the runner runs it: a fresh Node process per run. */
async function bundle(clusters: string[]): Promise<number> {
  const started = performance.now()
  const r = await runBundle(
    'verify-mesh',
    {
      clusters: clusters.join(','),
      provider: 'kubeconfig',
      namespace,
      checks: 'control-plane',
      'istiod-urls': clusters.map(c => `${c}=${istiod(c).debug}`).join('\n'),
      timeout: '2m'
    },
    {env, defaultsFrom: 'verify-mesh'}
  )
  const wallMs = performance.now() - started
  if (r.status !== 0) throw new Error(`verify-mesh failed:\n${r.stdout}`)
  return wallMs
}

/** The check alone: the library's verifyMesh in this process. */
async function library(clusters: string[]): Promise<number> {
  const started = performance.now()
  const report = await verifyMesh(
    {
      clusters: adminTargets(clusters),
      namespace,
      istioNamespace: 'istio-system',
      checks: {controlPlane: true, traffic: false},
      requests: 1,
      timeoutMs: 120_000,
      cleanup: false,
      images: {helloworld: '-', helloworldV2: '-', curl: '-'},
      fieldManager: 'bench'
    },
    {
      log: () => {},
      group: (_, fn) => fn(),
      now: Date.now,
      sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
      istiod: t => urlIstiod(istiod(t.name).debug, {timeoutMs: 20_000}),
      exec: () => Promise.reject(new Error('no traffic in this bench'))
    }
  )
  const ms = performance.now() - started
  if (report.result !== 'pass' || !report.controlPlane?.endpoints)
    throw new Error(
      `verifyMesh: ${report.failures.join('; ') || 'no endpoints checked'}`
    )
  return ms
}

const exchange = async (mode: string) => {
  const r = await runBundle(
    'exchange-secrets',
    {clusters: all.join(','), provider: 'kubeconfig', mode},
    {env, defaultsFrom: 'exchange-secrets'}
  )
  if (r.status !== 0) throw new Error(`exchange-secrets ${mode}:\n${r.stdout}`)
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(9)

await withIstioLock(async () => {
  await exchange('apply')
  for (const [i, c] of all.entries()) {
    await applyObjects(admin(c).kube, sample(i), {
      fieldManager: 'bench',
      namespace
    })
  }
  try {
    // Once unmeasured: istiod syncs the new remotes and learns the
    // endpoints (verify-mesh waits for that), then every run finds it so.
    await bundle(all)
    console.log(
      `verify-mesh checks control-plane vs kubectl get + curl of istiod's debug API, serially: ${REPS} runs each, interleaved; medians; load average ${loadavg()[0]!.toFixed(1)} at start`
    )
    console.log(
      `${'case'.padEnd(30)}${'manual'.padStart(9)}${'action'.padStart(9)}  ratio${'library'.padStart(9)}  ratio`
    )
    for (const n of SIZES) {
      const clusters = all.slice(0, n)
      const t = {
        manual: [] as number[],
        action: [] as number[],
        lib: [] as number[]
      }
      for (let i = 0; i < REPS; i++) {
        t.manual.push(manual(clusters))
        t.action.push(await bundle(clusters))
        t.lib.push(await library(clusters))
      }
      const m = median(t.manual)
      const ratio = (ms: number[]) => `${(median(ms) / m).toFixed(2)}x`
      console.log(
        `${`control plane, ${n} clusters`.padEnd(30)}${fmt(m)}${fmt(median(t.action))}  ${ratio(t.action)}${fmt(median(t.lib))}  ${ratio(t.lib)}`
      )
    }
  } finally {
    for (const [i, c] of all.entries()) {
      await deleteObjects(admin(c).kube, sample(i), namespace)
    }
    // Every remote synced (the check passed), so revoking is safe for istiod.
    await exchange('revoke')
  }
})
