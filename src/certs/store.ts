import type {CaPem} from './x509.ts'

/** A CA as found in a store: either part may be missing. */
export interface StoredCa {
  cert?: string
  key?: string
}

export interface StoredCas {
  root: StoredCa | undefined
  intermediates: Record<string, StoredCa | undefined>
}

/**
 * Where the root and the intermediates persist between runs. The output
 * directory always receives the files the cluster stage reads; a store
 * decides where the CA keys live for the next run.
 */
export interface CaStore {
  /** For messages: where the root is kept, naming the input to fix. */
  readonly rootLocation: string
  /** For messages: where a cluster's intermediate CA is kept. */
  intermediateLocation(cluster: string): string
  /** Whether root-key.pem belongs in the output directory. */
  readonly rootKeyInFiles: boolean
  /**
   * Reads the root and the clusters' intermediates. Without `rootKey` the
   * root key is never read (not even asked for): `mode: fetch` runs with
   * roles that must not be able to read it.
   */
  load(clusters: string[], options: {rootKey: boolean}): Promise<StoredCas>
  /**
   * Persists what changed; called only after every chain verified. Returns
   * what else the store changed (moving a root kept in an earlier layout),
   * in words for the log; empty when it wrote only what it was given.
   */
  save(changed: {
    root?: CaPem
    intermediates: Record<string, CaPem>
  }): Promise<string[]>
}
