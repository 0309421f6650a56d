export const id = 412;
export const ids = [412];
export const modules = {

/***/ 80412:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  abortableSleep: () => (/* binding */ abortableSleep),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./lib/common/errors.js
var errors = __webpack_require__(63302);
// EXTERNAL MODULE: ./lib/github/context.js
var context = __webpack_require__(88120);
// EXTERNAL MODULE: ./lib/github/redact.js
var github_redact = __webpack_require__(13806);
// EXTERNAL MODULE: ./node_modules/ws/wrapper.mjs
var wrapper = __webpack_require__(52977);
;// CONCATENATED MODULE: ./lib/kube/stream.js

/**
 * The streaming subresources (pods/exec, pods/portforward) upgrade an
 * HTTP GET to a WebSocket whose binary messages start with a channel
 * byte: the Kubernetes channel protocols `v5.channel.k8s.io` (exec; adds a
 * close signal) and `v4.channel.k8s.io` (exec and port-forward).
 * The framing is the `ws` library's; only the channel byte is ours.
 */
const V5_CHANNEL = 'v5.channel.k8s.io';
const V4_CHANNEL = 'v4.channel.k8s.io';
/** v5's "close this channel" message: channel 255, then the channel id. */
const CLOSE_CHANNEL = 255;
/**
 * A refused upgrade or a lost connection. An upgrade the API server
 * refuses carries its status, the Status reason and message: these
 * requests hold no secret (a pod, a container, our own command), and the
 * message is what tells "pod has no node" from "forbidden".
 */
class StreamError extends Error {
    name = 'StreamError';
    status;
    reason;
    constructor(message, status, reason) {
        super(message);
        this.status = status;
        this.reason = reason;
    }
}
function splitFrame(data) {
    return { channel: data[0] ?? -1, payload: data.subarray(1) };
}
function stream_frame(channel, payload) {
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    return Buffer.concat([Buffer.from([channel]), body]);
}
const oneLine = (text, max = 300) => {
    const t = text.replace(/\s+/g, ' ').trim();
    return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
/** Status and reason (and message) of a refused upgrade's answer body. */
function refusal(what, status, body) {
    let reason;
    let message;
    try {
        const s = JSON.parse(body);
        if (typeof s.reason === 'string' && /^[A-Za-z]{1,64}$/.test(s.reason)) {
            reason = s.reason;
        }
        if (typeof s.message === 'string')
            message = oneLine(s.message);
    }
    catch {
        // Not a Status: a proxy's page, say. Only the status is shown.
    }
    const parts = [status === undefined ? '' : String(status), reason, message]
        .filter(Boolean)
        .join(' ');
    return new StreamError(`${what} failed: ${parts || 'no answer'}`, status, reason);
}
/** Opens a channel WebSocket to an API-server path (with its query). */
function openStream(conn, path, o) {
    const base = new URL(conn.server);
    const url = new URL(base.pathname.replace(/\/$/, '') + path, base);
    url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
    const auth = conn.token
        ? `Bearer ${conn.token}`
        : conn.basic
            ? `Basic ${conn.basic}`
            : undefined;
    return new Promise((resolve, reject) => {
        if (o.signal?.aborted) {
            reject(new StreamError(`${o.what}: cancelled`));
            return;
        }
        const ws = new wrapper/* default */.Ay(url, o.protocols, {
            headers: auth ? { authorization: auth } : {},
            handshakeTimeout: o.handshakeTimeoutMs ?? 30_000,
            perMessageDeflate: false,
            followRedirects: false,
            ...(conn.ca ? { ca: conn.ca } : {}),
            ...(conn.cert ? { cert: conn.cert } : {}),
            ...(conn.key ? { key: conn.key } : {}),
            ...(conn.servername ? { servername: conn.servername } : {}),
            rejectUnauthorized: !conn.insecure
        });
        const onAbort = () => ws.terminate();
        o.signal?.addEventListener('abort', onAbort, { once: true });
        let settled = false;
        const fail = (err) => {
            if (settled)
                return;
            settled = true;
            o.signal?.removeEventListener('abort', onAbort);
            reject(err);
        };
        ws.once('unexpected-response', (_req, res) => {
            const chunks = [];
            let size = 0;
            res.on('data', (c) => {
                if ((size += c.length) <= 65_536)
                    chunks.push(c);
            });
            res.on('end', () => {
                fail(refusal(o.what, res.statusCode, Buffer.concat(chunks).toString('utf8')));
                ws.terminate();
            });
            res.on('error', () => fail(refusal(o.what, res.statusCode, '')));
        });
        ws.once('error', err => {
            const code = err.code;
            fail(new StreamError(`${o.what} failed: ${o.signal?.aborted ? 'cancelled' : (code ?? oneLine(err.message, 120))}`));
        });
        ws.once('open', () => {
            if (settled)
                return;
            settled = true;
            o.signal?.removeEventListener('abort', onAbort);
            resolve(ws);
        });
    });
}

;// CONCATENATED MODULE: ./lib/kube/exec.js

/** Channels of the exec protocol. */
const STDOUT = 1;
const STDERR = 2;
/** The final Status (v4, v5): JSON with the exit code. */
const ERROR = 3;
function execPath(r) {
    const q = new URLSearchParams();
    q.set('container', r.container);
    for (const part of r.command)
        q.append('command', part);
    q.set('stdout', 'true');
    q.set('stderr', 'true');
    return `/api/v1/namespaces/${encodeURIComponent(r.namespace)}/pods/${encodeURIComponent(r.pod)}/exec?${q}`;
}
/**
 * The final Status the error channel carries: Success is exit code 0;
 * NonZeroExitCode has the code as cause ExitCode; anything else is a
 * failure to run the command (its message).
 */
function execOutcome(text) {
    if (text.trim() === '')
        return {};
    let status;
    try {
        status = JSON.parse(text);
    }
    catch {
        // The channel protocol before v4 sent plain text.
        return { error: text.trim().slice(0, 300) };
    }
    if (status.status === 'Success')
        return { exitCode: 0 };
    const code = status.details?.causes?.find(c => c.reason === 'ExitCode');
    const exitCode = code?.message ? Number(code.message) : undefined;
    return {
        ...(Number.isInteger(exitCode) ? { exitCode } : {}),
        error: (status.message ?? status.reason ?? 'exec failed').slice(0, 300)
    };
}
/**
 * Runs a command in a container through the API server's exec subresource
 * over a WebSocket (v5.channel.k8s.io, else v4), without stdin or a TTY.
 * A refused upgrade throws a StreamError with the API server's status and
 * message; a command that fails or is cut off resolves with what it wrote.
 */
async function execInPod(conn, cluster, r) {
    const what = `${cluster}: exec in ${r.namespace}/${r.pod} (${r.container})`;
    const ws = await openStream(conn, execPath(r), {
        what,
        protocols: [V5_CHANNEL, V4_CHANNEL],
        signal: r.signal
    });
    const max = r.maxOutputBytes ?? 1 << 20;
    const out = [];
    const err = [];
    const status = [];
    let size = 0;
    let truncated = false;
    return new Promise((resolve, reject) => {
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            ws.terminate();
        }, r.timeoutMs);
        const onAbort = () => ws.terminate();
        r.signal?.addEventListener('abort', onAbort, { once: true });
        ws.on('message', (data, isBinary) => {
            if (!isBinary)
                return;
            const { channel, payload } = splitFrame(data);
            if (channel === CLOSE_CHANNEL)
                return;
            if (channel === ERROR) {
                status.push(payload);
                return;
            }
            if (channel !== STDOUT && channel !== STDERR)
                return;
            size += payload.length;
            if (size > max) {
                truncated = true;
                ws.terminate();
                return;
            }
            ;
            (channel === STDOUT ? out : err).push(payload);
        });
        ws.on('error', e => {
            // A connection lost mid-command: what arrived is still reported.
            if (!out.length && !err.length && !status.length) {
                clearTimeout(timer);
                r.signal?.removeEventListener('abort', onAbort);
                reject(new StreamError(`${what} failed: ${e.code ?? 'connection lost'}`));
            }
        });
        ws.on('close', () => {
            clearTimeout(timer);
            r.signal?.removeEventListener('abort', onAbort);
            const outcome = execOutcome(Buffer.concat(status).toString('utf8'));
            const complete = status.length > 0 && !truncated && !timedOut;
            const cut = truncated
                ? `output over ${max} bytes, cut off`
                : timedOut
                    ? `no exit within ${Math.round(r.timeoutMs / 1000)} s, cut off`
                    : r.signal?.aborted
                        ? 'cancelled'
                        : !status.length
                            ? 'the stream closed without an exit status'
                            : undefined;
            resolve({
                stdout: Buffer.concat(out).toString('utf8'),
                stderr: Buffer.concat(err).toString('utf8'),
                ...(outcome.exitCode === undefined || !complete
                    ? {}
                    : { exitCode: outcome.exitCode }),
                ...(cut ? { error: cut } : outcome.error ? { error: outcome.error } : {}),
                complete
            });
        });
    });
}

;// CONCATENATED MODULE: ./lib/kube/portforward.js

function portForwardPath(r) {
    return `/api/v1/namespaces/${encodeURIComponent(r.namespace)}/pods/${encodeURIComponent(r.pod)}/portforward?ports=${r.port}`;
}
/**
 * HTTP/1.0 with no keep-alive: the server answers without chunking and
 * closes the connection, which ends the forwarded stream.
 */
function httpRequestBytes(path, port) {
    return `GET ${path} HTTP/1.0\r\nHost: localhost:${port}\r\nAccept: application/json\r\nUser-Agent: eks-istio-mesh\r\n\r\n`;
}
function dechunk(body) {
    const parts = [];
    let at = 0;
    for (;;) {
        const eol = body.indexOf('\r\n', at);
        if (eol < 0)
            return undefined;
        const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
        if (!Number.isFinite(size))
            return undefined;
        if (size === 0)
            return Buffer.concat(parts);
        const start = eol + 2;
        if (body.length < start + size + 2)
            return undefined;
        parts.push(body.subarray(start, start + size));
        at = start + size + 2;
    }
}
/**
 * An HTTP/1.x response from the bytes received so far. `ended`: the
 * stream closed, so a body without a length is whole.
 */
