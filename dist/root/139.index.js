export const id = 139;
export const ids = [139];
export const modules = {

/***/ 54420:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NE: () => (/* binding */ dns1123),
/* harmony export */   V6: () => (/* binding */ clusterTargets),
/* harmony export */   df: () => (/* binding */ clusterReachSpec),
/* harmony export */   es: () => (/* binding */ clusterReach),
/* harmony export */   vy: () => (/* binding */ FIELD_MANAGER)
/* harmony export */ });
/* unused harmony export clusterEntries */
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(63302);
/* harmony import */ var _common_inputs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(14564);
/* harmony import */ var _common_paths_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7041);
/* harmony import */ var _kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(20490);




/** A name that must be a DNS-1123 label (a namespace, an object name). */
const dns1123 = (raw, name) => {
    if ((0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .isDns1123Label */ .z3)(raw))
        return raw;
    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`input '${name}' must be a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric), got '${raw}'`);
};
/** The server-side apply field manager of what the actions write in clusters. */
const FIELD_MANAGER = 'eks-istio-mesh';
/** The inputs by which exchange-secrets and verify-mesh reach clusters. */
const clusterReachSpec = {
    clusters: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .required */ .mw)(_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .list */ .p_),
    provider: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .optional */ .lq)((0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .oneOf */ .yL)('eks', 'kubeconfig')),
    'aws-region': (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .optional */ .lq)(_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .awsRegion */ .Ue),
    kubeconfig: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .optional */ .lq)(_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .text */ .Qq)
};
/** The read `clusterReachSpec` inputs, checked and resolved. */
function clusterReach(raw, env, cwd) {
    const provider = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .given */ .gI)(raw.provider, 'provider');
    return {
        clusters: clusterEntries(raw.clusters, provider),
        provider,
        awsRegion: raw['aws-region'],
        kubeconfig: raw.kubeconfig === undefined
            ? undefined
            : (0,_common_paths_js__WEBPACK_IMPORTED_MODULE_1__/* .resolveInside */ .L)(raw.kubeconfig, 'kubeconfig', env, cwd)
    };
}
/**
 * Input `clusters` of the actions that reach clusters (exchange-secrets,
 * verify-mesh): `name` or, with provider kubeconfig, `name=context`. The
 * name is the cluster ID (Istio's clusterName, the remote-secret key), so it
 * must be a DNS-1123 label.
 */
function clusterEntries(items, provider) {
    if (items.length === 0) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`input 'clusters' must list at least one cluster`);
    }
    const entries = items.map(item => {
        const at = item.indexOf('=');
        if (at >= 0 && provider !== 'kubeconfig') {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`input 'clusters' takes name=context only with provider kubeconfig, got '${item}'`);
        }
        const name = at >= 0 ? item.slice(0, at).trim() : item;
        const context = at >= 0 ? item.slice(at + 1).trim() : item;
        if (!(0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .isDns1123Label */ .z3)(name)) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`input 'clusters' must name clusters with DNS-1123 labels (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric), got '${name}'`);
        }
        if (context === '') {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`input 'clusters' has no context after '=' in '${item}'`);
        }
        return { name, context };
    });
    const seen = new Set();
    for (const e of entries) {
        if (seen.has(e.name)) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`input 'clusters' lists '${e.name}' more than once`);
        }
        seen.add(e.name);
    }
    return entries;
}
/**
 * Every listed cluster's API client: from a kubeconfig, or from EKS
 * (DescribeCluster and a token made from the runner's AWS credentials,
 * masked at once). An unknown cluster fails before any call to the others.
 */
async function clusterTargets(settings, deps) {
    if (settings.provider === 'kubeconfig') {
        return (0,_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_2__/* .kubeconfigTargets */ .Il)((0,_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_2__/* .loadKubeconfig */ .iz)(settings.kubeconfig, deps.env), settings.clusters);
    }
    // The AWS SDK is loaded only for provider eks.
    const { eksTargets } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(860), __webpack_require__.e(916), __webpack_require__.e(285)]).then(__webpack_require__.bind(__webpack_require__, 63285));
    return eksTargets({
        entries: settings.clusters,
        region: settings.awsRegion,
        env: deps.env,
        mask: s => deps.core.setSecret(s)
    });
}


