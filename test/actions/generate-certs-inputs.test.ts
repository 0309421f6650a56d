import assert from 'node:assert/strict'
import {test} from 'node:test'
import {readActionMetadata} from '../../src/common/action-metadata.ts'
import {ConfigurationError} from '../../src/common/errors.ts'
import {readGenerateCertsInputs} from '../../src/actions/generate-certs/inputs.ts'
import {actionEnv} from '../helpers/action-env.ts'
import {ROOT} from '../helpers/run-bundle.ts'

const meta = readActionMetadata('generate-certs', ROOT)

test('the outputs are the ones DESIGN.md names', () => {
  assert.deepEqual(Object.keys(meta.outputs).sort(), [
    'certs-dir',
    'clusters-json',
    'root-fingerprint'
  ])
})

const workspace = '/work/space'
const env = (inputs: Record<string, string>) =>
  actionEnv(meta, inputs, workspace)

test('defaults from action.yml give the documented settings', () => {
  assert.deepEqual(readGenerateCertsInputs(env({clusters: 'a,b'})), {
    clusters: ['a', 'b'],
    mode: 'issue',
    outputDir: `${workspace}/certs`,
    store: 'directory',
    secretPrefix: 'istio-mesh/',
    awsRegion: undefined,
    keyType: 'rsa-4096',
    rootDays: 3650,
    intermediateDays: 730,
    renewWithinDays: 30,
    rotateRoot: false
  })
})

test('bad inputs fail naming the input, the expected form and the value', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      {clusters: 'Cluster_1'},
      /input 'clusters' must hold DNS-1123.*got 'Cluster_1'/
    ],
    [{clusters: 'a,a'}, /input 'clusters' lists 'a' more than once/],
    [{clusters: ' , '}, /input 'clusters' must list at least one/],
    [
      {'key-type': 'rsa-1024'},
      /input 'key-type' must be one of rsa-4096, rsa-2048, ecdsa-p256, got 'rsa-1024'/
    ],
    [
      {'root-days': '-5'},
      /input 'root-days' must be a whole number from 1 to 36500, got '-5'/
    ],
    [{'intermediate-days': '0'}, /input 'intermediate-days' must be .*got '0'/],
    [
      {'renew-within-days': '1.5'},
      /input 'renew-within-days' must be a whole number/
    ],
    [
      {'renew-within-days': '730'},
      /input 'renew-within-days' must be less than intermediate-days \(730\), got '730'/
    ],
    [
      {'rotate-root': 'yes'},
      /input 'rotate-root' must be true or false, got 'yes'/
    ],
    [
      {store: 'vault'},
      /input 'store' must be one of directory, aws-secrets-manager/
    ],
    [
      {'output-dir': '../elsewhere'},
      /input 'output-dir' must be a path inside the workspace/
    ],
    [
      {'output-dir': '/etc/istio'},
      /input 'output-dir' must be a path inside the workspace/
    ],
    [{'aws-region': 'Europe'}, /input 'aws-region' must be an AWS region/],
    [{'secret-prefix': 'a b/'}, /input 'secret-prefix' must use only/],
    [{mode: 'read'}, /input 'mode' must be one of issue, fetch, got 'read'/],
    [
      {mode: 'fetch', 'rotate-root': 'true'},
      /input 'rotate-root' must be false with mode fetch, which never writes to the store/
    ]
  ]
  for (const [inputs, message] of cases) {
    assert.throws(
      () => readGenerateCertsInputs(env({clusters: 'a', ...inputs})),
      (err: Error) =>
        err instanceof ConfigurationError && message.test(err.message),
      JSON.stringify(inputs)
    )
  }
})

test('an input cleared to empty is refused, not silently defaulted', () => {
  const e = env({clusters: 'a', store: 'aws-secrets-manager'})
  e['INPUT_SECRET-PREFIX'] = ''
  assert.throws(
    () => readGenerateCertsInputs(e),
    /input 'secret-prefix' must not be empty with store aws-secrets-manager/
  )
  const k = env({clusters: 'a'})
  k['INPUT_KEY-TYPE'] = ''
  assert.throws(
    () => readGenerateCertsInputs(k),
    /input 'key-type' must not be empty/
  )
})

test('clusters: newline or comma separated', () => {
  const r = readGenerateCertsInputs(
    env({clusters: 'east-1\nwest-2, south-3\n'})
  )
  assert.deepEqual(r.clusters, ['east-1', 'west-2', 'south-3'])
})
