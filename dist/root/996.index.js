export const id = 996;
export const ids = [996];
export const modules = {

/***/ 54420:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NE: () => (/* binding */ dns1123),
/* harmony export */   RX: () => (/* binding */ clusterEntries),
/* harmony export */   V6: () => (/* binding */ clusterTargets)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(63302);
/* harmony import */ var _common_inputs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(14564);
/* harmony import */ var _kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(20490);



/** A name that must be a DNS-1123 label (a namespace, an object name). */
const dns1123 = (raw, name) => {
    if ((0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .isDns1123Label */ .z3)(raw))
        return raw;
    throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j(`input '${name}' must be a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric), got '${raw}'`);
};
/**
 * Input `clusters` of the actions that reach clusters (exchange-secrets,
 * verify-mesh): `name` or, with provider kubeconfig, `name=context`. The
 * name is the cluster ID (Istio's clusterName, the remote-secret key), so it
 * must be a DNS-1123 label.
 */
function clusterEntries(items, provider) {
    if (items.length === 0) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j(`input 'clusters' must list at least one cluster`);
    }
    const entries = items.map(item => {
        const at = item.indexOf('=');
        if (at >= 0 && provider !== 'kubeconfig') {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j(`input 'clusters' takes name=context only with provider kubeconfig, got '${item}'`);
        }
        const name = at >= 0 ? item.slice(0, at).trim() : item;
        const context = at >= 0 ? item.slice(at + 1).trim() : item;
        if (!(0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .isDns1123Label */ .z3)(name)) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j(`input 'clusters' must name clusters with DNS-1123 labels (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric), got '${name}'`);
        }
        if (context === '') {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j(`input 'clusters' has no context after '=' in '${item}'`);
        }
        return { name, context };
    });
    const seen = new Set();
    for (const e of entries) {
        if (seen.has(e.name)) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j(`input 'clusters' lists '${e.name}' more than once`);
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
        return (0,_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_1__/* .kubeconfigTargets */ .Il)((0,_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_1__/* .loadKubeconfig */ .iz)(settings.kubeconfig, deps.env), settings.clusters);
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

/***/ 40996:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  FIELD_MANAGER: () => (/* binding */ FIELD_MANAGER),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./lib/common/errors.js
var errors = __webpack_require__(63302);
// EXTERNAL MODULE: ./lib/kube/kubeconfig.js
var kubeconfig = __webpack_require__(20490);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
;// CONCATENATED MODULE: ./lib/kube/api.js
const secretsPath = (namespace) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
const secretPath = (namespace, name) => `${secretsPath(namespace)}/${encodeURIComponent(name)}`;
/** The secret, or undefined when it does not exist. */
async function getSecret(kube, namespace, name) {
    const res = await kube.call({ method: 'GET', path: secretPath(namespace, name) }, s => (s >= 200 && s < 300) || s === 404);
    return res.status === 404 ? undefined : res.body;
}
async function listSecrets(kube, namespace, labelSelector) {
    const res = await kube.call({
        method: 'GET',
        path: `${secretsPath(namespace)}?labelSelector=${encodeURIComponent(labelSelector)}`
    });
    return res.body.items ?? [];
}
/**
 * Server-side apply with force: this manager owns the fields it sets, as
 * `kubectl apply --server-side --force-conflicts` would.
 */
async function applySecret(kube, secret, fieldManager) {
    const { name, namespace } = secret.metadata;
    const res = await kube.call({
        method: 'PATCH',
        path: `${secretPath(namespace, name)}?fieldManager=${encodeURIComponent(fieldManager)}&force=true`,
        body: secret,
        contentType: 'application/apply-patch+yaml'
    });
    return res.body;
}
/** 'absent' when there was nothing to delete. */
async function deleteSecret(kube, namespace, name) {
    const res = await kube.call({ method: 'DELETE', path: secretPath(namespace, name) }, s => (s >= 200 && s < 300) || s === 404);
    return res.status === 404 ? 'absent' : 'deleted';
}
/** Whether the caller may do this cluster-wide (namespace left empty). */
async function selfSubjectAccessReview(kube, access) {
    const res = await kube.call({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: access }
        }
    });
    return res.body.status?.allowed === true;
}