/***/ }),

/***/ 7041:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ resolveInside)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(63302);


/**
 * Resolves a path input against the workspace and refuses one that leaves
 * both the workspace and the runner's temp folder, so an input cannot make
 * an action write keys somewhere unexpected.
 */
function resolveInside(raw, inputName, env, cwd = process.cwd()) {
    const workspace = env.GITHUB_WORKSPACE || cwd;
    const target = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(workspace, raw);
    const roots = [workspace, env.RUNNER_TEMP].filter((root) => !!root);
    const inside = roots.some(root => {
        const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.relative)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(root), target);
        return rel === '' || (!rel.startsWith('..') && !(0,node_path__WEBPACK_IMPORTED_MODULE_0__.isAbsolute)(rel));
    });
    if (!inside) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`input '${inputName}' must be a path inside the workspace (${workspace})${env.RUNNER_TEMP ? ` or RUNNER_TEMP` : ''}, got '${raw}'`);
    }
    return target;
}


/***/ }),

/***/ 27658:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  a3: () => (/* binding */ KubeError),
  tt: () => (/* binding */ httpsTransport),
  zA: () => (/* binding */ kubeClient)
});

// UNUSED EXPORTS: statusReason

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
// EXTERNAL MODULE: ./lib/terraform/retry.js
var retry = __webpack_require__(72306);
;// CONCATENATED MODULE: ./lib/kube/retry.js

/** Network failures where the request may not have reached the server. */
const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'ECONNABORTED',
    'UND_ERR_SOCKET'
]);
const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;
/**
 * Whether, and after how long, to try an idempotent call again (every call
 * this toolkit makes to Kubernetes is one: GET, LIST, server-side apply,
 * DELETE, SelfSubjectAccessReview). 429 honours Retry-After within the cap;
 * 5xx and dropped connections back off; any other 4xx never repeats.
 */
function retryDelay(failure, attempt, random = Math.random) {
    if (attempt >= MAX_ATTEMPTS)
        return undefined;
    const { status, code } = failure;
    const transient = status === 429 ||
        (status !== undefined && status >= 500 && status !== 501) ||
        (status === undefined && code !== undefined && TRANSIENT_CODES.has(code));
    if (!transient)
        return undefined;
    const seconds = Number(failure.retryAfter);
    if (status === 429 && Number.isFinite(seconds) && seconds >= 0) {
        return Math.min(seconds * 1000, MAX_DELAY_MS);
    }
    return (0,retry/* backoffMs */.jo)(attempt, {
        baseDelayMs: BASE_DELAY_MS,
        maxDelayMs: MAX_DELAY_MS,
        random
    });
}

;// CONCATENATED MODULE: ./lib/kube/client.js



/**
 * A failed API call as method, path, status and the Status object's reason
 * (e.g. NotFound): never the body, whose message may quote what was sent.
 */
