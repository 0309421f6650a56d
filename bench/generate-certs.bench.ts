// generate-certs against openssl doing the same work serially, the way
// Istio's tools/certs Makefile does it: genrsa 4096 + req + self-sign for
// the root, then per cluster genrsa 4096 + req + x509 -req signed by the
// root + cat of the chain. Both sides start from an empty folder each time.
// RSA key generation time varies a lot (random prime search), so every
// case runs several times, interleaved, and the medians are compared.
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {ROOT} from '../test/helpers/run-bundle.ts'

const REPS = Number(process.env.BENCH_REPS ?? 5)

interface Timing {
  wallMs: number
  /** CPU seconds of the child processes (user + system), from bash's times. */
  cpuS: number
}

/** Runs a bash script and measures it, wall clock and CPU of its children. */
function timed(script: string, cwd: string, env = process.env): Timing {
  const started = performance.now()
  const r = spawnSync('bash', ['-ec', `${script}\ntimes`], {
    cwd,
    env,
    encoding: 'utf8'
  })
  const wallMs = performance.now() - started
  if (r.status !== 0) throw new Error(`bench step failed: ${r.stderr}`)
  const children = r.stdout.trim().split('\n').at(-1)!
  const cpuS = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, [, m, sec]) => sum + Number(m) * 60 + Number(sec),
    0
  )
  return {wallMs, cpuS}
}

const ROOT_CONF = `[ req ]
encrypt_key = no
prompt = no
utf8 = yes
default_md = sha256
default_bits = 4096
req_extensions = req_ext
x509_extensions = req_ext
distinguished_name = req_dn
[ req_ext ]
subjectKeyIdentifier = hash
basicConstraints = critical, CA:true
keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyCertSign
[ req_dn ]
O = Istio
CN = Root CA
`

const clusterConf = (cluster: string) => `[ req ]
encrypt_key = no
prompt = no
utf8 = yes
default_md = sha256
default_bits = 4096
req_extensions = req_ext
x509_extensions = req_ext
distinguished_name = req_dn
[ req_ext ]
subjectKeyIdentifier = hash
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyCertSign
subjectAltName=@san
[ san ]
DNS.1 = istiod.istio-system.svc
[ req_dn ]
O = Istio
CN = Intermediate CA
L = ${cluster}
`

function opensslSerial(clusters: string[]): Timing {
  const dir = mkdtempSync(join(tmpdir(), 'bench-openssl-'))
  writeFileSync(join(dir, 'root-ca.conf'), ROOT_CONF)
  for (const c of clusters) {
    mkdirSync(join(dir, c))
    writeFileSync(join(dir, c, 'ca.conf'), clusterConf(c))
  }
  const q = '2>/dev/null'
  const script = [
    `openssl genrsa -out root-key.pem 4096 ${q}`,
    `openssl req -sha256 -new -key root-key.pem -config root-ca.conf -out root-cert.csr`,
    `openssl x509 -req -sha256 -days 3650 -signkey root-key.pem -extensions req_ext -extfile root-ca.conf -in root-cert.csr -out root-cert.pem ${q}`,
    ...clusters.map(c =>
      [
        `cd ${c}`,
        `openssl genrsa -out ca-key.pem 4096 ${q}`,
        `openssl req -sha256 -new -config ca.conf -key ca-key.pem -out cluster-ca.csr`,
        `openssl x509 -req -sha256 -days 730 -CA ../root-cert.pem -CAkey ../root-key.pem -CAcreateserial -extensions req_ext -extfile ca.conf -in cluster-ca.csr -out ca-cert.pem ${q}`,
        `cat ca-cert.pem ../root-cert.pem > cert-chain.pem`,
        `cp ../root-cert.pem root-cert.pem`,
        `cd ..`
      ].join('\n')
    )
  ].join('\n')
  const t = timed(script, dir)
  rmSync(dir, {recursive: true, force: true})
  return t
}

/**
 * The committed bundle, as the runner starts it: process start included.
 * Without `dir` it starts from an empty folder and removes it after.
 */
