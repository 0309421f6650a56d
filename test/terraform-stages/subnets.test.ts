// The vpc stage's subnet layout for any VPC prefix, and what the README
// says of it: the stage's own subnet expressions (taken from main.tf by
// hcl2json) evaluated by a real OpenTofu, with no provider, for several
// prefixes. The README's numbers are read from it and checked against the
// same evaluation.
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {need} from '../helpers/testbed.ts'
import {loadStage, only, TERRAFORM_DIR} from './stage.ts'
import {run} from './tools.ts'

let work: string
let tofu: string
let expressions: {private: string; public: string}

/** `${[for ...]}` as hcl2json gives it, back to the bare expression. */
function bare(value: unknown): string {
  const text = String(value)
  assert.match(text, /^\$\{[\s\S]*\}$/, text)
  return text.slice(2, -1)
}

before(async () => {
  tofu = need('tofu')
  work = mkdtempSync(join(tmpdir(), 'stage-subnets-'))
  const vpc = only((await loadStage('vpc')).hcl.module.vpc, 'vpc module')
  expressions = {
    private: bare(vpc.private_subnets),
    public: bare(vpc.public_subnets)
  }
  writeFileSync(
    join(work, 'subnets.tf'),
    `variable "vpc_cidr" {
  type = string
}
variable "azs" {
  type = list(string)
}
locals {
  azs = var.azs
}
output "private" {
  value = ${expressions.private}
}
output "public" {
  value = ${expressions.public}
}
`
  )
  const init = run(tofu, ['init', '-no-color', '-backend=false'], {cwd: work})
  assert.equal(init.status, 0, init.output)
})

after(() => {
  if (work) rmSync(work, {recursive: true, force: true})
})

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']

function subnets(cidr: string): {private: string[]; public: string[]} {
  const vars = [`vpc_cidr=${cidr}`, `azs=${JSON.stringify(ZONES)}`]
  const apply = run(
    tofu,
    [
      'apply',
      '-no-color',
      '-auto-approve',
      '-state',
      join(work, `${cidr.replace(/\W/g, '-')}.tfstate`),
      ...vars.flatMap(v => ['-var', v])
    ],
    {cwd: work}
  )
  assert.equal(apply.status, 0, apply.output)
  const out = run(
    tofu,
    [
      'output',
      '-no-color',
      '-json',
      '-state',
      join(work, `${cidr.replace(/\W/g, '-')}.tfstate`)
    ],
    {cwd: work}
  )
  assert.equal(out.status, 0, out.output)
  const o = JSON.parse(out.stdout) as Record<string, {value: string[]}>
  return {private: o.private!.value, public: o.public!.value}
}

const toInt = (ip: string) =>
  ip.split('.').reduce((n, part) => n * 256 + Number(part), 0)
const range = (cidr: string) => {
  const [ip, bits] = cidr.split('/')
  const size = 2 ** (32 - Number(bits))
  const start = toInt(ip!)
  return {start, end: start + size, bits: Number(bits), size}
}
/** AWS reserves five addresses of every subnet. */
const usable = (cidr: string) => range(cidr).size - 5

for (const cidr of [
  '10.0.0.0/16',
  '10.0.0.0/15',
  '172.16.0.0/12',
  '10.0.0.0/8'
]) {
  test(`a ${cidr} VPC: private /(p+4) in the first three sixteenths, public /(p+8) at the fourth, none overlapping`, () => {
    const vpc = range(cidr)
    const sixteenth = vpc.size / 16
    const s = subnets(cidr)
    assert.equal(s.private.length, ZONES.length)
    assert.equal(s.public.length, ZONES.length)
    s.private.forEach((c, i) => {
      const r = range(c)
      assert.equal(r.bits, vpc.bits + 4, c)
      assert.equal(r.start, vpc.start + i * sixteenth, c)
    })
    s.public.forEach((c, i) => {
      const r = range(c)
      assert.equal(r.bits, vpc.bits + 8, c)
      assert.equal(r.start, vpc.start + 3 * sixteenth + i * r.size, c)
    })
    const all = [...s.private, ...s.public].map(range)
    for (const [i, a] of all.entries()) {
      assert.ok(a.start >= vpc.start && a.end <= vpc.end, 'inside the VPC')
      for (const b of all.slice(i + 1)) {
        assert.ok(a.end <= b.start || b.end <= a.start, 'no overlap')
      }
    }
  })
}

test("the README's subnet sizes are the ones the stage makes", () => {
  const readme = readFileSync(join(TERRAFORM_DIR, 'README.md'), 'utf8')
    .replace(/\s+/g, ' ')
    .replace(/,(?=\d{3}\b)/g, '')
  const stated =
    /private subnets are \/\(\*p\*\+(\d+)\).*?public subnets are \/\(\*p\*\+(\d+)\).*?For the default `(10\.0\.0\.0\/16)` that is a `\/(\d+)` \((\d+) usable addresses\) and a `\/(\d+)` \((\d+)\) per zone; a `\/15` gives a `\/(\d+)` and a `\/(\d+)`/.exec(
      readme
    )
  assert.ok(stated, 'the README states the subnet sizes')
  const [, plusPrivate, plusPublic, , p16, n16, q16, m16, p15, q15] =
    stated.map(Number) as number[]
  const d = subnets(stated[3]!)
  assert.equal(range(d.private[0]!).bits, 16 + plusPrivate!)
  assert.equal(range(d.public[0]!).bits, 16 + plusPublic!)
  assert.deepEqual(
    [p16, n16, q16, m16],
    [
      range(d.private[0]!).bits,
      usable(d.private[0]!),
      range(d.public[0]!).bits,
      usable(d.public[0]!)
    ]
  )
  const w = subnets('10.0.0.0/15')
  assert.deepEqual(
    [p15, q15],
    [range(w.private[0]!).bits, range(w.public[0]!).bits]
  )
  const variables = readFileSync(
    join(TERRAFORM_DIR, 'vpc', 'variables.tf'),
    'utf8'
  )
  assert.match(variables, /default\s+=\s+"10\.0\.0\.0\/16"/)
})
