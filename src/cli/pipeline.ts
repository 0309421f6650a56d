import {cpSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, isAbsolute, join, relative, resolve} from 'node:path'
import {ConfigurationError} from '../common/errors.ts'
import type {Console, StepCoreOptions} from './console.ts'
import {stageFolder, type PipelineConfig} from './config.ts'
import {runAction} from './run-action.ts'

/** What every pipeline step gets: where to print and the environment. */
export interface StepContext {
  out: Console
  /** The environment actions run in (RUNNER_TEMP set to the run's temp dir). */
  env: NodeJS.ProcessEnv
  cwd: string
  /** Print every action's outputs and job summary. */
  verbose?: boolean
}

function fail(record: {failure?: string}): void {
  if (record.failure !== undefined) throw new Error(record.failure)
}

/** generate-certs with the pipeline's store and folder. */
export async function certs(
  config: PipelineConfig,
  ctx: StepContext,
  clusters: readonly string[] = config.clusters,
  mode: 'issue' | 'fetch' = 'issue'
): Promise<{note: string; rootFingerprint: string}> {
  const r = await runAction(
    'generate-certs',
    {
      clusters: clusters.join(','),
      'output-dir': config.certsDir,
      store: config.certsStore,
      'key-type': config.keyType,
      'aws-region': config.region,
      mode
    },
    ctx,
    {showOutputs: ctx.verbose, showSummary: ctx.verbose}
  )
  fail(r)
  const statuses = JSON.parse(r.outputs['clusters-json'] ?? '{}') as Record<
    string,
    {status?: string}
  >
  const counts = new Map<string, number>()
  for (const c of Object.values(statuses)) {
    const s = c.status ?? 'written'
    counts.set(s, (counts.get(s) ?? 0) + 1)
  }
  const fingerprint = r.outputs['root-fingerprint'] ?? ''
  return {
    rootFingerprint: fingerprint,
    note: `root ${fingerprint.slice(0, 16)}…; intermediates ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`
  }
}

/** One instance of a stage, with the inputs the pipeline gives it. */
export interface StageRun {
  stage: string
  instance?: string
  vars: string[]
}

/**
 * The runs behind `plan <stage> [instance]`: `vpc` once with every cluster,
 * `cluster` once per cluster (or the one named), any other folder once with
 * `--var`s only. The variables are those provision.yml gives the stages.
 */
export function stageRuns(
  stage: string,
  instance: string | undefined,
  config: PipelineConfig,
  extraVars: readonly string[] = []
): StageRun[] {
  if (stage === 'vpc') {
    if (instance) {
      throw new ConfigurationError(
        `the vpc stage has one instance for every cluster; got instance '${instance}'`
      )
    }
    return [
      {
        stage: config.vpcStage,
        vars: [
          `cluster_names=${JSON.stringify(config.clusters)}`,
          ...(config.region ? [`region=${config.region}`] : []),
          ...extraVars
        ]
      }
    ]
  }
  if (stage === 'cluster') {
    if (instance && !config.clusters.includes(instance)) {
      throw new ConfigurationError(
        `cluster '${instance}' is not one of --clusters (${config.clusters.join(', ')})`
      )
    }
    const vpcState =
      config.backend === 's3'
        ? [
            'vpc_state_backend=s3',
            `vpc_state_config=${JSON.stringify({
              bucket: config.stateBucket,
              key: `${basename(config.vpcStage)}/default/terraform.tfstate`,
              region: config.region
            })}`
          ]
        : [
            'vpc_state_backend=local',
            `vpc_state_config=${JSON.stringify({
              path: config.vpcStateFile
            })}`
          ]
    return (instance ? [instance] : config.clusters).map(name => ({
      stage: config.clusterStage,
      instance: name,
      vars: [
        `cluster_name=${name}`,
        `certs_dir=${config.certsDir}`,
        ...vpcState,
        ...(config.admins ? [`admin_principal_arns=${config.admins}`] : []),
        ...extraVars
      ]
    }))
  }
  return [
    {
      stage: stageFolder(stage, config),
      instance,
      vars: [...extraVars]
    }
  ]
}

function backendInputs(config: PipelineConfig): Record<string, string> {
  if (config.backend === 'local') return {backend: 'local'}
  return {
    backend: 's3',
    'backend-config': [
      `bucket=${config.stateBucket}`,
      ...(config.region ? [`region=${config.region}`] : []),
      ...(config.stateKmsKey ? [`kms_key_id=${config.stateKmsKey}`] : [])
    ].join('\n')
  }
}

