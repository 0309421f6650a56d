import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  httpRequestBytes,
  parseHttpResponse,
  portForwardPath,
  portPrefixed
} from '../../src/kube/portforward.ts'

const bytes = (s: string) => Buffer.from(s, 'latin1')

test('the port-forward path names the pod and the port', () => {
  assert.equal(
    portForwardPath({
      namespace: 'istio-system',
      pod: 'istiod-7d9c5b-x2k4q',
      port: 15014
    }),
    '/api/v1/namespaces/istio-system/pods/istiod-7d9c5b-x2k4q/portforward?ports=15014'
  )
})

test('the request is HTTP/1.0, so the answer is neither chunked nor kept alive', () => {
  assert.equal(
    httpRequestBytes('/debug/clusterz', 15014),
    'GET /debug/clusterz HTTP/1.0\r\nHost: localhost:15014\r\nAccept: application/json\r\nUser-Agent: eks-istio-mesh\r\n\r\n'
  )
})

// What Go's net/http writes for istiod's writeJSON answer to an HTTP/1.0 GET.
const GO_ANSWER =
  'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nDate: Sat, 28 Nov 2026 11:00:00 GMT\r\nContent-Length: 59\r\n\r\n' +
  '[{"id":"cluster-1","secretName":"","syncStatus":"synced"}]\n'

test('an answer with a length is complete once that many bytes arrived', () => {
  const whole = bytes(GO_ANSWER)
  assert.deepEqual(parseHttpResponse(whole.subarray(0, 40), false), {
    complete: false
  })
  assert.deepEqual(
    parseHttpResponse(whole.subarray(0, whole.length - 5), false),
    {complete: false}
  )
  const r = parseHttpResponse(whole, false)
  assert.ok(r.complete && 'answer' in r)
  assert.equal(r.answer.status, 200)
  assert.equal(r.answer.headers['content-type'], 'application/json')
  assert.deepEqual(JSON.parse(r.answer.body), [
    {id: 'cluster-1', secretName: '', syncStatus: 'synced'}
  ])
  assert.deepEqual(
    parseHttpResponse(whole.subarray(0, whole.length - 5), true),
    {
      complete: true,
      error: 'the answer ended after 54 of 59 bytes'
    }
  )
})

test('an answer without a length ends with the connection; a chunked one with its last chunk', () => {
  const open = bytes('HTTP/1.0 401 Unauthorized\r\nDate: x\r\n\r\n')
  assert.deepEqual(parseHttpResponse(open, false), {complete: false})
  const r = parseHttpResponse(open, true)
  assert.ok(r.complete && 'answer' in r)
  assert.equal(r.answer.status, 401)
  assert.equal(r.answer.body, '')
  const chunked = bytes(
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'
  )
  const c = parseHttpResponse(chunked, false)
  assert.ok(c.complete && 'answer' in c)
  assert.equal(c.answer.body, 'hello world')
  assert.deepEqual(parseHttpResponse(chunked.subarray(0, 60), false), {
    complete: false
  })
})

test('no answer, a cut header and a non-HTTP answer are errors once the stream ends', () => {
  assert.deepEqual(parseHttpResponse(Buffer.alloc(0), true), {
    complete: true,
    error: 'no answer (the connection closed)'
  })
  assert.deepEqual(parseHttpResponse(bytes('HTTP/1.0 200 OK\r\nCont'), true), {
    complete: true,
    error: 'the answer ended inside its headers'
  })
  assert.deepEqual(parseHttpResponse(bytes('SSH-2.0-OpenSSH\r\n\r\n'), false), {
    complete: true,
    error: 'the answer is not HTTP/1.x'
  })
})

test('each channel starts with the port, little-endian, which is checked and dropped', () => {
  const prefix = Buffer.from([0xa6, 0x3a]) // 15014
  assert.equal(portPrefixed(prefix.subarray(0, 1), 15014), undefined)
  assert.deepEqual(portPrefixed(prefix, 15014), Buffer.alloc(0))
  assert.equal(
    portPrefixed(Buffer.concat([prefix, bytes('HTTP/1.0')]), 15014)!.toString(),
    'HTTP/1.0'
  )
  assert.throws(
    () => portPrefixed(prefix, 8080),
    /answered for port 15014, not 8080/
  )
})