function parseHttpResponse(bytes, ended) {
    const head = bytes.indexOf('\r\n\r\n');
    if (head < 0) {
        return ended
            ? {
                complete: true,
                error: bytes.length
                    ? 'the answer ended inside its headers'
                    : 'no answer (the connection closed)'
            }
            : { complete: false };
    }
    const lines = bytes.subarray(0, head).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!m)
        return { complete: true, error: 'the answer is not HTTP/1.x' };
    const headers = {};
    for (const line of lines.slice(1)) {
        const at = line.indexOf(':');
        if (at > 0)
            headers[line.slice(0, at).trim().toLowerCase()] = line
                .slice(at + 1)
                .trim();
    }
    let body = bytes.subarray(head + 4);
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
        const whole = dechunk(body);
        if (!whole) {
            return ended
                ? { complete: true, error: 'the chunked answer ended early' }
                : { complete: false };
        }
        body = whole;
    }
    else if (headers['content-length'] !== undefined) {
        const length = Number(headers['content-length']);
        if (body.length < length) {
            return ended
                ? {
                    complete: true,
                    error: `the answer ended after ${body.length} of ${length} bytes`
                }
                : { complete: false };
        }
        body = body.subarray(0, length);
    }
    else if (!ended) {
        return { complete: false };
    }
    return {
        complete: true,
        answer: { status: Number(m[1]), headers, body: body.toString('utf8') }
    };
}
/** Strips the 2-byte port prefix the kubelet writes first on a channel. */
function portPrefixed(received, port) {
    if (received.length < 2)
        return undefined;
    if (received.readUInt16LE(0) !== port) {
        throw new Error(`port-forward answered for port ${received.readUInt16LE(0)}, not ${port}`);
    }
    return received.subarray(2);
}
async function portForwardGet(conn, cluster, r) {
    const what = `${cluster}: port-forward to ${r.namespace}/${r.pod}:${r.port} GET ${r.path}`;
    const ws = await openStream(conn, portForwardPath(r), {
        what,
        protocols: [V4_CHANNEL],
        signal: r.signal
    });
    let data = Buffer.alloc(0);
    let error = Buffer.alloc(0);
    return new Promise((resolve, reject) => {
        let done = false;
        const finish = (fn) => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            r.signal?.removeEventListener('abort', onAbort);
            ws.terminate();
            fn();
        };
        const settle = (ended) => {
            let body;
            let errText;
            try {
                body = portPrefixed(data, r.port);
                errText = portPrefixed(error, r.port);
            }
            catch (e) {
                finish(() => reject(new StreamError(`${what} failed: ${e.message}`)));
                return;
            }
            if (errText && errText.length) {
                const text = errText
                    .toString('utf8')
                    .replace(/\s+/g, ' ')
                    .trim()
                    .slice(0, 300);
                finish(() => reject(new StreamError(`${what} failed: ${text}`)));
                return;
            }
            const parsed = parseHttpResponse(body ?? Buffer.alloc(0), ended);
            if (!parsed.complete)
                return;
            if ('error' in parsed) {
                finish(() => reject(new StreamError(`${what} failed: ${parsed.error}`)));
            }
            else {
                finish(() => resolve(parsed.answer));
            }
        };
        const timer = setTimeout(() => finish(() => reject(new StreamError(`${what} failed: no answer within ${Math.round(r.timeoutMs / 1000)} s`))), r.timeoutMs);
        const onAbort = () => finish(() => reject(new StreamError(`${what}: cancelled`)));
        r.signal?.addEventListener('abort', onAbort, { once: true });
        ws.on('message', (msg, isBinary) => {
            if (!isBinary)
                return;
            const { channel, payload } = splitFrame(msg);
            if (channel === 0)
                data = Buffer.concat([data, payload]);
            else if (channel === 1)
                error = Buffer.concat([error, payload]);
            settle(false);
        });
        ws.on('error', () => settle(true));
        ws.on('close', () => settle(true));
        ws.send(stream_frame(0, httpRequestBytes(r.path, r.port)));
    });
}

