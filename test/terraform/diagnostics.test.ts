import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  describeLock,
  diagnosticsOf,
  formatAge,
  parseGoTime,
  parseLockInfo,
  parseUiStream,
  toAnnotation
} from '../../src/terraform/diagnostics.ts'

const stream = [
  '{"@level":"info","@message":"OpenTofu 1.11.6","type":"version"}',
  '{"@level":"error","@message":"Error: Unclosed configuration block","diagnostic":{"severity":"error","summary":"Unclosed configuration block","detail":"There is no closing brace.","range":{"filename":"main.tf","start":{"line":5,"column":34,"byte":90},"end":{"line":5,"column":35,"byte":91}}},"type":"diagnostic"}',
  'panic: something printed as text',
  '{"@level":"warn","diagnostic":{"severity":"warning","summary":"Deprecated"},"type":"diagnostic"}'
].join('\n')

test('parses the -json UI stream and keeps stray text apart', () => {
  const {messages, plain} = parseUiStream(stream)
  assert.equal(messages.length, 3)
  assert.deepEqual(plain, ['panic: something printed as text'])
  assert.deepEqual(
    diagnosticsOf(messages).map(d => d.severity),
    ['error', 'warning']
  )
})

test('a diagnostic becomes an annotation with the file relative to the workspace', () => {
  const [d] = diagnosticsOf(parseUiStream(stream).messages)
  const a = toAnnotation(d!, '/ws/terraform/vpc', '/ws')
  assert.deepEqual(a, {
    level: 'error',
    message: 'Unclosed configuration block: There is no closing brace.',
    properties: {
      title: 'Unclosed configuration block',
      file: 'terraform/vpc/main.tf',
      startLine: 5,
      startColumn: 34,
      endLine: 5,
      endColumn: 35
    }
  })
})

test('a file outside the workspace gets no location', () => {
  const a = toAnnotation(
    {
      severity: 'warning',
      summary: 'Value for undeclared variable',
      range: {
        filename: '/runner/temp/x.tfvars.json',
        start: {line: 1, column: 1}
      }
    },
    '/ws/stage',
    '/ws'
  )
  assert.equal(a.level, 'warning')
  assert.equal(a.properties.file, undefined)
})

const lockDetail = `Error message: resource temporarily unavailable
Lock Info:
  ID:        4f3a1b2c-0000-1111-2222-333344445555
  Path:      .state/default.tfstate
  Operation: OperationTypeApply
  Who:       runner@host-1
  Version:   1.11.6
  Created:   2026-11-24 22:00:00.123456789 +0000 UTC
  Info:

OpenTofu acquires a state lock to protect the state from being written
by multiple users at the same time.`

test('reads the lock holder and its age from the lock error', () => {
  const info = parseLockInfo(lockDetail)
  assert.deepEqual(info, {
    id: '4f3a1b2c-0000-1111-2222-333344445555',
    path: '.state/default.tfstate',
    operation: 'OperationTypeApply',
    who: 'runner@host-1',
    version: '1.11.6',
    created: '2026-11-24 22:00:00.123456789 +0000 UTC'
  })
  const now = Date.parse('2026-11-24T23:30:00Z')
  assert.match(
    describeLock(info!, now),
    /locked by runner@host-1 \(OperationTypeApply.*held for 1h30m; lock ID 4f3a1b2c/
  )
  assert.equal(parseLockInfo('no lock here'), undefined)
})

test('Go times parse with zone offsets', () => {
  assert.equal(
    parseGoTime('2026-11-24 22:00:00.5 +0100 CET'),
    Date.parse('2026-11-24T21:00:00.5Z')
  )
  assert.equal(parseGoTime('yesterday'), undefined)
})

const ages: [number, string][] = [
  [5_000, '5s'],
  [300_000, '5m'],
  [5_400_000, '1h30m'],
  [7_200_000, '2h'],
  [3 * 86_400_000, '3d']
]
for (const [ms, text] of ages) {
  test(`an age of ${ms} ms reads ${text}`, () =>
    assert.equal(formatAge(ms), text))
}
