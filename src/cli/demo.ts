import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join, relative} from 'node:path'
import {ConfigurationError} from '../common/errors.ts'
import {lineSplitter} from '../terraform/cli.ts'
import type {Console} from './console.ts'
import type {PipelineConfig} from './config.ts'
import {
  certs,
  exchange,
  runStage,
  verify,
  type StepContext
} from './pipeline.ts'
import {registerSample, SAMPLE_NAMESPACE, SAMPLE_SERVICE} from './sample.ts'
import {
  firstProblem,
  formatSeconds,
  renderTable,
  runSteps,
  type Step
} from './steps.ts'

/** The part of `.testbed/env.json` the demo reads (docs/testbed.md). */
interface TestbedEnv {
  tofu: string
  kubeconfig: string
  clusters: string[]
  istiod: Record<string, {debug: string}>
}

export interface DemoOptions {
  clusters: number
}

export const DEMO_STAGE = join('examples', 'demo-stage')

export const AWS_ADDS = `What a real AWS run adds (npm start -- up, or the provision workflow): a VPC
and one EKS cluster per name, with managed nodes, the AWS Load Balancer
Controller, and Istio installed by its Helm charts, so istiod runs as a pod and
injects an Envoy sidecar next to every workload; verify-mesh's traffic check
then deploys helloworld v1..vN and a curl client in every cluster and passes
only when every cluster has reached every version through the sidecars. The
test bed runs no pods, so the demo stops at what istiod decides on its own:
one root of trust, every other cluster read with its remote secret, and the
service's endpoints known from every cluster.`

/** Whether the test bed's builds are in the cache (else `up` builds them). */
export function testbedCacheWarm(env: NodeJS.ProcessEnv): boolean {
  const cache = env.TESTBED_CACHE || join(homedir(), '.cache', 'eks-istio-mesh')
  let entries: string[]
  try {
    entries = readdirSync(cache)
  } catch {
    return false
  }
  return ['tofu-', 'kube-', 'etcd-', 'istio-'].every(prefix =>
    entries.some(
      e => e.startsWith(prefix) && existsSync(join(cache, e, '.complete'))
    )
  )
}

/**
 * Runs `npm run testbed -- <args>` as a child process, its lines printed
 * indented as they come; fails with its last lines.
 */
export function runTestbed(
  root: string,
  args: readonly string[],
  out: Console,
  env: NodeJS.ProcessEnv
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'scripts', 'testbed.mjs'), ...args],
      {cwd: root, env, stdio: ['ignore', 'pipe', 'pipe']}
    )
    const tail: string[] = []
    let quiet = false
    const onLine = (line: string) => {
      if (line.trim() === '') return
      tail.push(line)
      if (tail.length > 20) tail.shift()
      // After its summary line the test bed lists env.json: not progress.
      if (/^testbed up in /.test(line)) quiet = true
      if (!quiet || !line.startsWith('  ')) out.print(`  ${line}`)
    }
    for (const stream of [child.stdout, child.stderr]) {
      const lines = lineSplitter(onLine)
      stream.on('data', (chunk: Buffer) => lines.write(chunk))
      stream.on('end', () => lines.end())
    }
    child.on('error', reject)
    child.on('close', code => {
      if (code === 0) resolve()
      else {
        reject(
          new Error(
            `npm run testbed -- ${args.join(' ')} exited ${code}: ${tail.filter(l => /fail|error/i.test(l)).join(' ') || tail.slice(-3).join(' ')}`
          )
        )
      }
    })
  })
}

function readTestbed(root: string): TestbedEnv {
  const file = join(root, '.testbed', 'env.json')
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TestbedEnv
  } catch {
    throw new Error(`the test bed wrote no ${file}`)
  }
}

/**
 * `npm start -- demo`: the whole pipeline on the local test bed, from the
 * same action code as the workflows. Returns the exit status.
 */
