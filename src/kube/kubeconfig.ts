import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, dirname, join, resolve} from 'node:path'
import {parse} from 'yaml'
import {ConfigurationError} from '../common/errors.ts'
import {
  httpsTransport,
  kubeClient,
  type Connection,
  type KubeClient,
  type KubeClientOptions
} from './client.ts'

/** One listed cluster: its ID (the remote-secret key) and how to reach it. */
export interface ClusterEntry {
  name: string
  /** The kubeconfig context (provider kubeconfig) or EKS cluster name. */
  context: string
}

export interface ClusterTarget {
  name: string
  /** The API server URL a remote cluster's istiod will use. */
  server: string
  kube: KubeClient
  /**
   * The TLS settings and credentials behind `kube`, for the streaming
   * subresources (exec, port-forward) that upgrade to a WebSocket.
   */
  connection?: Connection
}

type Fields = Record<string, unknown>
interface Named {
  name: string
  fields: Fields
  /** The file relative paths in it are resolved against. */
  base: string
}

/**
 * A parsed kubeconfig: what client-go's loader keeps, first file winning
 * for each name. Only static credentials are supported: `exec` and auth
 * providers would run programs or need state this toolkit does not have.
 */
export interface Kubeconfig {
  clusters: Map<string, Named>
  users: Map<string, Named>
  contexts: Map<string, {cluster: string; user: string}>
  currentContext?: string
}

function named(list: unknown, key: string, base: string): Named[] {
  if (!Array.isArray(list)) return []
  return list.flatMap(item => {
    const i = item as Record<string, unknown> | null
    const fields = i?.[key]
    return typeof i?.name === 'string' && fields && typeof fields === 'object'
      ? [{name: i.name, fields: fields as Fields, base}]
      : []
  })
}

/** Parses kubeconfig text; `source` names it in errors, never its content. */
export function parseKubeconfig(
  texts: readonly {text: string; path: string}[],
  source: string
): Kubeconfig {
  const config: Kubeconfig = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map()
  }
  for (const {text, path} of texts) {
    let doc: Record<string, unknown>
    try {
      doc = (parse(text) ?? {}) as Record<string, unknown>
    } catch {
      throw new ConfigurationError(
        `input 'kubeconfig' must name a YAML kubeconfig, '${source}' is not one`
      )
    }
    const base = dirname(path)
    for (const c of named(doc.clusters, 'cluster', base)) {
      if (!config.clusters.has(c.name)) config.clusters.set(c.name, c)
    }
    for (const u of named(doc.users, 'user', base)) {
      if (!config.users.has(u.name)) config.users.set(u.name, u)
    }
    for (const c of named(doc.contexts, 'context', base)) {
      if (config.contexts.has(c.name)) continue
      config.contexts.set(c.name, {
        cluster: String(c.fields.cluster ?? ''),
        user: String(c.fields.user ?? '')
      })
    }
    const current = doc['current-context']
    if (config.currentContext === undefined && typeof current === 'string') {
      config.currentContext = current
    }
  }
  return config
}

/**
 * Loads the user's kubeconfig: the file given, else every file in
 * $KUBECONFIG, else ~/.kube/config. Only paths appear in errors.
 */
export function loadKubeconfig(
  path: string | undefined,
  env: NodeJS.ProcessEnv = process.env
): Kubeconfig {
  const paths = path
    ? [path]
    : env.KUBECONFIG
      ? env.KUBECONFIG.split(delimiter).filter(p => p !== '')
      : [join(homedir(), '.kube', 'config')]
  const source = path ?? (env.KUBECONFIG ? '$KUBECONFIG' : '~/.kube/config')
  const texts = paths.flatMap(p => {
    try {
      return [{text: readFileSync(p, 'utf8'), path: resolve(p)}]
    } catch (err) {
      // client-go skips missing files of a $KUBECONFIG list.
      if (!path && paths.length > 1) return []
      throw new ConfigurationError(
        `input 'kubeconfig' must name a readable kubeconfig file, got '${source}' (${(err as {code?: string}).code ?? 'unreadable'})`
      )
    }
  })
  return parseKubeconfig(texts, source)
}

const str = (f: Fields, key: string) =>
  typeof f[key] === 'string' && f[key] !== '' ? (f[key] as string) : undefined

