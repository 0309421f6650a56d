import {createHash} from 'node:crypto'

/**
 * The provider cache key: OS, architecture, tool, its version and the lock
 * file's hash. Terraform >= 1.4 uses a cached provider only when it matches
 * a checksum in .terraform.lock.hcl, which also blunts a poisoned cache.
 */
export function pluginCacheKey(k: {
  platform: string
  arch: string
  tool: string
  version: string
  lockFile: string
}): string {
  const lockHash = createHash('sha256').update(k.lockFile).digest('hex')
  return `apply-stage-providers-${k.platform}-${k.arch}-${k.tool}-${k.version}-${lockHash.slice(0, 32)}`
}

/** `terraform version -json` / `tofu version -json` → the version. */
export function parseVersion(stdout: string): string | undefined {
  try {
    const v = JSON.parse(stdout) as {terraform_version?: unknown}
    return typeof v.terraform_version === 'string'
      ? v.terraform_version
      : undefined
  } catch {
    return undefined
  }
}

export interface PluginCache {
  /** Returns true on an exact hit. */
  restore(dir: string, key: string): Promise<boolean>
  save(dir: string, key: string): Promise<void>
}