;// CONCATENATED MODULE: ./lib/kube/workloads.js
/** The kinds this module knows the REST paths of, without discovery. */
const RESOURCES = {
    'v1/Namespace': { plural: 'namespaces', namespaced: false },
    'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
    'v1/Service': { plural: 'services', namespaced: true },
    'v1/Pod': { plural: 'pods', namespaced: true },
    'apps/v1/Deployment': { plural: 'deployments', namespaced: true }
};
const groupVersionPath = (apiVersion) => apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
/** The REST path of an object of a known kind. */
function objectPath(obj) {
    const r = RESOURCES[`${obj.apiVersion}/${obj.kind}`];
    if (!r)
        throw new Error(`no REST path known for ${obj.apiVersion} ${obj.kind}`);
    const ns = obj.metadata.namespace;
    if (r.namespaced && !ns) {
        throw new Error(`${obj.kind} ${obj.metadata.name} has no namespace`);
    }
    const scope = r.namespaced ? `/namespaces/${encodeURIComponent(ns)}` : '';
    return `${groupVersionPath(obj.apiVersion)}${scope}/${r.plural}/${encodeURIComponent(obj.metadata.name)}`;
}
const label = (o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
const okOr404 = (s) => (s >= 200 && s < 300) || s === 404;
/** The object, or undefined when it does not exist. */
async function getObject(kube, path) {
    const res = await kube.call({ method: 'GET', path }, okOr404);
    return res.status === 404 ? undefined : res.body;
}
/**
 * Server-side apply with force (`kubectl apply --server-side
 * --force-conflicts`). 'unchanged' when the API server kept the object as it
 * was: an apply that changes nothing does not move its resourceVersion.
 */
async function applyObject(kube, obj, fieldManager) {
    const path = objectPath(obj);
    const before = await getObject(kube, path);
    const res = await kube.call({
        method: 'PATCH',
        path: `${path}?fieldManager=${encodeURIComponent(fieldManager)}&force=true`,
        body: obj,
        contentType: 'application/apply-patch+yaml'
    });
    const after = res.body.metadata?.resourceVersion;
    if (!before)
        return 'created';
    return before.metadata?.resourceVersion === after ? 'unchanged' : 'updated';
}
/** Deletes in the background (dependents by the garbage collector). */
async function deleteObject(kube, obj) {
    const res = await kube.call({ method: 'DELETE', path: `${objectPath(obj)}?propagationPolicy=Background` }, okOr404);
    return res.status === 404 ? 'absent' : 'deleted';
}
const selectorOf = (labels) => Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
async function listPods(kube, namespace, labelSelector) {
    const res = await kube.call({
        method: 'GET',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?labelSelector=${encodeURIComponent(labelSelector)}`
    });
    return res.body.items ?? [];
}
const SIDECAR = 'istio-proxy';
/** Whether the pod has Istio's sidecar (a container or a native sidecar). */
function hasSidecar(pod) {
    return ((pod.spec?.containers ?? []).some(c => c.name === SIDECAR) ||
        (pod.spec?.initContainers ?? []).some(c => c.name === SIDECAR));
}
const condition = (conditions, type) => (conditions ?? []).find(c => c.type === type);
const isPodReady = (pod) => condition(pod.status?.conditions, 'Ready')?.status === 'True' &&
    !pod.metadata.deletionTimestamp;
/** Why a pod is not ready, in a few words, as `kubectl get pods` would say. */
function podProblem(pod) {
    const name = pod.metadata.name;
    const scheduled = condition(pod.status?.conditions, 'PodScheduled');
    if (!pod.spec?.nodeName) {
        return `pod ${name} is not scheduled${scheduled?.message ? ` (${scheduled.message})` : ''}`;
    }
    const statuses = [
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.containerStatuses ?? [])
    ];
    for (const s of statuses) {
        const waiting = s.state?.waiting;
        if (waiting?.reason && waiting.reason !== 'PodInitializing') {
            return `pod ${name} container ${s.name}: ${waiting.reason}${waiting.message ? ` (${waiting.message.slice(0, 200)})` : ''}`;
        }
        const terminated = s.state?.terminated;
        if (terminated && terminated.reason !== 'Completed') {
            return `pod ${name} container ${s.name}: terminated ${terminated.reason ?? ''} exit ${terminated.exitCode ?? '?'}`;
        }
    }
    const notReady = statuses.filter(s => !s.ready).map(s => s.name);
    return `pod ${name} is ${pod.status?.phase ?? 'Pending'}${notReady.length ? `, not ready: ${notReady.join(', ')}` : ''}`;
}
/**
 * A Deployment's rollout as `kubectl rollout status` judges it, plus its
 * pods: every ready pod must carry Istio's sidecar (injection happens at
 * creation, so a pod without one never gets it).
 */
function rolloutState(d, pods, options) {
    if (!d)
        return { done: false, message: 'the Deployment does not exist' };
    const name = d.metadata.name;
    const s = d.status ?? {};
    const want = d.spec?.replicas ?? 1;
    const progressing = condition(s.conditions, 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
        return {
            done: false,
            message: 'exceeded its progress deadline',
            failed: `deployment ${name} exceeded its progress deadline`
        };
    }
    const live = pods.filter(p => !p.metadata.deletionTimestamp);
    if (options.requireSidecar) {
        const bare = live.find(p => !hasSidecar(p));
        if (bare) {
            return {
                done: false,
                message: `pod ${bare.metadata.name} has no ${SIDECAR} sidecar`,
                failed: `pod ${bare.metadata.name} of ${name} has no ${SIDECAR} sidecar: the namespace is not labelled for injection, or the injector did not run (delete the pod, or run with cleanup)`
            };
        }
    }
    const failure = condition(s.conditions, 'ReplicaFailure');
    const why = failure?.status === 'True' && failure.message
        ? `; ${failure.reason ?? 'ReplicaFailure'}: ${failure.message.slice(0, 300)}`
        : '';
    if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) {
        return {
            done: false,
            message: 'waiting for the spec to be observed'
        };
    }
    const updated = s.updatedReplicas ?? 0;
    if (updated < want) {
        return {
            done: false,
            message: `${updated} of ${want} replicas updated${why}`
        };
    }
    if ((s.replicas ?? 0) > updated) {
        return {
            done: false,
            message: `${(s.replicas ?? 0) - updated} old replica(s) pending termination`
        };
    }
    const available = s.availableReplicas ?? 0;
    if (available < updated) {
        const waiting = live.filter(p => !isPodReady(p)).map(podProblem);
        return {
            done: false,
            message: `${available} of ${updated} updated replicas available${waiting.length ? `; ${waiting.join('; ')}` : why}`
        };
    }
    return { done: true, message: `${available} of ${want} available` };
}
/** Thrown when a wait runs out of time or is cancelled. */
class WaitError extends Error {
    name = 'WaitError';
}
const POLL_MS = 2000;
/**
 * Polls `probe` until it reports done, fails, or the deadline passes; logs
 * each new state once. The error names what was still awaited.
 */
async function waitUntil(what, probe, deadline, deps) {
    let last = '';
    for (;;) {
        if (deps.signal?.aborted)
            throw new WaitError(`${what}: cancelled`);
        const state = await probe();
        if (state.failed)
            throw new WaitError(`${what}: ${state.failed}`);
        if (state.done)
            return state;
        if (state.message !== last)
            deps.log(`${what}: ${state.message}`);
        last = state.message;
        const left = deadline - deps.now();
        if (left <= 0) {
            throw new WaitError(`${what}: not done within the timeout; ${state.message}`);
        }
        await deps.sleep(Math.min(POLL_MS, left));
    }
}
/** Waits for one Deployment's rollout (and, if asked, its sidecars). */
async function waitForRollout(kube, namespace, name, options, deps) {
    const path = objectPath({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace }
    });
    return waitUntil(`${kube.cluster} ${namespace}/${name}`, async () => {
        const d = await getObject(kube, path);
        const match = d?.spec?.selector?.matchLabels;
        const pods = match
            ? await listPods(kube, namespace, selectorOf(match))
            : [];
        return rolloutState(d, pods, options);
    }, options.deadline, deps);
}

;// CONCATENATED MODULE: ./lib/mesh/verify-istiod.js


const why = (err) => {
    const cause = err.cause?.code;
    return cause ?? (err instanceof Error ? err.message : String(err));
};
/**
 * istiod at an address (input `istiod-urls`): a port-forward the user
 * holds, or the test bed's istiod. `/ready` is served on istiod's HTTP port
 * (8080); its monitoring port (15014) has only the debug API, so a 404
 * there leaves readiness to the debug calls.
 */
function urlIstiod(base, o) {
    const root = base.replace(/\/+$/, '');
    const request = (path) => fetch(`${root}${path}`, {
        signal: o.signal
            ? AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)])
            : AbortSignal.timeout(o.timeoutMs),
        redirect: 'error'
    });
    return {
        async ready() {
            try {
                const res = await request('/ready');
                await res.body?.cancel();
                if (res.status === 200)
                    return { ready: true, detail: `${root}/ready` };
                if (res.status === 404) {
                    return { ready: true, detail: `${root} serves no /ready` };
                }
                return {
                    ready: false,
                    detail: `${root}/ready answered HTTP ${res.status}`
                };
            }
            catch (err) {
                return { ready: false, detail: `${root} did not answer (${why(err)})` };
            }
        },
        async get(path) {
            let res;
            try {
                res = await request(path);
            }
            catch (err) {
                throw new Error(`${root}${path}: no answer (${why(err)})`);
            }
            if (res.status !== 200) {
                await res.body?.cancel();
                throw new Error(`${root}${path}: HTTP ${res.status}`);
            }
            try {
                return [await res.json()];
            }
            catch {
                throw new Error(`${root}${path}: the answer is not JSON`);
            }
        }
    };
}
const ISTIOD_SELECTOR = 'app=istiod';
const MONITORING_PORT = 15014;
/** The port istioctl uses: the pod's prometheus.io/port, else 15014. */
function monitoringPort(pod) {
    const n = Number(pod.metadata.annotations?.['prometheus.io/port']);
    return Number.isInteger(n) && n > 0 && n < 65536 ? n : MONITORING_PORT;
}
async function istiodPods(kube, namespace) {
    const pods = await listPods(kube, namespace, ISTIOD_SELECTOR);
    return { pods, ready: pods.filter(isPodReady) };
}
/**
 * istiod in the cluster, reached as istioctl reaches it: a port-forward
 * through the API server to each ready istiod pod's monitoring port. The
 * request then comes from the pod's loopback, which istiod's debug API
 * serves without a token; the API server's service proxy would not do
 * (it drops the caller's Authorization header, so istiod answers 401 to a
 * request from the control plane's address).
 */
function portForwardIstiod(target, istioNamespace, o) {
    return {
        async ready() {
            const { pods, ready } = await istiodPods(target.kube, istioNamespace);
            if (pods.length === 0) {
                return {
                    ready: false,
                    detail: `no pod labelled ${ISTIOD_SELECTOR} in ${istioNamespace}`
                };
            }
            if (ready.length === 0) {
                return {
                    ready: false,
                    detail: `0 of ${pods.length} istiod pods ready; ${podProblem(pods[0])}`
                };
            }
            return {
                ready: true,
                detail: `${ready.length} of ${pods.length} istiod pods ready`
            };
        },
        async get(path) {
            const conn = target.connection;
            if (!conn)
                throw new Error(`${target.name}: no connection for port-forward`);
            const { ready } = await istiodPods(target.kube, istioNamespace);
            if (ready.length === 0)
                throw new Error(`no ready istiod pod in ${istioNamespace}`);
            return Promise.all(ready.map(async (pod) => {
                const answer = await portForwardGet(conn, target.name, {
                    namespace: istioNamespace,
                    pod: pod.metadata.name,
                    port: monitoringPort(pod),
                    path,
                    timeoutMs: o.timeoutMs,
                    signal: o.signal
                });
                if (answer.status !== 200) {
                    throw new Error(`${pod.metadata.name}${path}: HTTP ${answer.status}`);
                }
                try {
                    return JSON.parse(answer.body);
                }
                catch {
                    throw new Error(`${pod.metadata.name}${path}: the answer is not JSON`);
                }
            }));
        }
    };
}

;// CONCATENATED MODULE: ./lib/mesh/verify-control-plane.js
/**
 * The control-plane half of verify-mesh as plain functions: reading what
 * each cluster's API server and istiod say, and judging it. No I/O here.
 *
 * istiod's debug API (pilot/pkg/xds/debug.go), as istiod 1.31 answers it:
 * - `/debug/clusterz`: `[{"id", "secretName", "syncStatus"}]`, the config
 *   cluster first (secretName ""), then one entry per cluster of each remote
 *   secret (secretName `<namespace>/<name>`); syncStatus is one of
 *   synced, syncing, timeout, closed (pkg/kube/multicluster/cluster.go).
 * - `/debug/endpointShardz`: `{"<hostname>": {"<namespace>": {"Shards":
 *   {"<provider>/<cluster>": [IstioEndpoint...]}, "ServiceAccounts": ...}}}`
 *   (pilot/pkg/model/endpointshards.go); an IstioEndpoint has no JSON tags,
 *   so its fields keep their Go names, HealthStatus 1 meaning healthy.
 */
/** `/debug/clusterz`, checked for shape (null means no clusters). */
function parseClusterz(json) {
    if (json === null)
        return [];
    if (!Array.isArray(json)) {
        throw new Error('/debug/clusterz did not answer a list');
    }
    return json.map((item, i) => {
        const r = item;
        if (typeof r?.id !== 'string' || typeof r.syncStatus !== 'string') {
            throw new Error(`/debug/clusterz entry ${i + 1} has no id and syncStatus`);
        }
        return {
            id: r.id,
            secretName: typeof r.secretName === 'string' ? r.secretName : '',
            syncStatus: r.syncStatus
        };
    });
}
const HEALTHY = 1;
/**
 * The endpoints of one service per cluster, from `/debug/endpointShardz`:
 * the hostname is `<service>.<namespace>.svc.<domain suffix>` (any suffix).
 * Undefined when istiod has no shards for the service at all.
 */
function serviceShards(json, service, namespace) {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        throw new Error('/debug/endpointShardz did not answer an object');
    }
    const prefix = `${service}.${namespace}.svc.`;
    const hosts = Object.entries(json).filter(([host]) => host.startsWith(prefix));
    if (hosts.length === 0)
        return undefined;
    const counts = {};
    for (const [, byNamespace] of hosts) {
        const entry = byNamespace?.[namespace];
        const shards = entry?.Shards;
        if (!shards || typeof shards !== 'object')
            continue;
        for (const [key, endpoints] of Object.entries(shards)) {
            // ShardKey marshals as "<provider>/<cluster>"; cluster IDs have no '/'.
            const cluster = key.slice(key.indexOf('/') + 1);
            const list = Array.isArray(endpoints) ? endpoints : [];
            const c = (counts[cluster] ??= { healthy: 0, total: 0 });
            c.total += list.length;
            c.healthy += list.filter(e => {
                const h = e?.HealthStatus;
                return h === undefined || h === HEALTHY;
            }).length;
        }
    }
    return counts;
}
const SYNC_RANK = ['synced', 'syncing', 'timeout', 'closed'];
/**
 * Several istiod replicas each have their own view: a cluster counts as
 * synced only if every replica says so, and the worst status is shown.
 */
function mergeClusterz(views) {
    if (views.length === 1)
        return views[0];
    const ids = [...new Set(views.flat().map(r => r.id))];
    return ids.map(id => {
        const entries = views.map(v => v.find(r => r.id === id));
        if (entries.some(e => !e)) {
            return {
                id,
                secretName: entries.find(Boolean).secretName,
                syncStatus: 'absent'
            };
        }
        const worst = entries
            .map(e => e)
            .sort((a, b) => rank(b.syncStatus) - rank(a.syncStatus))[0];
        return worst;
    });
}
const rank = (status) => {
    const i = SYNC_RANK.indexOf(status);
    return i < 0 ? SYNC_RANK.length : i;
};
/** The fewest endpoints any replica knows, per cluster. */
function mergeShards(views) {
    if (views.some(v => v === undefined))
        return undefined;
    const all = views;
    const clusters = new Set(all.flatMap(v => Object.keys(v)));
    const out = {};
    for (const c of clusters) {
        out[c] = {
            healthy: Math.min(...all.map(v => v[c]?.healthy ?? 0)),
            total: Math.min(...all.map(v => v[c]?.total ?? 0))
        };
    }
    return out;
}
const REMOTE_SECRET_PREFIX = 'istio-remote-secret-';
const CLUSTER_ANNOTATION = 'networking.istio.io/cluster';
/**
 * The peers a cluster holds remote secrets for, from the secrets' metadata
 * alone (never their data): the name `istio-remote-secret-<peer>` or the
 * annotation istioctl writes. istiod itself keys on the data, which its
 * /debug/clusterz then shows.
 */
function remoteSecretPeers(secrets) {
    const peers = new Set();
    for (const s of secrets) {
        if (s.name.startsWith(REMOTE_SECRET_PREFIX)) {
            peers.add(s.name.slice(REMOTE_SECRET_PREFIX.length));
        }
        const annotated = s.annotations?.[CLUSTER_ANNOTATION];
        if (annotated)
            peers.add(annotated);
    }
    return [...peers];
}
/**
 * Istio's sidecar injector: a MutatingWebhookConfiguration labelled
 * app=sidecar-injector whose webhooks call istiod in its namespace (or a
 * URL). istiod fills in the caBundle when it starts; an empty one means
 * the API server cannot call it yet.
 */
function injectorState(configs, istioNamespace) {
    const ours = configs.filter(c => (c.webhooks ?? []).some(w => w.clientConfig?.url ||
        w.clientConfig?.service?.namespace === istioNamespace));
    if (ours.length === 0)
        return { state: 'missing' };
    const complete = ours.find(c => (c.webhooks ?? []).every(w => (w.clientConfig?.caBundle ?? '') !== ''));
    return complete
        ? { state: 'present', name: complete.metadata.name }
        : { state: 'no-ca-bundle', name: ours[0].metadata.name };
}
/**
 * Per cluster: istiod ready, the injector present, a remote secret of
 * every other cluster, and istiod's own view: every other cluster synced
 * and, when `endpoints` is asked for, the sample service's endpoints
 * known from every cluster, its own included. A pair is named
 * `source -> target` as exchange-secrets names it: the target's istiod
 * reads the source.
 */
function controlPlaneVerdict(views, clusters, o) {
    const problems = [];
    for (const v of views) {
        const c = v.cluster;
        if (!v.istiod.ready) {
            problems.push({
                cluster: c,
                text: `${c}: istiod is not ready (${v.istiod.detail})`,
                settled: false
            });
        }
        if (v.webhook.state === 'missing') {
            problems.push({
                cluster: c,
                text: `${c}: no sidecar injector (MutatingWebhookConfiguration labelled app=sidecar-injector calling istiod in ${o.istioNamespace})`,
                settled: true
            });
        }
        else if (v.webhook.state === 'no-ca-bundle') {
            problems.push({
                cluster: c,
                text: `${c}: the sidecar injector ${v.webhook.name} has no caBundle yet (istiod fills it in when it runs)`,
                settled: false
            });
        }
        const peers = clusters.filter(p => p !== c);
        for (const p of peers) {
            if (!v.secrets.includes(p)) {
                problems.push({
                    cluster: c,
                    peer: p,
                    text: `${p} -> ${c}: no remote secret for ${p} in ${c} (${o.istioNamespace}/${REMOTE_SECRET_PREFIX}${p}; run exchange-secrets)`,
                    settled: true
                });
            }
        }
        if (!v.debug.ok) {
            // Not asked when istiod is not ready: that problem is named above.
            if (v.istiod.ready) {
                problems.push({
                    cluster: c,
                    text: `${c}: istiod's debug API did not answer: ${v.debug.error}`,
                    settled: false
                });
            }
            continue;
        }
        const listed = new Map(v.debug.clusters.map(r => [r.id, r]));
        for (const p of clusters) {
            const r = listed.get(p);
            const who = p === c ? `${c}: istiod` : `${p} -> ${c}: istiod in ${c}`;
            if (!r) {
                problems.push({
                    cluster: c,
                    ...(p === c ? {} : { peer: p }),
                    text: p === c
                        ? `${c}: istiod does not list its own cluster ${c} (is its CLUSTER_ID ${c}?)`
                        : `${who} does not list ${p} as a remote cluster`,
                    settled: false
                });
            }
            else if (r.syncStatus !== 'synced') {
                problems.push({
                    cluster: c,
                    ...(p === c ? {} : { peer: p }),
                    text: `${who} lists ${p} as ${r.syncStatus}, not synced`,
                    settled: false
                });
            }
        }
        if (!o.endpoints)
            continue;
        for (const p of clusters) {
            const n = v.debug.endpoints?.[p]?.healthy ?? 0;
            if (n > 0)
                continue;
            problems.push({
                cluster: c,
                ...(p === c ? {} : { peer: p }),
                text: p === c
                    ? `${c}: istiod knows no ready endpoint of ${o.service}.${o.namespace} in its own cluster`
                    : `${p} -> ${c}: istiod in ${c} knows no ready endpoint of ${o.service}.${o.namespace} in ${p}`,
                settled: false
            });
        }
    }
    return { ok: problems.length === 0, problems };
}
/**
 * The control-plane-json output: cluster -> peer -> what that cluster's
 * control plane says about the peer. The cluster's own entry carries its
 * istiod and injector; `endpoints` is null where not checked.
 */
