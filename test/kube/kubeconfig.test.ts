import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, test} from 'node:test'
import {ConfigurationError} from '../../src/common/errors.ts'
import {
  connection,
  contextNames,
  kubeconfigTargets,
  loadKubeconfig,
  parseKubeconfig
} from '../../src/kube/kubeconfig.ts'

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-test-'))
after(() => rmSync(dir, {recursive: true, force: true}))

const b64 = (s: string) => Buffer.from(s).toString('base64')
const first = `apiVersion: v1
kind: Config
current-context: one
clusters:
- name: c1
  cluster:
    server: https://one.example:6443
    certificate-authority-data: ${b64('CA ONE')}
- name: c2
  cluster:
    server: https://two.example
    certificate-authority: ca.pem
    tls-server-name: api.two
users:
- name: admin
  user:
    client-certificate-data: ${b64('CERT')}
    client-key-data: ${b64('KEY')}
- name: reader
  user:
    tokenFile: token.txt
- name: sso
  user:
    exec:
      command: aws
contexts:
- name: one
  context: {cluster: c1, user: admin}
- name: two
  context: {cluster: c2, user: reader}
- name: exec
  context: {cluster: c1, user: sso}
- name: broken
  context: {cluster: nope, user: admin}
`
writeFileSync(join(dir, 'config'), first)
writeFileSync(join(dir, 'ca.pem'), 'CA TWO')
writeFileSync(join(dir, 'token.txt'), 'file-token\n')
writeFileSync(
  join(dir, 'second'),
  `clusters:
- name: c1
  cluster: {server: https://shadowed.example}
- name: c3
  cluster: {server: https://three.example, insecure-skip-tls-verify: true}
users:
- name: t
  user: {token: abc}
contexts:
- name: one
  context: {cluster: c3, user: t}
- name: three
  context: {cluster: c3, user: t}
current-context: three
`
)

test('a context resolves to its server, CA and credentials, files relative to the kubeconfig', () => {
  const config = loadKubeconfig(join(dir, 'config'), {})
  assert.deepEqual(connection(config, 'one'), {
    server: 'https://one.example:6443',
    ca: 'CA ONE',
    insecure: false,
    servername: undefined,
    cert: 'CERT',
    key: 'KEY'
  })
  assert.deepEqual(connection(config, 'two'), {
    server: 'https://two.example',
    ca: 'CA TWO',
    insecure: false,
    servername: 'api.two',
    cert: undefined,
    key: undefined,
    token: 'file-token'
  })
})

test('$KUBECONFIG lists files merged as client-go does: the first name wins', () => {
  const config = loadKubeconfig(undefined, {
    KUBECONFIG: [
      join(dir, 'config'),
      join(dir, 'missing'),
      join(dir, 'second')
    ].join(':')
  })
  assert.deepEqual(contextNames(config), [
    'one',
    'two',
    'exec',
    'broken',
    'three'
  ])
  assert.equal(config.currentContext, 'one')
  assert.equal(connection(config, 'one').server, 'https://one.example:6443')
  assert.deepEqual(connection(config, 'three'), {
    server: 'https://three.example',
    ca: undefined,
    insecure: true,
    servername: undefined,
    cert: undefined,
    key: undefined,
    token: 'abc'
  })
})

test('what cannot be used fails as a configuration error naming the input', () => {
  const config = loadKubeconfig(join(dir, 'config'), {})
  const cases: [() => unknown, RegExp][] = [
    [
      () => connection(config, 'exec'),
      /context 'exec' authenticates with exec/
    ],
    [
      () => connection(config, 'broken'),
      /context 'broken' has no cluster with a server/
    ],
    [
      () => kubeconfigTargets(config, [{name: 'x', context: 'nope'}]),
      /input 'clusters' names kubeconfig contexts that do not exist: 'nope' \(known: one, two, exec, broken\)/
    ],
    [
      () => loadKubeconfig(join(dir, 'absent'), {}),
      /input 'kubeconfig' must name a readable kubeconfig file, got '.*absent' \(ENOENT\)/
    ],
    [
      () => parseKubeconfig([{text: 'a: [', path: '/x'}], 'the file'),
      /input 'kubeconfig' must name a YAML kubeconfig, 'the file' is not one/
    ]
  ]
  for (const [fn, message] of cases) {
    assert.throws(
      fn,
      (err: unknown) =>
        err instanceof ConfigurationError && message.test(err.message),
      String(message)
    )
  }
})
