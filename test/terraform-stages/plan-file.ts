import {readFileSync} from 'node:fs'
import {inflateRawSync} from 'node:zlib'

/**
 * The entries of a saved (unencrypted) plan, which is a zip archive, each
 * decompressed: a secret in a deflated entry is invisible to a byte search
 * of the file itself.
 */
export function planEntries(path: string): Map<string, Buffer> {
  const zip = readFileSync(path)
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (end < 0) throw new Error(`${path} is not a zip archive`)
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const entries = new Map<string, Buffer>()
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) {
      throw new Error(`${path}: central directory entry ${i} is damaged`)
    }
    const method = zip.readUInt16LE(at + 10)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const skip =
      nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    const start =
      local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const raw = zip.subarray(start, start + size)
    if (method !== 0 && method !== 8) {
      throw new Error(`${path}: ${name} uses compression method ${method}`)
    }
    entries.set(name, method === 8 ? inflateRawSync(raw) : raw)
    at += 46 + skip
  }
  return entries
}

/** The names of the entries in which any of `needles` occurs. */
export function entriesHolding(
  entries: Map<string, Buffer>,
  needles: readonly string[]
): string[] {
  return [...entries]
    .filter(([, data]) => needles.some(n => data.includes(n)))
    .map(([name]) => name)
}