function controlPlaneJson(views, clusters, o) {
    const out = {};
    for (const v of views) {
        const listed = v.debug.ok
            ? new Map(v.debug.clusters.map(r => [r.id, r.syncStatus]))
            : undefined;
        const row = {};
        for (const p of clusters) {
            const synced = listed ? (listed.get(p) ?? 'absent') : 'unknown';
            const endpoints = o.endpoints && v.debug.ok
                ? (v.debug.endpoints?.[p]?.healthy ?? 0)
                : null;
            row[p] =
                p === v.cluster
                    ? {
                        istiod: v.istiod.ready ? 'ready' : 'not-ready',
                        webhook: v.webhook.state,
                        synced,
                        endpoints
                    }
                    : {
                        secret: v.secrets.includes(p) ? 'present' : 'missing',
                        synced,
                        endpoints
                    };
        }
        out[v.cluster] = row;
    }
    return JSON.stringify(out);
}

;// CONCATENATED MODULE: ./lib/mesh/verify-traffic.js
/**
 * The traffic half of verify-mesh as plain functions: how many requests to
 * send, the curl command that sends them, how to read what came back, and
 * the verdict. No I/O here.
 */
/** The whole run may fail falsely at most this often (one in a million). */
const FALSE_FAILURE_BOUND = 1e-6;
/**
 * `requests: auto`: the fewest answered requests per source cluster that
 * keep a false failure of the whole run under one in a million.
 *
 * Assume each answered request reaches one of the N versions uniformly at
 * random (one helloworld pod per cluster, no locality or DestinationRule
 * preference: Envoy's default balancing, not its failover). For one source,
 * a given version is missed by all k requests with probability (1 - 1/N)^k,
 * so by the union bound over the N versions
 *
 *   P(some version unseen after k) <= N (1 - 1/N)^k.
 *
 * A run fails falsely if any of the N sources misses a version; by the union
 * bound again that is at most N times the per-source bound. Requiring
 * N * N (1 - 1/N)^k <= eps gives
 *
 *   k = ceil( ln(N^2 / eps) / -ln(1 - 1/N) ).
 *
 * For eps = 1e-6: N=2 -> 22, 3 -> 40, 4 -> 58, 8 -> 135 (the table in the
 * reference's section e, "1e-6 for the whole run"). With one cluster there
 * is one version and one answer proves it.
 */
function autoRequests(clusterCount) {
    if (!Number.isInteger(clusterCount) || clusterCount < 1) {
        throw new Error(`cluster count must be a positive integer, got ${clusterCount}`);
    }
    if (clusterCount === 1)
        return 1;
    const n = clusterCount;
    return Math.ceil(Math.log((n * n) / FALSE_FAILURE_BOUND) / -Math.log(1 - 1 / n));
}
/** What one curl invocation per request batch appends after each answer. */
const RECORD_MARK = '@@verify-mesh';
/**
 * One exec runs one curl over `count` copies of the URL: curl goes on to the
 * next URL after a failed one, and after every transfer prints the
 * write-out line, even on failure (status 000, its exit code and message).
 * No shell is needed, so the command is the same in any image with curl.
 */
function curlCommand(namespace, count, requestTimeoutSeconds = 5) {
    const url = `http://helloworld.${namespace}:5000/hello`;
    return [
        'curl',
        '-sS',
        '--max-time',
        String(requestTimeoutSeconds),
        '-w',
        `\\n${RECORD_MARK} %{http_code} %{exitcode} %{errormsg}\\n`,
        ...Array.from({ length: count }, () => url)
    ];
}
/** The helloworld answer, as istio.io's verify procedure parses it. */
const HELLO = /^Hello version: (\S+), instance: (\S+)$/;
const MARK_LINE = new RegExp(`^${RECORD_MARK} (\\d{3}) (\\d+) ?(.*)$`, 'm');
const shorten = (text, max = 240) => {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};
/** One transfer: its body and what curl's write-out said about it. */
function attempt(body, http, exit, message) {
    // curl's -w starts with a newline so that a body without one (Envoy's
    // "no healthy upstream") still ends its line; helloworld adds its own.
    const text = body.replace(/\n$/, '').replace(/\n$/, '');
    if (exit !== '0') {
        const partial = text.trim()
            ? ` after partial output '${shorten(text, 60)}'`
            : '';
        return {
            ok: false,
            error: `curl exit ${exit}: ${shorten(message) || 'no message'}${partial}`
        };
    }
    if (http !== '200') {
        return {
            ok: false,
            error: `HTTP ${http}${text.trim() ? `: ${shorten(text)}` : ''}`
        };
    }
    const m = HELLO.exec(text.trim());
    if (!m) {
        return {
            ok: false,
            error: `unexpected answer '${shorten(text, 80)}'`
        };
    }
    return { ok: true, version: m[1], instance: m[2] };
}
/**
 * The attempts in a transcript (curl's stdout). Text after the last
 * write-out line is a transfer the exec was cut off in: an error. An empty
 * transcript has no attempts; the caller reports why the exec failed.
 */
