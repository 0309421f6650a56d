import type {Core} from '../../common/core.ts'
import {ConfigurationError, describeError} from '../../common/errors.ts'
import {clientFromKubeconfigText} from '../../kube/kubeconfig.ts'
import {exchange, type PairResult} from '../../mesh/exchange.ts'
import {
  countResults,
  failures,
  matrixJson,
  renderSummary
} from '../../mesh/report.ts'
import {clusterTargets, FIELD_MANAGER} from '../clusters.ts'
import type {BaseDeps} from '../deps.ts'
import {readExchangeInputs, type ExchangeInputs} from './inputs.ts'

export interface ExchangeSecretsDeps extends BaseDeps {
  sleep?: (ms: number) => Promise<void>
}

function report(inputs: ExchangeInputs, results: PairResult[], core: Core) {
  for (const r of results) {
    core.info(
      `${r.source} -> ${r.target}: ${r.status}${r.detail ? ` (${r.detail})` : ''}`
    )
  }
  const counts = countResults(results)
  if (inputs.mode === 'apply') {
    core.info(
      counts.created + counts.updated === 0
        ? `nothing written: all ${counts.unchanged} remote secret(s) were up to date`
        : `created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}`
    )
  }
  core.setOutput('created', String(counts.created))
  core.setOutput('updated', String(counts.updated))
  core.setOutput('unchanged', String(counts.unchanged))
  core.setOutput('matrix-json', matrixJson(results))
}

/** exchange-secrets: the remote secrets of every ordered pair of clusters. */
export async function run(deps: ExchangeSecretsDeps): Promise<void> {
  const {core, env} = deps
  try {
    const inputs = readExchangeInputs(env)
    if (inputs.clusters.length < 2 && inputs.mode !== 'revoke') {
      core.warning(
        `input 'clusters' lists one cluster: there is no pair to ${inputs.mode}`
      )
    }
    const clusters = await clusterTargets(inputs, deps)
    const results = await core.group(`exchange-secrets: ${inputs.mode}`, () =>
      exchange(
        {...inputs, clusters, fieldManager: FIELD_MANAGER},
        {
          mask: s => core.setSecret(s),
          log: m => core.info(m),
          sleep:
            deps.sleep ??
            (ms => new Promise(resolve => setTimeout(resolve, ms))),
          clientFromKubeconfig: clientFromKubeconfigText
        }
      )
    )
    report(inputs, results, core)
    await core.writeSummary(
      renderSummary(inputs.mode, inputs.namespace, results)
    )
    const failed = failures(results)
    if (failed.length > 0) {
      const pairs = failed.map(f => `${f.source} -> ${f.target}`).join(', ')
      throw new ConfigurationError(
        `${inputs.mode} failed for ${failed.length} pair(s): ${pairs}; ${failed[0]!.detail ?? ''}`
      )
    }
  } catch (err) {
    core.setFailed(describeError(err, 'exchange-secrets'))
  }
}