function generateCerts(
  clusters: string[],
  keyType: string,
  mode: 'issue' | 'fetch' = 'issue',
  keep?: string
): Timing {
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'bench-gc-'))
  const env = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: dir,
    INPUT_CLUSTERS: clusters.join(','),
    INPUT_MODE: mode,
    'INPUT_OUTPUT-DIR': 'certs',
    INPUT_STORE: 'directory',
    'INPUT_SECRET-PREFIX': 'istio-mesh/',
    'INPUT_KEY-TYPE': keyType,
    'INPUT_ROOT-DAYS': '3650',
    'INPUT_INTERMEDIATE-DAYS': '730',
    'INPUT_RENEW-WITHIN-DAYS': '30',
    'INPUT_ROTATE-ROOT': 'false'
  }
  const bundle = join(ROOT, 'dist', 'generate-certs', 'index.js')
  const t = timed(`"${process.execPath}" "${bundle}" > /dev/null`, dir, env)
  if (keep === undefined) rmSync(dir, {recursive: true, force: true})
  return t
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
const names = (n: number) =>
  Array.from({length: n}, (_, i) => `cluster-${i + 1}`)
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(9)

const cpus = availableParallelism()
console.log(
  `generate-certs vs openssl doing Istio's Makefile steps serially: ${REPS} runs each, interleaved; medians; ${cpus} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start`
)
console.log(
  `${'case'.padEnd(24)}${'openssl'.padStart(9)}${'toolkit'.padStart(9)}  wall ratio  CPU s (openssl / toolkit)`
)
const row = (label: string, a: Timing[] | undefined, b: Timing[]) => {
  const wall = (ts: Timing[]) => median(ts.map(t => t.wallMs))
  const cpu = (ts: Timing[]) => median(ts.map(t => t.cpuS)).toFixed(1)
  const ratio = a ? wall(b) / wall(a) : undefined
  console.log(
    `${label.padEnd(24)}${a ? fmt(wall(a)) : '-'.padStart(9)}${fmt(wall(b))}  ${ratio ? `${ratio.toFixed(2)}x`.padStart(10) : '-'.padStart(10)}  ${a ? cpu(a) : '-'} / ${cpu(b)}`
  )
  return ratio
}
let ratio10 = 0
for (const n of [2, 10]) {
  const openssl: Timing[] = []
  const ours: Timing[] = []
  for (let i = 0; i < REPS; i++) {
    openssl.push(opensslSerial(names(n)))
    ours.push(generateCerts(names(n), 'rsa-4096'))
  }
  const ratio = row(`${n} clusters rsa-4096`, openssl, ours)!
  if (n === 10) ratio10 = ratio
}
const ec: Timing[] = []
for (let i = 0; i < REPS; i++) ec.push(generateCerts(names(10), 'ecdsa-p256'))
row('10 clusters ecdsa-p256', undefined, ec)
// The jobs that only need the files: an issue rerun (reads every key, the
// root's included) against fetch (never reads the root key), both on a
// folder that already holds everything.
const issued = mkdtempSync(join(tmpdir(), 'bench-gc-'))
generateCerts(names(10), 'ecdsa-p256', 'issue', issued)
const rerun: Timing[] = []
const fetched: Timing[] = []
for (let i = 0; i < REPS; i++) {
  rerun.push(generateCerts(names(10), 'ecdsa-p256', 'issue', issued))
  fetched.push(generateCerts(names(10), 'ecdsa-p256', 'fetch', issued))
}
rmSync(issued, {recursive: true, force: true})
console.log(
  `${'10 clusters, all stored'.padEnd(24)}issue rerun ${fmt(median(rerun.map(t => t.wallMs)))}, fetch ${fmt(median(fetched.map(t => t.wallMs)))}`
)
console.log(
  `target: 10 clusters rsa-4096 at most 0.6x openssl's wall time: ${ratio10 <= 0.6 ? 'met' : 'MISSED'} (${ratio10.toFixed(2)}x)`
)
