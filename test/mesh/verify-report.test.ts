import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  clusterManifests,
  helloworldImage,
  namespaceManifest
} from '../../src/mesh/verify-manifests.ts'
import {
  fitBody,
  issueBody,
  outputs,
  renderSummary,
  runComment
} from '../../src/mesh/verify-report.ts'
import {
  addAttempts,
  addExecError,
  emptyTally,
  parseTranscript,
  RECORD_MARK
} from '../../src/mesh/verify-traffic.ts'
import type {VerifyReport} from '../../src/mesh/verify.ts'

const images = {
  helloworld: 'registry.istio.io/release/examples-helloworld-v1:1.0',
  helloworldV2: 'registry.istio.io/release/examples-helloworld-v2:1.0',
  curl: 'docker.io/curlimages/curl:8.16.0'
}

test('cluster i runs helloworld v<i>: the v1 and v2 images, then v1 told its version', () => {
  const versions = [0, 1, 2].map(i => {
    const d = clusterManifests('sample', i, images).find(
      o => o.kind === 'Deployment' && o.metadata.name.startsWith('helloworld')
    ) as unknown as {
      metadata: {name: string}
      spec: {template: {spec: {containers: {image: string; env: unknown}[]}}}
    }
    const c = d.spec.template.spec.containers[0]!
    return [d.metadata.name, c.image, c.env]
  })
  assert.deepEqual(versions, [
    [
      'helloworld-v1',
      images.helloworld,
      [{name: 'SERVICE_VERSION', value: 'v1'}]
    ],
    [
      'helloworld-v2',
      images.helloworldV2,
      [{name: 'SERVICE_VERSION', value: 'v2'}]
    ],
    [
      'helloworld-v3',
      images.helloworld,
      [{name: 'SERVICE_VERSION', value: 'v3'}]
    ]
  ])
  assert.equal(helloworldImage('v7', images), images.helloworld)
})

test('every cluster gets the Service, the curl client and the namespace labelled for injection', () => {
  const objects = clusterManifests('sample', 0, images)
  assert.deepEqual(
    objects.map(o => `${o.kind}/${o.metadata.name}`),
    [
      'Service/helloworld',
      'Deployment/helloworld-v1',
      'ServiceAccount/curl',
      'Service/curl',
      'Deployment/curl'
    ]
  )
  for (const o of objects) {
    assert.equal(o.metadata.namespace, 'sample')
    assert.equal(
      o.metadata.labels?.['app.kubernetes.io/managed-by'],
      'eks-istio-mesh'
    )
  }
  const svc = objects[0] as unknown as {
    spec: {ports: unknown; selector: unknown}
  }
  assert.deepEqual(svc.spec, {
    ports: [{port: 5000, name: 'http'}],
    selector: {app: 'helloworld'}
  })
  const curl = objects[4] as unknown as {
    spec: {
      template: {
        spec: {
          serviceAccountName: string
          containers: {command: string[]; image: string}[]
        }
      }
    }
  }
  assert.equal(curl.spec.template.spec.serviceAccountName, 'curl')
  assert.deepEqual(curl.spec.template.spec.containers[0]!.command, [
    '/bin/sleep',
    'infinity'
  ])
  assert.deepEqual(namespaceManifest('sample').metadata.labels, {
    'istio-injection': 'enabled',
    'app.kubernetes.io/managed-by': 'eks-istio-mesh'
  })
})

const ok = (v: string) =>
  `Hello version: ${v}, instance: helloworld-${v}-7d5c6b-x\n\n${RECORD_MARK} 200 0 \n`
