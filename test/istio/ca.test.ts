// istiod judges the CA: it must load the plugged-in certificates that
// generate-certs made, publish their root, sign workloads with the cluster's
// intermediate, and take a renewed intermediate without a restart.
import 'reflect-metadata'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {X509Certificate, webcrypto} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'
import * as grpc from '@grpc/grpc-js'
import {loadSync} from '@grpc/proto-loader'
import * as x509 from '@peculiar/x509'
import {applyObjects} from '../../src/kube/apply.ts'
import {cacertsSecret, syncIstiodVolumes} from '../../scripts/testbed/istio.mjs'
import {admin} from '../helpers/istio-fixture.ts'
import {
  CERTS_DIR,
  eventually,
  istiod,
  meshClusters,
  withIstioLock
} from '../helpers/istio-testbed.ts'
import {ROOT} from '../helpers/run-bundle.ts'
import {testbed} from '../helpers/testbed.ts'

const clusters = meshClusters()
if (clusters.length < 2)
  throw new Error('the test bed needs istio on two clusters')
const unique = `${process.pid}-${Date.now().toString(36)}`
const root = () => readFileSync(join(CERTS_DIR, 'root-cert.pem'), 'utf8')
const intermediate = (cluster: string) =>
  readFileSync(join(CERTS_DIR, cluster, 'ca-cert.pem'), 'utf8')

async function namespace(cluster: string, name: string) {
  await admin(cluster).kube.call({
    method: 'PATCH',
    path: `/api/v1/namespaces/${name}?fieldManager=ca-test&force=true`,
    body: {apiVersion: 'v1', kind: 'Namespace', metadata: {name}},
    contentType: 'application/apply-patch+yaml'
  })
}

async function rootConfigMap(cluster: string, ns: string) {
  const res = await admin(cluster).kube.call(
    {
      method: 'GET',
      path: `/api/v1/namespaces/${ns}/configmaps/istio-ca-root-cert`
    },
    s => s === 200 || s === 404
  )
  return res.status === 404
    ? undefined
    : (res.body as {data?: Record<string, string>}).data?.['root-cert.pem']
}

/** A token for `default` in `ns`, with the audience istiod's CA expects. */
async function workloadToken(cluster: string, ns: string): Promise<string> {
  const path = `/api/v1/namespaces/${ns}/serviceaccounts/default/token`
  const res = await eventually(
    `${cluster}: a token for ${ns}/default`,
    () =>
      admin(cluster).kube.call(
        {
          method: 'POST',
          path,
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: {audiences: ['istio-ca'], expirationSeconds: 600}
          }
        },
        s => s === 201 || s === 404
      ),
    r => r.status === 201,
    30_000
  )
  return (res.body as {status: {token: string}}).status.token
}

const proto = loadSync(join(ROOT, 'test', 'fixtures', 'istio-ca.proto'), {
  keepCase: true,
  longs: String
})
interface CaClient extends grpc.Client {
  CreateCertificate(
    request: {csr: string; validity_duration?: number},
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (
      err: grpc.ServiceError | null,
      res: {cert_chain: string[]}
    ) => void
  ): void
}
const {IstioCertificateService} = (
  grpc.loadPackageDefinition(proto) as unknown as {
    istio: {
      v1: {
        auth: {
          IstioCertificateService: new (
            address: string,
            credentials: grpc.ChannelCredentials,
            options?: grpc.ChannelOptions
          ) => CaClient
        }
      }
    }
  }
).istio.v1.auth

/**
 * What a sidecar does at start: a CSR for its SPIFFE identity, sent to
 * istiod's CA on the secure xDS port with its service-account token.
 */