function parseTranscript(stdout) {
    const attempts = [];
    let rest = stdout;
    for (;;) {
        const m = MARK_LINE.exec(rest);
        if (!m)
            break;
        attempts.push(attempt(rest.slice(0, m.index), m[1], m[2], m[3] ?? ''));
        rest = rest.slice(m.index + m[0].length).replace(/^\n/, '');
    }
    if (rest.trim() !== '') {
        attempts.push({
            ok: false,
            error: `output ended inside a request: '${shorten(rest, 80)}'`
        });
    }
    return attempts;
}
function emptyTally(source) {
    return { source, counts: {}, answered: 0, errors: 0, unexpected: {} };
}
/** Adds attempts to a tally (a new object; the old one is left as it was). */
function addAttempts(tally, attempts, versions) {
    const next = {
        ...tally,
        counts: { ...tally.counts },
        unexpected: { ...tally.unexpected }
    };
    for (const a of attempts) {
        if (!a.ok) {
            next.errors++;
            next.lastError = a.error;
            continue;
        }
        if (versions.includes(a.version)) {
            next.counts[a.version] = (next.counts[a.version] ?? 0) + 1;
            next.answered++;
        }
        else {
            next.unexpected[a.version] = (next.unexpected[a.version] ?? 0) + 1;
        }
    }
    return next;
}
/** An error of the exec itself (no transcript): counted as one error. */
function addExecError(tally, error) {
    return { ...tally, errors: tally.errors + 1, lastError: error };
}
const missingVersions = (tally, versions) => versions.filter(v => !tally.counts[v]);
/** Whether a source may stop sending: every version answered, or k answers. */
function sourceDone(tally, versions, requests) {
    return (missingVersions(tally, versions).length === 0 || tally.answered >= requests);
}
/** The next batch: never more answers than still needed, at most `max`. */
function nextBatch(tally, requests, max = 10) {
    return Math.max(1, Math.min(max, requests - tally.answered));
}
/** Passes only if every source reached every version. */
function trafficVerdict(tallies, versions, versionCluster) {
    const failures = [];
    for (const t of tallies) {
        const missing = missingVersions(t, versions);
        if (missing.length === 0)
            continue;
        const named = missing
            .map(v => `${v} (${versionCluster[v] ?? '?'})`)
            .join(', ');
        const why = t.lastError
            ? `; ${t.errors} error(s), last: ${t.lastError}`
            : t.answered === 0
                ? '; no answer at all'
                : `; ${t.answered} answer(s), all from other versions`;
        failures.push(`${t.source} never reached ${named}${why}`);
    }
    return { ok: failures.length === 0, failures };
}
/** `{"<source>": {"<version>": count}}`: the matrix-json output. */
function matrixJson(tallies, versions) {
    const matrix = {};
    for (const t of tallies) {
        matrix[t.source] = Object.fromEntries(versions.map(v => [v, t.counts[v] ?? 0]));
    }
    return JSON.stringify(matrix);
}

;// CONCATENATED MODULE: ./lib/mesh/verify-report.js


