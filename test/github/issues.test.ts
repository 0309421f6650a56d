import assert from 'node:assert/strict'
import {after, before, test} from 'node:test'
import {createGitHubClient} from '../../src/github/client.ts'
import {
  openIssues,
  reportIssue,
  type IssueReport
} from '../../src/github/issues.ts'
import {startFakeGitHub, type FakeGitHub} from '../helpers/fake-github.ts'

let gh: FakeGitHub
before(async () => {
  gh = await startFakeGitHub()
})
after(() => gh.close())

let repoCount = 0
function setup() {
  const repo = {owner: 'o', repo: `r${++repoCount}`}
  const client = createGitHubClient({
    token: 'ghs_fake',
    baseUrl: gh.url,
    warn: () => {},
    retryAfterBaseMs: 1
  })
  const issues = () =>
    [...gh.issues.entries()]
      .filter(([k]) => k.startsWith(`${repo.owner}/${repo.repo}#`))
      .map(([, i]) => i)
  return {repo, client, issues}
}

const report = (run: string, text = `run ${run}`): IssueReport => ({
  label: 'mesh-connectivity',
  title: 'Mesh connectivity check is failing',
  body: `<!-- marker -->\n${text}`,
  comment: `<!-- run=${run} -->\n${text}`,
  commentMarker: `<!-- run=${run} -->`
})

test('a failing run opens one issue; the next failing runs comment on it; a passing run comments and closes it', async () => {
  const {repo, client, issues} = setup()
  const first = await reportIssue(client, repo, true, report('1'))
  assert.equal(first.action, 'opened')
  const second = await reportIssue(client, repo, true, report('2'))
  const third = await reportIssue(client, repo, true, report('3'))
  assert.deepEqual([second.action, third.action], ['commented', 'commented'])
  assert.equal(issues().length, 1, 'never a second issue')
  const [issue] = issues()
  assert.deepEqual(issue!.labels, [{name: 'mesh-connectivity'}])
  assert.equal(issue!.body, '<!-- marker -->\nrun 1')
  assert.deepEqual(
    issue!.comments.map(c => c.body),
    ['<!-- run=2 -->\nrun 2', '<!-- run=3 -->\nrun 3']
  )
  const passing = await reportIssue(
    client,
    repo,
    false,
    report('4', 'passes again')
  )
  assert.equal(passing.action, 'closed')
  assert.equal(issue!.state, 'closed')
  assert.equal(issue!.state_reason, 'completed')
  assert.equal(issue!.comments.at(-1)!.body, '<!-- run=4 -->\npasses again')
  // Passing with no open issue does nothing; failing again opens a new one.
  assert.deepEqual(await reportIssue(client, repo, false, report('5')), {
    action: 'none'
  })
  const again = await reportIssue(client, repo, true, report('6'))
  assert.equal(again.action, 'opened')
  assert.equal(issues().filter(i => i.state === 'open').length, 1)
})

test('a retried run (same run marker) does not comment twice', async () => {
  const {repo, client, issues} = setup()
  await reportIssue(client, repo, true, report('1'))
  await reportIssue(client, repo, true, report('2'))
  await reportIssue(client, repo, true, report('2'))
  assert.equal(issues()[0]!.comments.length, 1)
})

test('an issue stored but answered with 502 is found again, not opened twice', async () => {
  const {repo, client, issues} = setup()
  gh.fail({method: 'POST', path: /\/issues$/, status: 502, afterStoring: true})
  const r = await reportIssue(client, repo, true, report('1'))
  assert.equal(r.action, 'opened')
  assert.equal(issues().length, 1)
  const posts = gh.requests.filter(
    q => q.method === 'POST' && q.path === `/repos/o/${repo.repo}/issues`
  )
  assert.equal(posts.length, 1, 'the create was not retried blindly')
})

test('a create lost before storing (502) is made once more; a 422 is not retried', async () => {
  const {repo, client, issues} = setup()
  gh.fail({method: 'POST', path: /\/issues$/, status: 502})
  assert.equal(
    (await reportIssue(client, repo, true, report('1'))).action,
    'opened'
  )
  assert.equal(issues().length, 1)
  const other = setup()
  gh.fail({
    method: 'POST',
    path: /\/issues$/,
    status: 422,
    message: 'Validation Failed'
  })
  await assert.rejects(
    reportIssue(other.client, other.repo, true, report('1')),
    /GitHub API create issue failed: 422 Unprocessable Entity/
  )
  assert.equal(other.issues().length, 0)
})

test('pull requests with the label and closed issues are not the open issue; all pages are read, the oldest wins', async () => {
  const {repo, client, issues} = setup()
  const pr = gh.issue(repo.owner, repo.repo, 1)
  pr.pull_request = {url: 'https://github.test/pull/1'}
  pr.labels = [{name: 'mesh-connectivity'}]
  const closed = gh.issue(repo.owner, repo.repo, 2)
  closed.state = 'closed'
  closed.labels = [{name: 'mesh-connectivity'}]
  for (let n = 3; n <= 140; n++) {
    gh.issue(repo.owner, repo.repo, n).labels = [
      {name: n === 5 ? 'mesh-connectivity' : 'other'}
    ]
  }
  const dupe = gh.issue(repo.owner, repo.repo, 141)
  dupe.labels = [{name: 'mesh-connectivity'}, {name: 'bug'}]
  assert.deepEqual(
    (await openIssues(client, repo, 'mesh-connectivity')).map(i => i.number),
    [5, 141]
  )
  const r = await reportIssue(client, repo, true, report('1'))
  assert.deepEqual(
    [r.action, r.action === 'none' ? 0 : r.number],
    ['commented', 5]
  )
  assert.equal(issues().length, 141)
})
