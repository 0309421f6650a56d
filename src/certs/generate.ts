import {
  inspectCa,
  inspectCert,
  isSignedBy,
  verifyChain,
  type CaFacts
} from './inspect.ts'
import {layoutFiles, type CertFile} from './layout.ts'
import {decideIntermediate, decideRoot, type CaStatus} from './plan.ts'
import {DAY_MS, type KeyType} from './profile.ts'
import type {CaStore} from './store.ts'
import {generateKey, issueIntermediate, issueRoot, type CaPem} from './x509.ts'
import type {FileSetReport} from './file-set.ts'

export interface GenerateOptions {
  clusters: string[]
  keyType: KeyType
  rootDays: number
  intermediateDays: number
  renewWithinDays: number
  rotateRoot: boolean
}

export interface GenerateDeps {
  store: CaStore
  /** Registers a private key with the log masker before anything else. */
  mask: (secret: string) => void
  writeFiles: (files: CertFile[]) => Promise<FileSetReport>
  now: () => Date
}

export interface CaReport {
  status: CaStatus
  reason: string
  fingerprint: string
  notAfter: Date
}

export interface GenerateResult {
  root: CaReport
  clusters: ({cluster: string} & CaReport)[]
  files: FileSetReport
  /** What the store changed besides new CAs (moving an earlier layout). */
  storeChanges: string[]
  /** Things the user should know that do not stop the run. */
  warnings: string[]
}

/** What the log and outputs say about one CA, from its certificate. */
export function caReport(
  cert: string,
  decision: {status: CaStatus; reason: string}
): CaReport {
  const facts = inspectCert(cert)
  return {
    ...decision,
    fingerprint: facts.fingerprint!,
    notAfter: facts.notAfter!
  }
}

/**
 * One root CA and one intermediate CA per cluster, reusing what the store
 * holds: load, decide, generate the keys needed (all at once, in parallel),
 * sign, verify every chain, and only then persist and write the files.
 */
export async function generateCerts(
  options: GenerateOptions,
  deps: GenerateDeps
): Promise<GenerateResult> {
  const now = deps.now()
  const stored = await deps.store.load(options.clusters, {rootKey: true})
  for (const ca of [stored.root, ...Object.values(stored.intermediates)]) {
    if (ca?.key) deps.mask(ca.key)
  }

  const rootDecision = decideRoot({
    facts: stored.root && inspectCa(stored.root),
    rotateRoot: options.rotateRoot,
    now,
    where: deps.store.rootLocation
  })
  const keepRoot = rootDecision.status === 'reused'
  const decisions = options.clusters.map(cluster => {
    const ca = stored.intermediates[cluster]
    const decision = decideIntermediate({
      facts: ca && inspectCa(ca),
      signedByRoot:
        keepRoot && !!ca?.cert && isSignedBy(ca.cert, stored.root!.cert!),
      keyType: options.keyType,
      renewWithinDays: options.renewWithinDays,
      now
    })
    return {cluster, decision, stored: ca}
  })

  const keyFor = async () => {
    const key = await generateKey(options.keyType)
    deps.mask(key)
    return key
  }
  const [rootKey, ...keys] = await Promise.all([
    keepRoot ? undefined : keyFor(),
    ...decisions.map(d =>
      d.decision.status === 'reused' ? undefined : keyFor()
    )
  ])

  const root: CaPem = keepRoot
    ? {cert: stored.root!.cert!, key: stored.root!.key!}
    : {
        cert: await issueRoot({key: rootKey!, days: options.rootDays, now}),
        key: rootKey!
      }
  const changed: {root?: CaPem; intermediates: Record<string, CaPem>} = {
    root: keepRoot ? undefined : root,
    intermediates: {}
  }
  const intermediates = await Promise.all(
    decisions.map(async ({cluster, decision, stored: ca}, i) => {
      if (decision.status === 'reused') {
        return {cluster, ca: {cert: ca!.cert!, key: ca!.key!}}
      }
      const key = keys[i]!
      const cert = await issueIntermediate({
        cluster,
        key,
        root,
        days: options.intermediateDays,
        now
      })
      changed.intermediates[cluster] = {cert, key}
      return {cluster, ca: {cert, key}}
    })
  )
  for (const {ca} of intermediates) verifyChain(ca, root.cert, now)
  const warnings = keepRoot ? rootWarnings(inspectCa(root), options, now) : []

  const storeChanges = await deps.store.save(changed)
  const files = await deps.writeFiles(
    layoutFiles(root, intermediates, {rootKey: deps.store.rootKeyInFiles})
  )
  return {
    root: caReport(root.cert, rootDecision),
    clusters: intermediates.map(({cluster, ca}, i) => ({
      cluster,
      ...caReport(ca.cert, decisions[i]!.decision)
    })),
    files,
    storeChanges,
    warnings
  }
}

function rootWarnings(
  facts: CaFacts,
  options: GenerateOptions,
  now: Date
): string[] {
  const warnings: string[] = []
  const daysLeft = (facts.notAfter!.getTime() - now.getTime()) / DAY_MS
  if (daysLeft <= options.renewWithinDays) {
    warnings.push(
      `the root CA expires ${facts.notAfter!.toISOString()}; intermediates cannot outlive it: plan a root rotation (rotate-root: true)`
    )
  }
  if (facts.keyType !== options.keyType) {
    warnings.push(
      `the root CA's key is ${facts.keyType ?? 'of another type'}; key-type ${options.keyType} applies to new keys only (rotate-root: true replaces the root)`
    )
  }
  return warnings
}
