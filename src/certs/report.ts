import type {GenerateResult} from './generate.ts'

/**
 * Every CA reused, nothing moved in the store and every file already
 * right: the run changed nothing.
 */
export function isUnchanged(result: GenerateResult): boolean {
  return (
    [result.root, ...result.clusters].every(ca => ca.status === 'reused') &&
    result.storeChanges.length === 0 &&
    result.files.written.length === 0
  )
}

/** The `clusters-json` output: status, fingerprint and expiry per cluster. */
export function renderClustersJson(result: GenerateResult): string {
  return JSON.stringify(
    Object.fromEntries(
      result.clusters.map(c => [
        c.cluster,
        {
          status: c.status,
          fingerprint: c.fingerprint,
          'not-after': c.notAfter.toISOString()
        }
      ])
    )
  )
}

/**
 * The job summary: one row per CA. Certificates only; never a key. With
 * `fetch` the heading says the store was only read.
 */
export function renderSummary(
  result: GenerateResult,
  mode: 'issue' | 'fetch' = 'issue'
): string {
  const row = (name: string, ca: GenerateResult['root']) =>
    `| ${name} | ${ca.status} | \`${ca.fingerprint}\` | ${ca.notAfter.toISOString()} |`
  return [
    mode === 'fetch'
      ? '### Istio CA certificates (fetched: the store was only read)'
      : '### Istio CA certificates',
    '',
    '| cluster | status | fingerprint (SHA-256) | not after |',
    '|---|---|---|---|',
    row('root CA', result.root),
    ...result.clusters.map(c => row(c.cluster, c)),
    '',
    ...result.storeChanges.map(change => `- ${change}`),
    ...(result.storeChanges.length > 0 ? [''] : []),
    isUnchanged(result)
      ? 'Nothing changed: every CA was reused and every file was up to date.'
      : `${result.files.written.length} file(s) written, ${result.files.unchanged.length} unchanged.`,
    ''
  ].join('\n')
}
