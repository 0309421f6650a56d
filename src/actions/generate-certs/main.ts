import {join} from 'node:path'
import {directoryStore} from '../../certs/directory-store.ts'
import {writeFileSet} from '../../certs/file-set.ts'
import type {CertFile} from '../../certs/layout.ts'
import {fetchCerts} from '../../certs/fetch.ts'
import {generateCerts, type GenerateResult} from '../../certs/generate.ts'
import {
  isUnchanged,
  renderClustersJson,
  renderSummary
} from '../../certs/report.ts'
import type {CaStore} from '../../certs/store.ts'
import type {Core} from '../../common/core.ts'
import {describeError} from '../../common/errors.ts'
import {KEY_FILES_STATE} from './cleanup.ts'
import type {BaseDeps} from '../deps.ts'
import {readGenerateCertsInputs, type GenerateCertsInputs} from './inputs.ts'

export interface GenerateCertsDeps extends BaseDeps {
  now?: () => Date
}

async function openStore(
  inputs: GenerateCertsInputs,
  env: NodeJS.ProcessEnv
): Promise<{store: CaStore; close: () => void}> {
  if (inputs.store === 'directory') {
    return {store: directoryStore(inputs.outputDir, 'output-dir'), close() {}}
  }
  // The AWS SDK is loaded only when used: it is most of the bundle, and
  // every run of the directory store would pay for starting it.
  const [{SecretsManagerClient}, {awsClientSettings, createAwsClient}, store] =
    await Promise.all([
      import('@aws-sdk/client-secrets-manager'),
      import('../../aws/clients.ts'),
      import('../../aws/secrets-store.ts')
    ])
  const client = createAwsClient(
    SecretsManagerClient,
    awsClientSettings({
      region: inputs.awsRegion,
      env,
      regionInput: 'aws-region'
    })
  )
  return {
    store: store.secretsManagerStore(
      client,
      inputs.secretPrefix,
      'secret-prefix'
    ),
    close: () => client.destroy()
  }
}

function report(
  result: GenerateResult,
  inputs: GenerateCertsInputs,
  core: Core
) {
  for (const warning of result.warnings) core.warning(warning)
  for (const change of result.storeChanges) core.info(change)
  core.info(
    `root CA: ${result.root.status} (${result.root.reason}), fingerprint ${result.root.fingerprint}`
  )
  for (const c of result.clusters) {
    core.info(
      `${c.cluster}: ${c.status} (${c.reason}), not after ${c.notAfter.toISOString()}`
    )
  }
  if (isUnchanged(result)) {
    core.info(
      `nothing changed: the root CA and ${result.clusters.length} intermediate CA(s) were reused and every file in ${inputs.outputDir} was already up to date`
    )
  } else {
    core.info(
      `wrote ${result.files.written.length} file(s) to ${inputs.outputDir}, ${result.files.unchanged.length} unchanged`
    )
  }
  core.setOutput('root-fingerprint', result.root.fingerprint)
  core.setOutput('certs-dir', inputs.outputDir)
  core.setOutput('clusters-json', renderClustersJson(result))
}

/** generate-certs: the root CA and one intermediate CA per cluster. */
export async function run(deps: GenerateCertsDeps): Promise<void> {
  const {core, env} = deps
  try {
    const inputs = readGenerateCertsInputs(env)
    const {store, close} = await openStore(inputs, env)
    try {
      const certsDeps = {
        store,
        mask: (secret: string) => core.setSecret(secret),
        writeFiles: (files: CertFile[]) =>
          writeFileSet(inputs.outputDir, files, 'output-dir'),
        now: deps.now ?? (() => new Date())
      }
      const result = await core.group(`generate-certs (${inputs.mode})`, () =>
        inputs.mode === 'fetch'
          ? fetchCerts(inputs, certsDeps)
          : generateCerts(inputs, certsDeps)
      )
      report(result, inputs, core)
      if (inputs.store === 'aws-secrets-manager') {
        // Secrets Manager keeps every key, so the copies on disk are only
        // needed for this job: the post step removes them.
        deps.saveState?.(
          KEY_FILES_STATE,
          JSON.stringify(
            inputs.clusters.map(c => join(inputs.outputDir, c, 'ca-key.pem'))
          )
        )
      }
      await core.writeSummary(renderSummary(result, inputs.mode))
    } finally {
      close()
    }
  } catch (err) {
    core.setFailed(describeError(err, 'generate-certs'))
  }
}