function fileOrData(
  f: Named,
  dataKey: string,
  fileKey: string,
  what: string
): string | undefined {
  const data = str(f.fields, dataKey)
  if (data) return Buffer.from(data, 'base64').toString('utf8')
  const file = str(f.fields, fileKey)
  if (!file) return undefined
  try {
    return readFileSync(resolve(f.base, file), 'utf8')
  } catch (err) {
    throw new ConfigurationError(
      `kubeconfig ${what} '${f.name}': cannot read ${fileKey} (${(err as {code?: string}).code ?? 'unreadable'})`
    )
  }
}

/** How to reach and authenticate to a context's API server. */
export function connection(config: Kubeconfig, context: string): Connection {
  const ctx = config.contexts.get(context)
  const cluster = ctx && config.clusters.get(ctx.cluster)
  const server = cluster && str(cluster.fields, 'server')
  if (!ctx || !cluster || !server) {
    throw new ConfigurationError(
      `input 'clusters': context '${context}' has no cluster with a server in the kubeconfig`
    )
  }
  const user = config.users.get(ctx.user)
  const u = user?.fields ?? {}
  if (u.exec || u['auth-provider']) {
    throw new ConfigurationError(
      `input 'clusters': context '${context}' authenticates with ${u.exec ? 'exec' : 'an auth provider'}, which this action does not run: use a token or client certificate, or provider eks`
    )
  }
  const tokenFile = str(u, 'tokenFile')
  let token = str(u, 'token')
  if (!token && tokenFile && user) {
    try {
      token = readFileSync(resolve(user.base, tokenFile), 'utf8').trim()
    } catch (err) {
      throw new ConfigurationError(
        `kubeconfig user '${user.name}': cannot read tokenFile (${(err as {code?: string}).code ?? 'unreadable'})`
      )
    }
  }
  const username = str(u, 'username')
  const password = str(u, 'password')
  return {
    server,
    ca: fileOrData(
      cluster,
      'certificate-authority-data',
      'certificate-authority',
      'cluster'
    ),
    insecure: cluster.fields['insecure-skip-tls-verify'] === true,
    servername: str(cluster.fields, 'tls-server-name'),
    ...(user
      ? {
          cert: fileOrData(
            user,
            'client-certificate-data',
            'client-certificate',
            'user'
          ),
          key: fileOrData(user, 'client-key-data', 'client-key', 'user')
        }
      : {}),
    ...(token ? {token} : {}),
    ...(!token && username && password
      ? {basic: Buffer.from(`${username}:${password}`).toString('base64')}
      : {})
  }
}

export function contextNames(config: Kubeconfig): string[] {
  return [...config.contexts.keys()]
}

/** Every listed cluster's target; an unknown context fails before any call. */
export function kubeconfigTargets(
  config: Kubeconfig,
  entries: readonly ClusterEntry[],
  options: KubeClientOptions = {}
): ClusterTarget[] {
  const known = contextNames(config)
  const missing = entries.filter(e => !known.includes(e.context))
  if (missing.length > 0) {
    throw new ConfigurationError(
      `input 'clusters' names kubeconfig contexts that do not exist: ${missing.map(e => `'${e.context}'`).join(', ')} (known: ${known.join(', ') || 'none'})`
    )
  }
  return entries.map(e => {
    const conn = connection(config, e.context)
    return {
      name: e.name,
      server: conn.server,
      kube: kubeClient(e.name, httpsTransport(conn), options),
      connection: conn
    }
  })
}

/** A client from kubeconfig text held in memory (a remote secret's). */
export function clientFromKubeconfigText(
  label: string,
  text: string,
  options: KubeClientOptions = {}
): KubeClient {
  const config = parseKubeconfig([{text, path: '/'}], label)
  const current = config.currentContext ?? ''
  return kubeClient(label, httpsTransport(connection(config, current)), options)
}

/** A client from an endpoint, its CA (base64 PEM) and a bearer token. */
export function tokenTarget(
  name: string,
  server: string,
  caData: string,
  token: string,
  options: KubeClientOptions = {}
): ClusterTarget {
  const conn: Connection = {
    server,
    ca: Buffer.from(caData, 'base64').toString('utf8'),
    insecure: false,
    token
  }
  return {
    name,
    server,
    kube: kubeClient(name, httpsTransport(conn), options),
    connection: conn
  }
}
