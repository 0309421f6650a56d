import type {Core} from '../../common/core.ts'
import {describeError} from '../../common/errors.ts'
import {apiBaseUrl, repository, runId, runUrl} from '../../github/context.ts'
import {redactor} from '../../github/redact.ts'
import {execInPod} from '../../kube/exec.ts'
import type {ClusterTarget} from '../../kube/kubeconfig.ts'
import {portForwardIstiod, urlIstiod} from '../../mesh/verify-istiod.ts'
import {
  ISSUE_LABEL,
  ISSUE_TITLE,
  issueBody,
  outputs,
  renderSummary,
  runComment,
  runMarker
} from '../../mesh/verify-report.ts'
import {verifyMesh, type VerifyReport} from '../../mesh/verify.ts'
import {clusterTargets, FIELD_MANAGER} from '../clusters.ts'
import type {BaseDeps} from '../deps.ts'
import {readVerifyInputs, type VerifyInputs} from './inputs.ts'

/** One call to istiod's debug API may take this long. */
const DEBUG_TIMEOUT_MS = 20_000

export interface VerifyMeshDeps extends BaseDeps {
  now?: () => number
  /** Where SIGINT and SIGTERM arrive (the runner's cancellation). */
  signals?: NodeJS.EventEmitter
}

/** A sleep that ends early when the run is cancelled. */
export function abortableSleep(signal: AbortSignal) {
  return (ms: number) =>
    new Promise<void>(resolve => {
      if (signal.aborted || ms <= 0) return resolve()
      const done = () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal.addEventListener('abort', done, {once: true})
    })
}

async function reportToIssue(
  inputs: VerifyInputs,
  report: VerifyReport,
  summary: string,
  deps: VerifyMeshDeps
) {
  const {core, env} = deps
  const repo = repository(env)
  if (!repo) {
    core.warning(`report-issue: GITHUB_REPOSITORY is not set; no issue written`)
    return
  }
  const {createGitHubClient} = await import('../../github/client.ts')
  const {reportIssue} = await import('../../github/issues.ts')
  const gh = createGitHubClient({
    token: inputs.githubToken!,
    baseUrl: apiBaseUrl(env),
    warn: m => core.warning(m)
  })
  const url = runUrl(env)
  const attempt = runId(env)
  const failing = report.result === 'fail'
  try {
    const r = await reportIssue(gh, repo, failing, {
      label: ISSUE_LABEL,
      title: ISSUE_TITLE,
      body: issueBody(summary, url),
      comment: runComment(attempt, summary, url, !failing),
      commentMarker: runMarker(attempt)
    })
    core.info(
      r.action === 'none'
        ? `report-issue: no open ${ISSUE_LABEL} issue, nothing to do`
        : `report-issue: ${r.action} issue #${r.number}${r.url ? ` ${r.url}` : ''}`
    )
  } catch (err) {
    // The verdict stands and the step fails or passes on it; a report that
    // could not be written must still be seen.
    core.warning(`report-issue: ${(err as Error).message}`)
  }
}

/** verify-mesh: the control plane and traffic of every cluster of the mesh. */
export async function run(deps: VerifyMeshDeps): Promise<void> {
  const {core, env} = deps
  const secrets: string[] = []
  const mask = (s: string) => {
    secrets.push(s)
    core.setSecret(s)
  }
  const cancel = new AbortController()
  const signals = deps.signals ?? process
  const onSignal = (name: string) => {
    if (!cancel.signal.aborted) {
      core.warning(`verify-mesh: ${name} received: stopping, then cleaning up`)
    }
    cancel.abort()
  }
  const onInt = () => onSignal('SIGINT')
  const onTerm = () => onSignal('SIGTERM')
  signals.on('SIGINT', onInt)
  signals.on('SIGTERM', onTerm)
  let parsed = false
  try {
    const inputs = readVerifyInputs(env, {onSecret: mask})
    parsed = true
    const coreMasked: Pick<Core, 'setSecret'> = {setSecret: mask}
    const clusters = await clusterTargets(inputs, {core: coreMasked, env})
    const checks = [
      inputs.checks.controlPlane ? 'control-plane' : '',
      inputs.checks.traffic ? 'traffic' : ''
    ].filter(Boolean)
    core.info(
      `verify-mesh: ${clusters.length} cluster(s) ${clusters.map(c => c.name).join(', ')}; checks ${checks.join(', ')}; ${inputs.checks.traffic ? `at most ${inputs.requests} answered requests per source${inputs.requestsAuto ? ' (auto)' : ''}; ` : ''}timeout ${Math.round(inputs.timeoutMs / 1000)} s`
    )
    const istiod = (t: ClusterTarget) => {
      const url = inputs.istiodUrls[t.name]
      const o = {timeoutMs: DEBUG_TIMEOUT_MS, signal: cancel.signal}
      return url
        ? urlIstiod(url, o)
        : portForwardIstiod(t, inputs.istioNamespace, o)
    }
    const report = await verifyMesh(
      {
        clusters,
        namespace: inputs.namespace,
        istioNamespace: inputs.istioNamespace,
        checks: inputs.checks,
        requests: inputs.requests,
        timeoutMs: inputs.timeoutMs,
        cleanup: inputs.cleanup,
        images: inputs.images,
        fieldManager: FIELD_MANAGER
      },
      {
        log: m => core.info(m),
        group: (name, fn) => core.group(name, fn),
        now: deps.now ?? Date.now,
        sleep: abortableSleep(cancel.signal),
        signal: cancel.signal,
        istiod,
        exec: (t, r) => {
          if (!t.connection)
            throw new Error(`${t.name}: no connection for exec`)
          return execInPod(t.connection, t.name, r)
        }
      }
    )
    const redact = redactor([
      ...secrets,
      ...(inputs.githubToken ? [inputs.githubToken] : [])
    ])
    for (const [name, value] of Object.entries(outputs(report))) {
      core.setOutput(name, redact(value))
    }
    const summary = redact(renderSummary(report))
    await core.writeSummary(summary)
    if (inputs.reportIssue) await reportToIssue(inputs, report, summary, deps)
    if (report.result === 'fail') {
      const shown = report.failures.slice(0, 3).join('; ')
      core.setFailed(
        redact(
          `verify-mesh failed: ${shown}${report.failures.length > 3 ? ` (and ${report.failures.length - 3} more in the job summary)` : ''}`
        )
      )
    } else {
      core.info('verify-mesh: pass')
    }
  } catch (err) {
    if (parsed) core.setOutput('result', 'fail')
    core.setFailed(redactor(secrets)(describeError(err, 'verify-mesh')))
  } finally {
    signals.off('SIGINT', onInt)
    signals.off('SIGTERM', onTerm)
  }
}