async function workloadCertificate(
  cluster: string,
  ns: string
): Promise<string[]> {
  const keys = (await webcrypto.subtle.generateKey(
    {name: 'ECDSA', namedCurve: 'P-256'},
    true,
    ['sign', 'verify']
  )) as unknown as CryptoKeyPair
  const spiffe = `spiffe://cluster.local/ns/${ns}/sa/default`
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    keys,
    signingAlgorithm: {name: 'ECDSA', hash: 'SHA-256'},
    extensions: [
      new x509.SubjectAlternativeNameExtension([{type: 'url', value: spiffe}])
    ]
  })
  const token = await workloadToken(cluster, ns)
  const client = new IstioCertificateService(
    istiod(cluster).secureXds,
    grpc.credentials.createSsl(Buffer.from(root())),
    {'grpc.ssl_target_name_override': 'istiod.istio-system.svc'}
  )
  const metadata = new grpc.Metadata()
  metadata.set('authorization', `Bearer ${token}`)
  try {
    return await new Promise<string[]>((resolve, reject) => {
      client.CreateCertificate(
        {csr: csr.toString('pem'), validity_duration: 3600},
        metadata,
        {deadline: Date.now() + 15_000},
        (err: grpc.ServiceError | null, res: {cert_chain: string[]}) =>
          err
            ? reject(new Error(`${cluster} CreateCertificate: ${err.details}`))
            : resolve(res.cert_chain)
      )
    })
  } finally {
    client.close()
  }
}

/** The issuer chain of a workload certificate, checked link by link. */
function assertChain(chain: string[], cluster: string, ns: string) {
  const [leaf, ...rest] = chain.map(pem => new X509Certificate(pem))
  const inter = new X509Certificate(intermediate(cluster))
  const rootCert = new X509Certificate(root())
  assert.ok(leaf && rest.length >= 2, 'leaf, intermediate and root')
  assert.equal(
    leaf.subjectAltName,
    `URI:spiffe://cluster.local/ns/${ns}/sa/default`
  )
  assert.ok(
    leaf.checkIssued(inter) && leaf.verify(inter.publicKey),
    `${cluster}: the leaf is signed by its own intermediate`
  )
  assert.equal(rest[0]!.fingerprint256, inter.fingerprint256)
  assert.equal(rest.at(-1)!.fingerprint256, rootCert.fingerprint256)
  assert.ok(
    inter.verify(rootCert.publicKey),
    'the intermediate is signed by the root'
  )
}

test('every istiod loaded the plugged-in CA and logged it', () => {
  const bed = testbed()
  for (const cluster of clusters) {
    const log = readFileSync(
      join(ROOT, '.testbed', 'clusters', cluster, 'logs', 'istiod.log'),
      'utf8'
    )
    assert.match(
      log,
      /Use root cert from etc\/cacerts\/root-cert.pem/,
      `${cluster} istiod log`
    )
    assert.doesNotMatch(
      log,
      /Use self-signed certificate as the CA certificate/
    )
    assert.ok(bed.istiod[cluster]?.debug)
  }
})

// istiod's namespace controller skips these (inject.IgnoredNamespaces less
// kube-system) and namespaces being deleted.
const SKIPPED = ['kube-public', 'kube-node-lease', 'local-path-storage']

async function activeNamespaces(cluster: string): Promise<string[]> {
  const res = await admin(cluster).kube.call({
    method: 'GET',
    path: '/api/v1/namespaces'
  })
  return (
    res.body as {items: {metadata: {name: string}; status?: {phase?: string}}[]}
  ).items
    .filter(
      n => n.status?.phase === 'Active' && !SKIPPED.includes(n.metadata.name)
    )
    .map(n => n.metadata.name)
}

test("every namespace's istio-ca-root-cert is the generated root, new namespaces included", async () => {
  const ns = `ca-${unique}`
  for (const cluster of clusters) {
    await namespace(cluster, ns)
    for (const name of await activeNamespaces(cluster)) {
      await eventually(
        `${cluster}: ConfigMap ${name}/istio-ca-root-cert equals root-cert.pem`,
        async () =>
          // Other test files delete their namespaces meanwhile.
          (await activeNamespaces(cluster)).includes(name)
            ? rootConfigMap(cluster, name)
            : root(),
        pem => pem === root(),
        30_000
      )
    }
  }
})

