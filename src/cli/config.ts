import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, isAbsolute, join, resolve} from 'node:path'
import {ConfigurationError} from '../common/errors.ts'
import {isDns1123Label} from '../common/inputs.ts'

/**
 * The pipeline's settings, from command-line flags first, then the
 * environment variables named like the repository variables the workflows
 * read (docs/workflows.md), then the embedded defaults: two clusters, local
 * state next to each stage, certificates in ./certs.
 */
export interface PipelineConfig {
  clusters: string[]
  region?: string
  backend: 'local' | 's3'
  stateBucket?: string
  stateKmsKey?: string
  certsDir: string
  certsStore: 'directory' | 'aws-secrets-manager'
  /** generate-certs' key-type; undefined: its default. */
  keyType?: string
  provider: 'eks' | 'kubeconfig'
  /** With provider kubeconfig: the file (else $KUBECONFIG or ~/.kube/config). */
  kubeconfig?: string
  /** terraform, tofu or a path; undefined: apply-stage's default. */
  binary?: string
  /** JSON list for the cluster stage's admin_principal_arns. */
  admins?: string
  vpcStage: string
  /** Where the vpc stage keeps its local state (apply-stage's layout). */
  vpcStateFile: string
  clusterStage: string
  protect?: string
  /** verify-mesh's checks and istiod-urls, when given. */
  checks?: string
  istiodUrls: string[]
}

/** The flags every pipeline command takes (see `--help`). */
export const PIPELINE_OPTIONS = {
  clusters: {
    type: 'string',
    help: 'cluster names, comma separated (env MESH_CLUSTERS; default cluster-1,cluster-2)'
  },
  region: {type: 'string', help: 'AWS region (env AWS_REGION)'},
  'state-bucket': {
    type: 'string',
    help: 'S3 bucket for Terraform state; set, the stages use the s3 backend (env TF_STATE_BUCKET; default local state)'
  },
  'state-kms-key': {
    type: 'string',
    help: 'KMS key of the state bucket (env TF_STATE_KMS_KEY)'
  },
  'certs-dir': {
    type: 'string',
    help: 'certificate folder (default certs)'
  },
  'certs-store': {
    type: 'string',
    help: 'directory or aws-secrets-manager (env MESH_CERTS_STORE; default directory)'
  },
  'key-type': {
    type: 'string',
    help: "generate-certs' key type: rsa-4096 (its default), rsa-2048 or ecdsa-p256 (fastest)"
  },
  provider: {
    type: 'string',
    help: 'how exchange and verify reach clusters: eks or kubeconfig (default eks)'
  },
  kubeconfig: {
    type: 'string',
    help: 'kubeconfig file for provider kubeconfig (default $KUBECONFIG or ~/.kube/config)'
  },
  binary: {
    type: 'string',
    help: 'terraform, tofu or a path to either (default terraform)'
  },
  admins: {
    type: 'string',
    help: 'IAM ARNs given cluster-admin, comma separated (env MESH_ADMIN_PRINCIPAL_ARNS)'
  },
  'vpc-stage': {
    type: 'string',
    help: 'the vpc stage folder (default terraform/vpc)'
  },
  'cluster-stage': {
    type: 'string',
    help: 'the cluster stage folder (default terraform/cluster)'
  },
  protect: {
    type: 'string',
    help: 'addresses never deleted or replaced, comma separated (env MESH_PROTECT)'
  },
  checks: {
    type: 'string',
    help: 'verify-mesh checks: control-plane, traffic or both'
  },
  'istiod-url': {
    type: 'string',
    multiple: true,
    help: 'cluster=url of an istiod debug API for verify (repeatable)'
  }
} as const

export type Flags = Record<string, string | boolean | string[] | undefined>

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined

function splitList(raw: string): string[] {
  const trimmed = raw.trim()
  if (trimmed.startsWith('[')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown
      if (Array.isArray(parsed)) return parsed.map(String)
    } catch {
      // fall through to the comma form, which will name the problem
    }
  }
  return trimmed
    .split(/[\s,]+/)
    .map(s => s.trim())
    .filter(Boolean)
}

