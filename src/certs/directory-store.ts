import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {ConfigurationError} from '../common/errors.ts'
import type {CaStore, StoredCa} from './store.ts'

async function readOptional(
  file: string,
  inputName: string
): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    throw new ConfigurationError(
      `input '${inputName}': cannot read ${file} (${code})`
    )
  }
}

async function readPair(
  certFile: string,
  keyFile: string | undefined,
  inputName: string
): Promise<StoredCa | undefined> {
  const [cert, key] = await Promise.all([
    readOptional(certFile, inputName),
    keyFile === undefined ? undefined : readOptional(keyFile, inputName)
  ])
  return cert === undefined && key === undefined ? undefined : {cert, key}
}

/**
 * The `directory` store: the output directory itself is the store, root key
 * included. Meant for local runs and tests; workflows keep the root key in
 * Secrets Manager instead.
 */
export function directoryStore(dir: string, inputName: string): CaStore {
  return {
    rootLocation: `input '${inputName}' (${join(dir, 'root-cert.pem')} and root-key.pem)`,
    intermediateLocation: cluster =>
      `input '${inputName}' (${join(dir, cluster, 'ca-cert.pem')} and ca-key.pem)`,
    rootKeyInFiles: true,
    async load(clusters, options) {
      const [root, ...pairs] = await Promise.all([
        readPair(
          join(dir, 'root-cert.pem'),
          options.rootKey ? join(dir, 'root-key.pem') : undefined,
          inputName
        ),
        ...clusters.map(cluster =>
          readPair(
            join(dir, cluster, 'ca-cert.pem'),
            join(dir, cluster, 'ca-key.pem'),
            inputName
          )
        )
      ])
      return {
        root,
        intermediates: Object.fromEntries(
          clusters.map((cluster, i) => [cluster, pairs[i]])
        )
      }
    },
    // The files written to the output directory are the store.
    async save() {
      return []
    }
  }
}
