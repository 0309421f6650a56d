import assert from 'node:assert/strict'
import {test} from 'node:test'
import {ConfigurationError} from '../../src/common/errors.ts'
import {
  decideIntermediate,
  decideRoot,
  fetchProblems,
  type FetchInput,
  type IntermediateInput
} from '../../src/certs/plan.ts'

const now = new Date('2027-01-01T00:00:00Z')
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000)
const where = "input 'output-dir' (certs/root-cert.pem)"

test('root: reused when stored and valid, issued when absent', () => {
  const cases = [
    {facts: undefined, rotateRoot: false, status: 'issued'},
    {facts: undefined, rotateRoot: true, status: 'issued'},
    {facts: {notAfter: inDays(100)}, rotateRoot: false, status: 'reused'},
    {facts: {notAfter: inDays(100)}, rotateRoot: true, status: 'renewed'},
    // A broken root is replaced when the user asked for a new one anyway.
    {facts: {defect: 'the key is missing'}, rotateRoot: true, status: 'renewed'}
  ] as const
  for (const c of cases) {
    const d = decideRoot({facts: c.facts, rotateRoot: c.rotateRoot, now, where})
    assert.equal(d.status, c.status, JSON.stringify(c))
  }
})

test('root: a broken or expired stored root stops the run, naming where it is', () => {
  const cases = [
    {facts: {defect: 'the key is missing'}, message: /the key is missing/},
    {facts: {notAfter: inDays(-1)}, message: /expired on 2026-12-31/}
  ]
  for (const c of cases) {
    assert.throws(
      () => decideRoot({facts: c.facts, rotateRoot: false, now, where}),
      (err: Error) =>
        err instanceof ConfigurationError &&
        c.message.test(err.message) &&
        err.message.includes(where) &&
        err.message.includes('rotate-root: true')
    )
  }
})

test('intermediate: each reason to reissue, and the one to reuse', () => {
  const base: IntermediateInput = {
    facts: {notAfter: inDays(365), keyType: 'rsa-4096'},
    signedByRoot: true,
    keyType: 'rsa-4096',
    renewWithinDays: 30,
    now
  }
  const cases: [string, Partial<IntermediateInput>, string, RegExp][] = [
    ['valid', {}, 'reused', /valid/],
    ['missing', {facts: undefined}, 'issued', /no intermediate/],
    [
      'broken',
      {facts: {defect: 'the key does not match the certificate'}},
      'renewed',
      /does not match/
    ],
    ['other root', {signedByRoot: false}, 'renewed', /another root/],
    [
      'within the window',
      {facts: {notAfter: inDays(30), keyType: 'rsa-4096'}},
      'renewed',
      /within 30 days/
    ],
    [
      'just outside the window',
      {facts: {notAfter: inDays(31), keyType: 'rsa-4096'}},
      'reused',
      /valid/
    ],
    [
      'expired',
      {facts: {notAfter: inDays(-5), keyType: 'rsa-4096'}},
      'renewed',
      /expires/
    ],
    [
      'other key type',
      {keyType: 'ecdsa-p256'},
      'renewed',
      /key type is rsa-4096, wanted ecdsa-p256/
    ]
  ]
  for (const [name, change, status, reason] of cases) {
    const d = decideIntermediate({...base, ...change})
    assert.equal(d.status, status, name)
    assert.match(d.reason, reason, name)
  }
})

test('intermediate: without a key type asked for, any key type is reused', () => {
  const d = decideIntermediate({
    facts: {notAfter: inDays(365), keyType: 'ecdsa-p256'},
    signedByRoot: true,
    renewWithinDays: 30,
    now
  })
  assert.equal(d.status, 'reused')
})

test('fetch: nothing stops it when every CA is stored and not due', () => {
  const input: FetchInput = {
    root: {notAfter: inDays(3000)},
    intermediates: [
      {
        cluster: 'a',
        facts: {notAfter: inDays(365), keyType: 'ecdsa-p256'},
        signedByRoot: true
      }
    ],
    renewWithinDays: 30,
    now,
    rootLocation: 'the root place',
    intermediateLocation: c => `place of ${c}`
  }
  assert.deepEqual(fetchProblems(input), [])
})

test('fetch: each thing issue would write is named, with where it is kept', () => {
  const ok = {notAfter: inDays(365), keyType: 'rsa-4096' as const}
  const base: Omit<FetchInput, 'root' | 'intermediates'> = {
    renewWithinDays: 30,
    now,
    rootLocation: 'ROOT',
    intermediateLocation: c => `AT-${c}`
  }
  const cases: [
    string,
    Pick<FetchInput, 'root' | 'intermediates'>,
    string[]
  ][] = [
    [
      'no root, no intermediate',
      {
        root: undefined,
        intermediates: [{cluster: 'a', facts: undefined, signedByRoot: false}]
      },
      [
        'the root CA certificate is missing (ROOT)',
        "cluster 'a': no intermediate CA yet (AT-a)"
      ]
    ],
    [
      'a root that is not a CA; its intermediates are not blamed for it',
      {
        root: {notAfter: inDays(100), defect: 'the certificate is not a CA'},
        intermediates: [{cluster: 'a', facts: ok, signedByRoot: false}]
      },
      ['the root CA: the certificate is not a CA (ROOT)']
    ],
    [
      'an expired root',
      {root: {notAfter: inDays(-1)}, intermediates: []},
      ['the root CA expired on 2026-12-31T00:00:00.000Z (ROOT)']
    ],
    [
      'due, broken, foreign',
      {
        root: {notAfter: inDays(3000)},
        intermediates: [
          {
            cluster: 'a',
            facts: {notAfter: inDays(10), keyType: 'rsa-4096'},
            signedByRoot: true
          },
          {
            cluster: 'b',
            facts: {defect: 'the key is missing'},
            signedByRoot: true
          },
          {cluster: 'c', facts: ok, signedByRoot: false},
          {cluster: 'd', facts: ok, signedByRoot: true}
        ]
      },
      [
        "cluster 'a': due for renewal: expires 2027-01-11T00:00:00.000Z, within 30 days (AT-a)",
        "cluster 'b': due for renewal: the key is missing (AT-b)",
        "cluster 'c': due for renewal: signed by another root CA (AT-c)"
      ]
    ]
  ]
  for (const [name, input, problems] of cases) {
    assert.deepEqual(fetchProblems({...base, ...input}), problems, name)
  }
})