export function pipelineConfig(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd()
): PipelineConfig {
  const rawClusters =
    str(flags.clusters) ?? str(env.MESH_CLUSTERS) ?? 'cluster-1,cluster-2'
  const clusters = splitList(rawClusters)
  const bad = clusters.filter(c => !isDns1123Label(c))
  if (clusters.length === 0 || bad.length > 0) {
    throw new ConfigurationError(
      `--clusters (or MESH_CLUSTERS) must list DNS-1123 cluster names, comma separated, got '${rawClusters}'`
    )
  }
  if (new Set(clusters).size !== clusters.length) {
    throw new ConfigurationError(
      `--clusters lists a cluster more than once: '${rawClusters}'`
    )
  }
  const certsStore =
    str(flags['certs-store']) ?? str(env.MESH_CERTS_STORE) ?? 'directory'
  if (certsStore !== 'directory' && certsStore !== 'aws-secrets-manager') {
    throw new ConfigurationError(
      `--certs-store must be directory or aws-secrets-manager, got '${certsStore}'`
    )
  }
  const provider = str(flags.provider) ?? 'eks'
  if (provider !== 'eks' && provider !== 'kubeconfig') {
    throw new ConfigurationError(
      `--provider must be eks or kubeconfig, got '${provider}'`
    )
  }
  const region = str(flags.region) ?? str(env.AWS_REGION)
  if (region !== undefined && !/^[a-z0-9-]+$/.test(region)) {
    throw new ConfigurationError(
      `--region must be an AWS region like eu-west-1, got '${region}'`
    )
  }
  const stateBucket = str(flags['state-bucket']) ?? str(env.TF_STATE_BUCKET)
  const admins = str(flags.admins) ?? str(env.MESH_ADMIN_PRINCIPAL_ARNS)
  const protect = str(flags.protect) ?? str(env.MESH_PROTECT)
  const kubeconfig = str(flags.kubeconfig)
  const urls = flags['istiod-url']
  const vpcStage = str(flags['vpc-stage']) ?? 'terraform/vpc'
  return {
    clusters,
    region,
    backend: stateBucket ? 's3' : 'local',
    stateBucket,
    stateKmsKey: str(flags['state-kms-key']) ?? str(env.TF_STATE_KMS_KEY),
    certsDir: resolve(cwd, str(flags['certs-dir']) ?? 'certs'),
    certsStore,
    keyType: str(flags['key-type']),
    provider,
    kubeconfig: kubeconfig ? resolve(cwd, kubeconfig) : undefined,
    binary: str(flags.binary),
    admins: admins ? JSON.stringify(splitList(admins)) : undefined,
    vpcStage,
    vpcStateFile: resolve(cwd, vpcStage, '.state', 'default.tfstate'),
    clusterStage: str(flags['cluster-stage']) ?? 'terraform/cluster',
    protect: protect ? splitList(protect).join('\n') : undefined,
    checks: str(flags.checks),
    istiodUrls: Array.isArray(urls)
      ? urls
      : typeof urls === 'string'
        ? [urls]
        : []
  }
}

/**
 * Where AWS credentials would come from, looked up without any network
 * call; undefined when there are none. The instance metadata service is not
 * probed (it is a network call): on EC2, set AWS_PROFILE or credentials.
 */
export function awsCredentialSource(
  env: NodeJS.ProcessEnv,
  exists: (path: string) => boolean = existsSync,
  home: string = homedir()
): string | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return 'environment (AWS_ACCESS_KEY_ID)'
  }
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) {
    return 'web identity (AWS_ROLE_ARN)'
  }
  if (
    env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI
  ) {
    return 'container credentials'
  }
  if (env.AWS_PROFILE) return `profile ${env.AWS_PROFILE}`
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    env.AWS_CONFIG_FILE || join(home, '.aws', 'config')
  ]
  const found = files.find(f => exists(f))
  return found ? `profile default (${found})` : undefined
}

/** The folder of a stage argument: vpc, cluster, or a path. */
export function stageFolder(stage: string, config: PipelineConfig): string {
  if (stage === 'vpc') return config.vpcStage
  if (stage === 'cluster') return config.clusterStage
  return stage
}

/** Whether a tool name or path can be run: a path exists, a name is on PATH. */
export function findOnPath(
  binary: string,
  env: NodeJS.ProcessEnv,
  exists: (path: string) => boolean = existsSync
): boolean {
  if (binary.includes('/'))
    return exists(isAbsolute(binary) ? binary : resolve(binary))
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .some(dir => exists(join(dir, binary)))
}
