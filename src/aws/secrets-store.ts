import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import type {CaStore, StoredCa} from '../certs/store.ts'
import {ConfigurationError} from '../common/errors.ts'
import {describeAwsError} from './clients.ts'

/** The root CA's certificate: public, read by every role that fetches. */
export function rootCertSecretName(prefix: string): string {
  return `${prefix}root-cert`
}

/** The root CA's key: read only by the role that issues (mode issue). */
export function rootKeySecretName(prefix: string): string {
  return `${prefix}root-key`
}

/**
 * The root CA as versions up to 0.1 kept it: certificate and key in one
 * secret, so every role that read the certificate could read the key.
 * `mode: issue` moves it to the two secrets above and deletes it.
 */
export function legacyRootSecretName(prefix: string): string {
  return `${prefix}root-ca`
}

export function intermediateSecretName(prefix: string, cluster: string) {
  return `${prefix}intermediate/${cluster}`
}

/** Days Secrets Manager keeps a deleted secret restorable (its default). */
export const LEGACY_RECOVERY_DAYS = 30

const isNotFound = (err: unknown) =>
  (err as {name?: string}).name === 'ResourceNotFoundException'

/** A secret's value: JSON with `cert` and/or `key` PEM. */
function parseSecret(text: string | undefined): StoredCa {
  try {
    const value = JSON.parse(text ?? '') as Record<string, unknown>
    return {
      cert: typeof value.cert === 'string' ? value.cert : undefined,
      key: typeof value.key === 'string' ? value.key : undefined
    }
  } catch {
    return {}
  }
}

/** What load found of the earlier layout, for save to finish moving it. */
interface Move {
  /** root-cert / root-key still to be written from the loaded root. */
  cert: boolean
  key: boolean
  /** The earlier combined secret is to be deleted once all is written. */
  deleteLegacy: boolean
}

/**
 * The `aws-secrets-manager` store, one secret per CA part under
 * `secret-prefix`: `root-cert` (certificate), `root-key` (key: only the
 * certs role may read it, and `mode: fetch` never asks for it) and
 * `intermediate/<cluster>` (certificate and key, which the cluster stage
 * needs). Every workflow run reuses the same root; the root key never
 * touches disk.
 */
