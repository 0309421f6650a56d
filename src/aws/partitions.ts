import {partition} from '@aws-sdk/core/client'

/** What differs between AWS partitions for the toolkit's own requests. */
export interface AwsPartition {
  /** The ARN partition: aws, aws-cn, aws-us-gov, aws-iso, ... */
  name: string
  /** The DNS suffix of service endpoints: amazonaws.com, amazonaws.com.cn, ... */
  dnsSuffix: string
}

/**
 * The partition a region belongs to, from the AWS SDK's own partition data
 * (the endpoints ruleset's), so China, GovCloud, the ISO partitions and the
 * European Sovereign Cloud follow AWS's published facts. An unknown region
 * falls back to `aws`, as the SDK does.
 */
export function awsPartition(region: string): AwsPartition {
  const {name, dnsSuffix} = partition(region)
  return {name, dnsSuffix}
}

/** The regional STS endpoint's host, the one `aws eks get-token` presigns. */
export function stsHostname(region: string): string {
  return `sts.${region}.${awsPartition(region).dnsSuffix}`
}
