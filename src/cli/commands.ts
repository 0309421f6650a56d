import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {ConfigurationError} from '../common/errors.ts'
import {
  awsCredentialSource,
  findOnPath,
  pipelineConfig,
  PIPELINE_OPTIONS,
  type Flags,
  type PipelineConfig
} from './config.ts'
import type {Console} from './console.ts'
import {demo, demoClusters, demoDown} from './demo.ts'
import {
  certs,
  exchange,
  runStages,
  stageRuns,
  verify,
  type StepContext
} from './pipeline.ts'
import {
  firstProblem,
  formatSeconds,
  renderTable,
  runSteps,
  type Step
} from './steps.ts'

interface OptionDef {
  type: 'string' | 'boolean'
  multiple?: boolean
  help: string
}

export interface Command {
  name: string
  usage: string
  summary: string
  /** More lines for `--help`. */
  details: string[]
  positionals: {min: number; max: number}
  options: Record<string, OptionDef>
  run(args: ParsedCommand, ctx: StepContext): Promise<number>
}

export interface ParsedCommand {
  positionals: string[]
  flags: Flags
}

const VERBOSE: Record<string, OptionDef> = {
  verbose: {type: 'boolean', help: "print every action's outputs and summary"}
}
const VAR: Record<string, OptionDef> = {
  var: {
    type: 'string',
    multiple: true,
    help: 'an extra stage variable, name=value (repeatable; lists as JSON)'
  }
}
const PIPELINE = PIPELINE_OPTIONS as Record<string, OptionDef>

const STAGE_DETAILS = [
  '<stage> is vpc (terraform/vpc, every cluster), cluster (terraform/cluster,',
  'one instance per cluster, all in parallel unless [instance] names one) or',
  'the folder of any stage. The vpc and cluster stages get the variables',
  'provision.yml gives them; state is local next to each stage, or in S3',
  'with --state-bucket.'
]

/** Steps that need AWS, and what is missing for them; empty when none. */
export function missingForAws(
  config: PipelineConfig,
  env: NodeJS.ProcessEnv,
  credentials: string | undefined = awsCredentialSource(env)
): string[] {
  const missing: string[] = []
  if (!credentials) {
    missing.push(
      'AWS credentials (none in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws/credentials or ~/.aws/config, or a web identity)'
    )
  }
  if (!config.region) missing.push('an AWS region (--region or AWS_REGION)')
  return missing
}

/** Which of `up`'s steps need AWS with this configuration. */
export function awsSteps(config: PipelineConfig): Set<string> {
  const aws = new Set<string>()
  if (config.certsStore === 'aws-secrets-manager') aws.add('certs')
  const real = (stage: string) => /^terraform\/(vpc|cluster)\/?$/.test(stage)
  if (config.backend === 's3' || real(config.vpcStage)) aws.add('vpc')
  if (config.backend === 's3' || real(config.clusterStage)) {
    aws.add('clusters')
  }
  if (config.provider === 'eks') {
    aws.add('exchange')
    aws.add('verify')
  }
  return aws
}

function binaryMissing(config: PipelineConfig, env: NodeJS.ProcessEnv) {
  const binary = config.binary ?? 'terraform'
  return findOnPath(binary, env)
    ? []
    : [
        `${binary} (not on PATH; install Terraform or OpenTofu, or give --binary tofu or a path)`
      ]
}

