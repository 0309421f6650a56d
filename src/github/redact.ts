/**
 * Masks cover logs and job summaries only, not what is sent to GitHub's API
 * (comments, issues): bodies pass through this before they leave.
 */
const MIN_LINE_LENGTH = 6

/** Replaces every secret (its base64 form and its lines too) with `***`, longest first. */
export function redactor(secrets: Iterable<string>): (text: string) => string {
  const forms = new Set<string>()
  for (const s of secrets) {
    if (s.length < 4) continue
    forms.add(s)
    forms.add(Buffer.from(s).toString('base64'))
    for (const line of s.split('\n').map(l => l.trim())) {
      if (line.length >= MIN_LINE_LENGTH) forms.add(line)
    }
  }
  const sorted = [...forms].sort((a, b) => b.length - a.length)
  return text => sorted.reduce((t, s) => t.split(s).join('***'), text)
}
