// What the test bed runs, kept in `.testbed/` (ignored by git): state.json
// for the scripts, env.json and env.sh for tests and shells.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync
} from 'node:fs'
import {join} from 'node:path'
import {repoRoot} from '../lib/paths.mjs'

/** The addresses of one istiod, as `.testbed/env.json` lists them. */
export function istiodEndpoints(i) {
  return {
    debug: `http://127.0.0.1:${i.ports.http}`,
    xds: `127.0.0.1:${i.ports.grpc}`,
    secureXds: `127.0.0.1:${i.ports.secureGrpc}`
  }
}

export const DIR = join(repoRoot, '.testbed')
const STATE = join(DIR, 'state.json')

/** Fake credentials: the emulator accepts any, real AWS accepts none. */
export const FAKE_AWS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true'
}

/** Writes through a temporary file so readers never see half a file. */
export function writeAtomic(file, text, mode = 0o600) {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text, {mode})
  renameSync(tmp, file)
}

export function readState() {
  if (!existsSync(STATE)) return {clusters: {}, tools: {}, istiod: {}}
  const state = JSON.parse(readFileSync(STATE, 'utf8'))
  return {clusters: {}, tools: {}, istiod: {}, ...state}
}

export function writeState(state) {
  mkdirSync(DIR, {recursive: true, mode: 0o700})
  writeAtomic(STATE, JSON.stringify(state, null, 2) + '\n')
}

/** The contract of `.testbed/env.json` (see test/helpers/testbed.ts). */
export function envJson(state, node) {
  const names = Object.keys(state.clusters).sort(byClusterNumber)
  return {
    tofu: state.tools.tofu ?? '',
    kubeconfig: names.length ? join(DIR, 'kubeconfig') : '',
    clusters: names,
    awsEndpoint: state.aws?.endpoint ?? '',
    actionlint: state.tools.actionlint ?? '',
    zizmor: state.tools.zizmor ?? '',
    checkov: state.tools.checkov ?? '',
    node,
    istioctl: state.tools.istioctl ?? '',
    istiod: Object.fromEntries(
      Object.keys(state.istiod)
        .filter(name => names.includes(name))
        .sort(byClusterNumber)
        .map(name => [name, istiodEndpoints(state.istiod[name])])
    )
  }
}

export function byClusterNumber(a, b) {
  return Number(a.split('-').pop()) - Number(b.split('-').pop())
}

const quote = value => `'${String(value).replaceAll("'", "'\\''")}'`

export function envSh(env) {
  const vars = {
    TOFU: env.tofu,
    KUBECONFIG: env.kubeconfig,
    AWS_ENDPOINT_URL: env.awsEndpoint,
    ...FAKE_AWS,
    ACTIONLINT: env.actionlint,
    ZIZMOR: env.zizmor,
    CHECKOV: env.checkov,
    ISTIOCTL: env.istioctl,
    TESTBED_NODE: env.node,
    TESTBED_CLUSTERS: env.clusters.join(',')
  }
  const lines = Object.entries(vars)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `export ${k}=${quote(v)}`)
  return `# Written by \`npm run testbed -- up\`; source it: . .testbed/env.sh\n${lines.join('\n')}\n`
}

export function writeEnv(state, node) {
  const env = envJson(state, node)
  mkdirSync(DIR, {recursive: true, mode: 0o700})
  writeAtomic(join(DIR, 'env.json'), JSON.stringify(env, null, 2) + '\n')
  writeAtomic(join(DIR, 'env.sh'), envSh(env))
  return env
}
