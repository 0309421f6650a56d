import {awsPartition} from './partitions.ts'
import {
  intermediateSecretName,
  legacyRootSecretName,
  rootCertSecretName,
  rootKeySecretName
} from './secrets-store.ts'

/** The roles the workflows assume, one per environment. */
export const MESH_ROLES = ['certs', 'plan', 'apply', 'mesh', 'verify'] as const

export type MeshRole = (typeof MESH_ROLES)[number]

export interface MeshIamSettings {
  accountId: string
  /** Region of the CA secrets and the clusters. */
  region: string
  /** generate-certs' `secret-prefix`. */
  secretPrefix: string
  /**
   * The mesh's clusters: each role gets exactly their intermediates and
   * clusters. Empty: every intermediate under the prefix and every cluster
   * of the account and region (no policy change when a cluster is added).
   */
  clusters: string[]
  /** The Terraform state bucket and its SSE-KMS key. */
  stateBucket: string
  stateKmsKeyArn: string
  /** Region of the state bucket, when it is not `region`. */
  stateRegion?: string
  /** The CA secrets' customer managed KMS key; none: the AWS managed one. */
  secretsKmsKeyArn?: string
}

export interface PolicyStatement {
  Sid: string
  Effect: 'Allow' | 'Deny'
  Action: string[]
  Resource: string[]
  Condition?: Record<string, Record<string, string>>
}

export interface PolicyDocument {
  Version: '2012-10-17'
  Statement: PolicyStatement[]
}

/** What each role does, for the docs and for `docs/iam/<role>.json`. */
export const ROLE_PURPOSES: Record<MeshRole, string> = {
  certs:
    'the certs job: generate-certs mode issue, the only role that reads or writes the root CA key',
  plan: 'plan jobs: generate-certs mode fetch, plans of the stages (state read and locked)',
  apply:
    'apply and destroy jobs: generate-certs mode fetch, applies of the stages (state written)',
  mesh: 'exchange-secrets apply and revoke: DescribeCluster for each cluster',
  verify:
    'exchange-secrets check and verify-mesh: DescribeCluster for each cluster'
}

/** The stages' state keys, as apply-stage derives them for the S3 backend. */
export function stateKeys(clusters: string[]): string[] {
  return [
    'vpc/default/terraform.tfstate',
    ...(clusters.length > 0
      ? clusters.map(c => `cluster/${c}/terraform.tfstate`)
      : ['cluster/*/terraform.tfstate'])
  ]
}

/**
 * Read-only calls a plan makes to refresh what the stages manage (VPC,
 * EKS, the IAM roles of the cluster, nodes and load balancer controller,
 * the cluster's KMS key and log group). No secret values: Secrets Manager
 * is absent, and KMS only describes.
 */
const STAGE_READ_ACTIONS = [
  'ec2:Describe*',
  'eks:Describe*',
  'eks:List*',
  'iam:GetOpenIDConnectProvider',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:ListOpenIDConnectProviders',
  'iam:ListPolicyVersions',
  'iam:ListRolePolicies',
  'iam:ListRoleTags',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListResourceTags',
  'logs:DescribeLogGroups',
  'logs:ListTagsForResource',
  'logs:ListTagsLogGroup'
]

/**
 * The IAM policy of each role, least privilege, with resource ARNs built
 * from `secret-prefix`, the clusters, the state bucket and the keys. Only
 * the certs role may touch the root key (and the combined root secret of
 * earlier versions); every other role is explicitly denied it, so no policy
 * attached beside this one can grant it.
 */
