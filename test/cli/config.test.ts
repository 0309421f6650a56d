import assert from 'node:assert/strict'
import {test} from 'node:test'
import {awsSteps, missingForAws} from '../../src/cli/commands.ts'
import {awsCredentialSource, pipelineConfig} from '../../src/cli/config.ts'
import {stageRuns} from '../../src/cli/pipeline.ts'

const cwd = '/repo'

test('embedded defaults: two clusters, local state, a local certificate folder', () => {
  const c = pipelineConfig({}, {}, cwd)
  assert.deepEqual(c.clusters, ['cluster-1', 'cluster-2'])
  assert.equal(c.backend, 'local')
  assert.equal(c.certsDir, '/repo/certs')
  assert.equal(c.certsStore, 'directory')
  assert.equal(c.provider, 'eks')
  assert.equal(c.region, undefined)
})

test('the repository variables configure S3 state and Secrets Manager; flags win', () => {
  const env = {
    MESH_CLUSTERS: '["east","west"]',
    AWS_REGION: 'eu-west-1',
    TF_STATE_BUCKET: 'state',
    TF_STATE_KMS_KEY: 'alias/state',
    MESH_CERTS_STORE: 'aws-secrets-manager',
    MESH_ADMIN_PRINCIPAL_ARNS: 'arn:aws:iam::1:role/a, arn:aws:iam::1:role/b'
  }
  const c = pipelineConfig({region: 'us-east-2'}, env, cwd)
  assert.deepEqual(c.clusters, ['east', 'west'])
  assert.equal(c.region, 'us-east-2')
  assert.equal(c.backend, 's3')
  assert.equal(c.certsStore, 'aws-secrets-manager')
  assert.equal(c.admins, '["arn:aws:iam::1:role/a","arn:aws:iam::1:role/b"]')
})

test('bad settings are refused naming the flag and what was found', () => {
  for (const [flags, message] of [
    [{clusters: 'Cluster_1'}, /--clusters .* got 'Cluster_1'/],
    [{clusters: 'a,a'}, /more than once/],
    [
      {'certs-store': 's3'},
      /--certs-store must be directory or aws-secrets-manager, got 's3'/
    ],
    [{provider: 'gke'}, /--provider must be eks or kubeconfig, got 'gke'/],
    [{region: 'EU West'}, /--region must be an AWS region/]
  ] as const) {
    assert.throws(() => pipelineConfig(flags, {}, cwd), message)
  }
})

test('AWS credentials are found without a network call, or not at all', () => {
  const none = () => false
  assert.equal(awsCredentialSource({}, none, '/home/x'), undefined)
  assert.match(
    awsCredentialSource(
      {AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b'},
      none
    )!,
    /environment/
  )
  assert.match(awsCredentialSource({AWS_PROFILE: 'dev'}, none)!, /profile dev/)
  assert.match(
    awsCredentialSource({}, p => p === '/home/x/.aws/config', '/home/x')!,
    /\/home\/x\/\.aws\/config/
  )
  assert.match(
    awsCredentialSource(
      {AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn'},
      none
    )!,
    /web identity/
  )
})

test('which steps need AWS follows the configuration', () => {
  assert.deepEqual([...awsSteps(pipelineConfig({}, {}, cwd))].sort(), [
    'clusters',
    'exchange',
    'verify',
    'vpc'
  ])
  const local = pipelineConfig(
    {
      provider: 'kubeconfig',
      'vpc-stage': 'stand-in/vpc',
      'cluster-stage': 'stand-in/cluster'
    },
    {},
    cwd
  )
  assert.deepEqual([...awsSteps(local)], [])
  assert.deepEqual(
    missingForAws(pipelineConfig({}, {}, cwd), {}, undefined).map(
      m => m.split(' (')[0]
    ),
    ['AWS credentials', 'an AWS region']
  )
  assert.deepEqual(
    missingForAws(pipelineConfig({region: 'eu-west-1'}, {}, cwd), {}, 'env'),
    []
  )
})

test('the stages get the variables provision.yml gives them', () => {
  const local = pipelineConfig({region: 'eu-west-1'}, {}, cwd)
  assert.deepEqual(stageRuns('vpc', undefined, local), [
    {
      stage: 'terraform/vpc',
      vars: ['cluster_names=["cluster-1","cluster-2"]', 'region=eu-west-1']
    }
  ])
  const clusters = stageRuns('cluster', undefined, local)
  assert.deepEqual(
    clusters.map(r => r.instance),
    ['cluster-1', 'cluster-2']
  )
  assert.deepEqual(clusters[1]!.vars, [
    'cluster_name=cluster-2',
    'certs_dir=/repo/certs',
    'vpc_state_backend=local',
    'vpc_state_config={"path":"/repo/terraform/vpc/.state/default.tfstate"}'
  ])
  const s3 = pipelineConfig(
    {region: 'eu-west-1', 'state-bucket': 'b', admins: 'arn:a'},
    {},
    cwd
  )
  assert.deepEqual(stageRuns('cluster', 'cluster-1', s3)[0]!.vars.slice(2), [
    'vpc_state_backend=s3',
    'vpc_state_config={"bucket":"b","key":"vpc/default/terraform.tfstate","region":"eu-west-1"}',
    'admin_principal_arns=["arn:a"]'
  ])
  assert.throws(
    () => stageRuns('cluster', 'cluster-9', local),
    /cluster 'cluster-9' is not one of --clusters/
  )
  assert.deepEqual(stageRuns('some/stage', 'x', local, ['a=1']), [
    {stage: 'some/stage', instance: 'x', vars: ['a=1']}
  ])
})