/** The label of the one issue verify-mesh keeps open while the mesh fails. */
const ISSUE_LABEL = 'mesh-connectivity';
const ISSUE_TITLE = 'Mesh connectivity check is failing';
/** GitHub refuses issue and comment bodies longer than this. */
const MAX_BODY_CHARS = 65_536;
const cell = (text) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** The action's outputs, by name. */
function outputs(report) {
    const cp = report.controlPlane;
    return {
        result: report.result,
        'matrix-json': report.traffic
            ? matrixJson(report.traffic.tallies, report.traffic.versions)
            : '{}',
        'control-plane-json': cp
            ? controlPlaneJson(cp.views, report.clusters, { endpoints: cp.endpoints })
            : '{}'
    };
}
function controlPlaneCell(v, peer, endpoints) {
    const parts = [];
    let bad = false;
    if (peer === v.cluster) {
        parts.push(v.istiod.ready ? 'istiod ready' : 'istiod not ready');
        bad ||= !v.istiod.ready;
        const w = v.webhook.state;
        parts.push(w === 'present'
            ? 'injector'
            : w === 'missing'
                ? 'no injector'
                : 'injector without caBundle');
        bad ||= w !== 'present';
    }
    else {
        const has = v.secrets.includes(peer);
        parts.push(has ? 'secret' : 'no secret');
        bad ||= !has;
    }
    if (v.debug.ok) {
        const status = v.debug.clusters.find(r => r.id === peer)?.syncStatus ?? 'not listed';
        parts.push(status);
        bad ||= status !== 'synced';
        if (endpoints) {
            const n = v.debug.endpoints?.[peer]?.healthy ?? 0;
            parts.push(`${n} endpoint${n === 1 ? '' : 's'}`);
            bad ||= n === 0;
        }
    }
    else {
        parts.push(v.istiod.ready ? 'debug API: no answer' : 'istiod not asked');
        bad = true;
    }
    return `${bad ? '❌' : '✅'} ${parts.join(', ')}`;
}
function controlPlaneTable(report) {
    const cp = report.controlPlane;
    if (!cp)
        return [];
    const names = report.clusters;
    const lines = [
        '#### Control plane',
        '',
        `Each row is one cluster's control plane: its istiod, its sidecar injector, the remote secret it holds for each other cluster, and istiod's own view (\`/debug/clusterz\`${cp.endpoints ? ', and the ready `helloworld` endpoints it knows from each cluster (`/debug/endpointShardz`)' : ''}).`,
        '',
        `| istiod in \\ cluster | ${names.map(cell).join(' | ')} |`,
        `|---|${names.map(() => '---').join('|')}|`,
        ...cp.views.map(v => `| ${cell(v.cluster)} | ${names.map(p => cell(controlPlaneCell(v, p, cp.endpoints))).join(' | ')} |`)
    ];
    if (cp.note)
        lines.push('', cp.note);
    return lines;
}
function trafficTable(report) {
    const t = report.traffic;
    if (!t)
        return [];
    const lines = ['#### Traffic', ''];
    if (t.skipped && t.tallies.length === 0) {
        lines.push(`No request was sent: ${t.skipped}.`);
        return lines;
    }
    lines.push(`Answers of \`helloworld\` per version, from the curl client in each cluster (at most ${t.requests} answered requests per source; each stops once every version has answered).`, '', `| source \\ version | ${t.versions.map(v => `${v} (${cell(t.versionCluster[v] ?? '?')})`).join(' | ')} | errors | last error |`, `|---|${t.versions.map(() => '---').join('|')}|---|---|`, ...t.tallies.map(s => `| ${cell(s.source)} | ${t.versions.map(v => (s.counts[v] ? String(s.counts[v]) : '❌ 0')).join(' | ')} | ${s.errors} | ${cell(s.lastError ?? '')} |`));
    return lines;
}
/** The job summary: verdict, times, the control-plane table, the matrix. */
function renderSummary(report) {
    const total = report.timings.reduce((sum, t) => sum + t.ms, 0);
    const lines = [
        `### verify-mesh: ${report.result === 'pass' ? '✅ pass' : '❌ fail'}`,
        '',
        `${report.clusters.length} cluster(s): ${report.clusters.map(c => `\`${c}\``).join(', ')}. Elapsed ${seconds(total)}${report.timings.length ? ` (${report.timings.map(t => `${t.phase} ${seconds(t.ms)}`).join(', ')})` : ''}.`,
        ''
    ];
    const cp = controlPlaneTable(report);
    if (cp.length)
        lines.push(...cp, '');
    const tr = trafficTable(report);
    if (tr.length)
        lines.push(...tr, '');
    if (report.failures.length > 0) {
        lines.push('**Failed:**', '');
        const shown = report.failures.slice(0, 50);
        lines.push(...shown.map(f => `- ${cell(f)}`));
        if (report.failures.length > shown.length) {
            lines.push(`- … and ${report.failures.length - shown.length} more`);
        }
        lines.push('');
    }
    if (report.cleanup) {
        lines.push(report.cleanup.errors.length
            ? `Cleanup left objects behind: ${report.cleanup.errors.map(cell).join('; ')}`
            : `Cleanup removed the sample from ${report.cleanup.removed.length} cluster(s).`, '');
    }
    return lines.join('\n');
}
/** Cuts a body to GitHub's limit, saying so, without splitting a line. */
function fitBody(body, max = MAX_BODY_CHARS) {
    if (body.length <= max)
        return body;
    const note = "\n\n… (cut to fit GitHub's limit; the job summary has it all)\n";
    const cut = body.slice(0, max - note.length);
    return cut.slice(0, Math.max(0, cut.lastIndexOf('\n'))) + note;
}
const ISSUE_MARKER = '<!-- eks-istio-mesh:verify-mesh:v1 -->';
function runMarker(runId) {
    return `<!-- eks-istio-mesh:verify-mesh:v1 run=${encodeURIComponent(runId)} -->`;
}
const runLine = (runUrl) => runUrl ? `Run: ${runUrl}` : 'Run: (not in GitHub Actions)';
/** The body of a new issue: what failed, the run, then the summary. */
function issueBody(summary, runUrl) {
    return fitBody([
        ISSUE_MARKER,
        'The mesh connectivity check failed. verify-mesh comments here on each failing run and closes this issue when a run passes.',
        '',
        runLine(runUrl),
        '',
        summary
    ].join('\n'));
}
/** A comment for one run (its marker first, so a retry does not repeat it). */
function runComment(runId, summary, runUrl, passing) {
    return fitBody([
        runMarker(runId),
        passing
            ? 'The mesh connectivity check passes again; closing.'
            : 'The mesh connectivity check failed again.',
        '',
        runLine(runUrl),
        '',
        summary
    ].join('\n'));
}

// EXTERNAL MODULE: ./lib/kube/limit.js
var limit = __webpack_require__(74782);
;// CONCATENATED MODULE: ./lib/mesh/verify-manifests.js
/** The label that marks what verify-mesh made, and lets cleanup find it. */
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'eks-istio-mesh' };
const versionOf = (index) => `v${index + 1}`;
/**
 * Istio publishes helloworld images for v1 and v2 only. Its
 * gen-helloworld.sh runs the v1 image with SERVICE_VERSION for any other
 * version; every version gets SERVICE_VERSION here, which the v1 and v2
 * images answer with too.
 */
function helloworldImage(version, images) {
    return version === 'v2' ? images.helloworldV2 : images.helloworld;
}
function namespaceManifest(namespace) {
    return {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
            name: namespace,
            labels: { 'istio-injection': 'enabled', ...MANAGED_BY }
        }
    };
}
/** The objects of one cluster, in apply order (the namespace apart). */
function clusterManifests(namespace, index, images) {
    const version = versionOf(index);
    const meta = (name, labels) => ({
        name,
        namespace,
        labels: { ...labels, ...MANAGED_BY }
    });
    return [
        {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: meta('helloworld', { app: 'helloworld', service: 'helloworld' }),
            spec: {
                ports: [{ port: 5000, name: 'http' }],
                selector: { app: 'helloworld' }
            }
        },
        {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: meta(`helloworld-${version}`, { app: 'helloworld', version }),
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: 'helloworld', version } },
                template: {
                    metadata: { labels: { app: 'helloworld', version } },
                    spec: {
                        containers: [
                            {
                                name: 'helloworld',
                                image: helloworldImage(version, images),
                                env: [{ name: 'SERVICE_VERSION', value: version }],
                                resources: { requests: { cpu: '100m' } },
                                imagePullPolicy: 'IfNotPresent',
                                ports: [{ containerPort: 5000 }]
                            }
                        ]
                    }
                }
            }
        },
        {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            metadata: meta('curl', { app: 'curl' })
        },
        {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: meta('curl', { app: 'curl', service: 'curl' }),
            spec: { ports: [{ port: 80, name: 'http' }], selector: { app: 'curl' } }
        },
        {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: meta('curl', { app: 'curl' }),
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: 'curl' } },
                template: {
                    metadata: { labels: { app: 'curl' } },
                    spec: {
                        terminationGracePeriodSeconds: 0,
                        serviceAccountName: 'curl',
                        containers: [
                            {
                                name: 'curl',
                                image: images.curl,
                                command: ['/bin/sleep', 'infinity'],
                                imagePullPolicy: 'IfNotPresent'
                            }
                        ]
                    }
                }
            }
        }
    ];
}
/** The Deployments of one cluster, whose rollouts are waited for. */
const deploymentNames = (index) => [
    `helloworld-${versionOf(index)}`,
    'curl'
];

;// CONCATENATED MODULE: ./lib/mesh/verify.js





const SERVICE = 'helloworld';
const REVISION_LABEL = 'istio.io/rev';
const INJECTION_LABEL = 'istio-injection';
const MANAGED_KEY = Object.keys(MANAGED_BY)[0];
const MANAGED_VALUE = Object.values(MANAGED_BY)[0];
/** One curl request may take this long; an exec allows for the batch. */
const REQUEST_TIMEOUT_S = 5;
const message = (err) => err instanceof Error ? err.message : String(err);
const WEBHOOKS = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=app%3Dsidecar-injector';
const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
/**
 * Every other cluster's remote secret in `target`, each read by name and
 * as metadata only, so its kubeconfig never reaches us. By name, not by a
 * list: the cluster stage's verify role may get these secrets and list
 * none (a list of Secrets, metadata or not, is authorized as a list, and
 * would also return cacerts' key).
 */
async function remoteSecrets(target, o) {
    const ns = encodeURIComponent(o.istioNamespace);
    const peers = o.clusters.map(c => c.name).filter(n => n !== target.name);
    const found = await Promise.all(peers.map(async (peer) => {
        const res = await target.kube.call({
            method: 'GET',
            path: `/api/v1/namespaces/${ns}/secrets/${encodeURIComponent(`${REMOTE_SECRET_PREFIX}${peer}`)}`,
            accept: METADATA_ONLY
        }, s => (s >= 200 && s < 300) || s === 404);
        if (res.status === 404)
            return undefined;
        const m = res.body?.metadata;
        return { name: m?.name ?? '', annotations: m?.annotations };
    }));
    return found.filter((s) => s !== undefined);
}
/** What one cluster's API server and istiod say, read in parallel. */
async function gatherView(target, o, deps, endpoints) {
    const istiod = deps.istiod(target);
    const [ready, webhooks, secrets] = await Promise.all([
        istiod.ready(),
        target.kube.call({ method: 'GET', path: WEBHOOKS }),
        remoteSecrets(target, o)
    ]);
    const view = {
        cluster: target.name,
        istiod: ready,
        webhook: injectorState(webhooks.body.items ?? [], o.istioNamespace),
        secrets: remoteSecretPeers(secrets),
        debug: { ok: false, error: 'not asked: istiod is not ready' }
    };
    if (!ready.ready)
        return view;
    try {
        const clusters = mergeClusterz((await istiod.get('/debug/clusterz')).map(parseClusterz));
        const shards = endpoints
            ? mergeShards((await istiod.get('/debug/endpointShardz')).map(j => serviceShards(j, SERVICE, o.namespace)))
            : undefined;
        view.debug = { ok: true, clusters, ...(shards ? { endpoints: shards } : {}) };
    }
    catch (err) {
        view.debug = { ok: false, error: message(err) };
    }
    return view;
}
/**
 * Polls every cluster's control plane until all is well, a problem that
 * waiting cannot fix shows up, or the deadline passes.
 */
async function controlPlane(o, deps, deadline, endpoints) {
    const names = o.clusters.map(c => c.name);
    let last = '';
    for (;;) {
        const views = await (0,limit/* mapLimit */.s)(o.clusters, deps.concurrency ?? 8, t => gatherView(t, o, deps, endpoints));
        const verdict = controlPlaneVerdict(views, names, {
            endpoints,
            service: SERVICE,
            namespace: o.namespace,
            istioNamespace: o.istioNamespace
        });
        if (verdict.ok)
            return { views, verdict };
        const now = verdict.problems.map(p => p.text).join('; ');
        if (now !== last)
            deps.log(`control plane: ${now}`);
        last = now;
        if (verdict.problems.some(p => p.settled) ||
            deps.now() >= deadline ||
            deps.signal?.aborted) {
            return { views, verdict };
        }
        await deps.sleep(Math.min(POLL_MS, deadline - deps.now()));
    }
}
async function waitNamespaceGone(target, namespace, deadline, deps) {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
    deps.log(`${target.name}: namespace ${namespace} is being deleted; waiting for it to go`);
    while (await getObject(target.kube, path)) {
        if (deps.now() >= deadline || deps.signal?.aborted) {
            throw new WaitError(`${target.name}: namespace ${namespace} was still terminating at the timeout`);
        }
        await deps.sleep(Math.min(POLL_MS, deadline - deps.now()));
    }
}
/** Applies one cluster's objects, registering them for cleanup first. */
async function deploy(target, index, o, deps, deadline, deployed) {
    const nsPath = `/api/v1/namespaces/${encodeURIComponent(o.namespace)}`;
    let existing = await getObject(target.kube, nsPath);
    if (existing?.metadata?.deletionTimestamp) {
        await waitNamespaceGone(target, o.namespace, deadline, deps);
        existing = undefined;
    }
    const ownsNamespace = !existing || existing.metadata?.labels?.[MANAGED_KEY] === MANAGED_VALUE;
    const namespace = namespaceManifest(o.namespace);
    if (!ownsNamespace) {
        // Someone else's namespace: labelled for injection, never marked ours.
        delete namespace.metadata.labels[MANAGED_KEY];
    }
    if (existing?.metadata?.labels?.[REVISION_LABEL]) {
        // Injection by revision: istio-injection would take precedence over
        // the namespace's istio.io/rev, so it is left as its owner set it.
        delete namespace.metadata.labels[INJECTION_LABEL];
    }
    const objects = clusterManifests(o.namespace, index, o.images);
    deployed.push({ target, objects, namespace, ownsNamespace });
    // In order: the curl ServiceAccount must exist before its Deployment's
    // ReplicaSet creates pods, or they are refused and retried with backoff.
    const results = [await applyObject(target.kube, namespace, o.fieldManager)];
    for (const obj of objects) {
        results.push(await applyObject(target.kube, obj, o.fieldManager));
    }
    const count = (s) => results.filter(r => r === s).length;
    deps.log(`${target.name}: applied ${results.length} objects (${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged), helloworld ${versionOf(index)}`);
}
/** Deletes what was deployed, the namespace only when verify-mesh made it. */
async function cleanup(deployed, deps) {
    const removed = [];
    const errors = [];
    await Promise.all(deployed.map(async (d) => {
        const all = [...d.objects].reverse();
        if (d.ownsNamespace)
            all.push(d.namespace);
        let n = 0;
        for (const obj of all) {
            try {
                if ((await deleteObject(d.target.kube, obj)) === 'deleted')
                    n++;
            }
            catch (err) {
                errors.push(`${d.target.name}: delete ${label(obj)}: ${message(err)}`);
            }
        }
        removed.push(d.target.name);
        deps.log(`${d.target.name}: cleanup deleted ${n} object(s)${d.ownsNamespace ? `, namespace ${d.namespace.metadata.name} included` : `; namespace ${d.namespace.metadata.name} kept (not made by verify-mesh)`}`);
    }));
    return { removed, errors };
}
async function curlPod(target, namespace) {
    const pods = (await listPods(target.kube, namespace, 'app=curl')).filter(isPodReady);
    const pod = pods.at(-1);
    if (!pod)
        throw new Error(`${target.name}: no ready curl pod in ${namespace}`);
    return pod;
}
/** Curls from one source until every version answered, k answers, or the deadline. */
async function curlFrom(target, o, deps, deadline, versions) {
    let tally = emptyTally(target.name);
    let pod;
    while (!sourceDone(tally, versions, o.requests)) {
        const left = deadline - deps.now();
        if (left <= 0 || deps.signal?.aborted)
            break;
        const before = tally.answered;
        try {
            pod ??= await curlPod(target, o.namespace);
            const n = nextBatch(tally, o.requests);
            const r = await deps.exec(target, {
                namespace: o.namespace,
                pod: pod.metadata.name,
                container: 'curl',
                command: curlCommand(o.namespace, n, REQUEST_TIMEOUT_S),
                timeoutMs: Math.min(left, n * (REQUEST_TIMEOUT_S + 1) * 1000 + 10_000),
                signal: deps.signal
            });
            const attempts = parseTranscript(r.stdout);
            tally = addAttempts(tally, attempts, versions);
            if (attempts.length === 0) {
                tally = addExecError(tally, `exec: ${r.error ?? (r.stderr.trim().slice(0, 200) || 'no output')}`);
            }
        }
        catch (err) {
            pod = undefined;
            tally = addExecError(tally, message(err));
        }
        const seen = versions.filter(v => tally.counts[v]);
        deps.log(`${target.name}: ${tally.answered} answered (${seen.join(', ') || 'no version yet'}), ${tally.errors} error(s)`);
        // Errors early on (sidecars warming up, endpoints still spreading) are
        // retried within the timeout, with a pause so they do not spin.
        if (tally.answered === before)
            await deps.sleep(Math.min(1000, Math.max(0, deadline - deps.now())));
    }
    return tally;
}
async function traffic(o, deps, deadline, deployed, report, time) {
    const versions = o.clusters.map((_, i) => versionOf(i));
    const versionCluster = Object.fromEntries(o.clusters.map((c, i) => [versionOf(i), c.name]));
    const t = {
        versions,
        versionCluster,
        tallies: [],
        requests: o.requests
    };
    report.traffic = t;
    await time('deploy', () => deps.group('verify-mesh: deploy helloworld and curl', () => (0,limit/* mapLimit */.s)(o.clusters.map((c, i) => ({ c, i })), deps.concurrency ?? 8, ({ c, i }) => deploy(c, i, o, deps, deadline, deployed))));
    const rollout = await time('rollout', () => deps.group('verify-mesh: wait for rollouts and sidecars', async () => {
        const failures = [];
        await Promise.all(o.clusters.flatMap((c, i) => deploymentNames(i).map(async (name) => {
            try {
                await waitForRollout(c.kube, o.namespace, name, { requireSidecar: o.requireSidecar !== false, deadline }, { ...deps, log: m => deps.log(m) });
                deps.log(`${c.name}: ${o.namespace}/${name} rolled out`);
            }
            catch (err) {
                failures.push(message(err));
            }
        })));
        return failures;
    }));
    if (rollout.length > 0) {
        t.skipped = 'the workloads did not become ready';
        report.failures.push(...rollout);
        return;
    }
    if (o.checks.controlPlane) {
        const cp = await time('endpoints', () => deps.group("verify-mesh: istiod's view of the sample's endpoints", () => controlPlane(o, deps, deadline, true)));
        report.controlPlane = { ...cp, endpoints: true };
        if (!cp.verdict.ok) {
            report.failures.push(...cp.verdict.problems.map(p => p.text));
            t.skipped = "istiod does not know the sample's endpoints in every cluster";
            return;
        }
    }
    t.tallies = await time('traffic', () => deps.group('verify-mesh: curl helloworld from every cluster', () => Promise.all(o.clusters.map(c => curlFrom(c, o, deps, deadline, versions)))));
    const verdict = trafficVerdict(t.tallies, versions, versionCluster);
    report.failures.push(...verdict.failures);
}
/**
 * verify-mesh: the control plane of every cluster, then (unless only the
 * control plane is asked for) helloworld and curl in every cluster and a
 * curl from each to every version. Whatever was deployed is removed at the
 * end when `cleanup` is on, whether the run passed, failed, timed out or
 * was cancelled (the caller aborts `signal` on SIGINT/SIGTERM).
 */
async function verifyMesh(o, deps) {
    const started = deps.now();
    const deadline = started + o.timeoutMs;
    const names = o.clusters.map(c => c.name);
    const report = {
        result: 'fail',
        failures: [],
        clusters: names,
        timings: []
    };
    const time = async (phase, fn) => {
        const t0 = deps.now();
        try {
            return await fn();
        }
        finally {
            report.timings.push({ phase, ms: deps.now() - t0 });
        }
    };
    const deployed = [];
    try {
        if (o.checks.controlPlane) {
            // With traffic, the endpoints are checked once the sample runs; alone,
            // they are checked if the sample's Service is there (cleanup: false,
            // or the user's own).
            let endpoints = false;
            let note;
            if (!o.checks.traffic) {
                const present = await (0,limit/* mapLimit */.s)(o.clusters, deps.concurrency ?? 8, c => getObject(c.kube, objectPath({
                    apiVersion: 'v1',
                    kind: 'Service',
                    metadata: { name: SERVICE, namespace: o.namespace }
                })));
                endpoints = present.some(Boolean);
                if (!endpoints) {
                    note = `endpoints not checked: no ${SERVICE} Service in namespace ${o.namespace} (run checks traffic, or deploy it)`;
                }
            }
            const cp = await time('control plane', () => deps.group('verify-mesh: control plane', () => controlPlane(o, deps, deadline, endpoints)));
            report.controlPlane = { ...cp, endpoints, ...(note ? { note } : {}) };
            if (note)
                deps.log(note);
            if (!cp.verdict.ok) {
                report.failures.push(...cp.verdict.problems.map(p => p.text));
            }
        }
        if (o.checks.traffic) {
            if (report.failures.length > 0) {
                report.traffic = {
                    versions: names.map((_, i) => versionOf(i)),
                    versionCluster: Object.fromEntries(names.map((n, i) => [versionOf(i), n])),
                    tallies: [],
                    requests: o.requests,
                    skipped: 'the control plane failed'
                };
            }
            else {
                await traffic(o, deps, deadline, deployed, report, time);
            }
        }
    }
    catch (err) {
        report.failures.push(message(err));
    }
    finally {
        if (deps.signal?.aborted)
            report.failures.push('cancelled');
        if (o.cleanup && deployed.length > 0) {
            report.cleanup = await time('cleanup', () => deps.group('verify-mesh: cleanup', () => cleanup(deployed, deps)));
        }
    }
    report.result = report.failures.length === 0 ? 'pass' : 'fail';
    return report;
}

// EXTERNAL MODULE: ./lib/actions/clusters.js
var actions_clusters = __webpack_require__(54420);
// EXTERNAL MODULE: ./lib/common/inputs.js
var inputs = __webpack_require__(14564);
;// CONCATENATED MODULE: ./lib/actions/verify-mesh/inputs.js




const CHECKS = ['control-plane', 'traffic'];
const checks = (raw, name) => {
    const items = (0,inputs/* list */.p_)(raw, name);
    for (const item of items) {
        if (!CHECKS.includes(item)) {
            throw new errors/* ConfigurationError */.j(`input '${name}' must list control-plane, traffic or both, got '${item}'`);
        }
    }
    if (items.length === 0) {
        throw new errors/* ConfigurationError */.j(`input '${name}' must list control-plane, traffic or both`);
    }
    return {
        controlPlane: items.includes('control-plane'),
        traffic: items.includes('traffic')
    };
};
const MAX_REQUESTS = 10_000;
const requests = (raw, name) => {
    if (raw === 'auto')
        return 'auto';
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_REQUESTS) {
        throw new errors/* ConfigurationError */.j(`input '${name}' must be auto or a whole number from 1 to ${MAX_REQUESTS}, got '${raw}'`);
    }
    return n;
};
const positiveDuration = (raw, name) => {
    const ms = (0,inputs/* duration */.p0)(raw, name);
    if (ms <= 0) {
        throw new errors/* ConfigurationError */.j(`input '${name}' must be a duration longer than 0 like 30s or 5m, got '${raw}'`);
    }
    return ms;
};
/** A container image reference: no spaces, no shell or YAML specials. */
const inputs_image = (raw, name) => {
    if (/^[A-Za-z0-9][A-Za-z0-9._\-/:@]{0,254}$/.test(raw))
        return raw;
    throw new errors/* ConfigurationError */.j(`input '${name}' must be a container image like registry.example/app:1.0, got '${raw}'`);
};
const spec = {
    ...actions_clusters/* clusterReachSpec */.df,
    namespace: (0,inputs/* optional */.lq)(actions_clusters/* dns1123 */.NE),
    'istio-namespace': (0,inputs/* optional */.lq)(actions_clusters/* dns1123 */.NE),
    checks: (0,inputs/* optional */.lq)(checks),
    'istiod-urls': (0,inputs/* optional */.lq)(inputs/* keyValues */.K7),
    requests: (0,inputs/* optional */.lq)(requests),
    timeout: (0,inputs/* optional */.lq)(positiveDuration),
    cleanup: (0,inputs/* optional */.lq)(inputs/* bool */.lc),
    'helloworld-image': (0,inputs/* optional */.lq)(inputs_image),
    'helloworld-v2-image': (0,inputs/* optional */.lq)(inputs_image),
    'curl-image': (0,inputs/* optional */.lq)(inputs_image),
    'report-issue': (0,inputs/* optional */.lq)(inputs/* bool */.lc),
    'github-token': (0,inputs/* secret */.rJ)((0,inputs/* optional */.lq)(inputs/* text */.Qq))
};
/** istiod addresses: http(s), no credentials, for listed clusters only. */
function istiodUrls(raw, clusters) {
    const names = clusters.map(c => c.name);
    const out = {};
    for (const [cluster, value] of Object.entries(raw ?? {})) {
        if (!names.includes(cluster)) {
            throw new errors/* ConfigurationError */.j(`input 'istiod-urls' names cluster '${cluster}', which input 'clusters' does not list (${names.join(', ')})`);
        }
        let url;
        try {
            url = new URL(value);
        }
        catch {
            throw new errors/* ConfigurationError */.j(`input 'istiod-urls' must give ${cluster}=http(s)://host:port, got a value for '${cluster}' that is not a URL`);
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
            throw new errors/* ConfigurationError */.j(`input 'istiod-urls' must give http or https URLs, got ${url.protocol} for '${cluster}'`);
        }
        if (url.username || url.password) {
            throw new errors/* ConfigurationError */.j(`input 'istiod-urls' must not carry credentials in the URL for '${cluster}'`);
        }
        out[cluster] = value;
    }
    return out;
}
/** Every input, validated together, before any cluster is contacted. */
function readVerifyInputs(env, options = {}) {
    const raw = (0,inputs/* readInputs */.Ko)(spec, env, { onSecret: options.onSecret });
    const reach = (0,actions_clusters/* clusterReach */.es)(raw, env, options.cwd ?? process.cwd());
    const { clusters } = reach;
    const asked = (0,inputs/* given */.gI)(raw.requests, 'requests');
    const reportIssue = (0,inputs/* given */.gI)(raw['report-issue'], 'report-issue');
    const token = raw['github-token'];
    if (reportIssue && (!token || token.startsWith('${{'))) {
        throw new errors/* ConfigurationError */.j(`input 'report-issue' needs input 'github-token' (a token with issues: write)`);
    }
    return {
        ...reach,
        namespace: (0,inputs/* given */.gI)(raw.namespace, 'namespace'),
        istioNamespace: (0,inputs/* given */.gI)(raw['istio-namespace'], 'istio-namespace'),
        checks: (0,inputs/* given */.gI)(raw.checks, 'checks'),
        istiodUrls: istiodUrls(raw['istiod-urls'], clusters),
        requests: asked === 'auto' ? autoRequests(clusters.length) : asked,
        requestsAuto: asked === 'auto',
        timeoutMs: (0,inputs/* given */.gI)(raw.timeout, 'timeout'),
        cleanup: (0,inputs/* given */.gI)(raw.cleanup, 'cleanup'),
        images: {
            helloworld: (0,inputs/* given */.gI)(raw['helloworld-image'], 'helloworld-image'),
            helloworldV2: (0,inputs/* given */.gI)(raw['helloworld-v2-image'], 'helloworld-v2-image'),
            curl: (0,inputs/* given */.gI)(raw['curl-image'], 'curl-image')
        },
        reportIssue,
        ...(token && !token.startsWith('${{') ? { githubToken: token } : {})
    };
}

