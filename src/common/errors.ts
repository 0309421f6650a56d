/**
 * An error the user can fix by changing an input, a file or a setting.
 * Everything else is a bug in the toolkit and is reported with the action's
 * name in front so that it can be traced back.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError'
}

export function describeError(err: unknown, actionName: string): string {
  if (err instanceof ConfigurationError) return err.message
  const message = err instanceof Error ? err.message : String(err)
  return `${actionName}: ${message}`
}
