// The stages' own input checks, run by a real OpenTofu. Only the files that
// need no provider download are copied (variables, and the cluster stage's
// preflight): the registry is out of reach here, the checks are not.
import assert from 'node:assert/strict'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {TERRAFORM_DIR} from './stage.ts'
import {awsEnv, need} from '../helpers/testbed.ts'
import {run} from './tools.ts'

const CERT_FILES = [
  'ca-cert.pem',
  'ca-key.pem',
  'root-cert.pem',
  'cert-chain.pem'
]

let work: string
let tofu: string

function bareStage(stage: string, files: string[]): string {
  const dir = join(work, stage)
  mkdirSync(dir, {recursive: true})
  for (const f of files)
    copyFileSync(join(TERRAFORM_DIR, stage, f), join(dir, f))
  const init = run(tofu, ['init', '-no-color', '-backend=false'], {cwd: dir})
  assert.equal(init.status, 0, init.output)
  return dir
}

function plan(dir: string, vars: string[]) {
  const args = ['plan', '-no-color', '-lock=false', '-refresh=false']
  return run(tofu, [...args, ...vars.flatMap(v => ['-var', v])], {cwd: dir})
}

/** A vpc state as the vpc stage leaves it, at the path apply-stage uses. */
function writeVpcState(dir: string, clusterNames: string[]) {
  mkdirSync(join(dir, '.state'), {recursive: true})
  const outputs = {
    region: {value: 'eu-west-1', type: 'string'},
    vpc_id: {value: 'vpc-1', type: 'string'},
    cluster_names: {value: clusterNames, type: ['list', 'string']},
    additional_security_group_ids: {
      value: Object.fromEntries(clusterNames.map(n => [n, `sg-${n}`])),
      type: ['map', 'string']
    }
  }
  const state = {version: 4, serial: 1, lineage: 'test', outputs, resources: []}
  writeFileSync(join(dir, '.state', 'default.tfstate'), JSON.stringify(state))
}

function writeCerts(certsDir: string, cluster: string, files = CERT_FILES) {
  mkdirSync(join(certsDir, cluster), {recursive: true})
  for (const f of files) writeFileSync(join(certsDir, cluster, f), `${f}\n`)
}

let vpc: string
let cluster: string

before(() => {
  tofu = need('tofu')
  work = mkdtempSync(join(tmpdir(), 'stage-preflight-'))
  vpc = bareStage('vpc', ['variables.tf'])
  cluster = bareStage('cluster', ['variables.tf', 'preflight.tf'])
  writeVpcState(vpc, ['east', 'west', 'north'])
  writeCerts(join(work, 'certs'), 'east')
  writeCerts(join(work, 'certs'), 'west', ['ca-cert.pem', 'root-cert.pem'])
})

after(() => {
  if (work) rmSync(work, {recursive: true, force: true})
})

const vpcCases: [string, string[], RegExp | null][] = [
  ['two clusters', ['cluster_names=["east","west"]'], null],
  ['N clusters', ['cluster_names=["a","b","c","d","e"]'], null],
  ['one cluster', ['cluster_names=["east"]'], /at least two clusters/],
  ['a repeated name', ['cluster_names=["east","east"]'], /same name twice/],
  ['an upper-case name', ['cluster_names=["East","west"]'], /DNS-1123/],
  ['a name ending in -', ['cluster_names=["east-","west"]'], /DNS-1123/],
  [
    'a 64-character name',
    [`cluster_names=["${'a'.repeat(64)}","west"]`],
    /DNS-1123/
  ],
  [
    'a region that is no region',
    ['cluster_names=["east","west"]', 'region=Europe'],
    /AWS region/
  ],
  [
    'a /24 VPC',
    ['cluster_names=["east","west"]', 'vpc_cidr=10.0.0.0/24'],
    /prefix length of 16 or less/
  ],
  [
    'four zones, which would overlap private and public subnets',
    [
      'cluster_names=["east","west"]',
      'availability_zones=["eu-west-1a","eu-west-1b","eu-west-1c","eu-west-1d"]'
    ],
    /2 or 3 distinct zones/
  ],
  [
    'a zone given twice',
    [
      'cluster_names=["east","west"]',
      'availability_zones=["eu-west-1a","eu-west-1a"]'
    ],
    /2 or 3 distinct zones/
  ]
]