class KubeError extends Error {
    name = 'KubeError';
    status;
    constructor(cluster, req, status, reason) {
        super(`${cluster}: ${req.method} ${req.path.split('?')[0]} failed: ${status === undefined ? '' : `${status} `}${reason}`);
        this.status = status;
    }
}
function statusReason(body) {
    const reason = body?.reason;
    return typeof reason === 'string' && /^[A-Za-z]{1,64}$/.test(reason)
        ? reason
        : 'error';
}
/** A transport over node:http(s) with one context's TLS and credentials. */
function httpsTransport(conn) {
    const base = new URL(conn.server);
    const auth = conn.token
        ? `Bearer ${conn.token}`
        : conn.basic
            ? `Basic ${conn.basic}`
            : undefined;
    return async (req) => {
        const url = new URL(base.pathname.replace(/\/$/, '') + req.path, base);
        const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
        const headers = {
            accept: req.accept ?? 'application/json',
            ...(auth ? { authorization: auth } : {}),
            ...(payload === undefined
                ? {}
                : {
                    'content-type': req.contentType ?? 'application/json',
                    'content-length': Buffer.byteLength(payload)
                })
        };
        const options = {
            method: req.method,
            headers,
            timeout: 30_000,
            ...(url.protocol === 'https:'
                ? {
                    ...(conn.ca ? { ca: conn.ca } : {}),
                    ...(conn.cert ? { cert: conn.cert } : {}),
                    ...(conn.key ? { key: conn.key } : {}),
                    ...(conn.servername ? { servername: conn.servername } : {}),
                    rejectUnauthorized: !conn.insecure
                }
                : {})
        };
        const send = url.protocol === 'http:' ? external_node_http_.request : external_node_https_.request;
        return new Promise((resolve, reject) => {
            const r = send(url, options, res => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('error', reject);
                res.on('end', () => {
                    const text = Buffer.concat(chunks).toString('utf8');
                    let body;
                    try {
                        body = text === '' ? undefined : JSON.parse(text);
                    }
                    catch {
                        body = undefined;
                    }
                    const retryAfter = res.headers['retry-after'];
                    resolve({
                        status: res.statusCode ?? 0,
                        body: res.statusCode === 429 && retryAfter
                            ? { ...body, retryAfter }
                            : body
                    });
                });
            });
            r.on('timeout', () => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
            r.on('error', reject);
            r.end(payload);
        });
    };
}
const defaultSleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));
function kubeClient(cluster, transport, options = {}) {
    const sleep = options.sleep ?? defaultSleep;
    return {
        cluster,
        async call(req, ok = s => s >= 200 && s < 300) {
            for (let attempt = 1;; attempt++) {
                let failure;
                let reason;
                try {
                    const res = await transport(req);
                    if (ok(res.status))
                        return res;
                    const retryAfter = res.body
                        ?.retryAfter;
                    failure = { status: res.status, retryAfter };
                    reason = statusReason(res.body);
                }
                catch (err) {
                    const code = err.code;
                    failure = { code };
                    reason = code ?? 'connection failed';
                }
                const delay = retryDelay(failure, attempt, options.random);
                if (delay === undefined) {
                    throw new KubeError(cluster, req, failure.status, reason);
                }
                await sleep(delay);
            }
        }
    };
}


/***/ }),

/***/ 20490:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Il: () => (/* binding */ kubeconfigTargets),
/* harmony export */   bK: () => (/* binding */ tokenTarget),
/* harmony export */   gs: () => (/* binding */ clientFromKubeconfigText),
/* harmony export */   iz: () => (/* binding */ loadKubeconfig)
/* harmony export */ });
/* unused harmony exports parseKubeconfig, connection, contextNames */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(48161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(38815);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(63302);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(27658);






function named(list, key, base) {
    if (!Array.isArray(list))
        return [];
    return list.flatMap(item => {
        const i = item;
        const fields = i?.[key];
        return typeof i?.name === 'string' && fields && typeof fields === 'object'
            ? [{ name: i.name, fields: fields, base }]
            : [];
    });
}
/** Parses kubeconfig text; `source` names it in errors, never its content. */
function parseKubeconfig(texts, source) {
    const config = {
        clusters: new Map(),
        users: new Map(),
        contexts: new Map()
    };
    for (const { text, path } of texts) {
        let doc;
        try {
            doc = ((0,yaml__WEBPACK_IMPORTED_MODULE_3__/* .parse */ .qg)(text) ?? {});
        }
        catch {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`input 'kubeconfig' must name a YAML kubeconfig, '${source}' is not one`);
        }
        const base = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path);
        for (const c of named(doc.clusters, 'cluster', base)) {
            if (!config.clusters.has(c.name))
                config.clusters.set(c.name, c);
        }
        for (const u of named(doc.users, 'user', base)) {
            if (!config.users.has(u.name))
                config.users.set(u.name, u);
        }
        for (const c of named(doc.contexts, 'context', base)) {
            if (config.contexts.has(c.name))
                continue;
            config.contexts.set(c.name, {
                cluster: String(c.fields.cluster ?? ''),
                user: String(c.fields.user ?? '')
            });
        }
        const current = doc['current-context'];
        if (config.currentContext === undefined && typeof current === 'string') {
            config.currentContext = current;
        }
    }
    return config;
}
/**
 * Loads the user's kubeconfig: the file given, else every file in
 * $KUBECONFIG, else ~/.kube/config. Only paths appear in errors.
 */
