// exchange-secrets against the manual way Istio's multi-primary guide gives:
// for every source, `istioctl create-remote-secret --context=<source>` piped
// to `kubectl apply --context=<target>` for every other cluster, one after
// another. Both sides write into one namespace of the test bed's clusters
// (made Istio-ready with Istio's rendered reader objects), starting from no
// remote secrets each time. `check` is set against the nearest manual
// step: `kubectl auth can-i --list` with each remote secret's kubeconfig.
// Needs 8 clusters: it runs `npm run testbed -- up --clusters 8 --only kube`.
import {spawnSync} from 'node:child_process'
import {loadavg} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {buildIstio, buildKubectl} from '../scripts/testbed/components.mjs'
import {admin, istioReady, removeIstio} from '../test/helpers/istio-fixture.ts'
import {ROOT, runBundle} from '../test/helpers/run-bundle.ts'
import {need} from '../test/helpers/testbed.ts'

const REPS = Number(process.env.BENCH_REPS ?? 5)
const SIZES = [4, 8]

const up = spawnSync(
  process.execPath,
  [
    join(ROOT, 'scripts', 'testbed.mjs'),
    'up',
    '--clusters',
    String(Math.max(...SIZES)),
    '--only',
    'kube'
  ],
  {cwd: ROOT, encoding: 'utf8'}
)
if (up.status !== 0)
  throw new Error(`testbed up failed:\n${up.stdout}${up.stderr}`)
const {istioctl} = await buildIstio()
const {kubectl} = await buildKubectl()
const kubeconfig = need('kubeconfig')
const namespace = `bench-xs-${process.pid}`

function sh(script: string): number {
  const started = performance.now()
  const r = spawnSync('bash', ['-ec', script], {
    encoding: 'utf8',
    env: {...process.env, KUBECONFIG: kubeconfig}
  })
  if (r.status !== 0)
    throw new Error(`bench step failed: ${r.stderr.slice(-500)}`)
  return performance.now() - started
}

function manualApply(clusters: string[]): number {
  return sh(
    clusters
      .map(source => {
        const targets = clusters.filter(t => t !== source)
        return [
          `${istioctl} create-remote-secret --context=${source} --name=${source} --namespace=${namespace} --create-service-account=false > /tmp/${namespace}-${source}.yaml`,
          ...targets.map(
            t =>
              `${kubectl} apply --context=${t} -f /tmp/${namespace}-${source}.yaml > /dev/null`
          )
        ].join('\n')
      })
      .join('\n')
  )
}

function manualCheck(clusters: string[]): number {
  return sh(
    clusters
      .flatMap(source =>
        clusters
          .filter(t => t !== source)
          .map(target =>
            [
              `${kubectl} --context=${target} -n ${namespace} get secret istio-remote-secret-${source} -o jsonpath='{.data.${source}}' | base64 -d > /tmp/${namespace}-kc`,
              `${kubectl} --kubeconfig=/tmp/${namespace}-kc auth can-i --list > /dev/null`
            ].join('\n')
          )
      )
      .concat(`rm -f /tmp/${namespace}-*`)
      .join('\n')
  )
}

async function toolkit(clusters: string[], mode: string): Promise<number> {
  const started = performance.now()
  const r = await runBundle(
    'exchange-secrets',
    {clusters: clusters.join(','), provider: 'kubeconfig', namespace, mode},
    {env: {KUBECONFIG: kubeconfig}, defaultsFrom: 'exchange-secrets'}
  )
  if (r.status !== 0)
    throw new Error(`exchange-secrets ${mode} failed:\n${r.stdout}`)
  return performance.now() - started
}

/** Deletes every remote secret in the namespace, so each apply starts bare. */
async function clear(clusters: string[]) {
  for (const c of clusters) {
    await admin(c).kube.call({
      method: 'DELETE',
      path: `/api/v1/namespaces/${namespace}/secrets?labelSelector=${encodeURIComponent('istio/multiCluster=true')}`
    })
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(9)

const all = need('clusters').slice(0, Math.max(...SIZES))
for (const c of all) await istioReady(c, namespace)
console.log(
  `exchange-secrets vs istioctl create-remote-secret | kubectl apply, serially: ${REPS} runs each, interleaved; medians; load average ${loadavg()[0]!.toFixed(1)} at start`
)
console.log(
  `${'case'.padEnd(30)}${'manual'.padStart(9)}${'toolkit'.padStart(9)}  ratio`
)
try {
  for (const n of SIZES) {
    const clusters = all.slice(0, n)
    const t = {
      manualApply: [] as number[],
      apply: [] as number[],
      manualCheck: [] as number[],
      check: [] as number[]
    }
    for (let i = 0; i < REPS; i++) {
      await clear(clusters)
      t.manualApply.push(manualApply(clusters))
      t.manualCheck.push(manualCheck(clusters))
      await clear(clusters)
      t.apply.push(await toolkit(clusters, 'apply'))
      t.check.push(await toolkit(clusters, 'check'))
    }
    const pairs = n * (n - 1)
    for (const [label, manual, ours] of [
      [`apply, ${n} clusters (${pairs} pairs)`, t.manualApply, t.apply],
      [`check, ${n} clusters (${pairs} pairs)`, t.manualCheck, t.check]
    ] as const) {
      const ratio = median(ours) / median(manual)
      console.log(
        `${label.padEnd(30)}${fmt(median(manual))}${fmt(median(ours))}  ${ratio.toFixed(2)}x`
      )
    }
  }
} finally {
  for (const c of all) await removeIstio(c, namespace)
}
