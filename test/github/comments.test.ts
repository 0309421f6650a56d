import assert from 'node:assert/strict'
import {after, before, test} from 'node:test'
import {createGitHubClient} from '../../src/github/client.ts'
import {commentMarker, upsertComment} from '../../src/github/comments.ts'
import {
  MAX_BODY_CHARS,
  primaryLimitFault,
  secondaryLimitFault,
  startFakeGitHub,
  type FakeGitHub
} from '../helpers/fake-github.ts'

let gh: FakeGitHub
before(async () => {
  gh = await startFakeGitHub()
})
after(() => gh.close())

let pr = 0
function setup() {
  pr++
  const warnings: string[] = []
  const client = createGitHubClient({
    token: 'ghs_fake',
    baseUrl: gh.url,
    warn: m => void warnings.push(m),
    retryAfterBaseMs: 1
  })
  const target = {owner: 'o', repo: 'r', issueNumber: pr}
  const marker = commentMarker('apply-stage', {
    stage: 'terraform/vpc',
    instance: 'default'
  })
  return {client, target, marker, warnings, issue: () => gh.issue('o', 'r', pr)}
}

test('the marker is hidden and cannot be closed early by a value', () => {
  const m = commentMarker('apply-stage', {stage: 'a-->b', instance: 'x y'})
  assert.match(m, /^<!-- eks-istio-mesh:apply-stage:v1 .* -->$/)
  assert.equal(m.indexOf('-->'), m.length - 3)
})

test('creates one comment, then edits it in place on every rerun', async () => {
  const {client, target, marker, issue} = setup()
  const first = await upsertComment(client, target, marker, `${marker}\nplan 1`)
  const second = await upsertComment(
    client,
    target,
    marker,
    `${marker}\nplan 2`
  )
  const third = await upsertComment(client, target, marker, `${marker}\nplan 2`)
  assert.deepEqual(
    [first.action, second.action, third.action],
    ['created', 'updated', 'unchanged']
  )
  assert.equal(issue().comments.length, 1)
  assert.equal(issue().comments[0]!.body, `${marker}\nplan 2`)
})

test('finds its comment on a later page (reads every page)', async () => {
  const {client, target, marker, issue} = setup()
  for (let i = 0; i < 150; i++)
    gh.addComment('o', 'r', pr, `chatter ${i}`, {login: 'alice', type: 'User'})
  gh.addComment('o', 'r', pr, `${marker}\nold`)
  for (let i = 0; i < 120; i++)
    gh.addComment('o', 'r', pr, `more ${i}`, {login: 'bob', type: 'User'})
  const seen = gh.requests.length
  const r = await upsertComment(client, target, marker, `${marker}\nnew`)
  assert.equal(r.action, 'updated')
  assert.equal(
    issue().comments.filter(c => c.body.startsWith(marker)).length,
    1
  )
  const lists = gh.requests.slice(seen).filter(q => q.method === 'GET')
  assert.equal(lists.length, 3, 'three pages of 100')
  assert.ok(lists.every(q => q.path.includes('per_page=100')))
})

test('another stage instance gets its own comment', async () => {
  const {client, target, marker, issue} = setup()
  const other = commentMarker('apply-stage', {
    stage: 'terraform/vpc',
    instance: 'c2'
  })
  await upsertComment(client, target, marker, `${marker}\na`)
  await upsertComment(client, target, other, `${other}\nb`)
  assert.equal(issue().comments.length, 2)
})

test('a pasted marker by a person loses to the bot-written comment', async () => {
  const {client, target, marker, issue} = setup()
  gh.addComment('o', 'r', pr, `${marker}\nquoted by a human`, {
    login: 'mallory',
    type: 'User'
  })
  const mine = gh.addComment('o', 'r', pr, `${marker}\nmine`)
  const r = await upsertComment(client, target, marker, `${marker}\nupdated`)
  assert.equal(r.id, mine.id)
  assert.equal(issue().comments[0]!.body, `${marker}\nquoted by a human`)
})

test('a create whose response is lost (502) is found again, never duplicated', async () => {
  const {client, target, marker, issue} = setup()
  gh.fail({method: 'POST', path: /comments$/, status: 502, afterStoring: true})
  const r = await upsertComment(client, target, marker, `${marker}\nbody`)
  assert.equal(issue().comments.length, 1)
  assert.ok(['updated', 'unchanged'].includes(r.action))
})

test('a 422 (body too long) fails at once with status and reason only', async () => {
  const {client, target, marker, issue} = setup()
  const before = gh.requests.length
  await assert.rejects(
    upsertComment(
      client,
      target,
      marker,
      `${marker}\n${'x'.repeat(MAX_BODY_CHARS)}`
    ),
    (err: Error) => {
      assert.equal(
        err.message,
        'GitHub API create comment failed: 422 Unprocessable Entity'
      )
      return true
    }
  )
  assert.equal(issue().comments.length, 0)
  assert.equal(
    gh.requests.slice(before).filter(q => q.method === 'POST').length,
    1
  )
})

test('a secondary rate limit (429 + Retry-After) waits once and goes on', async () => {
  const {client, target, marker, issue, warnings} = setup()
  gh.fail({method: 'GET', path: /comments$/, ...secondaryLimitFault(1)})
  const r = await upsertComment(client, target, marker, `${marker}\nx`)
  assert.equal(r.action, 'created')
  assert.equal(issue().comments.length, 1)
  assert.match(warnings.join('\n'), /secondary rate limit/)
})

test('a primary rate limit (403, remaining 0) waits until reset, bounded', async () => {
  const {client, target, marker, warnings} = setup()
  for (let i = 0; i < 5; i++)
    gh.fail({method: 'GET', path: /comments$/, ...primaryLimitFault(0)})
  await assert.rejects(
    upsertComment(client, target, marker, `${marker}\nx`),
    /403 Forbidden/
  )
  assert.equal(warnings.filter(w => /rate limit reached/.test(w)).length, 2)
  gh.requests.length = 0
})

test('5xx on a read is retried', async () => {
  const {client, target, marker} = setup()
  gh.fail({method: 'GET', path: /comments$/, status: 502})
  const r = await upsertComment(client, target, marker, `${marker}\nx`)
  assert.equal(r.action, 'created')
})

test('a primary limit that resets in an hour fails now instead of waiting', async () => {
  const {client, target, marker, warnings} = setup()
  gh.fail({method: 'GET', path: /comments$/, ...primaryLimitFault(3600)})
  const started = Date.now()
  await assert.rejects(
    upsertComment(client, target, marker, `${marker}\nx`),
    /list comments failed: 403 Forbidden/
  )
  assert.ok(Date.now() - started < 2000)
  assert.match(warnings.join('\n'), /resets in \d+ s, longer than the 120 s/)
})
