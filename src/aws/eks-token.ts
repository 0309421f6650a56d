import {Sha256} from '@aws-crypto/sha256-js'
import {HttpRequest} from '@smithy/protocol-http'
import {SignatureV4} from '@smithy/signature-v4'
import {stsHostname} from './partitions.ts'

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.'
/** EKS accepts 0–900; the SDK's default 3600 is refused. */
export const EKS_TOKEN_EXPIRES_SECONDS = 60

export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** RFC 3986 escaping, the form SigV4 canonicalises to. */
const escape = (value: string) =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )

/**
 * A bearer token for an EKS cluster, made as `aws eks get-token` makes it:
 * a presigned STS GetCallerIdentity URL with `x-k8s-aws-id` signed, base64url
 * without padding behind `k8s-aws-v1.`. The URL is the region's own STS
 * endpoint in its partition (sts.cn-north-1.amazonaws.com.cn in China),
 * which is where the cluster's authenticator sends it.
 */
export async function eksToken(options: {
  cluster: string
  region: string
  credentials: AwsCredentials
  now?: Date
}): Promise<string> {
  const hostname = stsHostname(options.region)
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256
  })
  const signed = await signer.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: {Action: 'GetCallerIdentity', Version: '2011-06-15'},
      headers: {host: hostname, 'x-k8s-aws-id': options.cluster}
    }),
    {
      expiresIn: EKS_TOKEN_EXPIRES_SECONDS,
      ...(options.now ? {signingDate: options.now} : {})
    }
  )
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${escape(k)}=${escape(String(v))}`)
    .join('&')
  const url = `https://${hostname}/?${query}`
  return EKS_TOKEN_PREFIX + Buffer.from(url).toString('base64url')
}
