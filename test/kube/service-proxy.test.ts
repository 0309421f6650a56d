import assert from 'node:assert/strict'
import {createServer, type IncomingHttpHeaders} from 'node:http'
import type {AddressInfo} from 'node:net'
import {networkInterfaces} from 'node:os'
import {after, test} from 'node:test'
import {httpsTransport, kubeClient} from '../../src/kube/client.ts'
import {admin} from '../helpers/istio-fixture.ts'
import {need} from '../helpers/testbed.ts'

// Why verify-mesh reaches istiod's debug API by port-forward and not by the
// API server's service proxy (/api/v1/namespaces/istio-system/services/
// http:istiod:15014/proxy/debug/clusterz): istiod serves /debug/* without
// a token only to loopback callers, and otherwise wants a bearer token
// (pilot/pkg/xds/debug.go allowAuthenticatedOrLocalhost). Here the real API
// server proxies to a stand-in for istiod's monitoring port and the test
// looks at what arrives: no Authorization header, from a non-loopback
// address. istiod would answer 401.
const [c1] = need('clusters')
const t = admin(c1!)
const ns = `vx-sp-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`
after(async () => {
  await t.kube.call(
    {method: 'DELETE', path: `/api/v1/namespaces/${ns}`},
    s => s < 300 || s === 404
  )
})

// The API server proxies only to pod IPs that are not loopback.
const hostIp = Object.values(networkInterfaces())
  .flat()
  .find(i => i && i.family === 'IPv4' && !i.internal)?.address

const apply = (path: string, body: object) =>
  t.kube.call({
    method: 'PATCH',
    path: `${path}?fieldManager=test&force=true`,
    body,
    contentType: 'application/apply-patch+yaml'
  })

test('the service proxy drops the caller token: istiod would see an unauthenticated, non-loopback request', async () => {
  assert.ok(hostIp, 'the machine has a non-loopback IPv4 address')
  const seen: {remote?: string; headers: IncomingHttpHeaders; url?: string}[] =
    []
  const server = createServer((req, res) => {
    seen.push({
      remote: req.socket.remoteAddress,
      headers: req.headers,
      url: req.url
    })
    res.writeHead(401)
    res.end()
  })
  await new Promise<void>(r => server.listen(0, hostIp, r))
  const port = (server.address() as AddressInfo).port
  try {
    await apply(`/api/v1/namespaces/${ns}`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {name: ns}
    })
    for (let i = 0; i < 100; i++) {
      const r = await t.kube.call(
        {
          method: 'GET',
          path: `/api/v1/namespaces/${ns}/serviceaccounts/default`
        },
        s => s === 200 || s === 404
      )
      if (r.status === 200) break
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    await apply(`/api/v1/namespaces/${ns}/services/istiod`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: 'istiod', namespace: ns},
      spec: {ports: [{name: 'http-monitoring', port: 15014, targetPort: port}]}
    })
    // The proxy goes only to addresses that belong to a pod: the pod's IP
    // is written as its kubelet would.
    await apply(`/api/v1/namespaces/${ns}/pods/istiod-0`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'istiod-0', namespace: ns},
      spec: {
        containers: [{name: 'discovery', image: 'registry.example/pilot:1.0'}]
      }
    })
    await t.kube.call({
      method: 'PATCH',
      path: `/api/v1/namespaces/${ns}/pods/istiod-0/status`,
      contentType: 'application/merge-patch+json',
      body: {status: {podIP: hostIp, podIPs: [{ip: hostIp}]}}
    })
    await apply(`/api/v1/namespaces/${ns}/endpoints/istiod`, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {name: 'istiod', namespace: ns},
      subsets: [
        {
          addresses: [
            {
              ip: hostIp,
              targetRef: {kind: 'Pod', name: 'istiod-0', namespace: ns}
            }
          ],
          ports: [{name: 'http-monitoring', port}]
        }
      ]
    })
    // A caller with exactly services/proxy get, by bearer token.
    await apply(`/api/v1/namespaces/${ns}/serviceaccounts/verifier`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {name: 'verifier', namespace: ns}
    })
    const rbac = '/apis/rbac.authorization.k8s.io/v1'
    await apply(`${rbac}/namespaces/${ns}/roles/proxy`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: {name: 'proxy', namespace: ns},
      rules: [{apiGroups: [''], resources: ['services/proxy'], verbs: ['get']}]
    })
    await apply(`${rbac}/namespaces/${ns}/rolebindings/proxy`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: {name: 'proxy', namespace: ns},
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'proxy'
      },
      subjects: [{kind: 'ServiceAccount', name: 'verifier', namespace: ns}]
    })
    const token = (
      (
        await t.kube.call({
          method: 'POST',
          path: `/api/v1/namespaces/${ns}/serviceaccounts/verifier/token`,
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: {}
          }
        })
      ).body as {status: {token: string}}
    ).status.token
    const verifier = kubeClient(
      'verifier',
      httpsTransport({
        server: t.connection!.server,
        ca: t.connection!.ca,
        insecure: false,
        token
      })
    )
    const paths = [
      `/api/v1/namespaces/${ns}/services/http:istiod:15014/proxy/debug/clusterz`,
      `/api/v1/namespaces/${ns}/services/istiod:http-monitoring/proxy/debug/clusterz`
    ]
    for (const path of paths) {
      let status = 0
      for (let i = 0; i < 50 && status !== 401; i++) {
        status = (await verifier.call({method: 'GET', path}, () => true)).status
        if (status !== 401)
          await new Promise(resolve => setTimeout(resolve, 100))
      }
      assert.equal(
        status,
        401,
        `${path}: the stand-in's 401 came back through the proxy`
      )
    }
  } finally {
    server.close()
  }
  assert.ok(seen.length >= 2)
  for (const s of seen) {
    assert.equal(s.url, '/debug/clusterz')
    assert.equal(s.headers.authorization, undefined, 'no token reaches the pod')
    assert.notEqual(s.remote, '127.0.0.1', 'not a loopback caller')
  }
})
