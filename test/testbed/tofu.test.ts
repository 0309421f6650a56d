import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {awsEnv, need, s3Request, testbed} from '../helpers/testbed.ts'

const bucket = `tfstate-${process.pid}-${Date.now().toString(36)}`

function backend(endpoint: string, key: string): string {
  return `
    bucket                      = "${bucket}"
    key                         = "${key}"
    region                      = "us-east-1"
    use_lockfile                = true
    use_path_style              = true
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
    endpoints = {
      s3 = "${endpoint}"
    }
`
}

function tofu(dir: string, ...args: string[]) {
  const bed = testbed()
  const home = join(dir, '..', 'home')
  mkdirSync(home, {recursive: true})
  const cliConfig = join(home, 'tofurc')
  writeFileSync(cliConfig, '')
  const run = spawnSync(need('tofu'), [...args, '-no-color'], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: home,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      ...awsEnv(bed)
    }
  })
  return {status: run.status, out: `${run.stdout}\n${run.stderr}`}
}

function ok(dir: string, ...args: string[]): string {
  const run = tofu(dir, ...args)
  assert.equal(run.status, 0, `tofu ${args.join(' ')} failed:\n${run.out}`)
  return run.out
}

test('tofu plans and applies builtin resources with state in moto S3, and reads it back', async () => {
  const endpoint = need('awsEndpoint')
  const made = await s3Request('PUT', `/${bucket}`)
  assert.ok(made.ok, `creating bucket: ${made.status}`)

  const root = mkdtempSync(join(tmpdir(), 'tofu-smoke-'))
  const producer = join(root, 'producer')
  const consumer = join(root, 'consumer')
  mkdirSync(producer)
  mkdirSync(consumer)
  writeFileSync(
    join(producer, 'main.tf'),
    `terraform {
  backend "s3" {${backend(endpoint, 'producer.tfstate')}  }
}
resource "terraform_data" "greeting" {
  input = "hello from producer"
}
output "greeting" {
  value = terraform_data.greeting.output
}
`
  )
  writeFileSync(
    join(consumer, 'main.tf'),
    `data "terraform_remote_state" "producer" {
  backend = "s3"
  config = {${backend(endpoint, 'producer.tfstate')}  }
}
output "read" {
  value = data.terraform_remote_state.producer.outputs.greeting
}
`
  )

  ok(producer, 'init', '-input=false')
  const plan = ok(producer, 'plan', '-input=false', '-out=plan.bin')
  assert.match(plan, /1 to add, 0 to change, 0 to destroy/)
  ok(producer, 'apply', '-input=false', 'plan.bin')
  const state = await s3Request('GET', `/${bucket}/producer.tfstate`)
  assert.equal(state.status, 200, 'the state object is in S3')
  assert.match(await state.text(), /hello from producer/)

  ok(consumer, 'init', '-input=false')
  ok(consumer, 'apply', '-input=false', '-auto-approve')
  const out = JSON.parse(
    ok(consumer, 'output', '-json', 'read').split('\n')[0]!
  )
  assert.equal(out, 'hello from producer')
})

test('tofu cannot take the S3 lock while another holder has it', async () => {
  const endpoint = need('awsEndpoint')
  await s3Request('PUT', `/${bucket}`)
  const dir = mkdtempSync(join(tmpdir(), 'tofu-lock-'))
  const work = join(dir, 'work')
  mkdirSync(work)
  writeFileSync(
    join(work, 'main.tf'),
    `terraform {
  backend "s3" {${backend(endpoint, 'locked.tfstate')}  }
}
resource "terraform_data" "x" {
  input = 1
}
`
  )
  ok(work, 'init', '-input=false')
  // Another holder's lock object, as OpenTofu itself writes it.
  const lock = await s3Request(
    'PUT',
    `/${bucket}/locked.tfstate.tflock`,
    JSON.stringify({
      ID: '00000000-0000-0000-0000-000000000001',
      Operation: 'OperationTypeApply',
      Who: 'someone@elsewhere',
      Version: '1.11.6',
      Created: new Date().toISOString(),
      Path: `${bucket}/locked.tfstate`
    })
  )
  assert.ok(lock.ok, `writing lock object: ${lock.status}`)
  const blocked = tofu(
    work,
    'apply',
    '-input=false',
    '-auto-approve',
    '-lock-timeout=0s'
  )
  assert.notEqual(
    blocked.status,
    0,
    `apply ran despite the lock:\n${blocked.out}`
  )
  assert.match(blocked.out, /Error acquiring the state lock/)
  assert.match(blocked.out, /someone@elsewhere/)

  await s3Request('DELETE', `/${bucket}/locked.tfstate.tflock`)
  ok(work, 'apply', '-input=false', '-auto-approve', '-lock-timeout=0s')
})