for (const [name, vars, error] of vpcCases) {
  test(`vpc: ${error ? 'refuses' : 'accepts'} ${name}`, () => {
    const r = plan(vpc, vars)
    if (error) {
      assert.equal(r.status, 1, r.output)
      assert.match(r.output.replace(/\s+/g, ' '), error)
    } else {
      assert.equal(r.status, 0, r.output)
    }
  })
}

const certs = () => `certs_dir=${join(work, 'certs')}`

const clusterCases: [string, () => string[], RegExp | null][] = [
  [
    'a cluster of the vpc with all four files',
    () => ['cluster_name=east', certs()],
    null
  ],
  [
    'a cluster missing two of the four files, naming them',
    () => ['cluster_name=west', certs()],
    /west lacks ca-key\.pem, cert-chain\.pem\. Run generate-certs/
  ],
  [
    'a certs_dir without the cluster folder',
    () => ['cluster_name=north', certs()],
    /north lacks ca-cert\.pem, ca-key\.pem, root-cert\.pem, cert-chain\.pem/
  ],
  [
    'a cluster the vpc was not made for',
    () => {
      writeCerts(join(work, 'certs'), 'south')
      return ['cluster_name=south', certs()]
    },
    /'south' is not one of the vpc stage's cluster_names \(east, west, north\)/
  ],
  [
    'a name that is no DNS-1123 label',
    () => ['cluster_name=East_1', certs()],
    /cluster_name must be a DNS-1123 label/
  ],
  [
    'an s3 backend without a bucket',
    () => [
      'cluster_name=east',
      certs(),
      'vpc_state_backend=s3',
      'vpc_state_config={key="vpc/default/terraform.tfstate",region="eu-west-1"}'
    ],
    /must set bucket, key and region/
  ],
  [
    'a backend other than local or s3',
    () => ['cluster_name=east', certs(), 'vpc_state_backend=gcs'],
    /vpc_state_backend must be local or s3/
  ],
  [
    'more desired nodes than the maximum',
    () => [
      'cluster_name=east',
      certs(),
      'node_desired_size=6',
      'node_max_size=5'
    ],
    /node_min_size <= node_desired_size <= node_max_size/
  ],
  [
    'a Kubernetes older than Istio 1.30 supports',
    () => ['cluster_name=east', certs(), 'kubernetes_version=1.31'],
    /at least 1\.32/
  ],
  [
    'a mesh ID with a space in it',
    () => ['cluster_name=east', certs(), 'mesh_id=Mesh One'],
    /mesh_id must be a DNS-1123 label/
  ],
  [
    'the four kinds of principal, one role each',
    () => [
      'cluster_name=east',
      certs(),
      ...principals('apply', 'plan', 'mesh', 'verify')
    ],
    null
  ],
  [
    'one role for the mesh and the verify jobs (one entry, both groups)',
    () => [
      'cluster_name=east',
      certs(),
      ...principals('apply', 'plan', 'mesh', 'mesh')
    ],
    null
  ],
  [
    'the plan role also listed as an admin',
    () => [
      'cluster_name=east',
      certs(),
      ...principals('apply', 'apply', 'mesh', 'verify')
    ],
    /both plan_principal_arns and admin_principal_arns/
  ],
  [
    'one role for the plan and the mesh jobs',
    () => [
      'cluster_name=east',
      certs(),
      ...principals('apply', 'plan', 'plan', 'verify')
    ],
    /listed in mesh_principal_arns and in admin_principal_arns or plan_principal_arns/
  ],
  [
    'one role for the plan and the verify jobs',
    () => [
      'cluster_name=east',
      certs(),
      ...principals('apply', 'plan', 'mesh', 'plan')
    ],
    /listed in verify_principal_arns and in admin_principal_arns or plan_principal_arns/
  ],
  [
    'the apply role also listed as a verify role',
    () => [
      'cluster_name=east',
      certs(),
      ...principals('apply', 'plan', 'mesh', 'apply')
    ],
    /listed in verify_principal_arns and in admin_principal_arns or plan_principal_arns/
  ],
  [
    'a plan role without an admin, which would make the plan role admin of the cluster and its KMS key',
    () => [
      'cluster_name=east',
      certs(),
      'plan_principal_arns=["arn:aws:iam::123456789012:role/plan"]'
    ],
    /plan_principal_arns is set but admin_principal_arns is empty/
  ],
  [
    'a verify principal that is not an IAM ARN',
    () => [
      'cluster_name=east',
      certs(),
      'verify_principal_arns=["mesh-verify"]'
    ],
    /verify_principal_arns must be an IAM role or user ARN/
  ],
  [
    'a plan principal that is an assumed-role session, not a role',
    () => [
      'cluster_name=east',
      certs(),
      'plan_principal_arns=["arn:aws:sts::123456789012:assumed-role/plan/run-1"]'
    ],
    /plan_principal_arns must be an IAM role or user ARN/
  ],
  [
    "istio-system as verify-mesh's namespace",
    () => ['cluster_name=east', certs(), 'verify_mesh_namespace=istio-system'],
    /verify_mesh_namespace must be a DNS-1123 label of its own/
  ]
]

