import {ConfigurationError} from '../common/errors.ts'
import {caReport, type GenerateDeps, type GenerateResult} from './generate.ts'
import {inspectCa, inspectCert, isSignedBy, verifyChain} from './inspect.ts'
import {layoutFiles} from './layout.ts'
import {fetchProblems} from './plan.ts'
import type {CaPem} from './x509.ts'

export interface FetchOptions {
  clusters: string[]
  renewWithinDays: number
}

const REUSED = {status: 'reused', reason: 'stored and valid'} as const

/**
 * `mode: fetch`: writes the files the cluster stage needs from what the
 * store holds, and nothing else. It never reads the root key and never
 * writes to the store, so roles that may not issue can run it; when the
 * store lacks something, or something is due for renewal, it fails naming
 * each and leaves the output folder as it was.
 */
export async function fetchCerts(
  options: FetchOptions,
  deps: GenerateDeps
): Promise<GenerateResult> {
  const now = deps.now()
  const stored = await deps.store.load(options.clusters, {rootKey: false})
  for (const ca of Object.values(stored.intermediates)) {
    if (ca?.key) deps.mask(ca.key)
  }
  const rootCert = stored.root?.cert
  const rootFacts = stored.root && inspectCert(rootCert)
  const problems = fetchProblems({
    root: rootFacts,
    intermediates: options.clusters.map(cluster => {
      const ca = stored.intermediates[cluster]
      return {
        cluster,
        facts: ca && inspectCa(ca),
        signedByRoot: !!ca?.cert && !!rootCert && isSignedBy(ca.cert, rootCert)
      }
    }),
    renewWithinDays: options.renewWithinDays,
    now,
    rootLocation: deps.store.rootLocation,
    intermediateLocation: c => deps.store.intermediateLocation(c)
  })
  if (problems.length > 0) {
    throw new ConfigurationError(
      `mode fetch cannot complete without writing to the CA store, which it never does: ${problems.join('; ')}. Run generate-certs with mode issue (the certs job) first`
    )
  }

  const intermediates = options.clusters.map(cluster => {
    const ca = stored.intermediates[cluster]!
    return {cluster, ca: {cert: ca.cert!, key: ca.key!} satisfies CaPem}
  })
  for (const {ca} of intermediates) verifyChain(ca, rootCert!, now)
  const files = await deps.writeFiles(
    layoutFiles({cert: rootCert!}, intermediates, {rootKey: false})
  )
  return {
    root: caReport(rootCert!, REUSED),
    clusters: intermediates.map(({cluster, ca}) => ({
      cluster,
      ...caReport(ca.cert, REUSED)
    })),
    files,
    storeChanges: [],
    // No root warning: a root within renew-within-days takes every
    // intermediate (which never outlives it) with it, and that stops fetch.
    warnings: []
  }
}