function pipelineSteps(
  config: PipelineConfig,
  ctx: StepContext,
  direction: 'up' | 'down'
): Step[] {
  if (direction === 'down') {
    return [
      {
        name: 'revoke',
        title: 'exchange-secrets revoke: every remote secret of the mesh',
        run: () => exchange(config, ctx, 'revoke')
      },
      {
        name: 'clusters',
        title: `destroy ${config.clusterStage} for ${config.clusters.join(', ')}, in parallel`,
        run: () =>
          runStages(stageRuns('cluster', undefined, config), config, ctx, {
            command: 'destroy'
          })
      },
      {
        name: 'vpc',
        title: `destroy ${config.vpcStage}`,
        run: () =>
          runStages(stageRuns('vpc', undefined, config), config, ctx, {
            command: 'destroy'
          })
      }
    ]
  }
  return [
    {
      name: 'certs',
      title: `generate-certs (${config.certsStore}, ${config.certsDir})`,
      run: async () => (await certs(config, ctx)).note
    },
    {
      name: 'vpc',
      title: `plan and apply ${config.vpcStage}`,
      run: () =>
        runStages(stageRuns('vpc', undefined, config), config, ctx, {
          command: 'apply'
        })
    },
    {
      name: 'clusters',
      title: `plan and apply ${config.clusterStage} for ${config.clusters.join(', ')}, in parallel`,
      run: async () => {
        if (config.certsStore === 'aws-secrets-manager') {
          await certs(config, ctx, config.clusters, 'fetch')
        }
        return runStages(stageRuns('cluster', undefined, config), config, ctx, {
          command: 'apply'
        })
      }
    },
    {
      name: 'exchange',
      title: 'exchange-secrets: apply, then check',
      run: async () =>
        `${await exchange(config, ctx, 'apply')}; ${await exchange(config, ctx, 'check')}`
    },
    {
      name: 'verify',
      title: 'verify-mesh',
      run: () => verify(config, ctx)
    }
  ]
}

/**
 * `up` and `down`: the pipeline's steps in order, stopping at the first
 * failure. Without what AWS needs, the steps before the first one that needs
 * it run, and the command fails naming what is missing.
 */
async function pipeline(
  direction: 'up' | 'down',
  args: ParsedCommand,
  ctx: StepContext
): Promise<number> {
  const config = pipelineConfig(args.flags, ctx.env, ctx.cwd)
  const started = Date.now()
  if (direction === 'down' && args.flags.yes !== true) {
    ctx.out.print(
      `down destroys the remote secrets, the clusters ${config.clusters.join(', ')} and the vpc: rerun with --yes to go ahead`
    )
    return 1
  }
  let steps = pipelineSteps(config, ctx, direction)
  const needAws = awsSteps(config)
  const stageNames = new Set(['vpc', 'clusters'])
  const missingAws = missingForAws(config, ctx.env)
  const cut = steps.findIndex(
    s =>
      (needAws.has(s.name) && missingAws.length > 0) ||
      (stageNames.has(s.name) && binaryMissing(config, ctx.env).length > 0)
  )
  let missing: string[] = []
  if (cut >= 0) {
    const blocked = steps.slice(cut).map(s => s.name)
    missing = [
      ...(blocked.some(s => needAws.has(s)) ? missingAws : []),
      ...(blocked.some(s => stageNames.has(s))
        ? binaryMissing(config, ctx.env)
        : [])
    ]
    ctx.out.print(`${direction}: missing ${missing.join('; ')}.`)
    ctx.out.print(
      `${direction}: steps ${blocked.join(', ')} need it; ${
        cut > 0
          ? `running what needs none: ${steps
              .slice(0, cut)
              .map(s => s.name)
              .join(', ')}`
          : 'nothing can run without it'
      }.`
    )
    steps = steps.slice(0, cut)
  }
  const results = await runSteps(steps, ctx.out)
  ctx.out.print('')
  ctx.out.print(renderTable(results, Date.now() - started))
  const problem = firstProblem(results)
  if (problem) {
    ctx.out.print(`${direction} failed: ${problem.message}`)
    return 1
  }
  if (missing.length) {
    ctx.out.print(
      `${direction} stopped before ${pipelineSteps(config, ctx, direction)[cut]!.name}: missing ${missing.join('; ')}`
    )
    return 1
  }
  ctx.out.print(`${direction} done in ${formatSeconds(Date.now() - started)}`)
  return 0
}

/** Runs one step as a command: its result line, exit 1 on failure. */
async function single(step: Step, ctx: StepContext): Promise<number> {
  const results = await runSteps([step], ctx.out)
  const problem = firstProblem(results)
  if (problem) {
    ctx.out.print(`error: ${problem.message}`)
    return 1
  }
  return 0
}

