import assert from 'node:assert/strict'
import {after, before, test} from 'node:test'
import {execInPod, execOutcome, execPath} from '../../src/kube/exec.ts'
import type {Connection} from '../../src/kube/client.ts'
import {portForwardGet} from '../../src/kube/portforward.ts'
import {StreamError} from '../../src/kube/stream.ts'
import {admin} from '../helpers/istio-fixture.ts'
import {need} from '../helpers/testbed.ts'

const [c1] = need('clusters')
const t = admin(c1!)
const conn = t.connection!
const ns = `vx-exec-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`

async function apply(path: string, body: object) {
  await t.kube.call({
    method: 'PATCH',
    path: `${path}?fieldManager=test&force=true`,
    body,
    contentType: 'application/apply-patch+yaml'
  })
}

before(async () => {
  await apply(`/api/v1/namespaces/${ns}`, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {name: ns}
  })
  // The default service account must exist before a pod may be created.
  for (let i = 0; i < 100; i++) {
    const r = await t.kube.call(
      {method: 'GET', path: `/api/v1/namespaces/${ns}/serviceaccounts/default`},
      s => s === 200 || s === 404
    )
    if (r.status === 200) break
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  await apply(`/api/v1/namespaces/${ns}/pods/curl`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: 'curl', namespace: ns},
    spec: {
      containers: [{name: 'curl', image: 'docker.io/curlimages/curl:8.16.0'}]
    }
  })
})

after(async () => {
  await t.kube.call(
    {method: 'DELETE', path: `/api/v1/namespaces/${ns}`},
    s => s < 300 || s === 404
  )
})

const curl = (pod = 'curl') => ({
  namespace: ns,
  pod,
  container: 'curl',
  command: ['curl', '-sS', 'http://helloworld.sample:5000/hello'],
  timeoutMs: 10_000
})

test('exec reaches the real API server, which refuses a pod with no node, and its error is surfaced', async t0 => {
  const err = await execInPod(conn, c1!, curl()).then(
    () => assert.fail('exec into a pod with no node must fail'),
    (e: unknown) => e
  )
  assert.ok(err instanceof StreamError, String(err))
  t0.diagnostic(err.message)
  assert.equal(err.status, 400)
  assert.equal(err.reason, 'BadRequest')
  assert.equal(
    err.message,
    `${c1}: exec in ${ns}/curl (curl) failed: 400 BadRequest pod curl does not have a host assigned`
  )
})

test('exec names a pod that does not exist', async () => {
  await assert.rejects(
    execInPod(conn, c1!, curl('nope')),
    (e: StreamError) =>
      e.status === 404 && /404 NotFound pods "nope" not found$/.test(e.message)
  )
})

test('exec over a WebSocket needs get and create on pods/exec: RBAC refuses each missing verb', async () => {
  await apply(`/api/v1/namespaces/${ns}/serviceaccounts/reader`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {name: 'reader', namespace: ns}
  })
  const res = await t.kube.call({
    method: 'POST',
    path: `/api/v1/namespaces/${ns}/serviceaccounts/reader/token`,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {expirationSeconds: 600}
    }
  })
  const token = (res.body as {status: {token: string}}).status.token
  const reader: Connection = {
    server: conn.server,
    ca: conn.ca,
    insecure: false,
    token
  }
  const user = `User "system:serviceaccount:${ns}:reader"`
  await assert.rejects(
    execInPod(reader, c1!, curl()),
    (e: StreamError) =>
      e.status === 403 &&
      e.message.includes(`${user} cannot get resource "pods/exec"`)
  )
  // The upgrade is a GET; the API server then also asks for create, the
  // verb the SPDY POST always needed (feature gate
  // AuthorizePodWebsocketUpgradeCreatePermission, on in the test bed's
  // 1.35; kubernetes#133515).
  const rbac = '/apis/rbac.authorization.k8s.io/v1'
  await apply(`${rbac}/namespaces/${ns}/roles/exec-get`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: {name: 'exec-get', namespace: ns},
    rules: [{apiGroups: [''], resources: ['pods/exec'], verbs: ['get']}]
  })
  await apply(`${rbac}/namespaces/${ns}/rolebindings/exec-get`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: {name: 'exec-get', namespace: ns},
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'exec-get'
    },
    subjects: [{kind: 'ServiceAccount', name: 'reader', namespace: ns}]
  })
  const retry = async (done: (e: StreamError) => boolean) => {
    // RBAC changes reach the authorizer's cache within moments.
    let last: StreamError | undefined
    for (let i = 0; i < 50; i++) {
      last = (await execInPod(reader, c1!, curl()).catch(
        (e: unknown) => e
      )) as StreamError
      if (done(last)) return last
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    return last!
  }
  // With get alone the API server refuses with an empty reason.
  const onlyGet = await retry(e => !e.message.includes('cannot get'))
  assert.equal(onlyGet.status, 403)
  assert.match(onlyGet.message, /403 Forbidden pods "curl" is forbidden:$/)
  await apply(`${rbac}/namespaces/${ns}/roles/exec-get`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: {name: 'exec-get', namespace: ns},
    rules: [
      {apiGroups: [''], resources: ['pods/exec'], verbs: ['get', 'create']}
    ]
  })
  const both = await retry(e => e.status !== 403)
  assert.equal(both.status, 400, 'authorized: now the pod is what fails')
})

test('port-forward reaches the real API server too, and surfaces the same refusal', async () => {
  await assert.rejects(
    portForwardGet(conn, c1!, {
      namespace: ns,
      pod: 'curl',
      port: 15014,
      path: '/debug/clusterz',
      timeoutMs: 10_000
    }),
    (e: StreamError) =>
      e.status === 400 &&
      e.message ===
        `${c1}: port-forward to ${ns}/curl:15014 GET /debug/clusterz failed: 400 BadRequest pod curl does not have a host assigned`
  )
})

test('an API server that does not answer: the connection error, not a hang', async () => {
  await assert.rejects(
    execInPod({...conn, server: 'https://127.0.0.1:1'}, c1!, curl()),
    /exec in .* failed: ECONNREFUSED/
  )
})

test('the exec path carries the command as repeated parameters, stdout and stderr only', () => {
  assert.equal(
    execPath({
      namespace: 'sample',
      pod: 'curl-1',
      container: 'curl',
      command: ['curl', '-w', '\\n@@ %{http_code}']
    }),
    '/api/v1/namespaces/sample/pods/curl-1/exec?container=curl&command=curl&command=-w&command=%5Cn%40%40+%25%7Bhttp_code%7D&stdout=true&stderr=true'
  )
})

test('the final status: success, a non-zero exit code, a failure to run', () => {
  assert.deepEqual(execOutcome('{"metadata":{},"status":"Success"}'), {
    exitCode: 0
  })
  assert.deepEqual(
    execOutcome(
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [curl], exit code 7","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"7"}]}}'
    ),
    {
      exitCode: 7,
      error:
        'command terminated with non-zero exit code: error executing command [curl], exit code 7'
    }
  )
  assert.deepEqual(
    execOutcome(
      '{"metadata":{},"status":"Failure","message":"Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \\"curl\\": executable file not found in $PATH: unknown","reason":"InternalError"}'
    ).exitCode,
    undefined
  )
  assert.deepEqual(execOutcome(''), {})
  assert.deepEqual(execOutcome('error: unable to upgrade'), {
    error: 'error: unable to upgrade'
  })
})
