// Long-running components: started detached so that they outlive `npm test`
// and `npm run testbed -- up`, recorded by pid, stopped by `down`.
import {spawn} from 'node:child_process'
import {closeSync, openSync, readFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'

/** A free loopback port, chosen by the kernel, never a fixed number. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Starts `bin args` in its own session with output to `log`. */
export function startDetached(bin, args, log, env = process.env, cwd) {
  const fd = openSync(log, 'a')
  try {
    const child = spawn(bin, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env,
      ...(cwd ? {cwd} : {})
    })
    child.unref()
    return child.pid
  } finally {
    closeSync(fd)
  }
}

/**
 * Whether `pid` is alive and still runs `bin` with an argument containing
 * `mark` (its data folder or port): a recycled pid, or the same binary
 * started by another clone's test bed, is never reported as ours, nor killed.
 */
export function isOurs(pid, bin, mark) {
  if (!pid) return false
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(
      stat.lastIndexOf(')') + 2,
      stat.lastIndexOf(')') + 3
    )
    const args = cmdline.split('\0')
    return (
      state !== 'Z' &&
      args.some(a => a.includes(bin)) &&
      (!mark || args.some(a => a.includes(mark)))
    )
  } catch {
    return false
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; only if the pid is still ours. */
export async function stop({pid, bin, mark}, graceMs = 10_000) {
  if (!isOurs(pid, bin, mark)) return false
  process.kill(pid, 'SIGTERM')
  for (let waited = 0; waited < graceMs; waited += 100) {
    await sleep(100)
    if (!isOurs(pid, bin, mark)) return true
  }
  process.kill(pid, 'SIGKILL')
  return true
}

/** The last lines of a log, for error messages. */
export function tail(log, lines = 12) {
  try {
    return readFileSync(log, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n')
  } catch {
    return '(no log)'
  }
}

/**
 * Polls `probe` until it returns true; fails with the component's log if
 * the process dies or the time runs out.
 */
export async function waitUntil(what, {probe, pid, bin, mark, log, timeoutMs}) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (pid && !isOurs(pid, bin, mark)) {
      throw new Error(
        `${what} exited during start; its log ${log} ends:\n${tail(log)}`
      )
    }
    try {
      if (await probe()) return
    } catch {
      // not answering yet
    }
    await sleep(250)
  }
  throw new Error(
    `${what} did not become ready within ${timeoutMs / 1000}s; its log ${log} ends:\n${tail(log)}`
  )
}