export interface StageOptions {
  command: 'plan' | 'apply' | 'destroy'
  /** Extra backend settings (the demo keeps its state under .testbed/). */
  backendConfig?: string[]
  /** Print the plan summary (default true). */
  showSummary?: boolean
  indent?: string
}

/** One stage instance's apply-stage inputs and environment. */
interface Prepared {
  inputs: Record<string, string | undefined>
  ctx: StepContext
  view: StepCoreOptions
}

function prepare(
  run: StageRun,
  config: PipelineConfig,
  ctx: StepContext,
  options: StageOptions
): Prepared {
  const backend = backendInputs(config)
  if (options.backendConfig?.length) {
    backend['backend-config'] = [
      ...(backend['backend-config'] ? [backend['backend-config']] : []),
      ...options.backendConfig
    ].join('\n')
  }
  return {
    inputs: {
      stage: run.stage,
      instance: run.instance,
      vars: run.vars.join('\n'),
      binary: config.binary,
      protect: config.protect,
      'comment-on-pr': 'false',
      ...backend
    },
    ctx,
    view: {
      indent: options.indent,
      showSummary: options.showSummary ?? true,
      showOutputs: ctx.verbose
    }
  }
}

const counts = (o: Record<string, string>) =>
  `+${o.add ?? 0} ~${o.change ?? 0} -${o.destroy ?? 0}`

async function planOne(p: Prepared): Promise<Record<string, string>> {
  const plan = await runAction(
    'apply-stage',
    {...p.inputs, command: 'plan'},
    p.ctx,
    p.view
  )
  fail(plan)
  return plan.outputs
}

/** Applies exactly the reviewed plan: its file, its digest checked. */
async function applyPlanned(
  p: Prepared,
  plan: Record<string, string>
): Promise<string> {
  if (plan['has-changes'] !== 'true') return 'no changes'
  const applied = await runAction(
    'apply-stage',
    {
      ...p.inputs,
      command: 'apply',
      'plan-file': plan['plan-file'],
      'expected-plan-digest': plan['plan-digest']
    },
    p.ctx,
    {...p.view, showSummary: false}
  )
  fail(applied)
  return `applied ${counts(plan)}`
}

async function destroyOne(p: Prepared): Promise<string> {
  const r = await runAction(
    'apply-stage',
    {...p.inputs, command: 'destroy', 'allow-destroy': 'true'},
    p.ctx,
    p.view
  )
  fail(r)
  return `destroyed ${r.outputs.destroy ?? '0'}`
}

/**
 * One stage instance the way stage.yml runs it: plan and show the summary;
 * for apply, apply exactly that plan (its digest checked); for destroy, plan
 * the destruction and apply it with allow-destroy.
 */
export async function runStage(
  run: StageRun,
  config: PipelineConfig,
  ctx: StepContext,
  options: StageOptions
): Promise<string> {
  const p = prepare(run, config, ctx, options)
  if (options.command === 'destroy') return destroyOne(p)
  const plan = await planOne(p)
  if (options.command === 'plan') return `plan ${counts(plan)}`
  return applyPlanned(p, plan)
}

/**
 * Instances of one stage side by side, as the workflow's matrix runs them
 * in separate checkouts: each runs in its own copy of the stage folder
 * (apply-stage writes a backend override and .terraform/ there), with the
 * state where apply-stage keeps it for the original folder. Plans run one
 * after the other, so each summary reads whole and provider downloads never
 * race in the plugin cache; applies and destroys run in parallel.
 */
function isolate(
  run: StageRun,
  config: PipelineConfig,
  ctx: StepContext,
  options: StageOptions
): Prepared {
  const instance = run.instance ?? 'default'
  const original = resolve(ctx.cwd, run.stage)
  const rel = relative(ctx.cwd, original)
  const inside = rel && !rel.startsWith('..') && !isAbsolute(rel)
  const root = join(ctx.env.RUNNER_TEMP ?? tmpdir(), 'stages', instance)
  const copy = join(root, inside ? rel : basename(original))
  mkdirSync(copy, {recursive: true, mode: 0o700})
  cpSync(original, copy, {
    recursive: true,
    filter: src => !/[/\\](\.terraform|\.state)$/.test(src)
  })
  const backendConfig =
    config.backend === 'local'
      ? [
          `path=${join(original, '.state', `${instance}.tfstate`)}`,
          ...(options.backendConfig ?? [])
        ]
      : options.backendConfig
  return prepare(
    {...run, stage: copy},
    config,
    {
      ...ctx,
      env: {...ctx.env, GITHUB_WORKSPACE: root}
    },
    {...options, backendConfig, indent: `  [${instance}] `}
  )
}

