import {EKSClient} from '@aws-sdk/client-eks'
import {defaultProvider} from '@aws-sdk/credential-provider-node'
import type {ClusterEntry, ClusterTarget} from '../kube/kubeconfig.ts'
import {tokenTarget} from '../kube/kubeconfig.ts'
import {awsClientSettings, createAwsClient} from './clients.ts'
import {describeEksCluster} from './eks-clusters.ts'
import {eksToken} from './eks-token.ts'

/**
 * Every listed EKS cluster reached with its DescribeCluster endpoint and CA
 * and a token from the runner's AWS credentials, masked as soon as made.
 */
export async function eksTargets(options: {
  entries: readonly ClusterEntry[]
  region?: string
  env: NodeJS.ProcessEnv
  mask: (secret: string) => void
}): Promise<ClusterTarget[]> {
  const settings = awsClientSettings({
    region: options.region,
    env: options.env,
    regionInput: 'aws-region'
  })
  const client = createAwsClient(EKSClient, settings)
  try {
    const credentials = await defaultProvider()()
    return await Promise.all(
      options.entries.map(async e => {
        const {endpoint, caData} = await describeEksCluster(client, e.context)
        const token = await eksToken({
          cluster: e.context,
          region: settings.region,
          credentials
        })
        options.mask(token)
        return tokenTarget(e.name, endpoint, caData, token)
      })
    )
  } finally {
    client.destroy()
  }
}
