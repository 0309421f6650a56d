import type {CaPem} from './x509.ts'

/** A CA as found in a store: either part may be missing. */
export interface StoredCa {
  cert?: string
  key?: string
}

/**
 * Where the root and the intermediates persist between runs. The output
 * directory always receives the files the cluster stage reads; a store
 * decides where the CA keys live for the next run.
 */
export interface CaStore {
  /** For messages: names the input that points at the stored root. */
  readonly rootLocation: string
  /** Whether root-key.pem belongs in the output directory. */
  readonly rootKeyInFiles: boolean
  load(clusters: string[]): Promise<{
    root: StoredCa | undefined
    intermediates: Record<string, StoredCa | undefined>
  }>
  /** Persists what changed; called only after every chain verified. */
  save(changed: {
    root?: CaPem
    intermediates: Record<string, CaPem>
  }): Promise<void>
}