test('istiod signs a workload certificate with its cluster intermediate, chained to the one root', async () => {
  const ns = `ca-${unique}`
  for (const cluster of clusters) {
    await namespace(cluster, ns)
    assertChain(await workloadCertificate(cluster, ns), cluster, ns)
  }
})

test('istiod refuses a CSR whose token it cannot verify', async () => {
  const [cluster] = clusters
  const ns = `ca-${unique}`
  await namespace(cluster!, ns)
  const client = new IstioCertificateService(
    istiod(cluster!).secureXds,
    grpc.credentials.createSsl(Buffer.from(root())),
    {'grpc.ssl_target_name_override': 'istiod.istio-system.svc'}
  )
  const metadata = new grpc.Metadata()
  metadata.set('authorization', 'Bearer not-a-token')
  const err = await new Promise<grpc.ServiceError | null>(resolve =>
    client.CreateCertificate(
      {csr: 'x'},
      metadata,
      {deadline: Date.now() + 15_000},
      e => resolve(e)
    )
  )
  client.close()
  assert.equal(err?.code, grpc.status.UNAUTHENTICATED)
})

test('after generate-certs renews the intermediates, istiod signs with the new one, no restart, same root', async () => {
  await withIstioLock(async () => {
    const ns = `ca-${unique}`
    const rootBefore = root()
    const before = Object.fromEntries(clusters.map(c => [c, intermediate(c)]))
    const pids = clusters.map(c => pidOf(c))
    // A renewal window longer than any intermediate's remaining life makes
    // each one due, however often this test has run on this test bed.
    const left = Math.max(
      ...clusters.map(c =>
        Math.ceil(
          (Date.parse(new X509Certificate(intermediate(c)).validTo) -
            Date.now()) /
            86_400_000
        )
      )
    )
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'src', 'cli', 'index.ts'),
        'generate-certs',
        '--clusters',
        clusters.join(','),
        '--output-dir',
        CERTS_DIR,
        '--intermediate-days',
        String(left + 20),
        '--renew-within-days',
        String(left + 10)
      ],
      {cwd: ROOT, encoding: 'utf8'}
    )
    assert.equal(r.status, 0, r.stdout + r.stderr)
    assert.equal(root(), rootBefore, 'the root is kept')
    for (const cluster of clusters) {
      assert.notEqual(
        intermediate(cluster),
        before[cluster],
        `${cluster} renewed`
      )
      // What the cluster stage's next apply and then the kubelet do.
      await applyObjects(
        admin(cluster).kube,
        [cacertsSecret(CERTS_DIR, cluster)],
        {
          fieldManager: 'testbed-istio',
          namespace: 'istio-system'
        }
      )
      assert.equal(
        await syncIstiodVolumes(bedCluster(cluster), istiodDir(cluster)),
        true
      )
    }
    for (const cluster of clusters) {
      await namespace(cluster, ns)
      const chain = await eventually(
        `${cluster}: istiod signs with the renewed intermediate`,
        () => workloadCertificate(cluster, ns),
        c =>
          new X509Certificate(c[1]!).fingerprint256 ===
          new X509Certificate(intermediate(cluster)).fingerprint256,
        60_000
      )
      assertChain(chain, cluster, ns)
      assert.equal(await rootConfigMap(cluster, ns), rootBefore)
    }
    assert.deepEqual(
      clusters.map(c => pidOf(c)),
      pids,
      'no istiod restarted'
    )
  })
})

function state() {
  return JSON.parse(
    readFileSync(join(ROOT, '.testbed', 'state.json'), 'utf8')
  ) as {
    clusters: Record<string, {name: string; server: string; pki: string}>
    istiod: Record<string, {pid: number; dir: string}>
  }
}
const pidOf = (cluster: string) => state().istiod[cluster]!.pid
const istiodDir = (cluster: string) => state().istiod[cluster]!.dir
const bedCluster = (cluster: string) => state().clusters[cluster]!