export function secretsManagerStore(
  client: SecretsManagerClient,
  prefix: string,
  inputName: string
): CaStore {
  const names = {
    cert: rootCertSecretName(prefix),
    key: rootKeySecretName(prefix),
    legacy: legacyRootSecretName(prefix)
  }
  // Secrets seen at load get a new version; the others are created, which
  // fails if a concurrent run created them first instead of overwriting
  // the CA that run may already have handed to a cluster.
  const found = new Set<string>()
  let loadedRoot: StoredCa | undefined
  let move: Move = {cert: false, key: false, deleteLegacy: false}
  let rootFromLegacy = false

  const fail = (name: string, err: unknown): never => {
    throw new ConfigurationError(
      `input '${inputName}': cannot read secret '${name}' from AWS Secrets Manager: ${describeAwsError(err)}`
    )
  }
  const read = async (name: string): Promise<StoredCa | undefined> => {
    try {
      const out = await client.send(new GetSecretValueCommand({SecretId: name}))
      found.add(name)
      return parseSecret(out.SecretString)
    } catch (err) {
      if (isNotFound(err)) return undefined
      return fail(name, err)
    }
  }
  /** Whether a secret exists and is not scheduled for deletion. */
  const isLive = async (name: string): Promise<boolean> => {
    try {
      const out = await client.send(new DescribeSecretCommand({SecretId: name}))
      return out.DeletedDate === undefined
    } catch (err) {
      if (isNotFound(err)) return false
      return fail(name, err)
    }
  }
  const write = async (name: string, value: StoredCa, what: string) => {
    const SecretString = JSON.stringify(value)
    try {
      if (found.has(name)) {
        await client.send(
          new PutSecretValueCommand({SecretId: name, SecretString})
        )
      } else {
        await client.send(
          new CreateSecretCommand({
            Name: name,
            Description: `Istio mesh ${what}, written by generate-certs`,
            SecretString
          })
        )
        found.add(name)
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
  // The key first: a certificate in the store is what everyone trusts, so
  // it must never be there without its key. A key left without its
  // certificate by a failed run is overwritten by the next one.
  const writeRoot = async (
    root: StoredCa,
    parts: {cert: boolean; key: boolean}
  ) => {
    if (parts.key) {
      await write(
        names.key,
        {key: root.key},
        'root CA key (private: only the issuing role reads it)'
      )
    }
    if (parts.cert) {
      await write(names.cert, {cert: root.cert}, 'root CA certificate (public)')
    }
  }

  /**
   * The root as `mode: issue` sees it: the two secrets, and the earlier
   * combined one when it is still there. A root found only there is used
   * and moved by save; one found in both must be the same root.
   */
  const loadRootWithKey = async (): Promise<StoredCa | undefined> => {
    const [cert, key, legacyLive] = await Promise.all([
      read(names.cert),
      read(names.key),
      isLive(names.legacy)
    ])
    const legacy = legacyLive ? await read(names.legacy) : undefined
    if (legacy === undefined) {
      // A key without a certificate is a failed run's leftover, not a root.
      return cert && {cert: cert.cert, key: key?.key}
    }
    if (cert === undefined) {
      rootFromLegacy = true
      move = {cert: true, key: key?.key !== legacy.key, deleteLegacy: true}
      return legacy
    }
    if (cert.cert !== legacy.cert) {
      throw new ConfigurationError(
        `secrets '${names.cert}' and '${names.legacy}' (the layout of an earlier version) hold different root CAs; keep the one the clusters trust: delete '${names.legacy}', or delete '${names.cert}' and '${names.key}' to move it again (input '${inputName}')`
      )
    }
    // A move that stopped half-way: finish it.
    move = {cert: false, key: key?.key === undefined, deleteLegacy: true}
    return {cert: cert.cert, key: key?.key ?? legacy.key}
  }

  return {
    get rootLocation() {
      return rootFromLegacy
        ? `AWS Secrets Manager secret '${names.legacy}', the layout of an earlier version (input '${inputName}')`
        : `AWS Secrets Manager secrets '${names.cert}' and '${names.key}' (input '${inputName}')`
    },
    intermediateLocation: cluster =>
      `AWS Secrets Manager secret '${intermediateSecretName(prefix, cluster)}'`,
    rootKeyInFiles: false,
    async load(clusters, options) {
      const [root, ...pairs] = await Promise.all([
        options.rootKey
          ? loadRootWithKey()
          : read(names.cert).then(c => c && {cert: c.cert}),
        ...clusters.map(c => read(intermediateSecretName(prefix, c)))
      ])
      loadedRoot = root
      return {
        root,
        intermediates: Object.fromEntries(
          clusters.map((cluster, i) => [cluster, pairs[i]])
        )
      }
    },
    async save(changed) {
      const notes: string[] = []
      // The root first: an intermediate in the store must never name a root
      // the store does not hold. A failure after it is repaired by the next
      // run, which reissues intermediates not signed by the stored root.
      if (changed.root) {
        await writeRoot(changed.root, {cert: true, key: true})
      } else if (loadedRoot && (move.cert || move.key)) {
        await writeRoot(loadedRoot, move)
        notes.push(
          `moved the root CA from secret '${names.legacy}' to '${names.cert}' (certificate) and '${names.key}' (key)`
        )
      }
      await Promise.all(
        Object.entries(changed.intermediates).map(([cluster, ca]) =>
          write(
            intermediateSecretName(prefix, cluster),
            ca,
            `intermediate CA for ${cluster} (certificate and key)`
          )
        )
      )
      // Last, once everything it held is in the new secrets: roles that
      // could read it before may not read the root key any longer.
      if (move.deleteLegacy) {
        try {
          await client.send(
            new DeleteSecretCommand({
              SecretId: names.legacy,
              RecoveryWindowInDays: LEGACY_RECOVERY_DAYS
            })
          )
        } catch (err) {
          throw new Error(
            `cannot delete secret '${names.legacy}' (it holds the root key where other roles may read it): ${describeAwsError(err)}`
          )
        }
        notes.push(
          `scheduled secret '${names.legacy}' (the earlier layout, root key included) for deletion; it can be restored for ${LEGACY_RECOVERY_DAYS} days`
        )
      }
      return notes
    }
  }
}
