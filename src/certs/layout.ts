import type {CaPem} from './x509.ts'

/** One file of the output directory, relative to it. */
export interface CertFile {
  path: string
  content: string
  /** Private keys: written 0600 and never logged. */
  secret: boolean
}

/**
 * The layout Istio's Makefile produces, which the cluster stage turns into
 * the cacerts secret. Every root-cert.pem is the same bytes: istiod reloads
 * a new intermediate only while its root file is unchanged. `root-key.pem`
 * only when the output directory is the store (`rootKey`).
 */
export function layoutFiles(
  root: {cert: string; key?: string},
  intermediates: {cluster: string; ca: CaPem}[],
  options: {rootKey: boolean}
): CertFile[] {
  const files: CertFile[] = [
    {path: 'root-cert.pem', content: root.cert, secret: false}
  ]
  if (options.rootKey) {
    if (root.key === undefined) throw new Error('root-key.pem without a key')
    files.push({path: 'root-key.pem', content: root.key, secret: true})
  }
  for (const {cluster, ca} of intermediates) {
    files.push(
      {path: `${cluster}/ca-cert.pem`, content: ca.cert, secret: false},
      {path: `${cluster}/ca-key.pem`, content: ca.key, secret: true},
      {path: `${cluster}/root-cert.pem`, content: root.cert, secret: false},
      {
        path: `${cluster}/cert-chain.pem`,
        content: ca.cert + root.cert,
        secret: false
      }
    )
  }
  return files
}
