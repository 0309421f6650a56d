import {basename, resolve} from 'node:path'
import {ConfigurationError} from '../common/errors.ts'
import type {Console} from './console.ts'
import {stageFolder, type PipelineConfig} from './config.ts'
import {isAvailable, runAction} from './run-action.ts'
import {Unavailable} from './steps.ts'

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
              path: resolve(config.vpcStage, '.state', 'default.tfstate')
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
  const backend = backendInputs(config)
  if (options.backendConfig?.length) {
    backend['backend-config'] = [
      ...(backend['backend-config'] ? [backend['backend-config']] : []),
      ...options.backendConfig
    ].join('\n')
  }
  const common = {
    stage: run.stage,
    instance: run.instance,
    vars: run.vars.join('\n'),
    binary: config.binary,
    protect: config.protect,
    'comment-on-pr': 'false',
    ...backend
  }
  const view = {
    indent: options.indent,
    showSummary: options.showSummary ?? true,
    showOutputs: ctx.verbose
  }
  if (options.command === 'destroy') {
    const r = await runAction(
      'apply-stage',
      {...common, command: 'destroy', 'allow-destroy': 'true'},
      ctx,
      view
    )
    fail(r)
    return `destroyed ${r.outputs.destroy ?? '0'}`
  }
  const plan = await runAction(
    'apply-stage',
    {...common, command: 'plan'},
    ctx,
    view
  )
  fail(plan)
  const counts = `+${plan.outputs.add ?? 0} ~${plan.outputs.change ?? 0} -${plan.outputs.destroy ?? 0}`
  if (options.command === 'plan') return `plan ${counts}`
  if (plan.outputs['has-changes'] !== 'true') return 'no changes'
  const applied = await runAction(
    'apply-stage',
    {
      ...common,
      command: 'apply',
      'plan-file': plan.outputs['plan-file'],
      'expected-plan-digest': plan.outputs['plan-digest']
    },
    ctx,
    {...view, showSummary: false}
  )
  fail(applied)
  return `applied ${counts}`
}

/** Runs several stage instances at once; every one finishes, then failures throw. */
export async function runStages(
  runs: readonly StageRun[],
  config: PipelineConfig,
  ctx: StepContext,
  options: StageOptions
): Promise<string> {
  if (runs.length === 1) return runStage(runs[0]!, config, ctx, options)
  const results = await Promise.allSettled(
    runs.map(run =>
      runStage(run, config, ctx, {
        ...options,
        indent: `  [${run.instance ?? basename(run.stage)}] `
      })
    )
  )
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected'
      ? [
          `${runs[i]!.instance ?? runs[i]!.stage}: ${(r.reason as Error).message}`
        ]
      : []
  )
  if (failed.length) throw new Error(failed.join('; '))
  return results
    .map((r, i) =>
      r.status === 'fulfilled' ? `${runs[i]!.instance}: ${r.value}` : ''
    )
    .join(', ')
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
  if (!isAvailable('verify-mesh')) {
    throw new Unavailable(
      'not available yet: verify-mesh is not in this version of the toolkit'
    )
  }
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
