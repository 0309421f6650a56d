// The AWS emulator: one moto server on a free loopback port. Its state
// lives in memory, so a restart starts from an empty account.
import {join} from 'node:path'
import {freePort, isOurs, startDetached, waitUntil} from './procs.mjs'

export async function startAws(state, {motoServer}, dir) {
  const running = state.aws
  if (running && isOurs(running.pid, running.bin, running.mark)) {
    console.log(`aws: moto already running on ${running.endpoint}`)
    return running
  }
  const port = await freePort()
  const log = join(dir, 'moto.log')
  const pid = startDetached(
    motoServer,
    ['-H', '127.0.0.1', '-p', String(port)],
    log
  )
  const endpoint = `http://127.0.0.1:${port}`
  const mark = String(port)
  await waitUntil('aws (moto server)', {
    pid,
    bin: motoServer,
    mark,
    log,
    timeoutMs: 60_000,
    probe: async () => (await fetch(`${endpoint}/moto-api/`)).status < 500
  })
  console.log(`aws: moto started on ${endpoint} (pid ${pid})`)
  return {pid, bin: motoServer, mark, port, endpoint, log}
}
