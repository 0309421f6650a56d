import {mkdtempSync, rmSync} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {basename, join} from 'node:path'
import {describeError} from '../../common/errors.ts'
import {readInputs} from '../../common/inputs.ts'
import {apiBaseUrl, pullRequestTarget, runUrl} from '../../github/context.ts'
import {redactor} from '../../github/redact.ts'
import {spawnCli, type TerraformCli} from '../../terraform/cli.ts'
import {instanceName} from '../../terraform/backend.ts'
import type {PluginCache} from '../../terraform/plugin-cache.ts'
import {
  COMMENT_BUDGET,
  renderStage,
  SUMMARY_BUDGET
} from '../../terraform/render.ts'
import {
  runStage,
  StageFailure,
  type StageInputs,
  type StageResult
} from '../../terraform/stage.ts'
import type {BaseDeps} from '../deps.ts'
import {binaryPath, spec, stageInputs, type Parsed} from './inputs.ts'
import {renderSummaryJson} from '../../terraform/summary-json.ts'

const ACTION = 'apply-stage'

export interface ApplyStageDeps extends BaseDeps {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  cli?: TerraformCli
}

async function actionsCache(
  env: NodeJS.ProcessEnv
): Promise<PluginCache | undefined> {
  if (!env.ACTIONS_RUNTIME_TOKEN) return undefined
  const cache = await import('@actions/cache')
  if (!cache.isFeatureAvailable()) return undefined
  return {
    restore: async (dir, key) => (await cache.restoreCache([dir], key)) === key,
    save: async (dir, key) => void (await cache.saveCache([dir], key))
  }
}

export async function run(deps: ApplyStageDeps): Promise<void> {
  const {core, env} = deps
  let tempDir: string | undefined
  try {
    const inputs = readInputs(spec, env, {onSecret: s => core.setSecret(s)})
    const parsed = stageInputs(inputs, env, m => core.warning(m))
    tempDir = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'apply-stage-'))
    const stage: StageInputs = {...parsed, tempDir}
    const pluginCacheDir = stage.pluginCache
      ? env.TF_PLUGIN_CACHE_DIR ||
        join(
          env.RUNNER_TEMP || join(homedir(), '.cache'),
          'apply-stage-plugins'
        )
      : undefined
    let result: StageResult
    let failure: string | undefined
    try {
      result = await runStage(stage, {
        cli: deps.cli ?? spawnCli(binaryPath(inputs.binary, env), env),
        core,
        now: deps.now ?? Date.now,
        sleep: deps.sleep ?? (ms => new Promise(r => setTimeout(r, ms))),
        random: Math.random,
        cache: stage.pluginCache ? await actionsCache(env) : undefined,
        pluginCacheDir
      })
    } catch (err) {
      if (!(err instanceof StageFailure)) throw err
      result = err.result
      failure = err.message
    }
    await report(result, stage, inputs, deps)
    if (failure) core.setFailed(failure)
  } catch (err) {
    core.setFailed(describeError(err, ACTION))
  } finally {
    if (tempDir) rmSync(tempDir, {recursive: true, force: true})
  }
}

async function report(
  result: StageResult,
  stage: StageInputs,
  inputs: Parsed,
  deps: ApplyStageDeps
): Promise<void> {
  const {core, env} = deps
  // Outside a runner (local command line, root action) the action.yml
  // default arrives unexpanded; it is no token.
  const raw = inputs['github-token']
  const token = raw && !raw.startsWith('${{') ? raw : undefined
  const redact = redactor([...result.secrets, ...(token ? [token] : [])])
  const s = result.summary
  // On apply the plan is the reviewed input or a temporary one: only a plan
  // run hands a plan file on.
  const planFile = stage.command === 'plan' ? result.planFile : undefined
  core.setOutput('has-changes', String(result.hasChanges))
  if (s) {
    core.setOutput('add', String(s.counts.add))
    core.setOutput('change', String(s.counts.change))
    core.setOutput('destroy', String(s.counts.destroy))
    core.setOutput('replace', String(s.counts.replace))
    core.setOutput('drift', String(s.counts.drift > 0))
  }
  if (planFile) core.setOutput('plan-file', planFile)
  if (result.digest) core.setOutput('plan-digest', result.digest)
  const url = runUrl(env)
  const markdown = redact(
    renderStage(result.report, {
      maxChars: COMMENT_BUDGET,
      fullPlanAt: url ? `the [job summary](${url})` : 'the job summary'
    })
  )
  core.setOutput('summary', markdown)
  core.setOutput('summary-json', redact(renderSummaryJson(result, planFile)))
  if (result.outputs)
    core.setOutput('outputs-json', JSON.stringify(result.outputs))
  await core.writeSummary(
    redact(
      renderStage(result.report, {
        maxChars: SUMMARY_BUDGET,
        fullPlanAt: planFile
          ? `the saved plan (\`show ${basename(planFile)}\`)`
          : 'the plan'
      })
    )
  )
  if (inputs['comment-on-pr'] === false) return
  const target = pullRequestTarget(env)
  if (!target) {
    core.debug('not a pull request: no comment')
    return
  }
  if (!token) {
    core.warning(
      `input 'github-token' is empty (or an unexpanded expression): no pull-request comment`
    )
    return
  }
  const {commentMarker, upsertComment} =
    await import('../../github/comments.ts')
  const {createGitHubClient} = await import('../../github/client.ts')
  const marker = commentMarker('apply-stage', {
    stage: stage.stageLabel,
    instance: instanceName(stage.instance)
  })
  const gh = createGitHubClient({
    token,
    baseUrl: apiBaseUrl(env),
    warn: m => core.warning(m)
  })
  try {
    const r = await upsertComment(gh, target, marker, `${marker}\n${markdown}`)
    core.info(`pull-request comment ${r.action}${r.url ? `: ${r.url}` : ''}`)
  } catch (err) {
    // The plan itself succeeded; a comment that could not be written must
    // not hide that, but it must be seen.
    core.warning(`pull-request comment not written: ${(err as Error).message}`)
  }
}