export const COMMANDS: Command[] = [
  {
    name: 'demo',
    usage: 'npm start -- demo [--clusters N] [--down] [--verbose]',
    summary:
      'the whole pipeline on the local test bed: certs, Istio, remote secrets, verify, a stage',
    details: [
      'Brings up the local test bed as needed (N Kubernetes API servers, Istio and',
      'one istiod per cluster, OpenTofu; built into ~/.cache/eks-istio-mesh on the',
      'first run, about 30 minutes on 2 cores, seconds after that), then runs:',
      '  1. generate-certs into .testbed/certs',
      '  2. every cluster made Istio-ready as the cluster stage does it, one istiod each',
      '  3. exchange-secrets apply, then check',
      '  4. the sample service in every cluster, and verify-mesh --checks control-plane',
      '  5. apply-stage plan and apply of examples/demo-stage with OpenTofu',
      'and prints a table of each step, its result and its time. A second run',
      'reuses what is there. Needs no cloud account and no Docker.'
    ],
    positionals: {min: 0, max: 0},
    options: {
      clusters: {type: 'string', help: 'how many clusters, 2 to 8 (default 2)'},
      down: {type: 'boolean', help: 'stop the test bed instead'},
      ...VERBOSE
    },
    run: (args, ctx) =>
      args.flags.down === true
        ? demoDown(ctx)
        : demo(
            {clusters: demoClusters(args.flags.clusters as string | undefined)},
            ctx
          )
  },
  {
    name: 'certs',
    usage: 'npm start -- certs [options]',
    summary:
      'generate-certs: the root CA and one intermediate CA per cluster (local folder or Secrets Manager)',
    details: [
      'Idempotent: a second run reuses every CA that is not due for renewal.'
    ],
    positionals: {min: 0, max: 0},
    options: {...PIPELINE, ...VERBOSE},
    run: (args, ctx) => {
      const config = pipelineConfig(args.flags, ctx.env, ctx.cwd)
      return single(
        {
          name: 'certs',
          title: `generate-certs (${config.certsStore}, ${config.certsDir})`,
          run: async () => (await certs(config, ctx)).note
        },
        ctx
      )
    }
  },
  ...(['plan', 'apply'] as const).map((command): Command => ({
    name: command,
    usage: `npm start -- ${command} <stage> [instance] [options]`,
    summary:
      command === 'plan'
        ? 'apply-stage plan of a stage: the plan summary, nothing changed'
        : 'apply-stage plan, then apply exactly that plan (its digest checked)',
    details: STAGE_DETAILS,
    positionals: {min: 1, max: 2},
    options: {...PIPELINE, ...VAR, ...VERBOSE},
    run: (args, ctx) => {
      const config = pipelineConfig(args.flags, ctx.env, ctx.cwd)
      const [stage, instance] = args.positionals as [string, string?]
      const runs = stageRuns(
        stage,
        instance,
        config,
        (args.flags.var as string[] | undefined) ?? []
      )
      return single(
        {
          name: command,
          title: `${command} ${runs.map(r => `${r.stage}${r.instance ? `/${r.instance}` : ''}`).join(', ')}`,
          run: () => runStages(runs, config, ctx, {command})
        },
        ctx
      )
    }
  })),
  {
    name: 'exchange',
    usage: 'npm start -- exchange [options]',
    summary:
      'exchange-secrets: the remote secret of every pair of clusters, then check each works',
    details: [
      'With --provider eks (default) clusters are found by name in --region;',
      'with --provider kubeconfig each cluster is a context of the kubeconfig.'
    ],
    positionals: {min: 0, max: 0},
    options: {...PIPELINE, ...VERBOSE},
    run: (args, ctx) => {
      const config = pipelineConfig(args.flags, ctx.env, ctx.cwd)
      return single(
        {
          name: 'exchange',
          title: `exchange-secrets apply, then check (${config.clusters.join(', ')})`,
          run: async () =>
            `${await exchange(config, ctx, 'apply')}; ${await exchange(config, ctx, 'check')}`
        },
        ctx
      )
    }
  },
  {
    name: 'verify',
    usage: 'npm start -- verify [options]',
    summary:
      "verify-mesh: every cluster's control plane, then traffic across clusters",
    details: [
      'Traffic needs clusters that run pods (EKS); --checks control-plane alone',
      'deploys nothing.'
    ],
    positionals: {min: 0, max: 0},
    options: {...PIPELINE, ...VERBOSE},
    run: (args, ctx) => {
      const config = pipelineConfig(args.flags, ctx.env, ctx.cwd)
      return single(
        {
          name: 'verify',
          title: `verify-mesh (${config.clusters.join(', ')})`,
          run: () => verify(config, ctx)
        },
        ctx
      )
    }
  },
  {
    name: 'up',
    usage: 'npm start -- up [options]',
    summary:
      'the whole pipeline in order: certs, vpc, clusters (in parallel), exchange, verify',
    details: [
      'Stops at the first failure. Without AWS credentials or a region it says',
      'so, runs the steps that need none, and exits 1 naming what is missing.',
      ...STAGE_DETAILS.slice(3)
    ],
    positionals: {min: 0, max: 0},
    options: {...PIPELINE, ...VERBOSE},
    run: (args, ctx) => pipeline('up', args, ctx)
  },
  {
    name: 'down',
    usage: 'npm start -- down --yes [options]',
    summary:
      'the reverse of up: revoke the remote secrets, destroy the clusters, then the vpc',
    details: ['Asks for --yes: it destroys what up made.'],
    positionals: {min: 0, max: 0},
    options: {
      ...PIPELINE,
      yes: {type: 'boolean', help: 'destroy without asking again'},
      ...VERBOSE
    },
    run: (args, ctx) => pipeline('down', args, ctx)
  }
]

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find(c => c.name === name)
}

