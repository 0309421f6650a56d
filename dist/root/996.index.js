export const id = 996;
export const ids = [996];
export const modules = {

/***/ 40996:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
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
;// CONCATENATED MODULE: ./lib/actions/exchange-secrets/inputs.js



const spec = {
    ...actions_clusters/* clusterReachSpec */.df,
    namespace: (0,inputs/* optional */.lq)(actions_clusters/* dns1123 */.NE),
    'service-account': (0,inputs/* optional */.lq)(actions_clusters/* dns1123 */.NE),
    'token-secret': (0,inputs/* optional */.lq)(actions_clusters/* dns1123 */.NE),
    mode: (0,inputs/* optional */.lq)((0,inputs/* oneOf */.yL)('apply', 'check', 'revoke')),
    prune: (0,inputs/* optional */.lq)(inputs/* bool */.lc)
};
/** Every input, validated together, before any cluster is contacted. */
function readExchangeInputs(env, cwd = process.cwd()) {
    const raw = (0,inputs/* readInputs */.Ko)(spec, env);
    const mode = (0,inputs/* given */.gI)(raw.mode, 'mode');
    const prune = (0,inputs/* given */.gI)(raw.prune, 'prune');
    if (prune && mode !== 'apply') {
        throw new errors/* ConfigurationError */.j(`input 'prune' works only with mode apply, got mode '${mode}'`);
    }
    return {
        ...(0,actions_clusters/* clusterReach */.es)(raw, env, cwd),
        namespace: (0,inputs/* given */.gI)(raw.namespace, 'namespace'),
        serviceAccount: (0,inputs/* given */.gI)(raw['service-account'], 'service-account'),
        tokenSecret: (0,inputs/* given */.gI)(raw['token-secret'], 'token-secret'),
        mode,
        prune
    };
}

;// CONCATENATED MODULE: ./lib/actions/exchange-secrets/main.js






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
        const results = await core.group(`exchange-secrets: ${inputs.mode}`, () => exchange({ ...inputs, clusters, fieldManager: actions_clusters/* FIELD_MANAGER */.vy }, {
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


/***/ })

};