// EXTERNAL MODULE: ./lib/kube/client.js + 1 modules
var client = __webpack_require__(27658);
// EXTERNAL MODULE: ./lib/kube/limit.js
var kube_limit = __webpack_require__(74782);
;// CONCATENATED MODULE: ./lib/mesh/reader-rules.js
const READ = ['get', 'list', 'watch'];
const READER_RULES = [
    {
        groups: [
            'config.istio.io',
            'security.istio.io',
            'networking.istio.io',
            'authentication.istio.io',
            'rbac.istio.io',
            'telemetry.istio.io',
            'extensions.istio.io'
        ],
        resources: ['*'],
        verbs: READ
    },
    {
        groups: [''],
        resources: [
            'endpoints',
            'pods',
            'services',
            'nodes',
            'replicationcontrollers',
            'namespaces',
            'secrets',
            'configmaps'
        ],
        verbs: READ
    },
    {
        groups: ['networking.istio.io'],
        resources: ['workloadentries'],
        verbs: READ
    },
    {
        groups: ['networking.x-k8s.io', 'gateway.networking.k8s.io'],
        resources: ['gateways'],
        verbs: READ
    },
    {
        groups: ['apiextensions.k8s.io'],
        resources: ['customresourcedefinitions'],
        verbs: READ
    },
    { groups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
    {
        groups: ['multicluster.x-k8s.io'],
        resources: ['serviceexports'],
        verbs: [...READ, 'create', 'delete']
    },
    {
        groups: ['multicluster.x-k8s.io'],
        resources: ['serviceimports'],
        verbs: READ
    },
    { groups: ['apps'], resources: ['replicasets'], verbs: READ },
    {
        groups: ['authentication.k8s.io'],
        resources: ['tokenreviews'],
        verbs: ['create']
    },
    {
        groups: ['authorization.k8s.io'],
        resources: ['subjectaccessreviews'],
        verbs: ['create']
    }
];
/** Every (group, resource, verb) the rules grant, each once. */
function readerAccesses(rules = READER_RULES) {
    const seen = new Set();
    const out = [];
    for (const rule of rules) {
        for (const group of rule.groups) {
            for (const resource of rule.resources) {
                for (const verb of rule.verbs) {
                    const key = `${group}/${resource}/${verb}`;
                    if (seen.has(key))
                        continue;
                    seen.add(key);
                    out.push({ group, resource, verb });
                }
            }
        }
    }
    return out;
}
function describeAccess(a) {
    return `${a.verb} ${a.group === '' ? '' : `${a.group}/`}${a.resource}`;
}

;// CONCATENATED MODULE: ./lib/mesh/remote-secret.js

/** The label istiod watches for; name and annotations it ignores. */
const MULTICLUSTER_LABEL = 'istio/multiCluster';
const CLUSTER_ANNOTATION = 'networking.istio.io/cluster';
const REMOTE_SECRET_PREFIX = 'istio-remote-secret-';
function remoteSecretName(source) {
    return `${REMOTE_SECRET_PREFIX}${source}`;
}
/**
 * go-yaml (client-go's encoder) quotes a string that YAML 1.1 would read as
 * something else, such as a cluster named `123` or `yes`.
 */
function scalar(value) {
    let read;
    try {
        read = (0,dist/* parse */.qg)(value, { version: '1.1' });
    }
    catch {
        read = undefined;
    }
    return read === value ? value : JSON.stringify(value);
}
/**
 * The kubeconfig `istioctl create-remote-secret` writes for the source, key
 * for key in client-go's order, ending in one newline (no `preferences`, no
 * `tls-server-name`).
 */
function remoteKubeconfig(source) {
    const name = scalar(source.name);
    return [
        'apiVersion: v1',
        'clusters:',
        '- cluster:',
        `    certificate-authority-data: ${scalar(source.caData)}`,
        `    server: ${scalar(source.server)}`,
        `  name: ${name}`,
        'contexts:',
        '- context:',
        `    cluster: ${name}`,
        `    user: ${name}`,
        `  name: ${name}`,
        `current-context: ${name}`,
        'kind: Config',
        'users:',
        `- name: ${name}`,
        '  user:',
        `    token: ${scalar(source.token)}`,
        ''
    ].join('\n');
}
/**
 * The Secret istioctl's output becomes once applied: `stringData` stored as
 * `data`, no `type` (so Opaque).
 */
function remoteSecret(source, namespace) {
    return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
            name: remoteSecretName(source.name),
            namespace,
            annotations: { [CLUSTER_ANNOTATION]: source.name },
            labels: { [MULTICLUSTER_LABEL]: 'true' }
        },
        data: {
            [source.name]: Buffer.from(remoteKubeconfig(source)).toString('base64')
        }
    };
}
/**
 * Whether the stored secret already says what we would apply, so the run
 * writes nothing. Extra keys count as a difference: istiod would register
 * every data key as a cluster.
 */
