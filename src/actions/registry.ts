import type {ActionName} from '../common/action-metadata.ts'
import type {ActionRun} from './deps.ts'

/**
 * Every action the root action and the command line can dispatch to.
 * Imports are lazy so that running one action loads only its code.
 */
export const ACTIONS: Record<ActionName, () => Promise<ActionRun>> = {
  'apply-stage': async () => (await import('./apply-stage/main.ts')).run,
  'generate-certs': async () => (await import('./generate-certs/main.ts')).run,
  'exchange-secrets': async () =>
    (await import('./exchange-secrets/main.ts')).run,
  'verify-mesh': async () => (await import('./verify-mesh/main.ts')).run
}
