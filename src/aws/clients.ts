import {ConfigurationError} from '../common/errors.ts'

/** What every AWS SDK v3 client of the toolkit is built with. */
export interface AwsClientSettings {
  region: string
  /** AWS_ENDPOINT_URL: an emulator (tests) or a VPC endpoint. */
  endpoint?: string
  /** The SDK retries by itself; this bounds it, and nothing retries on top. */
  maxAttempts: number
}

export const DEFAULT_MAX_ATTEMPTS = 3

/**
 * Region from the input, else from the environment the runner's AWS
 * credentials step exports; endpoint from AWS_ENDPOINT_URL.
 */
export function awsClientSettings(options: {
  region?: string
  env: NodeJS.ProcessEnv
  regionInput: string
  maxAttempts?: number
}): AwsClientSettings {
  const {env} = options
  const region = options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION
  if (!region) {
    throw new ConfigurationError(
      `input '${options.regionInput}' is required here (or AWS_REGION in the environment), got nothing`
    )
  }
  const endpoint = env.AWS_ENDPOINT_URL || undefined
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    throw new ConfigurationError(
      `AWS_ENDPOINT_URL must be a URL, got '${endpoint}'`
    )
  }
  return {
    region,
    ...(endpoint ? {endpoint} : {}),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
  }
}

/** Any SDK v3 client class, e.g. SecretsManagerClient or EKSClient. */
export type AwsClientClass<C> = new (config: AwsClientSettings) => C

export function createAwsClient<C>(
  Client: AwsClientClass<C>,
  settings: AwsClientSettings
): C {
  return new Client(settings)
}

/**
 * An SDK error as `Name (HTTP status)`: the message and body may echo what
 * was sent, so they are never shown.
 */
export function describeAwsError(err: unknown): string {
  const e = err as {
    name?: string
    code?: string
    $metadata?: {httpStatusCode?: number}
  }
  const status = e.$metadata?.httpStatusCode
  // Network failures carry no status; their errno code says what happened.
  const code = e.code && e.code !== e.name ? ` ${e.code}` : ''
  return `${e.name ?? 'Error'}${code}${status ? ` (HTTP ${status})` : ''}`
}
