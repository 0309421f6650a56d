import assert from 'node:assert/strict'
import {test} from 'node:test'
import {readActionMetadata} from '../../src/common/action-metadata.ts'
import {ConfigurationError} from '../../src/common/errors.ts'
import {inputEnvName} from '../../src/common/inputs.ts'
import {readExchangeInputs} from '../../src/actions/exchange-secrets/inputs.ts'
import {actionEnv} from '../helpers/action-env.ts'
import {ROOT} from '../helpers/run-bundle.ts'

const meta = readActionMetadata('exchange-secrets', ROOT)

test('the outputs are the ones DESIGN.md names', () => {
  assert.deepEqual(Object.keys(meta.outputs).sort(), [
    'created',
    'matrix-json',
    'unchanged',
    'updated'
  ])
})

const workspace = '/work/space'
const env = (inputs: Record<string, string>) =>
  actionEnv(meta, inputs, workspace)

test('defaults from action.yml give the documented settings', () => {
  assert.deepEqual(readExchangeInputs(env({clusters: 'a,b'})), {
    clusters: [
      {name: 'a', context: 'a'},
      {name: 'b', context: 'b'}
    ],
    provider: 'eks',
    awsRegion: undefined,
    kubeconfig: undefined,
    namespace: 'istio-system',
    serviceAccount: 'istio-reader-service-account',
    tokenSecret: 'istio-reader-service-account-istio-remote-secret-token',
    mode: 'apply',
    prune: false
  })
})

test('provider kubeconfig takes name=context and a path in the workspace', () => {
  const got = readExchangeInputs(
    env({
      clusters: 'east=kind-east\nwest',
      provider: 'kubeconfig',
      kubeconfig: 'kube/config'
    })
  )
  assert.deepEqual(got.clusters, [
    {name: 'east', context: 'kind-east'},
    {name: 'west', context: 'west'}
  ])
  assert.equal(got.kubeconfig, `${workspace}/kube/config`)
})

test('bad inputs fail naming the input, the expected form and the value', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{clusters: 'Cluster_1'}, /input 'clusters' .*DNS-1123.*got 'Cluster_1'/],
    [{clusters: ' , '}, /input 'clusters' must list at least one/],
    [{clusters: 'a,a'}, /input 'clusters' lists 'a' more than once/],
    [
      {clusters: 'a=ctx'},
      /input 'clusters' takes name=context only with provider kubeconfig/
    ],
    [
      {clusters: 'A=ctx', provider: 'kubeconfig'},
      /input 'clusters' .*DNS-1123.*got 'A'/
    ],
    [
      {clusters: 'a=', provider: 'kubeconfig'},
      /input 'clusters' has no context after '='/
    ],
    [
      {clusters: 'a', provider: 'gke'},
      /input 'provider' must be one of eks, kubeconfig, got 'gke'/
    ],
    [
      {clusters: 'a', mode: 'delete'},
      /input 'mode' must be one of apply, check, revoke, got 'delete'/
    ],
    [{clusters: 'a', prune: 'yes'}, /input 'prune' must be true or false/],
    [
      {clusters: 'a', prune: 'true', mode: 'check'},
      /input 'prune' works only with mode apply/
    ],
    [{clusters: 'a', namespace: 'Istio'}, /input 'namespace' .*got 'Istio'/],
    [
      {clusters: 'a', 'aws-region': 'EU'},
      /input 'aws-region' must be an AWS region/
    ],
    [
      {clusters: 'a', provider: 'kubeconfig', kubeconfig: '/etc/kubeconfig'},
      /input 'kubeconfig' must be a path inside the workspace/
    ]
  ]
  for (const [inputs, message] of cases) {
    assert.throws(
      () => readExchangeInputs(env(inputs)),
      (err: unknown) =>
        err instanceof ConfigurationError && message.test(err.message),
      JSON.stringify(inputs)
    )
  }
})

test('a default cleared by hand is refused, not replaced', () => {
  assert.throws(
    () =>
      readExchangeInputs({
        ...env({clusters: 'a'}),
        [inputEnvName('token-secret')]: ''
      }),
    /input 'token-secret' must not be empty/
  )
})
