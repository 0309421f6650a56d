// ci.yml's smoke job: makes two of the test bed's clusters Istio-ready (namespace,
// reader service account, its ClusterRole and token secret) in a namespace
// of this run, and writes `clusters` (the test bed's contexts, comma
// separated) and `namespace` to GITHUB_OUTPUT for exchange-secrets.
import {appendFileSync} from 'node:fs'
import {istioReady} from '../helpers/istio-fixture.ts'
import {need} from '../helpers/testbed.ts'

// Two clusters, as the job's checks expect, however many the test bed runs.
const clusters = need('clusters').slice(0, 2)
const run = `${process.env.GITHUB_RUN_ID ?? 'local'}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}`
const namespace = `smoke-${run}`.toLowerCase().replace(/[^a-z0-9-]/g, '-')
for (const cluster of clusters) await istioReady(cluster, namespace)
appendFileSync(
  process.env.GITHUB_OUTPUT ?? '/dev/stdout',
  `clusters=${clusters.join(',')}\nnamespace=${namespace}\n`
)
console.log(`${clusters.length} clusters ready in namespace ${namespace}`)