/** -var values naming one role per kind of principal. */
function principals(
  admin: string,
  plan: string,
  mesh: string,
  verify: string
): string[] {
  const arn = (role: string) => `["arn:aws:iam::123456789012:role/${role}"]`
  return [
    `admin_principal_arns=${arn(admin)}`,
    `plan_principal_arns=${arn(plan)}`,
    `mesh_principal_arns=${arn(mesh)}`,
    `verify_principal_arns=${arn(verify)}`
  ]
}

for (const [name, vars, error] of clusterCases) {
  test(`cluster: ${error ? 'refuses' : 'accepts'} ${name}`, () => {
    // The stage's default vpc_state_config finds the vpc state next door.
    const r = plan(cluster, vars())
    if (error) {
      assert.equal(r.status, 1, r.output)
      assert.match(r.output.replace(/\s+/g, ' '), error)
    } else {
      assert.equal(r.status, 0, r.output)
    }
  })
}

// The vpc state written by OpenTofu's own s3 backend into the test bed's S3
// emulator, then read by the cluster stage's remote state with the settings
// a workflow passes: proves the map(string) -> s3 config translation.
test('cluster: reads the vpc state from s3 with endpoint settings as strings', async () => {
  const endpoint = need('awsEndpoint')
  const bucket = `stage-preflight-${process.pid}-${Date.now()}`
  const created = await fetch(`${endpoint}/${bucket}`, {method: 'PUT'})
  assert.equal(created.status, 200, 'the S3 emulator made no bucket')
  // Only the settings below may point at the emulator.
  const env = {...awsEnv(), AWS_ENDPOINT_URL: ''}
  const certsDir = join(work, 'certs-s3')
  writeCerts(certsDir, 'east')
  writeCerts(certsDir, 'north')
  const settings: Record<string, string> = {
    bucket,
    key: 'vpc/default/terraform.tfstate',
    region: 'us-east-1',
    'endpoints.s3': endpoint,
    use_path_style: 'true',
    skip_credentials_validation: 'true',
    skip_requesting_account_id: 'true'
  }

  const standIn = join(work, 's3-vpc')
  mkdirSync(standIn)
  writeFileSync(
    join(standIn, 'main.tf'),
    [
      'terraform {\n  backend "s3" {}\n}',
      'output "region" {\n  value = "eu-west-1"\n}',
      'output "cluster_names" {\n  value = ["east", "west"]\n}',
      'output "additional_security_group_ids" {\n  value = {east = "sg-e", west = "sg-w"}\n}',
      ''
    ].join('\n')
  )
  const backendConfig = Object.entries({
    ...settings,
    'endpoints.s3': undefined,
    endpoints: `{s3="${endpoint}"}`
  }).flatMap(([k, v]) => (v ? [`-backend-config=${k}=${v}`] : []))
  const init = run(tofu, ['init', '-no-color', ...backendConfig], {
    cwd: standIn,
    env
  })
  assert.equal(init.status, 0, init.output)
  const apply = run(tofu, ['apply', '-no-color', '-auto-approve'], {
    cwd: standIn,
    env
  })
  assert.equal(apply.status, 0, apply.output)

  const hcl = Object.entries(settings)
    .map(([k, v]) => `"${k}"="${v}"`)
    .join(',')
  const s3 = ['vpc_state_backend=s3', `vpc_state_config={${hcl}}`]
  const ok = run(
    tofu,
    [
      'plan',
      '-no-color',
      '-var',
      'cluster_name=east',
      '-var',
      `certs_dir=${certsDir}`
    ].concat(s3.flatMap(v => ['-var', v])),
    {cwd: cluster, env}
  )
  assert.equal(ok.status, 0, ok.output)
  const refused = run(
    tofu,
    [
      'plan',
      '-no-color',
      '-var',
      'cluster_name=north',
      '-var',
      `certs_dir=${certsDir}`
    ].concat(s3.flatMap(v => ['-var', v])),
    {cwd: cluster, env}
  )
  assert.equal(refused.status, 1, refused.output)
  // The names come from the state in S3, not from the local one (which has north).
  assert.match(
    refused.output.replace(/\s+/g, ' '),
    /'north' is not one of the vpc stage's cluster_names \(east, west\)/
  )
})

