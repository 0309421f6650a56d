// Runs one labelled step of a script; a failing command ends the script
// with its exit code and one line saying which step failed, not a stack.
export async function step(label, fn) {
  console.log(`\n# ${label}`)
  try {
    return await fn()
  } catch (err) {
    const code = typeof err?.exitCode === 'number' ? err.exitCode : 1
    console.error(
      `\n${label} failed${err?.exitCode == null ? `: ${err?.message ?? err}` : ` (exit ${code})`}`
    )
    process.exit(code || 1)
  }
}
