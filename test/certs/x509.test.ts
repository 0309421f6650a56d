import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  generateKey,
  issueIntermediate,
  issueRoot
} from '../../src/certs/x509.ts'
import type {KeyType} from '../../src/certs/profile.ts'
import {
  certPublicKey,
  certText,
  keyPublicKey,
  openssl,
  verify
} from './openssl.ts'
import {PKCS8_BEGIN} from '../fixtures/pem.ts'

const now = new Date()

async function issueSet(keyType: KeyType, cluster = 'cluster-1') {
  const [rootKey, key] = await Promise.all([
    generateKey(keyType),
    generateKey(keyType)
  ])
  const root = {
    cert: await issueRoot({key: rootKey, days: 3650, now}),
    key: rootKey
  }
  const cert = await issueIntermediate({cluster, key, root, days: 730, now})
  return {root, intermediate: {cert, key}}
}

const sets = {
  'rsa-2048': issueSet('rsa-2048'),
  'ecdsa-p256': issueSet('ecdsa-p256')
}

const lineOf = (text: string, header: string) => {
  const lines = text.split('\n')
  const at = lines.findIndex(l => l.includes(header))
  assert.notEqual(at, -1, `no '${header}' in:\n${text}`)
  return `${lines[at]!.trim()} ${lines[at + 1]!.trim()}`
}

for (const [keyType, set] of Object.entries(sets)) {
  test(`${keyType}: openssl verifies the intermediate against the root`, async () => {
    const {root, intermediate} = await set
    assert.match(verify(root.cert, intermediate.cert), /cert\.pem: OK$/)
  })

  test(`${keyType}: the root has Istio's root profile`, async () => {
    const text = certText((await set).root.cert)
    assert.match(text, /Version: 3 \(0x2\)/)
    assert.match(text, /Subject: O = Istio, CN = Root CA\n/)
    assert.match(text, /Issuer: O = Istio, CN = Root CA\n/)
    assert.equal(
      lineOf(text, 'X509v3 Basic Constraints'),
      'X509v3 Basic Constraints: critical CA:TRUE'
    )
    assert.equal(
      lineOf(text, 'X509v3 Key Usage'),
      'X509v3 Key Usage: critical Digital Signature, Non Repudiation, Key Encipherment, Certificate Sign'
    )
    assert.match(text, /X509v3 Subject Key Identifier/)
    assert.doesNotMatch(text, /Subject Alternative Name|Extended Key Usage/)
    assert.match(
      text,
      keyType === 'ecdsa-p256'
        ? /Signature Algorithm: ecdsa-with-SHA256/
        : /Signature Algorithm: sha256WithRSAEncryption/
    )
  })

  test(`${keyType}: the intermediate has Istio's intermediate profile`, async () => {
    const {root, intermediate} = await set
    const text = certText(intermediate.cert)
    assert.match(
      text,
      /Subject: O = Istio, CN = Intermediate CA, L = cluster-1\n/
    )
    assert.match(text, /Issuer: O = Istio, CN = Root CA\n/)
    assert.equal(
      lineOf(text, 'X509v3 Basic Constraints'),
      'X509v3 Basic Constraints: critical CA:TRUE, pathlen:0'
    )
    assert.equal(
      lineOf(text, 'X509v3 Key Usage'),
      'X509v3 Key Usage: critical Digital Signature, Non Repudiation, Key Encipherment, Certificate Sign'
    )
    assert.equal(
      lineOf(text, 'X509v3 Subject Alternative Name'),
      'X509v3 Subject Alternative Name: DNS:istiod.istio-system.svc'
    )
    assert.doesNotMatch(text, /Extended Key Usage/)
    // The AKID names the root's SKI, so chain builders find the root by key.
    const rootSki = lineOf(certText(root.cert), 'Subject Key Identifier')
      .split(' ')
      .at(-1)
    assert.match(lineOf(text, 'Authority Key Identifier'), new RegExp(rootSki!))
  })

  test(`${keyType}: each key matches its certificate`, async () => {
    const {root, intermediate} = await set
    assert.equal(certPublicKey(root.cert), keyPublicKey(root.key))
    assert.equal(
      certPublicKey(intermediate.cert),
      keyPublicKey(intermediate.key)
    )
    assert.ok(intermediate.key.startsWith(`${PKCS8_BEGIN}\n`))
  })
}

test('the key type decides the key size and algorithm', async () => {
  const {root} = await sets['rsa-2048']
  assert.match(certText(root.cert), /Public-Key: \(2048 bit\)/)
  const ec = await sets['ecdsa-p256']
  assert.match(certText(ec.root.cert), /ASN1 OID: prime256v1/)
  const key = await generateKey('rsa-4096')
  assert.match(
    openssl(['pkey', '-noout', '-text'], key),
    /Private-Key: \(4096 bit, 2 primes\)/
  )
})

test('serial numbers are random, positive and 128 bits', async () => {
  const {root} = await sets['ecdsa-p256']
  const again = await issueRoot({key: root.key, days: 3650, now})
  const serial = (pem: string) =>
    openssl(['x509', '-noout', '-serial'], pem).trim().replace('serial=', '')
  assert.notEqual(serial(root.cert), serial(again))
  assert.match(serial(root.cert), /^[1-7][0-9A-F]{31}$/)
})

test('validity: days from now, backdated a few minutes for clock skew', async () => {
  const {root, intermediate} = await sets['ecdsa-p256']
  const dates = (pem: string) => {
    const out = openssl(['x509', '-noout', '-startdate', '-enddate'], pem)
    const [start, end] = out
      .trim()
      .split('\n')
      .map(l => new Date(l.split('=')[1]!))
    return {start: start!, end: end!}
  }
  const r = dates(root.cert)
  const i = dates(intermediate.cert)
  const day = 86_400_000
  assert.ok(Math.abs(r.end.getTime() - now.getTime() - 3650 * day) < 2000)
  assert.ok(Math.abs(i.end.getTime() - now.getTime() - 730 * day) < 2000)
  const back = now.getTime() - i.start.getTime()
  assert.ok(back > 4 * 60_000 && back < 6 * 60_000, `backdated ${back} ms`)
})

test('an intermediate never outlives its root', async () => {
  const {root} = await sets['ecdsa-p256']
  const cert = await issueIntermediate({
    cluster: 'c',
    key: root.key,
    root,
    days: 36_500,
    now
  })
  const end = (pem: string) => openssl(['x509', '-noout', '-enddate'], pem)
  assert.equal(end(cert), end(root.cert))
})
