import {closeSync, openSync, readFileSync, rmSync, statSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

const STALE_MS = 10 * 60_000

/** An exclusive lock file; a lock older than ten minutes is taken over. */
export async function acquireLock(file) {
  for (let waited = 0; ; waited += 500) {
    try {
      closeSync(openSync(file, 'wx'))
      return () => rmSync(file, {force: true})
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
      let age = 0
      try {
        age = Date.now() - statSync(file).mtimeMs
      } catch {
        continue
      }
      if (age > STALE_MS) rmSync(file, {force: true})
      if (waited % 10_000 === 0) {
        const holder = (() => {
          try {
            return readFileSync(file, 'utf8')
          } catch {
            return ''
          }
        })()
        console.log(`waiting for ${file} ${holder}`)
      }
      await sleep(500)
    }
  }
}
