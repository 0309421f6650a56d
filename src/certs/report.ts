import type {GenerateResult} from './generate.ts'

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

/** The job summary: one row per CA. Certificates only; never a key. */
export function renderSummary(result: GenerateResult): string {
  const row = (name: string, ca: GenerateResult['root']) =>
    `| ${name} | ${ca.status} | \`${ca.fingerprint}\` | ${ca.notAfter.toISOString()} |`
  const unchanged =
    [result.root, ...result.clusters].every(ca => ca.status === 'reused') &&
    result.files.written.length === 0
  return [
    '### Istio CA certificates',
    '',
    '| cluster | status | fingerprint (SHA-256) | not after |',
    '|---|---|---|---|',
    row('root CA', result.root),
    ...result.clusters.map(c => row(c.cluster, c)),
    '',
    unchanged
      ? 'Nothing changed: every CA was reused and every file was up to date.'
      : `${result.files.written.length} file(s) written, ${result.files.unchanged.length} unchanged.`,
    ''
  ].join('\n')
}