/** Runs several stage instances; every one finishes, then failures throw. */
export async function runStages(
  runs: readonly StageRun[],
  config: PipelineConfig,
  ctx: StepContext,
  options: StageOptions
): Promise<string> {
  if (runs.length === 1) return runStage(runs[0]!, config, ctx, options)
  const prepared = runs.map(run => isolate(run, config, ctx, options))
  const name = (i: number) => runs[i]!.instance ?? runs[i]!.stage
  const notes: string[] = []
  const failed: string[] = []
  const settle = (results: PromiseSettledResult<string>[]) =>
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') notes[i] = r.value
      else failed.push(`${name(i)}: ${(r.reason as Error).message}`)
    })
  if (options.command === 'destroy') {
    settle(await Promise.allSettled(prepared.map(destroyOne)))
  } else {
    const plans: (Record<string, string> | undefined)[] = []
    for (const [i, p] of prepared.entries()) {
      try {
        plans[i] = await planOne(p)
        notes[i] = `plan ${counts(plans[i]!)}`
      } catch (err) {
        failed.push(`${name(i)}: ${(err as Error).message}`)
      }
    }
    if (options.command === 'apply' && failed.length === 0) {
      settle(
        await Promise.allSettled(
          prepared.map((p, i) => applyPlanned(p, plans[i]!))
        )
      )
    }
  }
  if (failed.length) throw new Error(failed.join('; '))
  return notes.map((note, i) => `${name(i)}: ${note}`).join(', ')
}

function clusterInputs(config: PipelineConfig, clusters: readonly string[]) {
  return {
    clusters: clusters.join(','),
    provider: config.provider,
    'aws-region': config.region
  }
}

/** The environment of a step that reads a kubeconfig given by path. */
function kubeEnv(config: PipelineConfig, ctx: StepContext): StepContext {
  // The kubeconfig input must lie inside the workspace; $KUBECONFIG need not.
  return config.kubeconfig
    ? {...ctx, env: {...ctx.env, KUBECONFIG: config.kubeconfig}}
    : ctx
}

/** exchange-secrets in one mode; apply then check is `exchange`. */
export async function exchange(
  config: PipelineConfig,
  ctx: StepContext,
  mode: 'apply' | 'check' | 'revoke',
  clusters: readonly string[] = config.clusters
): Promise<string> {
  const r = await runAction(
    'exchange-secrets',
    {...clusterInputs(config, clusters), mode},
    kubeEnv(config, ctx),
    {showOutputs: ctx.verbose, showSummary: ctx.verbose}
  )
  fail(r)
  if (mode === 'apply') {
    return `created ${r.outputs.created}, updated ${r.outputs.updated}, unchanged ${r.outputs.unchanged}`
  }
  const matrix = JSON.parse(r.outputs['matrix-json'] ?? '{}') as Record<
    string,
    Record<string, string>
  >
  const cells = Object.values(matrix).flatMap(row => Object.values(row))
  return mode === 'check'
    ? `${cells.filter(c => c === 'pass').length}/${cells.length} pairs pass`
    : `${cells.filter(c => c === 'deleted').length} deleted`
}

/** verify-mesh: the control plane and, on clusters that run pods, traffic. */
export async function verify(
  config: PipelineConfig,
  ctx: StepContext,
  extra: {checks?: string; istiodUrls?: readonly string[]} = {}
): Promise<string> {
  const checks = extra.checks ?? config.checks
  const urls = extra.istiodUrls ?? config.istiodUrls
  const r = await runAction(
    'verify-mesh',
    {
      ...clusterInputs(config, config.clusters),
      checks,
      'istiod-urls': urls.length ? urls.join('\n') : undefined
    },
    kubeEnv(config, ctx),
    {showOutputs: ctx.verbose, showSummary: true}
  )
  fail(r)
  return `result ${r.outputs.result ?? 'pass'}`
}
