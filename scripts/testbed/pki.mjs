// One certificate authority per cluster (clusters must not trust each
// other), made with the openssl command line. Keys never leave `.testbed/`.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {$} from 'zx'

const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = @sans
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
[sans]
IP.1 = 127.0.0.1
IP.2 = 10.96.0.1
DNS.1 = localhost
DNS.2 = kubernetes
DNS.3 = kubernetes.default
DNS.4 = kubernetes.default.svc
DNS.5 = kubernetes.default.svc.cluster.local
`

/**
 * Writes ca, apiserver (serving), admin and controller-manager (client)
 * certificates and the service-account signing key pair into `dir`.
 */
export async function makePki(dir, cluster) {
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const cnf = join(dir, 'openssl.cnf')
  writeFileSync(cnf, CONFIG, {mode: 0o600})
  const f = name => join(dir, name)
  const sh = $({quiet: true})
  const ecKey = out =>
    sh`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${out}`
  await ecKey(f('ca.key'))
  await sh`openssl req -x509 -new -key ${f('ca.key')} -config ${cnf} -extensions ca -subj ${`/CN=${cluster}-ca`} -days 3650 -out ${f('ca.crt')}`
  const leaf = async (name, subject, extensions) => {
    await ecKey(f(`${name}.key`))
    await sh`openssl req -new -key ${f(`${name}.key`)} -config ${cnf} -subj ${subject} -out ${f(`${name}.csr`)}`
    await sh`openssl x509 -req -in ${f(`${name}.csr`)} -CA ${f('ca.crt')} -CAkey ${f('ca.key')} -CAcreateserial -days 825 -extfile ${cnf} -extensions ${extensions} -out ${f(`${name}.crt`)}`
  }
  await leaf('apiserver', '/CN=kube-apiserver', 'server')
  await leaf('admin', `/O=system:masters/CN=${cluster}-admin`, 'client')
  await leaf(
    'controller-manager',
    '/CN=system:kube-controller-manager',
    'client'
  )
  await sh`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ${f('sa.key')}`
  await sh`openssl pkey -in ${f('sa.key')} -pubout -out ${f('sa.pub')}`
}