function loadKubeconfig(path, env = process.env) {
    const paths = path
        ? [path]
        : env.KUBECONFIG
            ? env.KUBECONFIG.split(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter).filter(p => p !== '')
            : [(0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_1__.homedir)(), '.kube', 'config')];
    const source = path ?? (env.KUBECONFIG ? '$KUBECONFIG' : '~/.kube/config');
    const texts = paths.flatMap(p => {
        try {
            return [{ text: (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(p, 'utf8'), path: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(p) }];
        }
        catch (err) {
            // client-go skips missing files of a $KUBECONFIG list.
            if (!path && paths.length > 1)
                return [];
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`input 'kubeconfig' must name a readable kubeconfig file, got '${source}' (${err.code ?? 'unreadable'})`);
        }
    });
    return parseKubeconfig(texts, source);
}
const str = (f, key) => typeof f[key] === 'string' && f[key] !== '' ? f[key] : undefined;
function fileOrData(f, dataKey, fileKey, what) {
    const data = str(f.fields, dataKey);
    if (data)
        return Buffer.from(data, 'base64').toString('utf8');
    const file = str(f.fields, fileKey);
    if (!file)
        return undefined;
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(f.base, file), 'utf8');
    }
    catch (err) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`kubeconfig ${what} '${f.name}': cannot read ${fileKey} (${err.code ?? 'unreadable'})`);
    }
}
/** How to reach and authenticate to a context's API server. */
function connection(config, context) {
    const ctx = config.contexts.get(context);
    const cluster = ctx && config.clusters.get(ctx.cluster);
    const server = cluster && str(cluster.fields, 'server');
    if (!ctx || !cluster || !server) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`input 'clusters': context '${context}' has no cluster with a server in the kubeconfig`);
    }
    const user = config.users.get(ctx.user);
    const u = user?.fields ?? {};
    if (u.exec || u['auth-provider']) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`input 'clusters': context '${context}' authenticates with ${u.exec ? 'exec' : 'an auth provider'}, which this action does not run: use a token or client certificate, or provider eks`);
    }
    const tokenFile = str(u, 'tokenFile');
    let token = str(u, 'token');
    if (!token && tokenFile && user) {
        try {
            token = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(user.base, tokenFile), 'utf8').trim();
        }
        catch (err) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`kubeconfig user '${user.name}': cannot read tokenFile (${err.code ?? 'unreadable'})`);
        }
    }
    const username = str(u, 'username');
    const password = str(u, 'password');
    return {
        server,
        ca: fileOrData(cluster, 'certificate-authority-data', 'certificate-authority', 'cluster'),
        insecure: cluster.fields['insecure-skip-tls-verify'] === true,
        servername: str(cluster.fields, 'tls-server-name'),
        ...(user
            ? {
                cert: fileOrData(user, 'client-certificate-data', 'client-certificate', 'user'),
                key: fileOrData(user, 'client-key-data', 'client-key', 'user')
            }
            : {}),
        ...(token ? { token } : {}),
        ...(!token && username && password
            ? { basic: Buffer.from(`${username}:${password}`).toString('base64') }
            : {})
    };
}
function contextNames(config) {
    return [...config.contexts.keys()];
}
/** Every listed cluster's target; an unknown context fails before any call. */
function kubeconfigTargets(config, entries, options = {}) {
    const known = contextNames(config);
    const missing = entries.filter(e => !known.includes(e.context));
    if (missing.length > 0) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`input 'clusters' names kubeconfig contexts that do not exist: ${missing.map(e => `'${e.context}'`).join(', ')} (known: ${known.join(', ') || 'none'})`);
    }
    return entries.map(e => {
        const conn = connection(config, e.context);
        return {
            name: e.name,
            server: conn.server,
            kube: (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .kubeClient */ .zA)(e.name, (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .httpsTransport */ .tt)(conn), options),
            connection: conn
        };
    });
}
/** A client from kubeconfig text held in memory (a remote secret's). */
function clientFromKubeconfigText(label, text, options = {}) {
    const config = parseKubeconfig([{ text, path: '/' }], label);
    const current = config.currentContext ?? '';
    return (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .kubeClient */ .zA)(label, (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .httpsTransport */ .tt)(connection(config, current)), options);
}
/** A client from an endpoint, its CA (base64 PEM) and a bearer token. */
function tokenTarget(name, server, caData, token, options = {}) {
    const conn = {
        server,
        ca: Buffer.from(caData, 'base64').toString('utf8'),
        insecure: false,
        token
    };
    return {
        name,
        server,
        kube: (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .kubeClient */ .zA)(name, (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .httpsTransport */ .tt)(conn), options),
        connection: conn
    };
}


