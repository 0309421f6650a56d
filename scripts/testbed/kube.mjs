// Kubernetes control planes without nodes: per cluster its own etcd, CA,
// service-account issuer and key, an API server with RBAC, and a controller
// manager (which turns service-account token secrets into real tokens).
import {mkdirSync, readFileSync, rmSync} from 'node:fs'
import {request} from 'node:https'
import {join} from 'node:path'
import YAML from 'yaml'
import {makePki} from './pki.mjs'
import {freePort, isOurs, startDetached, stop, waitUntil} from './procs.mjs'
import {byClusterNumber, writeAtomic} from './state.mjs'

const b64 = file => readFileSync(file).toString('base64')

/** GET over TLS with the cluster's admin client certificate. */
export function adminGet(cluster, path) {
  const pki = cluster.pki
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.server}${path}`,
      {
        ca: readFileSync(join(pki, 'ca.crt')),
        cert: readFileSync(join(pki, 'admin.crt')),
        key: readFileSync(join(pki, 'admin.key')),
        timeout: 5000
      },
      res => {
        let body = ''
        res.on('data', chunk => (body += chunk))
        res.on('end', () => resolve({status: res.statusCode, body}))
      }
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

function kubeconfig(entries) {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map(([name, c]) => ({
      name,
      cluster: {
        server: c.server,
        'certificate-authority-data': b64(join(c.pki, 'ca.crt'))
      }
    })),
    users: entries.map(([name, c]) => ({
      name: `${name}-${c.user}`,
      user: {
        'client-certificate-data': b64(join(c.pki, `${c.user}.crt`)),
        'client-key-data': b64(join(c.pki, `${c.user}.key`))
      }
    })),
    contexts: entries.map(([name, c]) => ({
      name,
      context: {cluster: name, user: `${name}-${c.user}`}
    })),
    'current-context': entries[0]?.[0] ?? ''
  })
}

/** One kubeconfig, one context per cluster, each with that cluster's admin. */
export function writeKubeconfig(file, clusters) {
  const entries = Object.entries(clusters)
    .sort(([a], [b]) => byClusterNumber(a, b))
    .map(([name, c]) => [name, {...c, user: 'admin'}])
  writeAtomic(file, kubeconfig(entries))
}

export function clusterRunning(c) {
  return [c?.etcd, c?.apiserver, c?.controllerManager].every(p =>
    isOurs(p?.pid, p?.bin, p?.mark)
  )
}

export async function stopCluster(c) {
  for (const p of [c.controllerManager, c.apiserver, c.etcd]) {
    if (p) await stop(p)
  }
}

export async function startCluster(name, bins, root) {
  const dir = join(root, name)
  rmSync(dir, {recursive: true, force: true})
  const pki = join(dir, 'pki')
  const logs = join(dir, 'logs')
  mkdirSync(logs, {recursive: true})
  await makePki(pki, name)
  const p = file => join(pki, file)
  const [clientPort, peerPort, apiPort] = [
    await freePort(),
    await freePort(),
    await freePort()
  ]
  const record = {
    name,
    dir,
    pki,
    server: `https://127.0.0.1:${apiPort}`,
    issuer: `https://${name}.testbed.invalid`
  }
  try {
    const etcdUrl = `http://127.0.0.1:${clientPort}`
    const peerUrl = `http://127.0.0.1:${peerPort}`
    const etcdLog = join(logs, 'etcd.log')
    record.etcd = {
      bin: bins.etcd,
      mark: dir,
      port: clientPort,
      log: etcdLog,
      pid: startDetached(
        bins.etcd,
        [
          `--name=${name}`,
          `--data-dir=${join(dir, 'etcd')}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=${name}=${peerUrl}`,
          // A throw-away test store: durability buys nothing here.
          '--unsafe-no-fsync=true',
          '--log-level=warn'
        ],
        etcdLog
      )
    }
    await waitUntil(`kube ${name}: etcd`, {
      ...record.etcd,
      timeoutMs: 30_000,
      probe: async () =>
        (await (await fetch(`${etcdUrl}/health`)).json()).health === 'true'
    })

    const apiLog = join(logs, 'kube-apiserver.log')
    record.apiserver = {
      bin: bins.apiserver,
      mark: dir,
      port: apiPort,
      log: apiLog,
      pid: startDetached(
        bins.apiserver,
        [
          `--etcd-servers=${etcdUrl}`,
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${apiPort}`,
          `--tls-cert-file=${p('apiserver.crt')}`,
          `--tls-private-key-file=${p('apiserver.key')}`,
          `--client-ca-file=${p('ca.crt')}`,
          `--service-account-issuer=${record.issuer}`,
          `--service-account-key-file=${p('sa.pub')}`,
          `--service-account-signing-key-file=${p('sa.key')}`,
          '--service-cluster-ip-range=10.96.0.0/16',
          '--authorization-mode=Node,RBAC',
          '--allow-privileged=true',
          // Loopback is no valid endpoint for the `kubernetes` service.
          '--endpoint-reconciler-type=none',
          '--profiling=false'
        ],
        apiLog
      )
    }
    await waitUntil(`kube ${name}: kube-apiserver`, {
      ...record.apiserver,
      timeoutMs: 120_000,
      probe: async () => (await adminGet(record, '/readyz')).status === 200
    })

    const kcmConfig = join(dir, 'controller-manager.kubeconfig')
    writeAtomic(
      kcmConfig,
      kubeconfig([[name, {...record, user: 'controller-manager'}]])
    )
    const kcmLog = join(logs, 'kube-controller-manager.log')
    record.controllerManager = {
      bin: bins.controllerManager,
      mark: dir,
      log: kcmLog,
      pid: startDetached(
        bins.controllerManager,
        [
          `--kubeconfig=${kcmConfig}`,
          `--service-account-private-key-file=${p('sa.key')}`,
          `--root-ca-file=${p('ca.crt')}`,
          `--cluster-signing-cert-file=${p('ca.crt')}`,
          `--cluster-signing-key-file=${p('ca.key')}`,
          '--use-service-account-credentials=true',
          '--leader-elect=false',
          '--bind-address=127.0.0.1',
          // Nothing needs its metrics: open no port at all.
          '--secure-port=0',
          '--profiling=false'
        ],
        kcmLog
      )
    }
    // The service-account controller creates `default` in every namespace:
    // proof that the controller manager works against this API server.
    await waitUntil(`kube ${name}: kube-controller-manager`, {
      ...record.controllerManager,
      timeoutMs: 120_000,
      probe: async () =>
        (
          await adminGet(
            record,
            '/api/v1/namespaces/default/serviceaccounts/default'
          )
        ).status === 200
    })
    console.log(`kube: ${name} ready at ${record.server}`)
    return record
  } catch (err) {
    await stopCluster(record)
    throw err
  }
}
