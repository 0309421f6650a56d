import assert from 'node:assert/strict'
import {test} from 'node:test'
import {readVerifyInputs} from '../../src/actions/verify-mesh/inputs.ts'
import {readActionMetadata} from '../../src/common/action-metadata.ts'
import {ConfigurationError} from '../../src/common/errors.ts'
import {inputEnvName} from '../../src/common/inputs.ts'
import {actionEnv} from '../helpers/action-env.ts'
import {ROOT} from '../helpers/run-bundle.ts'

const meta = readActionMetadata('verify-mesh', ROOT)

test('the outputs are the ones DESIGN.md names', () => {
  assert.deepEqual(Object.keys(meta.outputs).sort(), [
    'control-plane-json',
    'matrix-json',
    'result'
  ])
})

const workspace = '/work/space'
const env = (inputs: Record<string, string>) => {
  const e = actionEnv(meta, inputs, workspace)
  // The runner expands ${{ github.token }}; outside it the literal stays.
  return e
}

test('defaults from action.yml give the documented settings', () => {
  const got = readVerifyInputs(env({clusters: 'cluster-1,cluster-2'}))
  assert.deepEqual(got, {
    clusters: [
      {name: 'cluster-1', context: 'cluster-1'},
      {name: 'cluster-2', context: 'cluster-2'}
    ],
    provider: 'eks',
    awsRegion: undefined,
    kubeconfig: undefined,
    namespace: 'sample',
    istioNamespace: 'istio-system',
    checks: {controlPlane: true, traffic: true},
    istiodUrls: {},
    requests: 22,
    requestsAuto: true,
    timeoutMs: 300_000,
    cleanup: true,
    images: {
      helloworld: 'registry.istio.io/release/examples-helloworld-v1:1.0',
      helloworldV2: 'registry.istio.io/release/examples-helloworld-v2:1.0',
      curl: 'docker.io/curlimages/curl:8.16.0'
    },
    reportIssue: false
  })
})

test('requests auto follows the number of clusters; a number is taken as it is', () => {
  const four = 'a,b,c,d'
  assert.equal(readVerifyInputs(env({clusters: four})).requests, 58)
  const eight = 'a,b,c,d,e,f,g,h'
  assert.equal(readVerifyInputs(env({clusters: eight})).requests, 135)
  const fixed = readVerifyInputs(env({clusters: four, requests: '10'}))
  assert.deepEqual([fixed.requests, fixed.requestsAuto], [10, false])
})

test('checks, istiod-urls, images and a token', () => {
  const got = readVerifyInputs(
    env({
      clusters: 'east=kind-east\nwest=kind-west',
      provider: 'kubeconfig',
      checks: 'control-plane',
      'istiod-urls': 'east=http://127.0.0.1:15014\n# west has none\n',
      'curl-image': 'mirror.example/curl@sha256:0123abcd',
      'report-issue': 'true',
      'github-token': 'ghs_canary'
    })
  )
  assert.deepEqual(got.checks, {controlPlane: true, traffic: false})
  assert.deepEqual(got.istiodUrls, {east: 'http://127.0.0.1:15014'})
  assert.equal(got.images.curl, 'mirror.example/curl@sha256:0123abcd')
  assert.equal(got.githubToken, 'ghs_canary')
  const masked: string[] = []
  readVerifyInputs(env({clusters: 'a', 'github-token': 'ghs_canary'}), {
    onSecret: s => void masked.push(s)
  })
  assert.deepEqual(masked, ['ghs_canary'])
})

test('bad inputs fail before anything is deployed, naming the input and the value', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{clusters: 'Cluster_1'}, /input 'clusters' .*DNS-1123.*got 'Cluster_1'/],
    [{clusters: 'a,a'}, /input 'clusters' lists 'a' more than once/],
    [
      {clusters: 'a', requests: '0'},
      /input 'requests' must be auto or a whole number from 1 to 10000, got '0'/
    ],
    [
      {clusters: 'a', requests: 'many'},
      /input 'requests' must be auto or a whole number .*got 'many'/
    ],
    [
      {clusters: 'a', timeout: '5 minutes'},
      /input 'timeout' must be a duration like 30s, 5m or 1h30m, got '5 minutes'/
    ],
    [
      {clusters: 'a', timeout: '0s'},
      /input 'timeout' must be a duration longer than 0/
    ],
    [
      {clusters: 'a', checks: 'traffic,latency'},
      /input 'checks' must list control-plane, traffic or both, got 'latency'/
    ],
    [
      {clusters: 'a', 'istiod-urls': 'b=http://127.0.0.1:1'},
      /input 'istiod-urls' names cluster 'b', which input 'clusters' does not list \(a\)/
    ],
    [
      {clusters: 'a', 'istiod-urls': 'a=ftp://istiod:21'},
      /input 'istiod-urls' must give http or https URLs, got ftp: for 'a'/
    ],
    [
      {clusters: 'a', 'istiod-urls': 'a=not a url'},
      /input 'istiod-urls' must give a=http\(s\):\/\/host:port/
    ],
    [
      {clusters: 'a', 'istiod-urls': 'a=http://user:pw@istiod:15014'},
      /input 'istiod-urls' must not carry credentials in the URL for 'a'/
    ],
    [
      {clusters: 'a', 'helloworld-image': 'img:1 --privileged'},
      /input 'helloworld-image' must be a container image/
    ],
    [{clusters: 'a', namespace: 'Sample'}, /input 'namespace' .*got 'Sample'/],
    [
      {clusters: 'a', 'report-issue': 'yes'},
      /input 'report-issue' must be true or false/
    ],
    [
      {clusters: 'a', 'report-issue': 'true'},
      /input 'report-issue' needs input 'github-token'/
    ],
    [
      {clusters: 'a', provider: 'kubeconfig', kubeconfig: '/etc/kubeconfig'},
      /input 'kubeconfig' must be a path inside the workspace/
    ]
  ]
  for (const [inputs, message] of cases) {
    assert.throws(
      () => readVerifyInputs(env(inputs)),
      (err: unknown) =>
        err instanceof ConfigurationError && message.test(err.message),
      JSON.stringify(inputs)
    )
  }
})

test('a default cleared by hand is refused, not replaced', () => {
  assert.throws(
    () =>
      readVerifyInputs({
        ...env({clusters: 'a'}),
        [inputEnvName('timeout')]: ''
      }),
    /input 'timeout' must not be empty/
  )
})