/***/ }),

/***/ 74782:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ mapLimit)
/* harmony export */ });
/** Runs fn over items with at most `limit` in flight; results in order. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}


/***/ }),

/***/ 72306:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LH: () => (/* binding */ withRetries),
/* harmony export */   jo: () => (/* binding */ backoffMs)
/* harmony export */ });
/* unused harmony export transientReason */
/**
 * Failures of init and read-only plans that a second try can fix: provider
 * or registry downloads, network hiccups, a throttled or briefly failing
 * backend, a plugin binary still being written by another process. Lock
 * contention is not here: -lock-timeout handles it, then it fails with the
 * holder named.
 */
const TRANSIENT = [
    [/text file busy/i, 'plugin binary busy'],
    [/\b(429|too many requests)\b/i, 'rate limited (429)'],
    [
        /\b(SlowDown|Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException)\b/,
        'backend throttled'
    ],
    [
        /\b(50[234])\b|bad gateway|service unavailable|gateway timeout/i,
        'server error (5xx)'
    ],
    [/\b(InternalError|ServiceUnavailable|RequestTimeout)\b/, 'backend error'],
    [
        /connection reset|connection refused|broken pipe|unexpected EOF|\bEOF\b/i,
        'connection dropped'
    ],
    [
        /i\/o timeout|TLS handshake timeout|context deadline exceeded|Client\.Timeout/i,
        'network timeout'
    ],
    [/temporary failure in name resolution|no such host/i, 'DNS lookup failed'],
    [
        /failed to (install|query|download) provider|could not connect to registry|error while installing/i,
        'provider download failed'
    ]
];
const NEVER = [/state lock/i, /saved plan is stale/i];
/** The reason to retry, or undefined when the failure is not transient. */
function transientReason(text) {
    if (NEVER.some(re => re.test(text)))
        return undefined;
    return TRANSIENT.find(([re]) => re.test(text))?.[1];
}
/** Full-jitter exponential backoff, capped. */
function backoffMs(attempt, o) {
    const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (o.random() * ceiling) / 2);
}
/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts run out.
 * `attempt` returns undefined on success or the failure text to classify.
 */
async function withRetries(attempt, o) {
    for (let n = 1;; n++) {
        const { result, failure } = await attempt();
        if (failure === undefined || n >= o.attempts)
            return result;
        const reason = transientReason(failure);
        if (!reason)
            return result;
        const delay = backoffMs(n, o);
        o.onRetry(n, reason, delay);
        await o.sleep(delay);
    }
}


/***/ })

};
