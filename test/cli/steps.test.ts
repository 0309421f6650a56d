import assert from 'node:assert/strict'
import {test} from 'node:test'
import {createConsole} from '../../src/cli/console.ts'
import {
  firstProblem,
  renderTable,
  runSteps,
  type Step
} from '../../src/cli/steps.ts'

function capture() {
  let text = ''
  const stream = {write: (s: string) => ((text += s), true)}
  return {out: createConsole(stream as NodeJS.WritableStream), text: () => text}
}

const clock = () => {
  let t = 0
  return () => (t += 1500)
}

const step = (name: string, run: Step['run']): Step => ({
  name,
  title: `does ${name}`,
  run
})

test('steps run in order; the first failure skips the rest and is named with its number', async () => {
  const ran: string[] = []
  const {out, text} = capture()
  const results = await runSteps(
    [
      step('certs', async () => void ran.push('certs')),
      step('exchange', async () => {
        ran.push('exchange')
        throw new Error('cluster-2 -> cluster-1: fail')
      }),
      step('verify', async () => void ran.push('verify'))
    ],
    out,
    clock()
  )
  assert.deepEqual(ran, ['certs', 'exchange'])
  assert.deepEqual(
    results.map(r => [r.name, r.status]),
    [
      ['certs', 'pass'],
      ['exchange', 'fail'],
      ['verify', 'skipped']
    ]
  )
  assert.match(text(), /\[2\/3\] exchange: does exchange/)
  assert.match(
    text(),
    /FAIL: exchange in 1\.5 s \(cluster-2 -> cluster-1: fail\)/
  )
  assert.equal(
    firstProblem(results)?.message,
    'step 2 (exchange) failed: cluster-2 -> cluster-1: fail'
  )
})

test('the closing table lines up each step, its result, time and note', () => {
  const table = renderTable(
    [
      {name: 'certs', status: 'pass', ms: 400, note: 'root abc'},
      {name: 'exchange', status: 'fail', ms: 12_400, note: 'boom\nmore'},
      {name: 'stage', status: 'skipped', ms: 0, note: ''}
    ],
    13_000
  )
  assert.equal(
    table,
    [
      'step         result   time   note',
      '1. certs     pass     0.4 s  root abc',
      '2. exchange  fail     12 s   boom',
      '3. stage     skipped',
      'total 13 s'
    ].join('\n')
  )
})

test('the console redacts every masked secret and each of its lines', () => {
  const {out, text} = capture()
  out.mask('token-abcdef\nsecond-line')
  out.print('a token-abcdef and second-line')
  assert.equal(text(), 'a *** and ***\n')
})