/** Parses a command's arguments; errors name the flag and show the usage. */
export function parseCommand(command: Command, argv: string[]): ParsedCommand {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(
          Object.entries(command.options).map(([name, o]) => [
            name,
            {type: o.type, multiple: o.multiple ?? false}
          ])
        ),
        help: {type: 'boolean', short: 'h'}
      }
    })
  } catch (err) {
    throw new ConfigurationError(
      `${command.name}: ${(err as Error).message}\nusage: ${command.usage} (see --help)`
    )
  }
  const {positionals, values} = parsed
  if (values.help !== true) {
    const {min, max} = command.positionals
    if (positionals.length < min || positionals.length > max) {
      throw new ConfigurationError(
        `${command.name}: expected ${min === max ? min : `${min} to ${max}`} argument(s), got ${positionals.length}${positionals.length ? ` (${positionals.join(' ')})` : ''}\nusage: ${command.usage}`
      )
    }
  }
  return {positionals, flags: values as Flags}
}

export function commandHelp(command: Command): string {
  const width = Math.max(
    ...Object.keys(command.options).map(n => n.length + 2),
    6
  )
  return [
    `usage: ${command.usage}`,
    '',
    command.summary,
    ...(command.details.length ? ['', ...command.details] : []),
    '',
    'options:',
    ...Object.entries(command.options).map(
      ([name, o]) =>
        `  --${name.padEnd(width)} ${o.type === 'string' ? o.help : o.help}`
    ),
    `  --${'help'.padEnd(width)} this text`,
    ''
  ].join('\n')
}

/**
 * Runs a command with a temporary folder as RUNNER_TEMP (plan files and
 * other temporary files of the actions go there) removed at the end.
 */
export async function runCommand(
  command: Command,
  argv: string[],
  out: Console,
  env: NodeJS.ProcessEnv,
  cwd: string
): Promise<number> {
  const args = parseCommand(command, argv)
  if (args.flags.help === true) {
    for (const line of commandHelp(command).trimEnd().split('\n')) {
      out.print(line)
    }
    return 0
  }
  const temp = env.RUNNER_TEMP
    ? undefined
    : mkdtempSync(join(tmpdir(), 'eks-istio-mesh-'))
  try {
    return await command.run(args, {
      out,
      env: temp ? {...env, RUNNER_TEMP: temp} : env,
      cwd,
      verbose: args.flags.verbose === true
    })
  } finally {
    if (temp) rmSync(temp, {recursive: true, force: true})
  }
}
