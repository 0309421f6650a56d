import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {createServer, type IncomingMessage} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {after, before, test} from 'node:test'
import {ROOT} from '../helpers/run-bundle.ts'

const SCRIPT = join(ROOT, '.github', 'scripts', 'no-active-run.sh')
const TOKEN = 'ghs_CANARYactions0123456789abcdefghijkl'

// GitHub's "List workflow runs for a workflow": GET
// /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs, filtered by
// `status`, answering {total_count, workflow_runs}; 401 without a token.
let runs: {id: number; status: string}[] = []
let seen: IncomingMessage[] = []
let url = ''
const server = createServer((req, res) => {
  seen.push(req)
  const u = new URL(req.url ?? '/', 'http://x')
  const m =
    /^\/repos\/example-org\/mesh\/actions\/workflows\/([^/]+)\/runs$/.exec(
      u.pathname
    )
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    res.writeHead(401, {'content-type': 'application/json'})
    res.end('{"message":"Bad credentials"}')
    return
  }
  if (!m || m[1] !== 'provision.yml') {
    res.writeHead(404, {'content-type': 'application/json'})
    res.end('{"message":"Not Found"}')
    return
  }
  const status = u.searchParams.get('status')
  const found = runs.filter(r => r.status === status)
  res.writeHead(200, {'content-type': 'application/json'})
  res.end(JSON.stringify({total_count: found.length, workflow_runs: found}))
})
before(async () => {
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => new Promise<void>(r => server.close(() => r())))

async function check(env: Record<string, string> = {}) {
  seen = []
  const child = spawn(
    'bash',
    ['--noprofile', '--norc', '-eo', 'pipefail', SCRIPT],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        GITHUB_API_URL: url,
        GITHUB_REPOSITORY: 'example-org/mesh',
        GITHUB_RUN_ID: '500',
        GITHUB_TOKEN: TOKEN,
        WORKFLOW: 'provision.yml',
        ...env
      }
    }
  )
  let out = ''
  child.stdout.on('data', d => (out += d))
  child.stderr.on('data', d => (out += d))
  const status = await new Promise<number | null>(r => child.on('close', r))
  assert.ok(!out.includes(TOKEN), 'the token reached the log')
  return {status, out}
}

test('no-active-run.sh: goes on when no run of the other workflow is active', async () => {
  runs = [
    {id: 1, status: 'completed'},
    // The run itself never counts against itself.
    {id: 500, status: 'in_progress'}
  ]
  const r = await check()
  assert.equal(r.status, 0, r.out)
  assert.match(r.out, /no run of provision\.yml is active/)
  // Every active state GitHub filters by was asked for.
  const asked = seen.map(req =>
    new URL(req.url!, 'http://x').searchParams.get('status')
  )
  assert.deepEqual(asked.sort(), [
    'in_progress',
    'pending',
    'queued',
    'requested',
    'waiting'
  ])
})

test('no-active-run.sh: refuses while a run is queued, waiting for approval or running', async () => {
  for (const status of [
    'queued',
    'waiting',
    'in_progress',
    'pending',
    'requested'
  ]) {
    runs = [{id: 42, status}]
    const r = await check()
    assert.equal(r.status, 1, `${status}: ${r.out}`)
    assert.match(
      r.out,
      /::error::1 run\(s\) of provision\.yml are queued, waiting or in progress/
    )
  }
})

test('no-active-run.sh: an API failure stops the run, naming the permission', async () => {
  runs = []
  const r = await check({GITHUB_TOKEN: 'wrong'})
  assert.equal(r.status, 1)
  assert.match(
    r.out,
    /::error::could not list the runs of provision\.yml .*actions: read/
  )
  const bad = await check({WORKFLOW: '../x'})
  assert.equal(bad.status, 1)
  assert.match(bad.out, /WORKFLOW must be a workflow file name/)
})

test('no-active-run.sh: the token reaches curl on stdin, never its command line', () => {
  const text = readFileSync(SCRIPT, 'utf8')
  const uses = text
    .split('\n')
    .filter(l => l.includes('GITHUB_TOKEN') && !l.startsWith('#'))
  assert.equal(uses.length, 1)
  assert.match(
    uses[0]!,
    /printf 'header = "Authorization: Bearer %s"\\n' "\$GITHUB_TOKEN" \|$/
  )
})