;// CONCATENATED MODULE: ./lib/actions/verify-mesh/main.js









/** One call to istiod's debug API may take this long. */
const DEBUG_TIMEOUT_MS = 20_000;
/** A sleep that ends early when the run is cancelled. */
function abortableSleep(signal) {
    return (ms) => new Promise(resolve => {
        if (signal.aborted || ms <= 0)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
    });
}
async function reportToIssue(inputs, report, summary, deps) {
    const { core, env } = deps;
    const repo = (0,context/* repository */.Jk)(env);
    if (!repo) {
        core.warning(`report-issue: GITHUB_REPOSITORY is not set; no issue written`);
        return;
    }
    const { createGitHubClient } = await Promise.all(/* import() */[__webpack_require__.e(167), __webpack_require__.e(636)]).then(__webpack_require__.bind(__webpack_require__, 70636));
    const { reportIssue } = await Promise.all(/* import() */[__webpack_require__.e(167), __webpack_require__.e(375)]).then(__webpack_require__.bind(__webpack_require__, 375));
    const gh = createGitHubClient({
        token: inputs.githubToken,
        baseUrl: (0,context/* apiBaseUrl */.tj)(env),
        warn: m => core.warning(m)
    });
    const url = (0,context/* runUrl */.Vp)(env);
    const attempt = (0,context/* runId */.Vz)(env);
    const failing = report.result === 'fail';
    try {
        const r = await reportIssue(gh, repo, failing, {
            label: ISSUE_LABEL,
            title: ISSUE_TITLE,
            body: issueBody(summary, url),
            comment: runComment(attempt, summary, url, !failing),
            commentMarker: runMarker(attempt)
        });
        core.info(r.action === 'none'
            ? `report-issue: no open ${ISSUE_LABEL} issue, nothing to do`
            : `report-issue: ${r.action} issue #${r.number}${r.url ? ` ${r.url}` : ''}`);
    }
    catch (err) {
        // The verdict stands and the step fails or passes on it; a report that
        // could not be written must still be seen.
        core.warning(`report-issue: ${err.message}`);
    }
}
/** verify-mesh: the control plane and traffic of every cluster of the mesh. */
async function run(deps) {
    const { core, env } = deps;
    const secrets = [];
    const mask = (s) => {
        secrets.push(s);
        core.setSecret(s);
    };
    const cancel = new AbortController();
    const signals = deps.signals ?? process;
    const onSignal = (name) => {
        if (!cancel.signal.aborted) {
            core.warning(`verify-mesh: ${name} received: stopping, then cleaning up`);
        }
        cancel.abort();
    };
    const onInt = () => onSignal('SIGINT');
    const onTerm = () => onSignal('SIGTERM');
    signals.on('SIGINT', onInt);
    signals.on('SIGTERM', onTerm);
    let parsed = false;
    try {
        const inputs = readVerifyInputs(env, { onSecret: mask });
        parsed = true;
        const coreMasked = { setSecret: mask };
        const clusters = await (0,actions_clusters/* clusterTargets */.V6)(inputs, { core: coreMasked, env });
        const checks = [
            inputs.checks.controlPlane ? 'control-plane' : '',
            inputs.checks.traffic ? 'traffic' : ''
        ].filter(Boolean);
        core.info(`verify-mesh: ${clusters.length} cluster(s) ${clusters.map(c => c.name).join(', ')}; checks ${checks.join(', ')}; ${inputs.checks.traffic ? `at most ${inputs.requests} answered requests per source${inputs.requestsAuto ? ' (auto)' : ''}; ` : ''}timeout ${Math.round(inputs.timeoutMs / 1000)} s`);
        const istiod = (t) => {
            const url = inputs.istiodUrls[t.name];
            const o = { timeoutMs: DEBUG_TIMEOUT_MS, signal: cancel.signal };
            return url
                ? urlIstiod(url, o)
                : portForwardIstiod(t, inputs.istioNamespace, o);
        };
        const report = await verifyMesh({
            clusters,
            namespace: inputs.namespace,
            istioNamespace: inputs.istioNamespace,
            checks: inputs.checks,
            requests: inputs.requests,
            timeoutMs: inputs.timeoutMs,
            cleanup: inputs.cleanup,
            images: inputs.images,
            fieldManager: actions_clusters/* FIELD_MANAGER */.vy
        }, {
            log: m => core.info(m),
            group: (name, fn) => core.group(name, fn),
            now: deps.now ?? Date.now,
            sleep: abortableSleep(cancel.signal),
            signal: cancel.signal,
            istiod,
            exec: (t, r) => {
                if (!t.connection)
                    throw new Error(`${t.name}: no connection for exec`);
                return execInPod(t.connection, t.name, r);
            }
        });
        const redact = (0,github_redact/* redactor */.$)([
            ...secrets,
            ...(inputs.githubToken ? [inputs.githubToken] : [])
        ]);
        for (const [name, value] of Object.entries(outputs(report))) {
            core.setOutput(name, redact(value));
        }
        const summary = redact(renderSummary(report));
        await core.writeSummary(summary);
        if (inputs.reportIssue)
            await reportToIssue(inputs, report, summary, deps);
        if (report.result === 'fail') {
            const shown = report.failures.slice(0, 3).join('; ');
            core.setFailed(redact(`verify-mesh failed: ${shown}${report.failures.length > 3 ? ` (and ${report.failures.length - 3} more in the job summary)` : ''}`));
        }
        else {
            core.info('verify-mesh: pass');
        }
    }
    catch (err) {
        if (parsed)
            core.setOutput('result', 'fail');
        core.setFailed((0,github_redact/* redactor */.$)(secrets)((0,errors/* describeError */.U)(err, 'verify-mesh')));
    }
    finally {
        signals.off('SIGINT', onInt);
        signals.off('SIGTERM', onTerm);
    }
}