// cacerts goes in write-only, so the provider rewrites it only when
// data_wo_revision changes: the revision must follow every certificate and
// must not be derived from the key (it is kept in state).
test('cluster: the cacerts revision follows the certificates, never the key', () => {
  const dir = join(work, 'revision')
  mkdirSync(dir)
  for (const f of ['variables.tf', 'preflight.tf']) {
    copyFileSync(join(TERRAFORM_DIR, 'cluster', f), join(dir, f))
  }
  writeFileSync(
    join(dir, 'revision_test.tf'),
    'output "revision" {\n  value = local.cacerts_revision\n}\n'
  )
  const init = run(tofu, ['init', '-no-color', '-backend=false'], {cwd: dir})
  assert.equal(init.status, 0, init.output)
  const certsDir = join(work, 'certs-revision')
  const revision = (): number => {
    const args = [
      'cluster_name=east',
      `certs_dir=${certsDir}`,
      `vpc_state_config={path="${join(vpc, '.state', 'default.tfstate')}"}`
    ].flatMap(v => ['-var', v])
    const r = run(tofu, ['apply', '-no-color', '-auto-approve', ...args], {
      cwd: dir
    })
    assert.equal(r.status, 0, r.output)
    const out = run(tofu, ['output', '-no-color', '-json', 'revision'], {
      cwd: dir
    })
    assert.equal(out.status, 0, out.output)
    return JSON.parse(out.stdout) as number
  }
  const write = (file: string, text: string) =>
    writeFileSync(join(certsDir, 'east', file), text)
  writeCerts(certsDir, 'east')
  const first = revision()
  assert.ok(
    Number.isInteger(first) && first >= 1 && first <= 2 ** 48,
    `${first}`
  )
  assert.equal(revision(), first, 'the same files, the same revision')
  write('ca-key.pem', 'another key\n')
  assert.equal(revision(), first, 'the key does not count')
  const seen = new Set([first])
  for (const file of ['ca-cert.pem', 'cert-chain.pem', 'root-cert.pem']) {
    write(file, `renewed ${file}\n`)
    const next = revision()
    assert.ok(!seen.has(next), `${file} changes the revision`)
    seen.add(next)
  }
})