const versions = ['v1', 'v2']
const report: VerifyReport = {
  result: 'fail',
  clusters: ['east', 'west'],
  failures: [
    'west never reached v1 (east); 3 error(s), last: HTTP 503: no healthy upstream'
  ],
  timings: [
    {phase: 'control plane', ms: 1200},
    {phase: 'traffic', ms: 8400}
  ],
  controlPlane: {
    endpoints: true,
    verdict: {ok: true, problems: []},
    views: ['east', 'west'].map(c => ({
      cluster: c,
      istiod: {ready: true, detail: '1 of 1 istiod pods ready'},
      webhook: {state: 'present' as const, name: 'istio-sidecar-injector'},
      secrets: [c === 'east' ? 'west' : 'east'],
      debug: {
        ok: true as const,
        clusters: [
          {id: 'east', secretName: '', syncStatus: 'synced'},
          {id: 'west', secretName: 'x', syncStatus: 'synced'}
        ],
        endpoints: {east: {healthy: 1, total: 1}, west: {healthy: 1, total: 1}}
      }
    }))
  },
  traffic: {
    versions,
    versionCluster: {v1: 'east', v2: 'west'},
    requests: 22,
    tallies: [
      addAttempts(
        emptyTally('east'),
        parseTranscript(ok('v1') + ok('v2') + ok('v2')),
        versions
      ),
      addExecError(
        addAttempts(
          emptyTally('west'),
          parseTranscript(ok('v2').repeat(22)),
          versions
        ),
        'HTTP 503: no healthy | upstream'
      )
    ]
  },
  cleanup: {removed: ['east', 'west'], errors: []}
}

test('the job summary leads with the verdict and times, then both tables and what failed', () => {
  assert.equal(
    renderSummary(report),
    [
      '### verify-mesh: ❌ fail',
      '',
      '2 cluster(s): `east`, `west`. Elapsed 9.6 s (control plane 1.2 s, traffic 8.4 s).',
      '',
      '#### Control plane',
      '',
      "Each row is one cluster's control plane: its istiod, its sidecar injector, the remote secret it holds for each other cluster, and istiod's own view (`/debug/clusterz`, and the ready `helloworld` endpoints it knows from each cluster (`/debug/endpointShardz`)).",
      '',
      '| istiod in \\ cluster | east | west |',
      '|---|---|---|',
      '| east | ✅ istiod ready, injector, synced, 1 endpoint | ✅ secret, synced, 1 endpoint |',
      '| west | ✅ secret, synced, 1 endpoint | ✅ istiod ready, injector, synced, 1 endpoint |',
      '',
      '#### Traffic',
      '',
      'Answers of `helloworld` per version, from the curl client in each cluster (at most 22 answered requests per source; each stops once every version has answered).',
      '',
      '| source \\ version | v1 (east) | v2 (west) | errors | last error |',
      '|---|---|---|---|---|',
      '| east | 1 | 2 | 0 |  |',
      '| west | ❌ 0 | 22 | 1 | HTTP 503: no healthy \\| upstream |',
      '',
      '**Failed:**',
      '',
      '- west never reached v1 (east); 3 error(s), last: HTTP 503: no healthy upstream',
      '',
      'Cleanup removed the sample from 2 cluster(s).',
      ''
    ].join('\n')
  )
  assert.deepEqual(JSON.parse(outputs(report)['matrix-json']), {
    east: {v1: 1, v2: 2},
    west: {v1: 0, v2: 22}
  })
  assert.equal(outputs(report).result, 'fail')
})

test('the issue body and the run comment: marker first, the run link, the summary; cut to fit GitHub', () => {
  const body = issueBody('SUMMARY', 'https://github.test/o/r/actions/runs/7')
  assert.match(body, /^<!-- eks-istio-mesh:verify-mesh:v1 -->\n/)
  assert.match(
    body,
    /\nRun: https:\/\/github.test\/o\/r\/actions\/runs\/7\n\nSUMMARY$/
  )
  const comment = runComment('7.1', 'SUMMARY', undefined, true)
  assert.match(
    comment,
    /^<!-- eks-istio-mesh:verify-mesh:v1 run=7.1 -->\nThe mesh connectivity check passes again; closing\./
  )
  const long = `${'line of text\n'.repeat(10_000)}`
  const fitted = fitBody(long)
  assert.ok(fitted.length <= 65_536)
  assert.match(
    fitted,
    /line of text\n\n… \(cut to fit GitHub's limit; the job summary has it all\)\n$/
  )
  assert.equal(fitBody('short'), 'short')
})
