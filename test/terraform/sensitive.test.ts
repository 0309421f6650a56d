import assert from 'node:assert/strict'
import {test} from 'node:test'
import {sensitiveValues} from '../../src/terraform/sensitive.ts'
import {redactor} from '../../src/github/redact.ts'

test('collects every flagged value, whole secret-bearing resources and sensitive variables', () => {
  const values = sensitiveValues({
    resource_changes: [
      {
        address: 'terraform_data.a',
        type: 'terraform_data',
        change: {
          actions: ['update'],
          before: {input: {password: 'CANARY-before', round: 'public-1'}},
          after: {
            input: {password: 'CANARY-after', round: 'public-2'},
            list: ['CANARY-in-list', 'public-x']
          },
          before_sensitive: {input: {password: true}},
          after_sensitive: {input: {password: true}, list: [true, false]}
        }
      },
      {
        address: 'tls_private_key.k',
        type: 'tls_private_key',
        change: {
          actions: ['create'],
          after: {private_key_pem: 'CANARY-pem-body'}
        }
      }
    ],
    output_changes: {
      o: {actions: ['create'], after: 'CANARY-output', after_sensitive: true}
    },
    configuration: {
      root_module: {variables: {pw: {sensitive: true}, name: {}}}
    },
    variables: {pw: {value: 'CANARY-variable'}, name: {value: 'public-name'}}
  } as Parameters<typeof sensitiveValues>[0])
  assert.deepEqual(values.sort(), [
    'CANARY-after',
    'CANARY-before',
    'CANARY-in-list',
    'CANARY-output',
    'CANARY-pem-body',
    'CANARY-variable'
  ])
})

test('short flagged values are not collected (they would garble logs)', () => {
  const values = sensitiveValues({
    output_changes: {
      o: {actions: ['create'], after: 'true', after_sensitive: true}
    }
  })
  assert.deepEqual(values, [])
})

test('the redactor removes secrets, their base64 and their lines', () => {
  const pem = '-----BEGIN KEY-----\nQUJDREVGR0hJSktMTU5P\n-----END KEY-----'
  const redact = redactor(['CANARY-token', pem])
  const text = `a CANARY-token b ${Buffer.from('CANARY-token').toString('base64')} c QUJDREVGR0hJSktMTU5P`
  assert.equal(redact(text), 'a *** b *** c ***')
})
