import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync
} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'
import {
  CACERTS_FILES,
  istiodCommand,
  projectVolume,
  watcherFailure
} from '../../scripts/testbed/istio.mjs'
import {admin} from '../helpers/istio-fixture.ts'
import {CERTS_DIR, istiod, meshClusters} from '../helpers/istio-testbed.ts'
import {ROOT} from '../helpers/run-bundle.ts'
import {need, testbed} from '../helpers/testbed.ts'

const tmp = mkdtempSync(join(tmpdir(), 'istio-testbed-'))
after(() => rmSync(tmp, {recursive: true, force: true}))

test('env.json names istioctl and one istiod per cluster, each ready on loopback', async () => {
  const bed = testbed()
  assert.ok(existsSync(need('istioctl')))
  assert.deepEqual(Object.keys(bed.istiod).sort(), [...bed.clusters].sort())
  for (const cluster of bed.clusters) {
    const i = istiod(cluster)
    assert.match(i.debug, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.equal((await fetch(`${i.debug}/ready`)).status, 200, cluster)
    for (const address of [i.xds, i.secureXds]) {
      const [host, port] = address.split(':')
      assert.equal(host, '127.0.0.1')
      await new Promise<void>((resolve, reject) => {
        const s = connect(Number(port), host, () => {
          s.end()
          resolve()
        })
        s.on('error', reject)
      })
    }
  }
  const sh = readFileSync(join(ROOT, '.testbed', 'env.sh'), 'utf8')
  assert.match(sh, new RegExp(`^export ISTIOCTL='${need('istioctl')}'$`, 'm'))
})

test('istioctl is the Istio the istiods run', () => {
  const r = spawnSync(need('istioctl'), ['version', '--remote=false'], {
    encoding: 'utf8'
  })
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /1\.30-dev\+9739e10eb9d7/)
})

test('status shows each istiod', () => {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'testbed.mjs'), 'status'],
    {cwd: ROOT, encoding: 'utf8'}
  )
  assert.equal(r.status, 0, r.stderr)
  for (const cluster of meshClusters()) {
    assert.match(
      r.stdout,
      new RegExp(
        `istio ${cluster}: istiod running pid \\d+ \\(debug ${istiod(cluster).debug}`
      )
    )
  }
})

test('each cluster holds what the cluster stage installs: Istio objects, cacerts, the reader token', async () => {
  for (const cluster of meshClusters()) {
    const kube = admin(cluster).kube
    const get = async <T = unknown>(path: string): Promise<T> =>
      (await kube.call({method: 'GET', path})).body as T
    await get(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/virtualservices.networking.istio.io'
    )
    await get(
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/istio-reader-clusterrole-istio-system'
    )
    const webhook = await get<{
      webhooks: {clientConfig: {service: {name: string}}}[]
    }>(
      '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/istio-sidecar-injector'
    )
    assert.equal(webhook.webhooks[0]?.clientConfig.service.name, 'istiod')
    const mesh = await get<{data: {mesh: string}}>(
      '/api/v1/namespaces/istio-system/configmaps/istio'
    )
    assert.match(mesh.data.mesh, /accessLogFile: \/dev\/stdout/)
    const values = await get<{data: {values: string}}>(
      '/api/v1/namespaces/istio-system/configmaps/istio-sidecar-injector'
    )
    const global = JSON.parse(values.data.values).global
    assert.equal(global.meshID, 'mesh1')
    assert.equal(global.network, 'network1')
    assert.equal(global.multiCluster.clusterName, cluster)
    const cacerts = await get<{type: string; data: Record<string, string>}>(
      '/api/v1/namespaces/istio-system/secrets/cacerts'
    )
    assert.equal(cacerts.type, 'Opaque')
    assert.deepEqual(
      Object.keys(cacerts.data).sort(),
      [...CACERTS_FILES].sort()
    )
    for (const f of CACERTS_FILES) {
      assert.equal(
        Buffer.from(cacerts.data[f]!, 'base64').toString('utf8'),
        readFileSync(join(CERTS_DIR, cluster, f), 'utf8'),
        `${cluster} cacerts ${f}`
      )
    }
    const token = await get<{data: {token?: string}}>(
      '/api/v1/namespaces/istio-system/secrets/istio-reader-service-account-istio-remote-secret-token'
    )
    assert.ok(
      token.data.token,
      `${cluster}: the token controller filled the reader token`
    )
  }
})