/***/ }),

/***/ 88120:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jk: () => (/* binding */ repository),
/* harmony export */   Sj: () => (/* binding */ pullRequestTarget),
/* harmony export */   Vp: () => (/* binding */ runUrl),
/* harmony export */   Vz: () => (/* binding */ runId),
/* harmony export */   tj: () => (/* binding */ apiBaseUrl)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);

/** owner and repo of GITHUB_REPOSITORY; undefined when it is not set. */
function repository(env) {
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
    return owner && repo ? { owner, repo } : undefined;
}
/**
 * This run's attempt, `<run id>.<attempt>`: the marker that keeps a rerun
 * from commenting twice, so every writer of one issue must name runs alike.
 */
function runId(env) {
    return `${env.GITHUB_RUN_ID ?? 'local'}.${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
}
function apiBaseUrl(env) {
    return env.GITHUB_API_URL || 'https://api.github.com';
}
/**
 * The pull request this run belongs to, from the event payload the runner
 * writes; undefined outside a pull_request event.
 */
function pullRequestTarget(env) {
    const repo = repository(env);
    if (!repo || !env.GITHUB_EVENT_PATH)
        return undefined;
    let event;
    try {
        event = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8'));
    }
    catch {
        return undefined;
    }
    const n = event.pull_request?.number;
    return typeof n === 'number' ? { ...repo, issueNumber: n } : undefined;
}
function runUrl(env) {
    const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = env;
    if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID)
        return undefined;
    return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
}


/***/ }),

/***/ 13806:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ redactor)
/* harmony export */ });
/**
 * Masks cover logs and job summaries only, not what is sent to GitHub's API
 * (comments, issues): bodies pass through this before they leave.
 */
const MIN_LINE_LENGTH = 6;
/** Replaces every secret (its base64 form and its lines too) with `***`, longest first. */
function redactor(secrets) {
    const forms = new Set();
    for (const s of secrets) {
        if (s.length < 4)
            continue;
        forms.add(s);
        forms.add(Buffer.from(s).toString('base64'));
        for (const line of s.split('\n').map(l => l.trim())) {
            if (line.length >= MIN_LINE_LENGTH)
                forms.add(line);
        }
    }
    const sorted = [...forms].sort((a, b) => b.length - a.length);
    return text => sorted.reduce((t, s) => t.split(s).join('***'), text);
}


/***/ })

};
