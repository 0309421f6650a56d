// Built artifacts live outside the clone so that a fresh clone (or `git
// clean`) on a warm machine starts in seconds. One folder per component and
// version: a version bump builds into a new folder and never reuses stale
// binaries.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {setInterval, clearInterval} from 'node:timers'
import {$} from 'zx'
import {acquireLock} from '../lib/lock.mjs'

export const CACHE =
  process.env.TESTBED_CACHE || join(homedir(), '.cache', 'eks-istio-mesh')

export class ComponentError extends Error {
  constructor(component, message) {
    super(`${component}: ${message}`)
    this.component = component
  }
}

/**
 * An exclusive lock kept fresh while held: the shared lock helper takes
 * over locks older than ten minutes, and a cold build takes longer.
 */
export async function holdLock(file) {
  const release = await acquireLock(file)
  const timer = setInterval(() => {
    const now = new Date()
    try {
      utimesSync(file, now, now)
    } catch {
      // released meanwhile
    }
  }, 60_000)
  timer.unref()
  return () => {
    clearInterval(timer)
    release()
  }
}

/** Prints a line every 30 s while `fn` runs, so long builds show life. */
export async function withHeartbeat(label, fn) {
  const started = Date.now()
  const timer = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000)
    console.log(`  ... ${label} still running (${s}s)`)
  }, 30_000)
  try {
    return await fn()
  } finally {
    clearInterval(timer)
  }
}

/**
 * Runs `build(dir)` once per component/version, under a lock so that two
 * `up` runs never build the same thing at once. The stamp file is written
 * last: a build that dies half-way is redone, never trusted.
 */
export async function cached(component, version, build) {
  const dir = join(CACHE, `${component}-${version}`)
  const stamp = join(dir, '.complete')
  if (existsSync(stamp)) return dir
  mkdirSync(CACHE, {recursive: true})
  const release = await holdLock(`${dir}.lock`)
  try {
    if (existsSync(stamp)) return dir
    const started = Date.now()
    console.log(`building ${component} ${version} into ${dir}`)
    try {
      await build(dir)
    } catch (err) {
      const tail = String(err?.stderr ?? err?.message ?? err)
        .trim()
        .split('\n')
        .slice(-15)
        .join('\n')
      throw new ComponentError(component, `build failed:\n${tail}`)
    }
    const seconds = Math.round((Date.now() - started) / 1000)
    writeFileSync(stamp, JSON.stringify({version, seconds}) + '\n')
    console.log(`built ${component} ${version} in ${seconds}s`)
    return dir
  } finally {
    release()
  }
}

let goSlots = 2
const goQueue = []
// Two cores: more than two Go builds at once only thrashes.
async function goSlot(fn) {
  if (goSlots === 0) await new Promise(resolve => goQueue.push(resolve))
  else goSlots--
  try {
    return await fn()
  } finally {
    const next = goQueue.shift()
    if (next) next()
    else goSlots++
  }
}

/** The go.mod of `module@version`, fetched through the Go module proxy. */
export async function upstreamGoMod(module, version) {
  const out = await $`go mod download -json ${`${module}@${version}`}`.quiet()
  const info = JSON.parse(out.stdout)
  if (info.Error) throw new Error(info.Error)
  return readFileSync(info.GoMod, 'utf8')
}

/** `replace` directives of a go.mod, as [from, to] pairs of text. */
export function replaces(goMod) {
  const pairs = []
  const add = line => {
    const [from, to] = line.split('=>').map(s => s.trim())
    if (from && to) pairs.push([from, to])
  }
  let inBlock = false
  for (const raw of goMod.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim()
    if (inBlock) {
      if (line === ')') inBlock = false
      else if (line) add(line)
    } else if (line === 'replace (') inBlock = true
    else if (line.startsWith('replace ')) add(line.slice('replace '.length))
  }
  return pairs
}

/**
 * Builds Go main packages of a module whose go.mod has `replace`
 * directives (which `go install pkg@version` refuses): a wrapper module
 * requires it and states the replacements itself. `rewrite` maps each
 * upstream replacement to the one the wrapper uses (null drops it);
 * `extraReplaces` adds [from, to] pairs of its own.
 */
export function goWrapperBuild(dir, spec) {
  // The slot is taken before any download, so builds start in call order.
  return goSlot(() => wrapperBuild(dir, spec))
}

async function wrapperBuild(dir, spec) {
  const {
    module,
    version,
    packages,
    rewrite = pair => pair,
    ldflags = '',
    mainGo,
    extraReplaces = []
  } = spec
  const mod = join(dir, 'mod')
  rmSync(mod, {recursive: true, force: true})
  mkdirSync(mod, {recursive: true})
  const upstream = await upstreamGoMod(module, version)
  const lines = [
    ...replaces(upstream)
      .map(pair => rewrite(pair))
      .filter(Boolean),
    ...extraReplaces
  ]
  writeFileSync(
    join(mod, 'go.mod'),
    [
      `module testbed/${spec.name}`,
      '',
      'go 1.25',
      '',
      `require ${module} ${version}`,
      '',
      'replace (',
      ...lines.map(([from, to]) => `\t${from} => ${to}`),
      ')',
      ''
    ].join('\n')
  )
  if (mainGo) writeFileSync(join(mod, 'main.go'), mainGo)
  const sh = $({cwd: mod, stdio: ['ignore', 'inherit', 'inherit']})
  const targets = mainGo ? [] : packages.map(p => `${p}@${version}`)
  await sh`go get ${mainGo ? `${module}@${version}` : targets}`
  if (mainGo) await sh`go mod tidy`
  const tmp = join(dir, 'bin.tmp')
  rmSync(tmp, {recursive: true, force: true})
  mkdirSync(tmp)
  await withHeartbeat(`go build ${spec.name}`, () =>
    mainGo
      ? sh`go build -trimpath -ldflags ${`-s -w ${ldflags}`} -o ${join(tmp, spec.name)} .`
      : sh`go build -trimpath -ldflags ${`-s -w ${ldflags}`} -o ${tmp + '/'} ${packages}`
  )
  rmSync(join(dir, 'bin'), {recursive: true, force: true})
  renameSync(tmp, join(dir, 'bin'))
}

/** `go install module/cmd@version` for modules without replacements. */
export async function goInstall(dir, pkg, version) {
  const tmp = join(dir, 'bin.tmp')
  rmSync(tmp, {recursive: true, force: true})
  mkdirSync(tmp, {recursive: true})
  await goSlot(() =>
    withHeartbeat(
      `go install ${pkg}`,
      () =>
        $({
          env: {...process.env, GOBIN: tmp},
          stdio: ['ignore', 'inherit', 'inherit']
        })`go install -trimpath -ldflags=${'-s -w'} ${`${pkg}@${version}`}`
    )
  )
  rmSync(join(dir, 'bin'), {recursive: true, force: true})
  renameSync(tmp, join(dir, 'bin'))
}

/** A Python virtual environment with pinned requirements. */
export async function venv(dir, requirements) {
  const env = join(dir, 'venv')
  rmSync(env, {recursive: true, force: true})
  const sh = $({stdio: ['ignore', 'inherit', 'inherit']})
  await sh`python3 -m venv ${env}`
  await withHeartbeat(
    `pip install ${requirements.join(' ')}`,
    () =>
      sh`${join(env, 'bin', 'pip')} install --disable-pip-version-check --progress-bar off ${requirements}`
  )
  return env
}
