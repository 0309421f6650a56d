import assert from 'node:assert/strict'
import {test} from 'node:test'
import {sensitiveValues} from '../../src/terraform/sensitive.ts'
import {redactor} from '../../src/github/redact.ts'
import {
  CANARY_HELM,
  CANARY_TOKEN,
  caCerts,
  clusterPlan
} from './cluster-plan.ts'

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

/** Each value the runner would mask for this secret: it and each line. */
function maskForms(secret: string): string[] {
  return [secret, ...secret.split('\n').map(l => l.trim())].filter(
    f => f.length >= 4
  )
}

test('the cluster stage plan: only keys, tokens and flagged values are secrets, never names or certificates', async () => {
  const old = await caCerts()
  const renewed = await caCerts(old.root)
  const values = sensitiveValues(clusterPlan(old, renewed))
  assert.deepEqual(
    values.sort(),
    [
      old.intermediate.key,
      renewed.intermediate.key,
      CANARY_TOKEN,
      CANARY_HELM
    ].sort()
  )
  const masks = values.flatMap(maskForms)
  for (const text of [
    'cacerts',
    'istio-system',
    'istio-reader-service-account-istio-remote-secret-token',
    'kubernetes.io/service-account-token',
    'Opaque',
    '-----BEGIN CERTIFICATE-----',
    old.root.cert,
    renewed.intermediate.cert
  ]) {
    assert.ok(
      !masks.some(m => text.includes(m)),
      `'${text.slice(0, 40)}' is masked`
    )
  }
})

test('a certificate bundled with a key, or that does not parse, is not public', async () => {
  const {intermediate} = await caCerts()
  const plan = (data: Record<string, string>) =>
    sensitiveValues({
      resource_changes: [
        {
          address: 'kubernetes_secret_v1.tls',
          type: 'kubernetes_secret_v1',
          change: {
            actions: ['create'],
            after: {data, metadata: [{name: 'tls', namespace: 'default'}]},
            after_sensitive: {data: true}
          }
        }
      ]
    })
  const bundle = intermediate.cert + intermediate.key
  assert.deepEqual(plan({'tls.crt': bundle}), [bundle])
  const broken = intermediate.cert.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAA')
  assert.deepEqual(plan({'ca.crt': broken}), [broken])
  // `namespace` is public only where it repeats metadata's namespace.
  assert.deepEqual(plan({namespace: 'CANARY-elsewhere'}), ['CANARY-elsewhere'])
  assert.deepEqual(plan({namespace: 'default'}), [])
})

test('secret-bearing types: unflagged secret attributes are secrets, public ones are not', () => {
  const values = sensitiveValues({
    resource_changes: [
      {
        address: 'random_password.p',
        type: 'random_password',
        change: {
          actions: ['create'],
          after: {
            result: 'CANARY-password',
            bcrypt_hash: 'CANARY-bcrypt',
            length: 32,
            override_special: '!@#$%&*',
            keepers: {rotation: 'spring-2026'}
          }
        }
      },
      {
        address: 'aws_secretsmanager_secret_version.v',
        type: 'aws_secretsmanager_secret_version',
        change: {
          actions: ['create'],
          after: {
            secret_id:
              'arn:aws:secretsmanager:eu-west-1:1:secret:istio-mesh/root',
            secret_string: 'CANARY-secret-string',
            version_stages: ['AWSCURRENT']
          }
        }
      },
      {
        address: 'kubernetes_secret_v1.b',
        type: 'kubernetes_secret_v1',
        change: {
          actions: ['create'],
          after: {
            binary_data: {blob: 'Q0FOQVJZLWJpbmFyeQ=='},
            metadata: [{name: 'binary-secret', namespace: 'default'}],
            some_future_attribute: 'CANARY-future'
          }
        }
      }
    ]
  })
  assert.deepEqual(values.sort(), [
    'CANARY-bcrypt',
    'CANARY-future',
    'CANARY-password',
    'CANARY-secret-string',
    'Q0FOQVJZLWJpbmFyeQ=='
  ])
})