function secretMatches(stored, desired) {
    const meta = stored.metadata ?? {};
    const same = (a = {}, b) => Object.entries(b).every(([k, v]) => a[k] === v);
    const data = stored.data ?? {};
    return ((stored.type === undefined || stored.type === 'Opaque') &&
        same(meta.annotations, desired.metadata.annotations) &&
        same(meta.labels, desired.metadata.labels) &&
        Object.keys(data).length === Object.keys(desired.data).length &&
        same(data, desired.data));
}
/** Ordered pairs (source, target), source != target, in input order. */
function orderedPairs(clusters) {
    return clusters.flatMap(source => clusters
        .filter(target => target !== source)
        .map(target => ({ source, target })));
}
/**
 * Remote secrets in a target whose source is no longer listed: the ones
 * `prune` deletes. Only ours by name and label; the cluster's own ID is
 * never a remote.
 */
function pruneCandidates(stored, clusters) {
    return stored
        .filter(s => s.name.startsWith(REMOTE_SECRET_PREFIX) &&
        s.labels?.[MULTICLUSTER_LABEL] === 'true')
        .map(s => ({
        name: s.name,
        source: s.name.slice(REMOTE_SECRET_PREFIX.length)
    }))
        .filter(s => !clusters.includes(s.source));
}

;// CONCATENATED MODULE: ./lib/mesh/exchange.js







/** As istioctl: 5 tries, 1 s apart, for the controller to fill the token. */
const TOKEN_ATTEMPTS = 5;
const TOKEN_RETRY_MS = 1000;
const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const decode = (b64) => Buffer.from(b64, 'base64').toString('utf8');
function why(err) {
    if (err instanceof client/* KubeError */.a3)
        return err.message;
    return err instanceof Error ? err.message : String(err);
}
/**
 * The source's reader token and CA from its token secret, waiting briefly
 * for the token controller. Never creates the secret or any RBAC: the
 * cluster stage and the Istio charts own those.
 */
