import assert from 'node:assert/strict'
import {test} from 'node:test'
import {awsPartition, stsHostname} from '../../src/aws/partitions.ts'

test('each region maps to its ARN partition and DNS suffix', () => {
  const cases: [string, string, string][] = [
    ['eu-west-1', 'aws', 'amazonaws.com'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-east-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-iso-west-1', 'aws-iso', 'c2s.ic.gov'],
    ['us-isob-east-1', 'aws-iso-b', 'sc2s.sgov.gov'],
    ['eu-isoe-west-1', 'aws-iso-e', 'cloud.adc-e.uk'],
    ['us-isof-east-1', 'aws-iso-f', 'csp.hci.ic.gov'],
    ['eusc-de-east-1', 'aws-eusc', 'amazonaws.eu']
  ]
  for (const [region, name, dnsSuffix] of cases) {
    assert.deepEqual(awsPartition(region), {name, dnsSuffix}, region)
  }
})

test('a region the SDK does not know yet is taken as the aws partition', () => {
  assert.deepEqual(awsPartition('xx-new-9'), {
    name: 'aws',
    dnsSuffix: 'amazonaws.com'
  })
  assert.equal(stsHostname('xx-new-9'), 'sts.xx-new-9.amazonaws.com')
})