export async function demo(
  options: DemoOptions,
  ctx: StepContext & {now?: () => number}
): Promise<number> {
  const {out, cwd: root} = ctx
  const now = ctx.now ?? Date.now
  const started = now()
  const names = Array.from(
    {length: options.clusters},
    (_, i) => `cluster-${i + 1}`
  )
  const testbedDir = join(root, '.testbed')
  const config: PipelineConfig = {
    clusters: names,
    backend: 'local',
    certsDir: join(testbedDir, 'certs'),
    certsStore: 'directory',
    provider: 'kubeconfig',
    kubeconfig: join(testbedDir, 'kubeconfig'),
    vpcStage: DEMO_STAGE,
    vpcStateFile: join(testbedDir, 'demo-stage', 'terraform.tfstate'),
    clusterStage: DEMO_STAGE,
    istiodUrls: []
  }
  let fingerprint = ''
  let bed: TestbedEnv | undefined
  const rel = (p: string) => relative(root, p)
  out.print(
    `demo: the pipeline on the local test bed, ${names.length} clusters (${names.join(', ')}); no cloud account, no Docker`
  )
  const steps: Step[] = [
    {
      name: 'certs',
      title: `generate-certs: a root CA and one intermediate per cluster in ${rel(config.certsDir)}`,
      async run() {
        const r = await certs(config, ctx)
        fingerprint = r.rootFingerprint
        return r.note
      }
    },
    {
      name: 'istio',
      title:
        'each cluster Istio-ready as the cluster stage makes it (rendered manifests, cacerts, reader token), one istiod per cluster on its intermediate CA',
      async run() {
        if (!testbedCacheWarm(ctx.env)) {
          out.print(
            '  the test bed cache (~/.cache/eks-istio-mesh) is cold: OpenTofu, Kubernetes and Istio are built from source first, about 30 minutes on 2 cores; later runs take seconds'
          )
        }
        await runTestbed(
          root,
          ['up', '--only', 'istio,tofu', '--clusters', String(names.length)],
          out,
          ctx.env
        )
        bed = readTestbed(root)
        const missing = names.filter(n => !bed!.istiod?.[n])
        if (missing.length) {
          throw new Error(`no istiod runs for ${missing.join(', ')}`)
        }
        config.kubeconfig = bed.kubeconfig
        config.binary = bed.tofu
        return `${names.length} istiods ready`
      }
    },
    {
      name: 'exchange',
      title: 'exchange-secrets: the remote secret of every pair, then check',
      async run() {
        const applied = await exchange(config, ctx, 'apply')
        const checked = await exchange(config, ctx, 'check')
        return `${applied}; ${checked}`
      }
    },
    {
      name: 'verify',
      title: `the sample service ${SAMPLE_NAMESPACE}/${SAMPLE_SERVICE} in every cluster, then verify-mesh's control-plane verdict`,
      async run() {
        const bedNow = bed ?? readTestbed(root)
        await registerSample(bedNow.kubeconfig, names, line =>
          out.print(`  ${line}`)
        )
        return verify(config, ctx, {
          checks: 'control-plane',
          istiodUrls: names.map(n => `${n}=${bedNow.istiod[n]!.debug}`)
        })
      }
    },
    {
      name: 'stage',
      title: `apply-stage: plan and apply ${DEMO_STAGE} (builtin resources only) with OpenTofu, state in .testbed/`,
      async run() {
        const stateDir = join(testbedDir, 'demo-stage')
        return runStage(
          {
            stage: DEMO_STAGE,
            instance: 'demo',
            vars: [
              `cluster_names=${JSON.stringify(names)}`,
              `root_fingerprint=${fingerprint}`
            ]
          },
          config,
          {
            ...ctx,
            env: {...ctx.env, TF_DATA_DIR: join(stateDir, '.terraform')}
          },
          {
            command: 'apply',
            backendConfig: [`path=${join(stateDir, 'terraform.tfstate')}`]
          }
        )
      }
    }
  ]
  const results = await runSteps(steps, out, now)
  const total = now() - started
  out.print('')
  out.print(renderTable(results, total))
  out.print('')
  out.print(AWS_ADDS)
  const problem = firstProblem(results)
  if (problem) {
    out.print('')
    out.print(`demo failed: ${problem.message}`)
    return 1
  }
  out.print('')
  out.print(
    `demo done in ${formatSeconds(total)}; run it again to reuse what is there, \`npm start -- demo --down\` stops the test bed`
  )
  return 0
}

/** `npm start -- demo --down`: stops the test bed the demo started. */
export async function demoDown(ctx: StepContext): Promise<number> {
  try {
    await runTestbed(ctx.cwd, ['down'], ctx.out, ctx.env)
    return 0
  } catch (err) {
    ctx.out.print(`demo --down failed: ${(err as Error).message}`)
    return 1
  }
}

export function demoClusters(raw: string | undefined): number {
  const n = Number(raw ?? '2')
  if (!Number.isInteger(n) || n < 2 || n > 8) {
    throw new ConfigurationError(
      `--clusters must be a whole number from 2 to 8, got '${raw}'`
    )
  }
  return n
}
