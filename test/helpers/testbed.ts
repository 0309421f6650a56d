import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Sha256} from '@aws-crypto/sha256-js'
import {HttpRequest} from '@smithy/protocol-http'
import {SignatureV4} from '@smithy/signature-v4'
import {ROOT} from './run-bundle.ts'

/** `.testbed/env.json`, written by `npm run testbed -- up`. */
export interface Testbed {
  tofu: string
  kubeconfig: string
  clusters: string[]
  awsEndpoint: string
  actionlint: string
  zizmor: string
  checkov: string
  node: string
  /** istioctl, built from the same Istio as the istiods. */
  istioctl: string
  /** One istiod (pilot-discovery) per cluster, on loopback. */
  istiod: Record<string, IstiodEndpoints>
}

export interface IstiodEndpoints {
  /** Serves /ready and /debug/* (istiod's HTTP port). */
  debug: string
  /** Plain-text xDS, host:port. */
  xds: string
  /** xDS and the Istio CA over TLS, host:port. */
  secureXds: string
}

export const TESTBED_FILE = join(ROOT, '.testbed', 'env.json')

/**
 * The running test bed. Tests that need a real component call this and fail
 * (never skip) when the test bed is not up, so CI cannot pass without it.
 */
export function testbed(): Testbed {
  let text: string
  try {
    text = readFileSync(TESTBED_FILE, 'utf8')
  } catch {
    throw new Error(
      `the test bed is not up (${TESTBED_FILE} is missing): run \`npm run testbed -- up\``
    )
  }
  return JSON.parse(text) as Testbed
}

/** Fake AWS credentials and the emulator endpoint, for child processes. */
export function awsEnv(bed: Testbed = testbed()): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: bed.awsEndpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true'
  }
}

/**
 * One component's entry of the test bed, failing with the command that
 * starts it when `up --only ...` left it out.
 */
export function need<K extends keyof Testbed>(
  key: K,
  bed: Testbed = testbed()
): Testbed[K] {
  const value = bed[key]
  const empty = Array.isArray(value)
    ? value.length === 0
    : typeof value === 'object'
      ? Object.keys(value ?? {}).length === 0
      : !value
  if (empty) {
    const component =
      key === 'awsEndpoint'
        ? 'aws'
        : key === 'kubeconfig' || key === 'clusters'
          ? 'kube'
          : key === 'istioctl' || key === 'istiod'
            ? 'istio'
            : key === 'tofu'
              ? 'tofu'
              : 'lint'
    throw new Error(
      `the test bed has no ${key}: run \`npm run testbed -- up --only ${component}\``
    )
  }
  return value
}

/**
 * A signed S3 request to the emulator (path-style), for tests that look at
 * buckets and objects directly: the emulator refuses anonymous reads of
 * private objects, as S3 does.
 */
export async function s3Request(
  method: string,
  path: string,
  body?: string
): Promise<Response> {
  const env = awsEnv()
  const url = new URL(path, need('awsEndpoint'))
  const signer = new SignatureV4({
    service: 's3',
    region: env.AWS_REGION!,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY!
    },
    sha256: Sha256
  })
  const signed = await signer.sign(
    new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: {
        host: url.host,
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD'
      },
      ...(body === undefined ? {} : {body})
    })
  )
  return fetch(url, {
    method,
    headers: signed.headers,
    ...(body === undefined ? {} : {body})
  })
}
