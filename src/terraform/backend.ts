import {basename} from 'node:path'
import {ConfigurationError} from '../common/errors.ts'

export type BackendKind = 'local' | 's3'

/** Credentials in backend config end up in .terraform/ and in saved plans. */
const FORBIDDEN_S3_KEYS = [
  'access_key',
  'secret_key',
  'token',
  'sse_customer_key'
]

export const BACKEND_OVERRIDE_FILE = 'zz_apply_stage_backend_override.tf'

/**
 * Stages declare no backend: this override file, written next to them for
 * the run and removed afterwards, makes the chosen one effective (Terraform
 * and OpenTofu merge `*_override.tf` files last, and a backend block there
 * is taken even when the stage has none).
 */
export function backendOverride(kind: BackendKind): string {
  return `# Written by apply-stage for one run; removed when it ends.\nterraform {\n  backend "${kind}" {}\n}\n`
}

export function instanceName(instance: string | undefined): string {
  return instance || 'default'
}

/**
 * The backend settings for one stage instance. The state location follows
 * the contract other stages read (terraform/cluster finds the vpc state by
 * it): s3 key `<stage>/<instance>/terraform.tfstate`, local path
 * `<stage dir>/.state/<instance>.tfstate`.
 */
export function buildBackendConfig(options: {
  kind: BackendKind
  stageDir: string
  instance?: string
  config: Record<string, string>
}): Record<string, string> {
  const {kind, stageDir, config} = options
  const name = instanceName(options.instance)
  if (kind === 'local') {
    // Relative to the stage folder, where the CLI runs.
    return {path: `.state/${name}.tfstate`, ...config}
  }
  const forbidden = FORBIDDEN_S3_KEYS.filter(k => k in config)
  if (forbidden.length > 0) {
    throw new ConfigurationError(
      `input 'backend-config' must not set ${forbidden.join(', ')}: credentials there are stored in .terraform/ and in saved plans; use the environment (OIDC role) instead`
    )
  }
  return {
    key: `${basename(stageDir)}/${name}/terraform.tfstate`,
    ...config,
    encrypt: config.encrypt ?? 'true',
    use_lockfile: config.use_lockfile ?? 'true'
  }
}