export function meshIamPolicies(
  settings: MeshIamSettings
): Record<MeshRole, PolicyDocument> {
  const {region, accountId, secretPrefix: prefix, clusters} = settings
  const partition = awsPartition(region)
  const stateRegion = settings.stateRegion ?? region
  const arn = (service: string, resource: string, r = region) =>
    `arn:${partition.name}:${service}:${r}:${accountId}:${resource}`
  // `-??????` is the random suffix Secrets Manager appends: it matches the
  // named secret only, even before it exists, where `name*` would also
  // match any longer name.
  const secret = (name: string) =>
    arn('secretsmanager', `secret:${name}-??????`)
  const intermediates =
    clusters.length > 0
      ? clusters.map(c => secret(intermediateSecretName(prefix, c)))
      : [arn('secretsmanager', `secret:${prefix}intermediate/*`)]
  const rootKey = secret(rootKeySecretName(prefix))
  const legacyRoot = secret(legacyRootSecretName(prefix))
  const eksClusters =
    clusters.length > 0
      ? clusters.map(c => arn('eks', `cluster/${c}`))
      : [arn('eks', 'cluster/*')]
  const bucket = `arn:${partition.name}:s3:::${settings.stateBucket}`
  const keys = stateKeys(clusters)
  const objects = (suffix: string) => keys.map(k => `${bucket}/${k}${suffix}`)
  const viaService = (service: string, r: string) => ({
    StringEquals: {'kms:ViaService': `${service}.${r}.${partition.dnsSuffix}`}
  })

  const denyRootKey: PolicyStatement = {
    Sid: 'DenyRootCaKey',
    Effect: 'Deny',
    Action: ['secretsmanager:*'],
    Resource: [rootKey, legacyRoot]
  }
  const fetchCa: PolicyStatement = {
    Sid: 'FetchCaCertificates',
    Effect: 'Allow',
    Action: ['secretsmanager:GetSecretValue'],
    Resource: [secret(rootCertSecretName(prefix)), ...intermediates]
  }
  const secretsKms = (actions: string[]): PolicyStatement[] =>
    settings.secretsKmsKeyArn
      ? [
          {
            Sid: 'CaSecretsKmsKey',
            Effect: 'Allow',
            Action: actions,
            Resource: [settings.secretsKmsKeyArn],
            Condition: viaService('secretsmanager', region)
          }
        ]
      : []
  const state = (write: boolean): PolicyStatement[] => [
    {
      Sid: 'StateBucketList',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [bucket]
    },
    {
      Sid: write ? 'StateReadWrite' : 'StateRead',
      Effect: 'Allow',
      Action: write ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
      Resource: objects('')
    },
    {
      // Native S3 locking (use_lockfile): plans lock too.
      Sid: 'StateLock',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: objects('.tflock')
    },
    {
      Sid: 'StateKmsKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [settings.stateKmsKeyArn],
      Condition: viaService('s3', stateRegion)
    }
  ]
  const stagesRead: PolicyStatement = {
    Sid: 'StagesRefresh',
    Effect: 'Allow',
    Action: STAGE_READ_ACTIONS,
    Resource: ['*']
  }
  const describeClusters: PolicyStatement = {
    Sid: 'DescribeMeshClusters',
    Effect: 'Allow',
    Action: ['eks:DescribeCluster'],
    Resource: eksClusters
  }
  const doc = (...statements: PolicyStatement[]): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: statements
  })

  return {
    certs: doc(
      {
        Sid: 'IssueCa',
        Effect: 'Allow',
        Action: [
          'secretsmanager:CreateSecret',
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue'
        ],
        Resource: [
          secret(rootCertSecretName(prefix)),
          rootKey,
          ...intermediates
        ]
      },
      {
        // generate-certs moves a root kept here by an earlier version into
        // root-cert and root-key, then schedules this secret's deletion.
        Sid: 'MoveEarlierRootSecret',
        Effect: 'Allow',
        Action: [
          'secretsmanager:DeleteSecret',
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue'
        ],
        Resource: [legacyRoot]
      },
      ...secretsKms(['kms:Decrypt', 'kms:GenerateDataKey'])
    ),
    plan: doc(
      fetchCa,
      ...secretsKms(['kms:Decrypt']),
      denyRootKey,
      ...state(false),
      stagesRead
    ),
    apply: doc(
      fetchCa,
      ...secretsKms(['kms:Decrypt']),
      denyRootKey,
      ...state(true),
      stagesRead
    ),
    mesh: doc(describeClusters, denyRootKey),
    verify: doc(describeClusters, denyRootKey)
  }
}

/** The settings `docs/iam/<role>.json` are rendered with. */
export const EXAMPLE_SETTINGS: MeshIamSettings = {
  accountId: '123456789012',
  region: 'eu-west-1',
  secretPrefix: 'istio-mesh/',
  clusters: ['cluster-1', 'cluster-2'],
  stateBucket: 'example-mesh-state',
  stateKmsKeyArn:
    'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'
}