test('projectVolume swaps a whole file set at once, as the kubelet does', () => {
  const dir = join(tmp, 'volume')
  assert.equal(projectVolume(dir, {a: '1', b: '2'}), true)
  assert.equal(readFileSync(join(dir, 'a'), 'utf8'), '1')
  assert.ok(lstatSync(join(dir, 'a')).isSymbolicLink())
  assert.equal(projectVolume(dir, {a: '1', b: '2'}), false, 'unchanged')
  assert.equal(projectVolume(dir, {a: '3', b: '4'}), true)
  assert.deepEqual(
    [
      readFileSync(join(dir, 'a'), 'utf8'),
      readFileSync(join(dir, 'b'), 'utf8')
    ],
    ['3', '4']
  )
  const hidden = readdirSync(dir).filter(e => e.startsWith('..'))
  assert.equal(
    hidden.length,
    2,
    `only ..data and one timestamped folder: ${hidden}`
  )
})

test("istiodCommand runs the rendered container's args and env with every address on loopback", () => {
  const {args, env} = istiodCommand(
    {
      args: [
        'discovery',
        '--monitoringAddr=:15014',
        '--log_output_level=default:info',
        '--domain',
        'cluster.local',
        '--httpAddr',
        ':8080'
      ],
      env: [
        {name: 'REVISION', value: 'default'},
        {name: 'POD_NAME', valueFrom: {fieldRef: {fieldPath: 'metadata.name'}}},
        {
          name: 'POD_NAMESPACE',
          valueFrom: {fieldRef: {fieldPath: 'metadata.namespace'}}
        },
        {
          name: 'SERVICE_ACCOUNT',
          valueFrom: {fieldRef: {fieldPath: 'spec.serviceAccountName'}}
        },
        {
          name: 'GOMAXPROCS',
          valueFrom: {resourceFieldRef: {resource: 'limits.cpu'}}
        },
        {name: 'CLUSTER_ID', value: 'cluster-9'}
      ]
    },
    {
      cluster: 'cluster-9',
      serviceAccount: 'istiod',
      kubeconfig: '/k',
      ports: {
        http: 1,
        grpc: 2,
        secureGrpc: 3,
        monitoring: 4,
        https: 5,
        ctrlz: 6
      }
    }
  )
  assert.deepEqual(args, [
    'discovery',
    '--log_output_level=default:info',
    '--domain',
    'cluster.local',
    '--kubeconfig=/k',
    '--httpAddr=127.0.0.1:1',
    '--grpcAddr=127.0.0.1:2',
    '--secureGRPCAddr=127.0.0.1:3',
    '--monitoringAddr=127.0.0.1:4',
    '--httpsAddr=127.0.0.1:5',
    '--ctrlz_port=6',
    '--ctrlz_address=127.0.0.1'
  ])
  assert.deepEqual(env, {
    REVISION: 'default',
    POD_NAME: 'istiod-cluster-9-testbed',
    POD_NAMESPACE: 'istio-system',
    SERVICE_ACCOUNT: 'istiod',
    CLUSTER_ID: 'cluster-9'
  })
})

test('an istiod that could not watch etc/cacerts is refused, naming the inotify limit', () => {
  const ok =
    '2026-11-28T13:21:27Z\tinfo\tAdded cacerts files watcher at ./etc/cacerts\n'
  assert.equal(watcherFailure(ok), undefined)
  const full =
    '2026-11-28T13:21:27Z\tinfo\tUse local CA certificate\n' +
    "2026-11-28T13:21:27Z\twarn\tfailed to add CAcerts watcher: couldn't initialize inotify: too many open files\n"
  assert.match(
    watcherFailure(full)!,
    /^failed to add CAcerts watcher: couldn't initialize inotify: too many open files: .*sysctl -w fs.inotify.max_user_instances=1024$/
  )
})