async function readSource(target, o, deps) {
    const where = `secret ${o.namespace}/${o.tokenSecret} in cluster ${target.name}`;
    let secret;
    for (let attempt = 1; attempt <= TOKEN_ATTEMPTS; attempt++) {
        secret = await getSecret(target.kube, o.namespace, o.tokenSecret);
        if (secret?.data?.token)
            deps.mask(secret.data.token);
        if (secret?.data?.token && secret.data['ca.crt'])
            break;
        if (attempt < TOKEN_ATTEMPTS)
            await deps.sleep(TOKEN_RETRY_MS);
    }
    if (!secret) {
        throw new Error(`${where} does not exist (tried ${TOKEN_ATTEMPTS} times): the cluster stage or the Istio base chart creates it`);
    }
    const data = secret.data ?? {};
    if (!data.token || !data['ca.crt']) {
        throw new Error(`${where} has no ${data.token ? 'ca.crt' : 'token'} yet (tried ${TOKEN_ATTEMPTS} times): is the token controller running?`);
    }
    const owner = secret.metadata?.annotations?.[SA_NAME_ANNOTATION];
    if (secret.type !== SA_TOKEN_TYPE || owner !== o.serviceAccount) {
        throw new Error(`${where} is not a ${SA_TOKEN_TYPE} secret of service account '${o.serviceAccount}' (type ${secret.type ?? 'none'}, account ${owner ?? 'none'})`);
    }
    const token = decode(data.token);
    deps.mask(token);
    return {
        name: target.name,
        server: target.server,
        caData: data['ca.crt'],
        token
    };
}
async function applyPair(source, target, o, deps) {
    const desired = remoteSecret(source, o.namespace);
    // The token is already masked; its base64-wrapped kubeconfig is a new form.
    for (const value of Object.values(desired.data))
        deps.mask(value);
    const stored = await getSecret(target.kube, o.namespace, desired.metadata.name);
    if (stored && secretMatches(stored, desired))
        return 'unchanged';
    await applySecret(target.kube, desired, o.fieldManager);
    deps.log(`${source.name} -> ${target.name}: ${stored ? 'updated' : 'created'} ${o.namespace}/${desired.metadata.name}`);
    return stored ? 'updated' : 'created';
}
/** The reader token inside a remote secret's kubeconfig, to mask it bare. */
function kubeconfigToken(text) {
    try {
        const doc = (0,dist/* parse */.qg)(text);
        const token = doc?.users?.[0]?.user?.token;
        return typeof token === 'string' ? token : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Reviews each distinct kubeconfig once. Every target holds the same
 * source's kubeconfig, so the N-1 pairs of a source share one set of access
 * reviews; each pair's own secret is still read and compared.
 */
function reviewer(deps, accesses) {
    const done = new Map();
    const review = async (source, text) => {
        let reader;
        try {
            reader = deps.clientFromKubeconfig(`${source} as reader`, text);
        }
        catch {
            return undefined;
        }
        const allowed = await (0,kube_limit/* mapLimit */.s)(accesses, 8, a => selfSubjectAccessReview(reader, a));
        return accesses.filter((_, i) => !allowed[i]);
    };
    return (source, text) => {
        const key = (0,external_node_crypto_.createHash)('sha256')
            .update(source)
            .update('\0')
            .update(text)
            .digest('hex');
        let result = done.get(key);
        if (!result) {
            result = review(source, text);
            done.set(key, result);
        }
        return result;
    };
}
async function checkPair(source, target, o, deps, review) {
    const pair = { source: source.name, target: target.name };
    const name = remoteSecretName(source.name);
    const stored = await getSecret(target.kube, o.namespace, name);
    const encoded = stored?.data?.[source.name];
    if (!encoded) {
        return {
            ...pair,
            status: 'fail',
            detail: stored
                ? `${o.namespace}/${name} has no key '${source.name}'`
                : `${o.namespace}/${name} is missing`
        };
    }
    // The kubeconfig is masked by its secret parts: masking the multi-line
    // text would also mask lines such as `kind: Config` in every log line.
    deps.mask(encoded);
    const text = decode(encoded);
    const token = kubeconfigToken(text);
    if (token)
        deps.mask(token);
    const denied = await review(source.name, text);
    if (denied === undefined) {
        return {
            ...pair,
            status: 'fail',
            detail: `${name} holds no usable kubeconfig`
        };
    }
    if (denied.length === 0)
        return { ...pair, status: 'pass' };
    const shown = denied.slice(0, 5).map(describeAccess).join(', ');
    return {
        ...pair,
        status: 'fail',
        detail: `the reader may not ${shown}${denied.length > 5 ? ` and ${denied.length - 5} more` : ''}`
    };
}
async function prune(target, o, names) {
    const stored = await listSecrets(target.kube, o.namespace, `${MULTICLUSTER_LABEL}=true`);
    const stale = pruneCandidates(stored.map(s => ({
        name: s.metadata?.name ?? '',
        labels: s.metadata?.labels
    })), names);
    const results = [];
    for (const s of stale) {
        const status = await deleteSecret(target.kube, o.namespace, s.name);
        results.push({ source: s.source, target: target.name, status });
    }
    return results;
}
/** Runs a pair, turning its failure into a result so the others go on. */
async function guarded(pair, fn) {
    try {
        const r = await fn();
        return typeof r === 'string' ? { ...pair, status: r } : r;
    }
    catch (err) {
        return { ...pair, status: 'error', detail: why(err) };
    }
}
/**
 * One mode over every ordered pair, concurrently (bounded). In apply mode
 * every source's token is read first, so a missing one fails the run
 * before anything is written.
 */
async function exchange(o, deps) {
    const limit = deps.concurrency ?? 8;
    const byName = new Map(o.clusters.map(c => [c.name, c]));
    const names = o.clusters.map(c => c.name);
    const pairs = orderedPairs(names);
    const get = (n) => byName.get(n);
    if (o.mode === 'apply') {
        const sources = await (0,kube_limit/* mapLimit */.s)(o.clusters, limit, c => readSource(c, o, deps));
        const bySource = new Map(sources.map(s => [s.name, s]));
        const applied = await (0,kube_limit/* mapLimit */.s)(pairs, limit, p => guarded(p, () => applyPair(bySource.get(p.source), get(p.target), o, deps)));
        if (!o.prune)
            return applied;
        const pruned = await (0,kube_limit/* mapLimit */.s)(o.clusters, limit, async (t) => {
            try {
                return await prune(t, o, names);
            }
            catch (err) {
                return [
                    {
                        source: '*',
                        target: t.name,
                        status: 'error',
                        detail: why(err)
                    }
                ];
            }
        });
        return [...applied, ...pruned.flat()];
    }
    if (o.mode === 'check') {
        const review = reviewer(deps, readerAccesses());
        return (0,kube_limit/* mapLimit */.s)(pairs, limit, p => guarded(p, () => checkPair(get(p.source), get(p.target), o, deps, review)));
    }
    return (0,kube_limit/* mapLimit */.s)(pairs, limit, p => guarded(p, () => deleteSecret(get(p.target).kube, o.namespace, remoteSecretName(p.source))));
}

;// CONCATENATED MODULE: ./lib/mesh/report.js
function countResults(results) {
    const n = (s) => results.filter(r => r.status === s).length;
    return {
        created: n('created'),
        updated: n('updated'),
        unchanged: n('unchanged')
    };
}
/** `{"<source>": {"<target>": "<status>"}}`, sources and targets in order. */
function matrixJson(results) {
    const matrix = {};
    for (const r of results) {
        ;
        (matrix[r.source] ??= {})[r.target] = r.status;
    }
    return JSON.stringify(matrix);
}
/** Pairs that make the step fail: errors always, and fail in check mode. */
function failures(results) {
    return results.filter(r => r.status === 'error' || r.status === 'fail');
}
const cell = (text) => text.replace(/\|/g, '\\|');
/** The job summary: a source × target table, then what failed and why. */
function renderSummary(mode, namespace, results) {
    // One order for rows and columns: the clusters as the pairs first name them.
    const order = [...new Set(results.flatMap(r => [r.source, r.target]))];
    const sources = order.filter(n => results.some(r => r.source === n));
    const targets = order.filter(n => results.some(r => r.target === n));
    const status = (s, t) => s === t
        ? '—'
        : (results.find(r => r.source === s && r.target === t)?.status ?? '');
    const lines = [
        `### exchange-secrets: ${mode}`,
        '',
        `Remote secrets \`istio-remote-secret-<source>\` in namespace \`${namespace}\` of each target.`,
        '',
        `| source \\ target | ${targets.map(cell).join(' | ')} |`,
        `|---|${targets.map(() => '---').join('|')}|`,
        ...sources.map(s => `| ${cell(s)} | ${targets.map(t => status(s, t)).join(' | ')} |`)
    ];
    const failed = failures(results);
    if (failed.length > 0) {
        lines.push('', '**Failed:**', '');
        for (const f of failed) {
            lines.push(`- ${cell(f.source)} → ${cell(f.target)}: ${cell(f.detail ?? f.status)}`);
        }
    }
    return `${lines.join('\n')}\n`;
}

// EXTERNAL MODULE: ./lib/actions/clusters.js
var actions_clusters = __webpack_require__(54420);
// EXTERNAL MODULE: ./lib/common/inputs.js
var inputs = __webpack_require__(14564);
// EXTERNAL MODULE: ./lib/common/paths.js
var paths = __webpack_require__(7041);
;// CONCATENATED MODULE: ./lib/actions/exchange-secrets/inputs.js




const spec = {
    clusters: (0,inputs/* required */.mw)(inputs/* list */.p_),
    provider: (0,inputs/* optional */.lq)((0,inputs/* oneOf */.yL)('eks', 'kubeconfig')),
    'aws-region': (0,inputs/* optional */.lq)(inputs/* awsRegion */.Ue),
    kubeconfig: (0,inputs/* optional */.lq)(inputs/* text */.Qq),
    namespace: (0,inputs/* optional */.lq)(actions_clusters/* dns1123 */.NE),
    'service-account': (0,inputs/* optional */.lq)(actions_clusters/* dns1123 */.NE),
    'token-secret': (0,inputs/* optional */.lq)(actions_clusters/* dns1123 */.NE),
    mode: (0,inputs/* optional */.lq)((0,inputs/* oneOf */.yL)('apply', 'check', 'revoke')),
    prune: (0,inputs/* optional */.lq)(inputs/* bool */.lc)
};
/** Every input, validated together, before any cluster is contacted. */
function readExchangeInputs(env, cwd = process.cwd()) {
    const raw = (0,inputs/* readInputs */.Ko)(spec, env);
    const provider = (0,inputs/* given */.gI)(raw.provider, 'provider');
    const mode = (0,inputs/* given */.gI)(raw.mode, 'mode');
    const prune = (0,inputs/* given */.gI)(raw.prune, 'prune');
    if (prune && mode !== 'apply') {
        throw new errors/* ConfigurationError */.j(`input 'prune' works only with mode apply, got mode '${mode}'`);
    }
    return {
        clusters: (0,actions_clusters/* clusterEntries */.RX)(raw.clusters, provider),
        provider,
        awsRegion: raw['aws-region'],
        kubeconfig: raw.kubeconfig === undefined
            ? undefined
            : (0,paths/* resolveInside */.L)(raw.kubeconfig, 'kubeconfig', env, cwd),
        namespace: (0,inputs/* given */.gI)(raw.namespace, 'namespace'),
        serviceAccount: (0,inputs/* given */.gI)(raw['service-account'], 'service-account'),
        tokenSecret: (0,inputs/* given */.gI)(raw['token-secret'], 'token-secret'),
        mode,
        prune
    };
}

;// CONCATENATED MODULE: ./lib/actions/exchange-secrets/main.js






const FIELD_MANAGER = 'eks-istio-mesh';
function report(inputs, results, core) {
    for (const r of results) {
        core.info(`${r.source} -> ${r.target}: ${r.status}${r.detail ? ` (${r.detail})` : ''}`);
    }
    const counts = countResults(results);
    if (inputs.mode === 'apply') {
        core.info(counts.created + counts.updated === 0
            ? `nothing written: all ${counts.unchanged} remote secret(s) were up to date`
            : `created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}`);
    }
    core.setOutput('created', String(counts.created));
    core.setOutput('updated', String(counts.updated));
    core.setOutput('unchanged', String(counts.unchanged));
    core.setOutput('matrix-json', matrixJson(results));
}
/** exchange-secrets: the remote secrets of every ordered pair of clusters. */
async function run(deps) {
    const { core, env } = deps;
    try {
        const inputs = readExchangeInputs(env);
        if (inputs.clusters.length < 2 && inputs.mode !== 'revoke') {
            core.warning(`input 'clusters' lists one cluster: there is no pair to ${inputs.mode}`);
        }
        const clusters = await (0,actions_clusters/* clusterTargets */.V6)(inputs, deps);
        const results = await core.group(`exchange-secrets: ${inputs.mode}`, () => exchange({ ...inputs, clusters, fieldManager: FIELD_MANAGER }, {
            mask: s => core.setSecret(s),
            log: m => core.info(m),
            sleep: deps.sleep ??
                (ms => new Promise(resolve => setTimeout(resolve, ms))),
            clientFromKubeconfig: kubeconfig/* clientFromKubeconfigText */.gs
        }));
        report(inputs, results, core);
        await core.writeSummary(renderSummary(inputs.mode, inputs.namespace, results));
        const failed = failures(results);
        if (failed.length > 0) {
            const pairs = failed.map(f => `${f.source} -> ${f.target}`).join(', ');
            throw new errors/* ConfigurationError */.j(`${inputs.mode} failed for ${failed.length} pair(s): ${pairs}; ${failed[0].detail ?? ''}`);
        }
    }
    catch (err) {
        core.setFailed((0,errors/* describeError */.U)(err, 'exchange-secrets'));
    }
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
