import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {request} from 'node:https'
import {test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'
import YAML from 'yaml'
import {need} from '../helpers/testbed.ts'

interface Kubeconfig {
  'current-context': string
  clusters: {
    name: string
    cluster: {server: string; 'certificate-authority-data': string}
  }[]
  users: {
    name: string
    user: {'client-certificate-data': string; 'client-key-data': string}
  }[]
  contexts: {name: string; context: {cluster: string; user: string}}[]
}

interface Target {
  server: string
  ca: Buffer
  cert?: Buffer
  key?: Buffer
  token?: string
}

const kubeconfig = (): Kubeconfig =>
  YAML.parse(readFileSync(need('kubeconfig'), 'utf8')) as Kubeconfig

function admin(context: string): Target {
  const config = kubeconfig()
  const ctx = config.contexts.find(c => c.name === context)
  assert.ok(ctx, `kubeconfig has a context ${context}`)
  const cluster = config.clusters.find(c => c.name === ctx.context.cluster)!
  const user = config.users.find(u => u.name === ctx.context.user)!
  const b = (s: string) => Buffer.from(s, 'base64')
  return {
    server: cluster.cluster.server,
    ca: b(cluster.cluster['certificate-authority-data']),
    cert: b(user.user['client-certificate-data']),
    key: b(user.user['client-key-data'])
  }
}

interface Reply {
  status: number
  text: string
  json: <T>() => T
}

function call(
  t: Target,
  method: string,
  path: string,
  body?: unknown
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.server}${path}`,
      {
        method,
        ca: t.ca,
        cert: t.cert,
        key: t.key,
        headers: {
          ...(t.token ? {authorization: `Bearer ${t.token}`} : {}),
          ...(body ? {'content-type': 'application/json'} : {})
        }
      },
      res => {
        let text = ''
        res.on('data', c => (text += c))
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            text,
            json: <T>() => JSON.parse(text) as T
          })
        )
      }
    )
    req.on('error', reject)
    req.end(body ? JSON.stringify(body) : undefined)
  })
}

test('the kubeconfig has one admin context per cluster, cluster-1 current', () => {
  const clusters = need('clusters')
  assert.ok(clusters.length >= 2, `at least two clusters, found ${clusters}`)
  const config = kubeconfig()
  assert.equal(config['current-context'], 'cluster-1')
  assert.deepEqual(
    config.contexts.map(c => c.name),
    clusters.map((_, i) => `cluster-${i + 1}`)
  )
  for (const c of config.clusters) {
    assert.match(c.cluster.server, /^https:\/\/127\.0\.0\.1:\d+$/)
  }
})

test('every cluster answers /version and /readyz', async () => {
  for (const name of need('clusters')) {
    const t = admin(name)
    const version = await call(t, 'GET', '/version')
    assert.equal(version.status, 200, `${name} /version: ${version.text}`)
    assert.match(
      version.json<{gitVersion: string}>().gitVersion,
      /^v1\.(3[2-9]|[4-9]\d)\./
    )
    const ready = await call(t, 'GET', '/readyz')
    assert.equal(ready.status, 200, `${name} /readyz: ${ready.text}`)
    assert.equal(ready.text, 'ok')
  }
})

test('clusters are isolated: own CA, own issuer', async () => {
  const [first, second] = need('clusters')
  const a = admin(first!)
  const b = admin(second!)
  assert.notDeepEqual(a.ca, b.ca)
  // cluster-1's admin certificate means nothing to cluster-2.
  const crossed = await call({...b, cert: a.cert, key: a.key}, 'GET', '/api')
  assert.equal(crossed.status, 401)
  const issuer = async (t: Target) =>
    (await call(t, 'GET', '/.well-known/openid-configuration')).json<{
      issuer: string
    }>().issuer
  assert.notEqual(await issuer(a), await issuer(b))
})

test('a service-account token secret gets a token, and RBAC denies it until bound', async () => {
  const t = admin('cluster-1')
  const ns = `smoke-${process.pid}-${Date.now().toString(36)}`
  const created = await call(t, 'POST', '/api/v1/namespaces', {
    metadata: {name: ns}
  })
  assert.equal(created.status, 201, created.text)
  try {
    await call(t, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
      metadata: {name: 'reader'}
    })
    const secret = await call(t, 'POST', `/api/v1/namespaces/${ns}/secrets`, {
      metadata: {
        name: 'reader-token',
        annotations: {'kubernetes.io/service-account.name': 'reader'}
      },
      type: 'kubernetes.io/service-account-token'
    })
    assert.equal(secret.status, 201, secret.text)

    let token = ''
    for (let i = 0; i < 120 && !token; i++) {
      const got = await call(
        t,
        'GET',
        `/api/v1/namespaces/${ns}/secrets/reader-token`
      )
      const data = got.json<{data?: {token?: string}}>().data ?? {}
      if (data.token) token = Buffer.from(data.token, 'base64').toString()
      else await sleep(250)
    }
    assert.ok(token, 'the controller manager filled the token secret')

    const reader: Target = {server: t.server, ca: t.ca, token}
    const who = await call(
      reader,
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'}
    )
    assert.equal(who.status, 201, who.text)
    assert.equal(
      who.json<{status: {userInfo: {username: string}}}>().status.userInfo
        .username,
      `system:serviceaccount:${ns}:reader`
    )
    const denied = await call(
      reader,
      'GET',
      '/api/v1/namespaces/kube-system/secrets'
    )
    assert.equal(denied.status, 403, denied.text)
    assert.equal(
      (await call(reader, 'GET', `/api/v1/namespaces/${ns}/pods`)).status,
      403
    )

    const bound = await call(
      t,
      'POST',
      `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
      {
        metadata: {name: 'reader-view'},
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'view'
        },
        subjects: [{kind: 'ServiceAccount', name: 'reader', namespace: ns}]
      }
    )
    assert.equal(bound.status, 201, bound.text)
    let allowed = 0
    for (let i = 0; i < 40 && allowed !== 200; i++) {
      allowed = (await call(reader, 'GET', `/api/v1/namespaces/${ns}/pods`))
        .status
      if (allowed !== 200) await sleep(250)
    }
    assert.equal(allowed, 200, 'the role binding grants what it says')
  } finally {
    await call(t, 'DELETE', `/api/v1/namespaces/${ns}`)
  }
})

test('without a kubelet a pod is stored but stays Pending, unscheduled', async () => {
  const t = admin('cluster-1')
  const name = `pending-${process.pid}-${Date.now().toString(36)}`
  const made = await call(t, 'POST', '/api/v1/namespaces/default/pods', {
    metadata: {name},
    spec: {containers: [{name: 'c', image: 'example.invalid/none:1'}]}
  })
  assert.equal(made.status, 201, made.text)
  try {
    await sleep(1000)
    const pod = (
      await call(t, 'GET', `/api/v1/namespaces/default/pods/${name}`)
    ).json<{status: {phase: string}; spec: {nodeName?: string}}>()
    assert.equal(pod.status.phase, 'Pending')
    assert.equal(pod.spec.nodeName, undefined)
  } finally {
    await call(t, 'DELETE', `/api/v1/namespaces/default/pods/${name}`)
  }
})
