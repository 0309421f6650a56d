import {DescribeClusterCommand, type EKSClient} from '@aws-sdk/client-eks'
import {ConfigurationError} from '../common/errors.ts'
import {describeAwsError} from './clients.ts'

export interface EksEndpoint {
  name: string
  /** cluster.endpoint: the server of the remote secret's kubeconfig. */
  endpoint: string
  /** cluster.certificateAuthority.data: base64 PEM. */
  caData: string
}

/** Endpoint and CA of a cluster; a missing cluster names the input. */
export async function describeEksCluster(
  client: Pick<EKSClient, 'send'>,
  name: string
): Promise<EksEndpoint> {
  let cluster
  try {
    ;({cluster} = await client.send(new DescribeClusterCommand({name})))
  } catch (err) {
    if ((err as {name?: string}).name === 'ResourceNotFoundException') {
      throw new ConfigurationError(
        `input 'clusters' names EKS cluster '${name}', which does not exist in this region`
      )
    }
    throw new Error(`DescribeCluster ${name} failed: ${describeAwsError(err)}`)
  }
  const endpoint = cluster?.endpoint
  const caData = cluster?.certificateAuthority?.data
  if (!endpoint || !caData) {
    throw new Error(
      `EKS cluster '${name}' has no endpoint or CA yet (status ${cluster?.status ?? 'unknown'})`
    )
  }
  return {name, endpoint, caData}
}
