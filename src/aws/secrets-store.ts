import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import type {CaStore, StoredCa} from '../certs/store.ts'
import type {CaPem} from '../certs/x509.ts'
import {ConfigurationError} from '../common/errors.ts'
import {describeAwsError} from './clients.ts'

export function rootSecretName(prefix: string): string {
  return `${prefix}root-ca`
}

export function intermediateSecretName(prefix: string, cluster: string) {
  return `${prefix}intermediate/${cluster}`
}

const isNotFound = (err: unknown) =>
  (err as {name?: string}).name === 'ResourceNotFoundException'

/** A secret's value: the certificate and key PEM, as JSON. */
function parseSecret(text: string | undefined): StoredCa {
  try {
    const value = JSON.parse(text ?? '') as Partial<CaPem>
    return {
      cert: typeof value.cert === 'string' ? value.cert : undefined,
      key: typeof value.key === 'string' ? value.key : undefined
    }
  } catch {
    return {}
  }
}

/**
 * The `aws-secrets-manager` store: the root and every intermediate live in
 * Secrets Manager (one secret each, under `secret-prefix`), so every
 * workflow run reuses the same root and the root key never touches disk.
 */
export function secretsManagerStore(
  client: SecretsManagerClient,
  prefix: string,
  inputName: string
): CaStore {
  // Secrets seen at load get a new version; the others are created, which
  // fails if a concurrent run created them first instead of overwriting
  // the CA that run may already have handed to a cluster.
  const found = new Set<string>()
  const read = async (name: string): Promise<StoredCa | undefined> => {
    try {
      const out = await client.send(new GetSecretValueCommand({SecretId: name}))
      found.add(name)
      return parseSecret(out.SecretString)
    } catch (err) {
      if (isNotFound(err)) return undefined
      throw new ConfigurationError(
        `input '${inputName}': cannot read secret '${name}' from AWS Secrets Manager: ${describeAwsError(err)}`
      )
    }
  }
  const write = async (name: string, ca: CaPem, what: string) => {
    const SecretString = JSON.stringify({cert: ca.cert, key: ca.key})
    try {
      if (found.has(name)) {
        await client.send(
          new PutSecretValueCommand({SecretId: name, SecretString})
        )
      } else {
        await client.send(
          new CreateSecretCommand({
            Name: name,
            Description: `Istio mesh ${what} (certificate and key PEM), written by generate-certs`,
            SecretString
          })
        )
      }
    } catch (err) {
      if ((err as {name?: string}).name === 'ResourceExistsException') {
        throw new Error(
          `secret '${name}' was created by another run while this one was working; nothing of this run was kept for it: run again to reuse that CA`
        )
      }
      throw new Error(
        `cannot write secret '${name}' to AWS Secrets Manager: ${describeAwsError(err)}`
      )
    }
  }
  return {
    rootLocation: `AWS Secrets Manager secret '${rootSecretName(prefix)}' (input '${inputName}')`,
    rootKeyInFiles: false,
    async load(clusters) {
      const [root, ...pairs] = await Promise.all([
        read(rootSecretName(prefix)),
        ...clusters.map(c => read(intermediateSecretName(prefix, c)))
      ])
      return {
        root,
        intermediates: Object.fromEntries(
          clusters.map((cluster, i) => [cluster, pairs[i]])
        )
      }
    },
    async save(changed) {
      // The root first: an intermediate in the store must never name a root
      // the store does not hold. A failure after it is repaired by the next
      // run, which reissues intermediates not signed by the stored root.
      if (changed.root) {
        await write(rootSecretName(prefix), changed.root, 'root CA')
      }
      await Promise.all(
        Object.entries(changed.intermediates).map(([cluster, ca]) =>
          write(
            intermediateSecretName(prefix, cluster),
            ca,
            `intermediate CA for ${cluster}`
          )
        )
      )
    }
  }
}
