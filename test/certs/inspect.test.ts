import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {inspectCa, isSignedBy, verifyChain} from '../../src/certs/inspect.ts'
import {
  generateKey,
  issueIntermediate,
  issueRoot
} from '../../src/certs/x509.ts'
import {openssl} from './openssl.ts'

const now = new Date()
const rootKey = await generateKey('ecdsa-p256')
const root = {
  cert: await issueRoot({key: rootKey, days: 10, now}),
  key: rootKey
}
const otherKey = await generateKey('ecdsa-p256')

/** A certificate that is not a CA, made by openssl. */
function leaf() {
  const dir = mkdtempSync(join(tmpdir(), 'leaf-'))
  openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=leaf',
    '-addext',
    'basicConstraints=CA:FALSE',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem')
  ])
  return {
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    key: readFileSync(join(dir, 'key.pem'), 'utf8')
  }
}

test('what makes a stored pair unusable', () => {
  const cases: [string, {cert?: string; key?: string}, string | undefined][] = [
    ['usable', root, undefined],
    ['no certificate', {key: root.key}, 'the certificate is missing'],
    ['no key', {cert: root.cert}, 'the key is missing'],
    [
      'garbage certificate',
      {cert: 'nope', key: root.key},
      'the certificate does not parse'
    ],
    ['garbage key', {cert: root.cert, key: 'nope'}, 'the key does not parse'],
    [
      'another key',
      {cert: root.cert, key: otherKey},
      'the key does not match the certificate'
    ],
    ['not a CA', leaf(), 'the certificate is not a CA']
  ]
  for (const [name, pem, defect] of cases) {
    assert.equal(inspectCa(pem).defect, defect, name)
  }
})

test('facts: key type, expiry and the fingerprint openssl computes', () => {
  const facts = inspectCa(root)
  assert.equal(facts.keyType, 'ecdsa-p256')
  const fp = openssl(['x509', '-noout', '-fingerprint', '-sha256'], root.cert)
  assert.equal(
    facts.fingerprint,
    fp.trim().split('=')[1]!.replace(/:/g, '').toLowerCase()
  )
  const end = openssl(['x509', '-noout', '-enddate'], root.cert).split('=')[1]!
  assert.equal(facts.notAfter!.getTime(), new Date(end).getTime())
})

test('chain verification refuses what istiod would refuse', async () => {
  const key = await generateKey('ecdsa-p256')
  const cert = await issueIntermediate({cluster: 'c', key, root, days: 5, now})
  verifyChain({cert, key}, root.cert, now)
  assert.ok(isSignedBy(cert, root.cert))
  const stranger = {
    cert: await issueRoot({key: otherKey, days: 10, now}),
    key: otherKey
  }
  assert.ok(!isSignedBy(cert, stranger.cert))
  assert.throws(
    () => verifyChain({cert, key}, stranger.cert, now),
    /not signed by the root/
  )
  assert.throws(
    () => verifyChain({cert, key: otherKey}, root.cert, now),
    /key does not match/
  )
  const later = new Date(now.getTime() + 6 * 86_400_000)
  assert.throws(
    () => verifyChain({cert, key}, root.cert, later),
    /Intermediate CA.*is not valid now/
  )
})
