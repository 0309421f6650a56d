export const id = 137;
export const ids = [137];
export const modules = {

/***/ 92137:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./lib/common/errors.js
var errors = __webpack_require__(63302);
// EXTERNAL MODULE: ./lib/common/inputs.js
var common_inputs = __webpack_require__(14564);
// EXTERNAL MODULE: ./lib/github/context.js
var context = __webpack_require__(88120);
// EXTERNAL MODULE: ./lib/github/redact.js
var github_redact = __webpack_require__(13806);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
;// CONCATENATED MODULE: ./lib/terraform/cli.js

/**
 * Cuts a byte stream into lines as it arrives; a multi-byte character split
 * across chunks is kept whole. `end` hands over a last unterminated line.
 */
function lineSplitter(onLine) {
    let pending = Buffer.alloc(0);
    return {
        write(chunk) {
            pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
            let at;
            while ((at = pending.indexOf(0x0a)) >= 0) {
                onLine(pending.subarray(0, at).toString('utf8'));
                pending = pending.subarray(at + 1);
            }
        },
        end() {
            if (pending.length)
                onLine(pending.toString('utf8'));
            pending = Buffer.alloc(0);
        }
    };
}
/**
 * Spawns the binary directly (no shell, nothing echoed), so argv is never
 * printed and no value is interpreted by a shell.
 */
function spawnCli(binary, baseEnv) {
    return {
        run: (args, io) => new Promise((resolve, reject) => {
            const child = (0,external_node_child_process_.spawn)(binary, args, {
                cwd: io.cwd,
                env: { ...baseEnv, TF_IN_AUTOMATION: '1', TF_INPUT: '0', ...io.env },
                stdio: ['ignore', 'pipe', 'pipe']
            });
            // A cancelled step gets SIGINT/SIGTERM; passing SIGINT on lets the
            // CLI stop gracefully and release the state lock, instead of being
            // orphaned while it holds it.
            const forward = () => void child.kill('SIGINT');
            process.on('SIGINT', forward);
            process.on('SIGTERM', forward);
            const out = [];
            const err = [];
            const lines = io.onStdoutLine && lineSplitter(io.onStdoutLine);
            child.stdout.on('data', (d) => {
                out.push(d);
                lines?.write(d);
            });
            child.stderr.on('data', (d) => err.push(d));
            child.on('error', e => {
                process.off('SIGINT', forward);
                process.off('SIGTERM', forward);
                reject(e.code === 'ENOENT'
                    ? new Error(`cannot run '${binary}': not found on PATH`)
                    : e);
            });
            child.on('close', code => {
                process.off('SIGINT', forward);
                process.off('SIGTERM', forward);
                lines?.end();
                resolve({
                    exitCode: code ?? 1,
                    stdout: Buffer.concat(out).toString('utf8'),
                    stderr: Buffer.concat(err).toString('utf8')
                });
            });
        })
    };
}

;// CONCATENATED MODULE: ./lib/terraform/backend.js


/** Credentials in backend config end up in .terraform/ and in saved plans. */
const FORBIDDEN_S3_KEYS = [
    'access_key',
    'secret_key',
    'token',
    'sse_customer_key'
];
const BACKEND_OVERRIDE_FILE = 'zz_apply_stage_backend_override.tf';
/**
 * Stages declare no backend: this override file, written next to them for
 * the run and removed afterwards, makes the chosen one effective (Terraform
 * and OpenTofu merge `*_override.tf` files last, and a backend block there
 * is taken even when the stage has none).
 */
function backendOverride(kind) {
    return `# Written by apply-stage for one run; removed when it ends.\nterraform {\n  backend "${kind}" {}\n}\n`;
}
function instanceName(instance) {
    return instance || 'default';
}
/**
 * The backend settings for one stage instance. The state location follows
 * the contract other stages read (terraform/cluster finds the vpc state by
 * it): s3 key `<stage>/<instance>/terraform.tfstate`, local path
 * `<stage dir>/.state/<instance>.tfstate`.
 */
function buildBackendConfig(options) {
    const { kind, stageDir, config } = options;
    const name = instanceName(options.instance);
    if (kind === 'local') {
        // Relative to the stage folder, where the CLI runs.
        return { path: `.state/${name}.tfstate`, ...config };
    }
    const forbidden = FORBIDDEN_S3_KEYS.filter(k => k in config);
    if (forbidden.length > 0) {
        throw new errors/* ConfigurationError */.j(`input 'backend-config' must not set ${forbidden.join(', ')}: credentials there are stored in .terraform/ and in saved plans; use the environment (OIDC role) instead`);
    }
    return {
        key: `${(0,external_node_path_.basename)(stageDir)}/${name}/terraform.tfstate`,
        ...config,
        encrypt: config.encrypt ?? 'true',
        use_lockfile: config.use_lockfile ?? 'true'
    };
}

;// CONCATENATED MODULE: ./lib/terraform/plan-summary.js
function changeKind(actions, extra = {}) {
    const has = (a) => actions.includes(a);
    if (has('delete') && has('create'))
        return 'replace';
    if (has('create') && has('forget'))
        return 'replace';
    if (has('create'))
        return 'create';
    if (has('delete'))
        return 'delete';
    if (has('forget'))
        return 'forget';
    if (has('update'))
        return 'update';
    if (has('read'))
        return 'read';
    if (extra.importing)
        return 'import';
    if (extra.previousAddress)
        return 'move';
    return 'no-op';
}
/** Deleting, in any form: the kinds the destroy guard refuses. */
function isDestructive(kind) {
    return kind === 'delete' || kind === 'replace' || kind === 'forget';
}
function pathToString(path) {
    return path
        .map((step, i) => typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)
        .join('');
}
function summarizeResource(rc) {
    const importing = rc.change.importing != null;
    const kind = changeKind(rc.change.actions, {
        previousAddress: rc.previous_address,
        importing
    });
    const summary = {
        address: rc.address,
        kind,
        actions: rc.change.actions,
        change: rc.change,
        type: rc.type
    };
    if (rc.previous_address)
        summary.previousAddress = rc.previous_address;
    if (rc.action_reason)
        summary.reason = rc.action_reason;
    if (rc.change.replace_paths?.length) {
        summary.replacePaths = rc.change.replace_paths.map(pathToString);
    }
    if (importing)
        summary.importing = true;
    return summary;
}
/**
 * Builds every count and list from the plan JSON, counting the way the CLI
 * does: a replacement adds one and destroys one, reads and no-ops are left
 * out, imports and moves are counted on their own.
 */
function summarizePlan(plan) {
    const counts = {
        add: 0,
        change: 0,
        destroy: 0,
        replace: 0,
        import: 0,
        forget: 0,
        move: 0,
        drift: 0
    };
    const resources = [];
    for (const rc of plan.resource_changes ?? []) {
        if (rc.mode === 'data')
            continue;
        const r = summarizeResource(rc);
        if (r.importing)
            counts.import++;
        if (r.previousAddress && r.previousAddress !== r.address)
            counts.move++;
        switch (r.kind) {
            case 'create':
                counts.add++;
                break;
            case 'update':
                counts.change++;
                break;
            case 'delete':
                counts.destroy++;
                break;
            case 'forget':
                counts.forget++;
                break;
            case 'replace':
                counts.replace++;
                counts.add++;
                if (r.actions.includes('delete'))
                    counts.destroy++;
                else
                    counts.forget++;
                break;
        }
        const moved = r.previousAddress && r.previousAddress !== r.address;
        if (r.kind !== 'no-op' && r.kind !== 'read')
            resources.push(r);
        else if (moved || r.importing)
            resources.push(r);
    }
    const outputs = [];
    for (const [name, change] of Object.entries(plan.output_changes ?? {})) {
        const kind = changeKind(change.actions);
        if (kind === 'no-op')
            continue;
        outputs.push({
            name,
            kind,
            sensitive: change.before_sensitive === true || change.after_sensitive === true,
            change
        });
    }
    const drift = (plan.resource_drift ?? [])
        .filter(rc => rc.mode !== 'data')
        .map(summarizeResource)
        .filter(r => r.kind !== 'no-op' && r.kind !== 'read');
    counts.drift = drift.length;
    return {
        counts,
        resources,
        outputs,
        drift,
        hasChanges: resources.length > 0 || outputs.length > 0,
        isApplyable: plan.errored !== true && plan.applyable !== false,
        deferred: plan.deferred_changes?.length ?? 0
    };
}
function countsLine(c) {
    const extra = [
        c.forget ? `${c.forget} to forget` : '',
        c.import ? `${c.import} to import` : '',
        c.move ? `${c.move} moved` : ''
    ].filter(Boolean);
    return `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy${c.replace ? ` (${c.replace} replaced)` : ''}${extra.map(e => `, ${e}`).join('')}`;
}

;// CONCATENATED MODULE: ./lib/terraform/guard.js

function globToRegExp(pattern) {
    const body = pattern
        .split('*')
        .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
    return new RegExp(`^${body}$`);
}
/**
 * The forms of an address a pattern is tried against: the address itself,
 * without instance keys, and each tail that starts after a module call, so
 * `aws_eks_cluster.*` also guards `module.eks.aws_eks_cluster.this[0]`.
 */
function addressForms(address) {
    const forms = new Set();
    for (const form of [address, address.replace(/\[[^\]]*\]/g, '')]) {
        forms.add(form);
        const steps = form.match(/module\.[^.[]+(\[[^\]]*\])?\./g) ?? [];
        let tail = form;
        for (const step of steps) {
            tail = tail.slice(tail.indexOf(step) + step.length);
            forms.add(tail);
        }
    }
    return [...forms];
}
function matchProtect(address, patterns) {
    const forms = addressForms(address);
    return patterns.find(p => {
        const re = globToRegExp(p);
        return forms.some(f => re.test(f));
    });
}
/**
 * Whether a plan may be applied: nothing deleted, replaced or forgotten
 * unless allowed, and never anything that a protect pattern names.
 */
function destroyVerdict(resources, allowDestroy, protect) {
    const refused = [];
    for (const r of resources) {
        if (!isDestructive(r.kind))
            continue;
        const protectedBy = matchProtect(r.address, protect);
        if (allowDestroy && !protectedBy)
            continue;
        const refusal = { address: r.address, kind: r.kind };
        if (r.reason)
            refusal.reason = r.reason;
        if (r.replacePaths)
            refusal.replacePaths = r.replacePaths;
        if (protectedBy)
            refusal.protectedBy = protectedBy;
        refused.push(refusal);
    }
    return { ok: refused.length === 0, refused };
}
function describeRefusal(r) {
    const why = [
        r.reason,
        r.replacePaths?.length ? `forced by ${r.replacePaths.join(', ')}` : ''
    ]
        .filter(Boolean)
        .join(', ');
    return `${r.kind} ${r.address}${why ? ` (${why})` : ''}${r.protectedBy ? ` [protected by '${r.protectedBy}']` : ''}`;
}
/** Names the first few refusals; a plan may refuse thousands. */
function listRefusals(refused, max = 20) {
    const named = refused.slice(0, max).map(describeRefusal).join('; ');
    return refused.length > max
        ? `${named}; and ${refused.length - max} more`
        : named;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./lib/terraform/sensitive.js

/**
 * Resource types that hold secrets whether or not the provider flags them
 * (digger#2677 leaked these). Only the attributes named here as public are
 * ever printed or left unmasked; every other attribute of these types is a
 * secret, flagged or not, so an attribute a newer provider adds stays hidden
 * until someone decides it is public.
 */
const PUBLIC_ATTRIBUTES = {
    kubernetes_secret: kubernetesSecretAttributes(),
    kubernetes_secret_v1: kubernetesSecretAttributes(),
    tls_private_key: new Set([
        'id',
        'algorithm',
        'ecdsa_curve',
        'rsa_bits',
        'public_key_pem',
        'public_key_openssh',
        'public_key_fingerprint_md5',
        'public_key_fingerprint_sha256'
    ]),
    random_password: new Set([
        'id',
        'keepers',
        'length',
        'lower',
        'upper',
        'numeric',
        'number',
        'special',
        'min_lower',
        'min_upper',
        'min_numeric',
        'min_special',
        'override_special'
    ]),
    aws_secretsmanager_secret_version: new Set([
        'id',
        'arn',
        'secret_id',
        'version_id',
        'version_stages',
        'secret_string_wo_version',
        'has_secret_string_wo'
    ])
};
function kubernetesSecretAttributes() {
    // metadata holds name, namespace, labels and annotations; `data`,
    // `binary_data` and the write-only `data_wo` are not here.
    return new Set([
        'id',
        'metadata',
        'type',
        'immutable',
        'wait_for_service_account_token',
        'data_wo_revision',
        'timeouts'
    ]);
}
const SECRET_BEARING_TYPES = new Set(Object.keys(PUBLIC_ATTRIBUTES));
/** Short values are left out: masking `true` or `1` would garble logs. */
const MIN_SECRET_LENGTH = 6;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
/**
 * The certificates of a value made only of PEM CERTIFICATE blocks (a
 * certificate or a chain, as `ca-cert.pem`, `cert-chain.pem`, `ca.crt`),
 * every one parsing; undefined for anything else, a key bundled in included.
 */
function certificatesOf(value) {
    if (typeof value !== 'string')
        return undefined;
    if (!value.includes('-----BEGIN CERTIFICATE-----'))
        return undefined;
    const blocks = [...value.matchAll(PEM_BLOCK)];
    if (blocks.length === 0)
        return undefined;
    if (value.replace(PEM_BLOCK, '').trim() !== '')
        return undefined;
    if (blocks.some(b => b[1] !== 'CERTIFICATE'))
        return undefined;
    try {
        return blocks.map(b => new external_node_crypto_.X509Certificate(b[0]));
    }
    catch {
        return undefined;
    }
}
/** How a public certificate value is shown: subject and DER SHA-256. */
function describeCertificates(certs) {
    const one = (c) => `"${c.subject.replace(/\n/g, ', ')}" SHA-256 ${(0,external_node_crypto_.createHash)('sha256').update(c.raw).digest('hex')}`;
    return certs.length === 1
        ? `(certificate ${one(certs[0])})`
        : `(${certs.length} certificates: ${certs.map(one).join('; ')})`;
}
function metadataNamespace(value) {
    const metadata = value?.metadata;
    const first = Array.isArray(metadata) ? metadata[0] : metadata;
    return first?.namespace;
}
/**
 * In a Kubernetes secret's `data`, which the provider flags as a whole,
 * certificates are public, and so is the `namespace` key the token
 * controller writes (it repeats metadata's namespace): these are shown and
 * never masked, flagged or not.
 */
function isPublicSecretData(type, path, leaf, resource) {
    const [attribute, key] = path;
    if (!type.startsWith('kubernetes_secret') || attribute !== 'data') {
        return false;
    }
    if (certificatesOf(leaf))
        return true;
    return key === 'namespace' && leaf === metadataNamespace(resource);
}
/** A leaf of a secret-bearing type is secret unless known to be public. */
function isSecretLeaf(type, path, leaf, flagged, resource) {
    if (isPublicSecretData(type, path, leaf, resource))
        return false;
    if (flagged)
        return true;
    return !(PUBLIC_ATTRIBUTES[type]?.has(String(path[0])) ?? false);
}
/**
 * The secret leaves of one side (before or after) of a change, as a tree
 * shaped like `*_sensitive`: `true` on each secret leaf. For most types that
 * is what the provider flagged; for secret-bearing types every leaf not
 * known to be public, flagged or not, and a public certificate even when
 * flagged.
 */
function secretFlags(type, value, flags) {
    // Other types: exactly what the provider flagged, as it flagged it.
    if (!SECRET_BEARING_TYPES.has(type ?? ''))
        return flags;
    const walk = (v, f, path) => {
        if (v !== null && typeof v === 'object') {
            const entries = Array.isArray(v)
                ? v.map((c, i) => [i, c])
                : Object.entries(v);
            const childFlags = (k) => f === true
                ? true
                : f !== null && typeof f === 'object'
                    ? f[k]
                    : undefined;
            const out = (Array.isArray(v) ? [] : {});
            for (const [k, c] of entries) {
                const flag = walk(c, childFlags(k), [...path, k]);
                if (flag !== undefined && flag !== false)
                    out[k] = flag;
            }
            return out;
        }
        if (v === null || v === undefined)
            return f === true ? true : undefined;
        return isSecretLeaf(type, path, v, f === true, value) ? true : undefined;
    };
    return walk(value, flags, []);
}
/** The secret leaves of both sides of a resource change. */
function resourceSecrets(rc) {
    return {
        before: secretFlags(rc.type, rc.change.before, rc.change.before_sensitive),
        after: secretFlags(rc.type, rc.change.after, rc.change.after_sensitive)
    };
}
function collect(value, flags, out) {
    if (value === null || value === undefined || !flags)
        return;
    if (typeof value !== 'object') {
        if (flags !== true)
            return;
        const text = String(value);
        if (text.length >= MIN_SECRET_LENGTH)
            out.add(text);
        return;
    }
    const children = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : Object.entries(value);
    for (const [key, child] of children) {
        const childFlags = flags === true ? true : flags[key];
        collect(child, childFlags, out);
    }
}
/**
 * The values to mask in logs and remove from anything sent to GitHub: the
 * secret leaves of every resource change and drift (see secretFlags), every
 * sensitive output and every sensitive root variable. Names, namespaces,
 * labels, types and public certificates are not among them: masking them
 * would garble logs and make the runner drop outputs that mention them.
 */
function sensitiveValues(plan) {
    const out = new Set();
    const changes = [
        ...(plan.resource_changes ?? []),
        ...(plan.resource_drift ?? [])
    ];
    for (const rc of changes) {
        const secrets = resourceSecrets(rc);
        collect(rc.change.before, secrets.before, out);
        collect(rc.change.after, secrets.after, out);
    }
    for (const oc of Object.values(plan.output_changes ?? {})) {
        collect(oc.before, oc.before_sensitive, out);
        collect(oc.after, oc.after_sensitive, out);
    }
    const declared = plan.configuration?.root_module?.variables ?? {};
    for (const [name, v] of Object.entries(declared)) {
        if (v.sensitive)
            collect(plan.variables?.[name]?.value, true, out);
    }
    return [...out];
}

;// CONCATENATED MODULE: ./lib/terraform/render.js



/** GitHub refuses comment bodies over 65,536 characters; keep a margin. */
const COMMENT_BUDGET = 60_000;
/** A step summary over 1 MiB is dropped whole; UTF-8 may take 3 bytes a unit. */
const SUMMARY_BUDGET = 300_000;
/** Deletes named in the always-visible head before the rest is folded. */
const HEAD_DESTROY_LIMIT = 20;
const VALUE_LIMIT = 200;
const SYMBOL = {
    create: '+',
    update: '~',
    replace: '-/+',
    delete: '-',
    forget: '.',
    import: '<=',
    move: '->',
    read: '<=',
    'no-op': ' '
};
const STATUS_ICON = {
    planned: '📝',
    'no-changes': '✅',
    applied: '✅',
    refused: '⛔',
    failed: '❌'
};
function formatSeconds(ms) {
    return ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`;
}
function pick(obj, key) {
    return obj !== null && typeof obj === 'object'
        ? obj[key]
        : undefined;
}
const SENSITIVE = '(sensitive)';
const UNKNOWN = '(known after apply)';
/**
 * A value as compact JSON, except: a secret leaf is `(sensitive)`, an
 * unknown one `(known after apply)`, and a public certificate its subject
 * and fingerprint (what a reviewer can check, instead of base64).
 */
function valueText(value, secret, unknown) {
    if (secret === true)
        return SENSITIVE;
    if (unknown === true)
        return UNKNOWN;
    if (value === null || value === undefined)
        return 'null';
    if (Array.isArray(value)) {
        const items = value.map((v, i) => valueText(v, pick(secret, i), pick(unknown, i)));
        return `[${items.join(',')}]`;
    }
    if (typeof value === 'object') {
        const fields = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${valueText(v, pick(secret, k), pick(unknown, k))}`);
        return `{${fields.join(',')}}`;
    }
    const certs = certificatesOf(value);
    return certs ? describeCertificates(certs) : JSON.stringify(value);
}
function sideText(a, side) {
    a.texts ??= {};
    return (a.texts[side] ??=
        side === 'after'
            ? valueText(a.after, a.afterSecret, a.afterUnknown)
            : valueText(a.before, a.beforeSecret, false));
}
/** A side as shown on its line: cut to VALUE_LIMIT. */
function formatSide(a, side) {
    const text = sideText(a, side);
    const secret = side === 'after' ? a.afterSecret : a.beforeSecret;
    // A certificate's description is short and bounded; cut, it says nothing.
    if (secret !== true && certificatesOf(a[side]))
        return text;
    return text.length > VALUE_LIMIT ? `${text.slice(0, VALUE_LIMIT)}…` : text;
}
function isMap(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
}
/** `key` after an identifier path, `["key"]` for any other key. */
function childLabel(label, key) {
    return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)
        ? `${label}.${key}`
        : `${label}[${JSON.stringify(key)}]`;
}
const MAX_SPLIT_DEPTH = 3;
/**
 * One attribute, or, when it is a map too long for one line (or any map of
 * a secret-bearing type, such as a Kubernetes secret's `data`), one entry
 * per key, recursively: a reviewer sees which keys change and which are
 * secret. A map flagged sensitive as a whole is never split (its keys may be
 * secret too), except in secret-bearing types, whose keys are names.
 */
function expand(a, bearing, creating, depth) {
    const maps = isMap(a.before) || isMap(a.after);
    const whollySecret = a.beforeSecret === true || a.afterSecret === true;
    const tooLong = () => (!creating && sideText(a, 'before').length > VALUE_LIMIT) ||
        sideText(a, 'after').length > VALUE_LIMIT;
    const split = maps &&
        a.afterUnknown !== true &&
        depth < MAX_SPLIT_DEPTH &&
        (bearing || !whollySecret) &&
        ((bearing && depth === 0) || tooLong());
    if (!split)
        return [a];
    const keys = new Set([
        ...Object.keys(isMap(a.after) ? a.after : {}),
        ...Object.keys(isMap(a.before) && !creating ? a.before : {})
    ]);
    const inherit = (flag, k) => flag === true ? true : pick(flag, k);
    return [...keys].sort().flatMap(k => expand({
        label: childLabel(a.label, k),
        key: a.key,
        before: pick(a.before, k),
        after: pick(a.after, k),
        beforeSecret: inherit(a.beforeSecret, k),
        afterSecret: inherit(a.afterSecret, k),
        afterUnknown: pick(a.afterUnknown, k)
    }, bearing, creating, depth + 1));
}
/** The attributes of a change, sorted, long maps split (see expand). */
function attributesOf(r) {
    const c = r.change;
    const secret = resourceSecrets({ type: r.type, change: c });
    const keys = new Set([
        ...Object.keys(c.after ?? {}),
        ...Object.keys(c.after_unknown ?? {})
    ]);
    const creating = r.kind === 'create';
    if (!creating) {
        for (const k of Object.keys(c.before ?? {}))
            keys.add(k);
    }
    const bearing = SECRET_BEARING_TYPES.has(r.type ?? '');
    return [...keys].sort().flatMap(key => expand({
        label: key,
        key,
        before: pick(c.before, key),
        after: pick(c.after, key),
        beforeSecret: pick(secret.before, key),
        afterSecret: pick(secret.after, key),
        afterUnknown: pick(c.after_unknown, key)
    }, bearing, creating, 0));
}
/** Attribute lines for one resource: what a reviewer needs to see change. */
function attributeLines(r) {
    if (r.kind === 'delete' || r.kind === 'forget' || r.kind === 'move')
        return [];
    const forced = new Set(r.replacePaths?.map(p => p.split(/[.[]/)[0]));
    const lines = [];
    for (const a of attributesOf(r)) {
        const after = formatSide(a, 'after');
        const note = forced.has(a.key) ? '  # forces replacement' : '';
        if (r.kind === 'create') {
            if (a.after === null && a.afterUnknown !== true)
                continue;
            lines.push(`    ${a.label} = ${after}`);
            continue;
        }
        const before = formatSide(a, 'before');
        const same = JSON.stringify(a.before ?? null) === JSON.stringify(a.after ?? null);
        if (same && a.afterUnknown !== true)
            continue;
        lines.push(`    ${a.label}: ${before} -> ${after}${note}`);
    }
    return lines;
}
function resourceHeadline(r) {
    const extra = [
        r.previousAddress && r.previousAddress !== r.address
            ? `moved from ${r.previousAddress}`
            : '',
        r.importing ? 'imported' : '',
        r.reason ?? ''
    ]
        .filter(Boolean)
        .join(', ');
    return `${SYMBOL[r.kind]} ${r.kind} ${r.address}${extra ? `  (${extra})` : ''}`;
}
function outputLine(o) {
    const value = o.sensitive
        ? '(sensitive)'
        : formatSide({
            label: o.name,
            key: o.name,
            before: null,
            after: o.change.after,
            beforeSecret: false,
            afterSecret: false,
            afterUnknown: o.change.after_unknown
        }, 'after');
    return `${SYMBOL[o.kind]} ${o.kind} output.${o.name}${o.kind === 'delete' ? '' : ` = ${value}`}`;
}
/** Deleting kinds first: they are what a reviewer must not miss. */
const GROUP_ORDER = [
    'replace',
    'delete',
    'forget',
    'create',
    'update',
    'import',
    'move',
    'read',
    'no-op'
];
/** Resources grouped by what happens to them, plan order within a group. */
function groupedLines(resources) {
    const lines = [];
    for (const kind of GROUP_ORDER) {
        const group = resources.filter(r => r.kind === kind);
        if (group.length === 0)
            continue;
        lines.push(`# ${kind}: ${group.length}`);
        for (const r of group)
            lines.push(resourceHeadline(r), ...attributeLines(r));
    }
    return lines;
}
function sections(s) {
    const out = [];
    if (s.resources.length > 0) {
        out.push({
            title: `Full plan: ${s.resources.length} resource change${s.resources.length === 1 ? '' : 's'}`,
            lines: groupedLines(s.resources)
        });
    }
    if (s.outputs.length > 0) {
        out.push({
            title: `Output changes: ${s.outputs.length}`,
            lines: s.outputs.map(outputLine)
        });
    }
    if (s.drift.length > 0) {
        out.push({
            title: `Drift: ${s.drift.length} resource${s.drift.length === 1 ? '' : 's'} changed outside Terraform`,
            lines: s.drift.flatMap(r => [resourceHeadline(r), ...attributeLines(r)])
        });
    }
    return out;
}
function escapeCode(text) {
    return text.replace(/`/g, "'");
}
function head(report) {
    const s = report.summary;
    const where = `\`${escapeCode(report.stage)}\`${report.instance ? ` · \`${escapeCode(report.instance)}\`` : ''}`;
    const lines = [
        `### ${STATUS_ICON[report.status]} ${report.command} ${where}: ${report.status}`,
        ''
    ];
    if (s) {
        const c = s.counts;
        lines.push(`**${countsLine(c)}**${c.drift ? ` · ⚠️ drift: ${c.drift}` : ''}${s.outputs.length ? ` · outputs changed: ${s.outputs.length}` : ''}${s.deferred ? ` · ⚠️ deferred: ${s.deferred}` : ''}`, '', '| add | change | destroy | replace | import | move | drift |', '|---:|---:|---:|---:|---:|---:|---:|', `| ${c.add} | ${c.change} | ${c.destroy} | ${c.replace} | ${c.import} | ${c.move} | ${c.drift} |`, '');
        const destructive = s.resources.filter(r => isDestructive(r.kind));
        if (destructive.length > 0) {
            lines.push('**Deleted or replaced:**');
            for (const r of destructive.slice(0, HEAD_DESTROY_LIMIT)) {
                lines.push(`- \`${escapeCode(describeRefusal({ address: r.address, kind: r.kind, reason: r.reason, replacePaths: r.replacePaths }))}\``);
            }
            if (destructive.length > HEAD_DESTROY_LIMIT) {
                lines.push(`- … and ${destructive.length - HEAD_DESTROY_LIMIT} more in the full plan`);
            }
            lines.push('');
        }
    }
    if (report.message) {
        lines.push(`> **${report.status === 'refused' ? 'Refused' : 'Failed'}:** ${report.message}`);
        const refused = report.refused ?? [];
        for (const r of refused.slice(0, HEAD_DESTROY_LIMIT)) {
            lines.push(`> - \`${escapeCode(describeRefusal(r))}\``);
        }
        if (refused.length > HEAD_DESTROY_LIMIT) {
            lines.push(`> - … and ${refused.length - HEAD_DESTROY_LIMIT} more (see summary-json)`);
        }
        lines.push('');
    }
    const d = report.durationsMs;
    lines.push(`init ${formatSeconds(d.init)} · plan ${formatSeconds(d.plan)} · apply ${formatSeconds(d.apply)}${report.digest ? ` · plan digest \`${report.digest}\`` : ''}`, '');
    return lines;
}
/**
 * The one renderer for the PR comment, the job summary and the `summary`
 * output. The head (status, counts, deletes, refusal, durations) is never
 * cut; the folded detail is cut on whole lines to fit `maxChars` (UTF-16
 * units, which is how JavaScript and, as far as is known, GitHub count),
 * with a note saying how much is missing and where the rest is.
 */
function renderStage(report, o) {
    const top = [...(o.marker ? [o.marker] : []), ...head(report)].join('\n');
    const parts = [top];
    let used = top.length + 1;
    const all = report.summary ? sections(report.summary) : [];
    const totalLines = all.reduce((n, sec) => n + sec.lines.length, 0);
    let shown = 0;
    // Room kept for the closing tags and the cut note.
    const reserve = 400 + o.fullPlanAt.length;
    let cut = false;
    for (const sec of all) {
        if (cut)
            break;
        const open = `<details><summary>${sec.title}</summary>\n\n\`\`\`diff`;
        const close = '```\n</details>\n';
        if (used + open.length + close.length + reserve > o.maxChars) {
            cut = true;
            break;
        }
        const body = [];
        let size = open.length + close.length + 2;
        for (const line of sec.lines) {
            if (used + size + line.length + 1 + reserve > o.maxChars) {
                cut = true;
                break;
            }
            body.push(line);
            size += line.length + 1;
            shown++;
        }
        parts.push([open, ...body, close].join('\n'));
        used += size;
    }
    if (cut) {
        parts.push(`> ✂️ **Cut here to fit:** ${totalLines - shown} of ${totalLines} plan lines are not shown. The full plan is in ${o.fullPlanAt}.\n`);
    }
    return parts.join('\n');
}

;// CONCATENATED MODULE: ./lib/terraform/argv.js
function lockTimeoutFlag(ms) {
    return `-lock-timeout=${Math.ceil(ms / 1000)}s`;
}
function initArgs(backendConfig, lockTimeoutMs) {
    return [
        'init',
        '-input=false',
        '-no-color',
        '-json',
        '-reconfigure',
        lockTimeoutFlag(lockTimeoutMs),
        ...Object.entries(backendConfig).map(([k, v]) => `-backend-config=${k}=${v}`)
    ];
}
function planArgs(a) {
    return [
        'plan',
        '-input=false',
        '-no-color',
        '-json',
        '-detailed-exitcode',
        `-out=${a.planFile}`,
        ...(a.lock ? [lockTimeoutFlag(a.lockTimeoutMs)] : ['-lock=false']),
        ...(a.destroy ? ['-destroy'] : []),
        ...a.varFiles.map(f => `-var-file=${f}`)
    ];
}
function showArgs(planFile) {
    return ['show', '-json', '-no-color', planFile];
}
function applyArgs(planFile, lockTimeoutMs) {
    return [
        'apply',
        '-input=false',
        '-no-color',
        '-json',
        '-auto-approve',
        lockTimeoutFlag(lockTimeoutMs),
        planFile
    ];
}
function outputArgs() {
    return ['output', '-json', '-no-color'];
}

;// CONCATENATED MODULE: ./lib/terraform/diagnostics.js

/**
 * Parses a `-json` UI stream, one object per line. Lines that are not JSON
 * (a crash, a plugin's stray print) are kept apart as plain text.
 */
function parseUiStream(text) {
    const messages = [];
    const plain = [];
    for (const line of text.split('\n')) {
        const trimmed = line.trim();
        if (trimmed === '')
            continue;
        if (trimmed.startsWith('{')) {
            try {
                messages.push(JSON.parse(trimmed));
                continue;
            }
            catch {
                // not JSON after all: keep it as text
            }
        }
        plain.push(trimmed);
    }
    return { messages, plain };
}
function diagnosticsOf(messages) {
    return messages
        .filter(m => m.type === 'diagnostic' && m.diagnostic)
        .map(m => m.diagnostic);
}
/**
 * A diagnostic as a GitHub annotation. Its filename is relative to the
 * stage folder; the annotation needs it relative to the workspace, and only
 * files inside the workspace get a location (a var file in RUNNER_TEMP does
 * not exist in the repository).
 */
function toAnnotation(d, stageDir, workspace) {
    const message = d.detail ? `${d.summary}: ${d.detail}` : d.summary;
    const properties = { title: d.summary };
    if (d.range?.filename) {
        const absolute = (0,external_node_path_.isAbsolute)(d.range.filename)
            ? d.range.filename
            : (0,external_node_path_.join)(stageDir, d.range.filename);
        const file = (0,external_node_path_.relative)(workspace, absolute);
        if (!file.startsWith('..') && !(0,external_node_path_.isAbsolute)(file)) {
            properties.file = file;
            properties.startLine = d.range.start.line;
            properties.startColumn = d.range.start.column;
            if (d.range.end) {
                properties.endLine = d.range.end.line;
                if (d.range.end.line === d.range.start.line) {
                    properties.endColumn = d.range.end.column;
                }
            }
        }
    }
    return {
        level: d.severity === 'warning' ? 'warning' : 'error',
        message,
        properties
    };
}
const LOCK_FIELDS = {
    ID: 'id',
    Path: 'path',
    Operation: 'operation',
    Who: 'who',
    Version: 'version',
    Created: 'created'
};
/**
 * Terraform reports a held lock only as text in the diagnostic's detail
 * (a `Lock Info:` block of `Name: value` lines); there is no structured form.
 */
function parseLockInfo(detail) {
    const at = detail.indexOf('Lock Info:');
    if (at < 0)
        return undefined;
    const info = {};
    for (const line of detail.slice(at).split('\n').slice(1)) {
        const m = /^\s+([A-Za-z]+):\s*(.*)$/.exec(line);
        if (!m)
            break;
        const key = LOCK_FIELDS[m[1]];
        if (key && m[2])
            info[key] = m[2].trim();
    }
    return info;
}
function isLockError(d) {
    return /state lock/i.test(d.summary);
}
function isStalePlan(d) {
    return /saved plan is stale/i.test(d.summary);
}
/** Go's time.Time String form: `2026-11-24 23:15:36.123456 +0000 UTC`. */
function parseGoTime(text) {
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? ([+-]\d{2})(\d{2})/.exec(text);
    if (!m)
        return undefined;
    const fraction = (m[3] ?? '').slice(0, 4);
    const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${m[4]}:${m[5]}`);
    return Number.isNaN(ms) ? undefined : ms;
}
function formatAge(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 120)
        return `${s}s`;
    const m = Math.round(s / 60);
    if (m < 60)
        return `${m}m`;
    const h = Math.floor(m / 60);
    return h < 48
        ? `${h}h${m % 60 ? `${m % 60}m` : ''}`
        : `${Math.floor(h / 24)}d`;
}
function describeLock(info, nowMs) {
    const created = info.created ? parseGoTime(info.created) : undefined;
    const age = created === undefined ? '' : `, held for ${formatAge(nowMs - created)}`;
    return `the state is locked by ${info.who ?? 'an unknown holder'} (${info.operation ?? 'unknown operation'}, ${info.version ? `version ${info.version}, ` : ''}since ${info.created ?? 'an unknown time'}${age}; lock ID ${info.id ?? 'unknown'})`;
}

;// CONCATENATED MODULE: ./lib/terraform/plan-json.js
/** Parses plan JSON and checks the one thing the action depends on. */
function parsePlanJson(text) {
    const plan = JSON.parse(text);
    const major = (plan.format_version ?? '').split('.')[0];
    if (major !== '1') {
        throw new Error(`unsupported plan JSON format_version '${plan.format_version ?? ''}' (expected 1.x)`);
    }
    return plan;
}

;// CONCATENATED MODULE: ./lib/terraform/plan-digest.js

/** JSON with object keys sorted, so equal values always give equal text. */
function canonicalJson(value) {
    if (value === null || typeof value !== 'object') {
        return JSON.stringify(value ?? null);
    }
    if (Array.isArray(value)) {
        return `[${value.map(canonicalJson).join(',')}]`;
    }
    const entries = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
const isNoOp = (actions) => actions.length === 1 && actions[0] === 'no-op';
/**
 * SHA-256 of what the plan would do: every resource change that is not a
 * no-op (moves and imports included), with its actions and known values,
 * and every output change, sorted by address. Timestamps, versions, prior
 * state and the order Terraform lists changes in are left out, so the same
 * changes planned twice give the same digest and a text-level difference
 * never does.
 */
function planDigest(plan) {
    const resources = (plan.resource_changes ?? [])
        .filter(rc => !isNoOp(rc.change.actions) ||
        (rc.previous_address && rc.previous_address !== rc.address) ||
        rc.change.importing != null)
        .map(rc => ({
        address: rc.address,
        previous_address: rc.previous_address,
        actions: rc.change.actions,
        before: rc.change.before,
        after: rc.change.after,
        after_unknown: rc.change.after_unknown,
        importing: rc.change.importing ?? undefined
    }))
        .sort((a, b) => a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
    const outputs = Object.entries(plan.output_changes ?? {})
        .filter(([, oc]) => !isNoOp(oc.actions))
        .map(([name, oc]) => ({
        name,
        actions: oc.actions,
        before: oc.before,
        after: oc.after,
        after_unknown: oc.after_unknown
    }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const canonical = canonicalJson({ v: 1, resources, outputs });
    return (0,external_node_crypto_.createHash)('sha256').update(canonical).digest('hex');
}

;// CONCATENATED MODULE: ./lib/terraform/progress.js
const VERBS = {
    create: ['creating', 'created'],
    update: ['updating', 'updated'],
    replace: ['replacing', 'replaced'],
    delete: ['destroying', 'destroyed'],
    read: ['reading', 'read'],
    noop: ['checking', 'checked']
};
/**
 * Elapsed seconds at which a "still creating" line is shown: early feedback,
 * then once a minute, so a 20-minute cluster gives about 20 lines instead
 * of Terraform's 120. Terraform reports every 10 s.
 */
function nextProgressAt(shownAtSeconds) {
    if (shownAtSeconds < 10)
        return 10;
    if (shownAtSeconds < 30)
        return 30;
    return (Math.floor(shownAtSeconds / 60) + 1) * 60;
}
function formatElapsed(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60)
        return `${s}s`;
    const rest = s % 60;
    return `${Math.floor(s / 60)}m${rest ? `${rest}s` : ''}`;
}
function changeSummary(c) {
    const imported = c.import ? `, ${c.import} imported` : '';
    if (c.operation === 'plan') {
        return `plan: ${c.add} to add, ${c.change} to change, ${c.remove} to destroy${c.import ? `, ${c.import} to import` : ''}`;
    }
    const what = c.operation === 'destroy' ? 'destroy' : 'apply';
    return `${what} complete: ${c.add} added, ${c.change} changed, ${c.remove} destroyed${imported}`;
}
/**
 * A stateful reader of one CLI run's UI lines: returns the line to show for
 * each, or undefined for lines that are not progress or are throttled.
 */
function progressReader() {
    // Per resource and action: the elapsed seconds of the next line to show.
    const due = new Map();
    return line => {
        const text = line.trim();
        if (!text.startsWith('{'))
            return undefined;
        let m;
        try {
            m = JSON.parse(text);
        }
        catch {
            return undefined;
        }
        const addr = m.hook?.resource?.addr ?? 'a resource';
        const action = m.hook?.action ?? 'noop';
        const [doing, done] = VERBS[action] ?? [action, action];
        const elapsed = m.hook?.elapsed_seconds ?? 0;
        const key = `${addr}\u0000${action}`;
        switch (m.type) {
            case 'apply_start':
                due.set(key, nextProgressAt(0));
                return `${addr}: ${doing}`;
            case 'apply_progress': {
                if (elapsed < (due.get(key) ?? nextProgressAt(0)))
                    return undefined;
                due.set(key, nextProgressAt(elapsed));
                return `${addr}: still ${doing}, ${formatElapsed(elapsed)} elapsed`;
            }
            case 'apply_complete':
                due.delete(key);
                return `${addr}: ${done} after ${formatElapsed(elapsed)}`;
            case 'apply_errored':
                due.delete(key);
                return `${addr}: ${doing} failed after ${formatElapsed(elapsed)}`;
            case 'provision_errored':
                return `${addr}: provisioner ${m.hook?.provisioner ?? ''} failed`;
            case 'diagnostic': {
                const d = m.diagnostic;
                if (!d)
                    return undefined;
                return `${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}`;
            }
            case 'change_summary':
                return m.changes ? changeSummary(m.changes) : undefined;
            default:
                return undefined;
        }
    };
}

;// CONCATENATED MODULE: ./lib/terraform/plugin-cache.js

/**
 * The provider cache key: OS, architecture, tool, its version and the lock
 * file's hash. Terraform >= 1.4 uses a cached provider only when it matches
 * a checksum in .terraform.lock.hcl, which also blunts a poisoned cache.
 */
function pluginCacheKey(k) {
    const lockHash = (0,external_node_crypto_.createHash)('sha256').update(k.lockFile).digest('hex');
    return `apply-stage-providers-${k.platform}-${k.arch}-${k.tool}-${k.version}-${lockHash.slice(0, 32)}`;
}
/** `terraform version -json` / `tofu version -json` → the version. */
function parseVersion(stdout) {
    try {
        const v = JSON.parse(stdout);
        return typeof v.terraform_version === 'string'
            ? v.terraform_version
            : undefined;
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ./lib/terraform/retry.js
var retry = __webpack_require__(72306);
;// CONCATENATED MODULE: ./lib/terraform/stage.js















/** A failure already explained to the user; the report says why. */
class StageFailure extends Error {
    name = 'StageFailure';
    result;
    constructor(message, result) {
        super(message);
        this.result = result;
    }
}
const RETRY = { attempts: 3, baseDelayMs: 2000, maxDelayMs: 20_000 };
const VAR_FILE = 'apply-stage-vars.tfvars.json';
const INSTANCE_FILE = 'apply-stage-instance.tfvars.json';
function writePrivate(file, text) {
    (0,external_node_fs_.rmSync)(file, { force: true });
    (0,external_node_fs_.writeFileSync)(file, text, { mode: 0o600, flag: 'wx' });
}
/**
 * Runs one stage instance as a pipeline: init, plan (unless applying the
 * reviewed plan), show, then for apply and destroy the guards, apply and
 * outputs. Decisions come from the plan JSON; the CLI's text is only shown.
 */
async function runStage(inputs, deps) {
    const run = openRun(inputs, deps);
    // Validated before anything is written next to the stage.
    const backendConfig = buildBackendConfig({
        kind: inputs.backend,
        stageDir: run.cwd,
        instance: inputs.instance,
        config: inputs.backendConfig
    });
    const overrideFile = (0,external_node_path_.join)(run.cwd, BACKEND_OVERRIDE_FILE);
    writePrivate(overrideFile, backendOverride(inputs.backend));
    try {
        await init(run, backendConfig);
        const planned = run.applyingSaved ? savedPlan(run) : await plan(run);
        await show(run, planned);
        if (inputs.command === 'plan') {
            run.report.status = run.result.hasChanges ? 'planned' : 'no-changes';
            return run.result;
        }
        guard(run);
        await apply(run);
        await outputs(run);
        return run.result;
    }
    finally {
        (0,external_node_fs_.rmSync)(overrideFile, { force: true });
        (0,external_node_fs_.rmSync)(run.varFile, { force: true });
        (0,external_node_fs_.rmSync)(run.instanceFile, { force: true });
        const ownPlan = !inputs.planFile;
        if (ownPlan && inputs.command !== 'plan') {
            (0,external_node_fs_.rmSync)(run.planFile, { force: true });
        }
    }
}
/** Checks what must exist before anything runs, and sets up the report. */
function openRun(inputs, deps) {
    const cwd = inputs.stageDir;
    if (!(0,external_node_fs_.existsSync)(cwd)) {
        throw new errors/* ConfigurationError */.j(`input 'stage' must be an existing folder, got '${inputs.stageLabel}'`);
    }
    const planFile = inputs.planFile ?? (0,external_node_path_.join)(inputs.tempDir, 'stage.tfplan');
    const applyingSaved = inputs.command === 'apply' && !!inputs.planFile;
    if (applyingSaved && !(0,external_node_fs_.existsSync)(planFile)) {
        throw new errors/* ConfigurationError */.j(`input 'plan-file' must name the reviewed saved plan to apply, but '${(0,external_node_path_.basename)(planFile)}' does not exist`);
    }
    const report = {
        stage: inputs.stageLabel,
        instance: inputs.instance,
        command: inputs.command,
        status: 'failed',
        durationsMs: {}
    };
    const env = {};
    if (deps.pluginCacheDir) {
        (0,external_node_fs_.mkdirSync)(deps.pluginCacheDir, { recursive: true });
        env.TF_PLUGIN_CACHE_DIR = deps.pluginCacheDir;
    }
    return {
        inputs,
        deps,
        cwd,
        env,
        report,
        result: { report, hasChanges: false, secrets: [] },
        planFile,
        applyingSaved,
        varFile: (0,external_node_path_.join)(inputs.tempDir, VAR_FILE),
        instanceFile: (0,external_node_path_.join)(inputs.tempDir, INSTANCE_FILE)
    };
}
function cli(run, args) {
    return run.deps.cli.run(args, { cwd: run.cwd, env: run.env });
}
/**
 * A plan or apply whose machine-readable UI is shown as it arrives, one
 * line per event (see progress.ts), instead of silence until it ends.
 */
function cliWithProgress(run, args) {
    const read = progressReader();
    return run.deps.cli.run(args, {
        cwd: run.cwd,
        env: run.env,
        onStdoutLine: line => {
            const text = read(line);
            if (text)
                run.deps.core.info(text);
        }
    });
}
/** Ends the run: the report says why, the caller gets the result. */
function fail(run, message, refused, headline = message) {
    run.report.message = headline;
    if (refused) {
        run.report.status = 'refused';
        run.report.refused = refused;
    }
    throw new StageFailure(message, run.result);
}
function retryOptions(run, what) {
    const { core } = run.deps;
    return {
        ...RETRY,
        sleep: run.deps.sleep,
        random: run.deps.random,
        onRetry: (n, reason, ms) => core.warning(`${what} failed (${reason}); retry ${n} in ${Math.round(ms / 1000)} s`)
    };
}
function annotate(run, diags, ignore) {
    const { core } = run.deps;
    for (const d of diags) {
        if (ignore?.(d))
            continue;
        const a = toAnnotation(d, run.cwd, run.inputs.workspace);
        // Some diagnostics name a pseudo-file (TF_ENCRYPTION, a -var flag).
        const file = a.properties.file;
        if (file && !(0,external_node_fs_.existsSync)((0,external_node_path_.join)(run.inputs.workspace, file))) {
            a.properties = { title: a.properties.title };
        }
        if (a.level === 'error')
            core.error(a.message, a.properties);
        else
            core.warning(a.message, a.properties);
    }
}
/** One line saying why a CLI step failed: a held lock, a stale plan, ... */
function explain(run, what, r) {
    const { messages, plain } = parseUiStream(`${r.stdout}\n${r.stderr}`);
    const errors = diagnosticsOf(messages).filter(d => d.severity === 'error');
    const lock = errors.find(isLockError);
    if (lock) {
        const info = parseLockInfo(lock.detail ?? '');
        return `${what}: could not acquire the state lock within the lock timeout; ${info ? describeLock(info, run.deps.now()) : 'no lock information was given'}`;
    }
    if (errors.some(isStalePlan)) {
        return `${what}: the saved plan is stale, the state changed after it was made. Plan again, review the new plan and apply that one`;
    }
    const first = errors[0]?.summary ?? plain.find(l => /error/i.test(l));
    return `${what} failed (exit ${r.exitCode})${first ? `: ${first}` : ''}`;
}
/** init, retried on transient failures, with the provider cache around it. */
async function init(run, backendConfig) {
    const { inputs, deps, report } = run;
    const started = deps.now();
    await deps.core.group(`init ${inputs.stageLabel}`, async () => {
        const cacheKey = await restorePluginCache(inputs, deps, args => cli(run, args));
        const r = await (0,retry/* withRetries */.LH)(async () => {
            const res = await cli(run, initArgs(backendConfig, inputs.lockTimeoutMs));
            return {
                result: res,
                failure: res.exitCode === 0 ? undefined : `${res.stdout}\n${res.stderr}`
            };
        }, retryOptions(run, 'init'));
        report.durationsMs.init = deps.now() - started;
        if (r.exitCode !== 0) {
            annotate(run, diagnosticsOf(parseUiStream(r.stdout).messages));
            fail(run, explain(run, 'init', r));
        }
        if (cacheKey && inputs.command === 'plan') {
            await deps.cache
                ?.save(deps.pluginCacheDir, cacheKey)
                .catch(e => deps.core.warning(`provider cache not saved: ${e.message}`));
        }
        deps.core.info(`init done in ${report.durationsMs.init} ms`);
    });
}
/** Applying the reviewed plan: nothing is planned, the file is shown as is. */
function savedPlan(run) {
    return {
        exitCode: 2,
        cli: { exitCode: 0, stdout: '', stderr: '' },
        startedMs: run.deps.now()
    };
}
/** plan -out, retried on transient failures; variables in private files. */
async function plan(run) {
    const { inputs, deps, report, planFile } = run;
    const startedMs = deps.now();
    // A plan left by an earlier run must never be mistaken for this one.
    (0,external_node_fs_.rmSync)(planFile, { force: true });
    const varFiles = [...inputs.varFiles];
    if (Object.keys(inputs.vars).length > 0) {
        writePrivate(run.varFile, JSON.stringify(inputs.vars));
        varFiles.push(run.varFile);
    }
    if (inputs.instance && !('instance' in inputs.vars)) {
        // A var file, unlike -var, only warns about an undeclared variable:
        // the instance reaches the stage exactly when it declares one.
        writePrivate(run.instanceFile, JSON.stringify({ instance: inputs.instance }));
        varFiles.unshift(run.instanceFile);
    }
    const r = await deps.core.group(`plan ${inputs.stageLabel}`, async () => {
        const res = await (0,retry/* withRetries */.LH)(async () => {
            const attempt = await cliWithProgress(run, planArgs({
                planFile,
                varFiles,
                lockTimeoutMs: inputs.lockTimeoutMs,
                destroy: inputs.command === 'destroy',
                // Rule 19: never skip the lock for a plan that is applied.
                lock: inputs.lock || inputs.command !== 'plan'
            }));
            return {
                result: attempt,
                failure: attempt.exitCode === 1
                    ? `${attempt.stdout}\n${attempt.stderr}`
                    : undefined
            };
        }, retryOptions(run, 'plan'));
        // The warning has no range; it names the file, and that private
        // file holds nothing but the instance.
        const isOurInstanceWarning = (d) => d.severity === 'warning' &&
            /undeclared variable/i.test(d.summary) &&
            (d.range?.filename === run.instanceFile ||
                (d.detail ?? '').includes(run.instanceFile));
        annotate(run, diagnosticsOf(parseUiStream(res.stdout).messages), isOurInstanceWarning);
        return res;
    });
    if (r.exitCode !== 0 && r.exitCode !== 2) {
        report.durationsMs.plan = deps.now() - startedMs;
        if (!(0,external_node_fs_.existsSync)(planFile))
            fail(run, explain(run, 'plan', r));
    }
    run.result.planFile = planFile;
    // A saved plan holds sensitive values in clear (or sealed): owner only.
    if ((0,external_node_fs_.existsSync)(planFile))
        (0,external_node_fs_.chmodSync)(planFile, 0o600);
    return { exitCode: r.exitCode, cli: r, startedMs };
}
/**
 * show -json: the one source of every count and decision. Masks every
 * secret in the plan before anything else is printed.
 */
async function show(run, planned) {
    const { deps, report, result, applyingSaved } = run;
    const { core } = deps;
    const shown = await cli(run, showArgs(run.planFile));
    if (shown.exitCode !== 0) {
        fail(run, applyingSaved
            ? `${explain(run, 'show', shown)}. The file in 'plan-file' is not a plan this tool can read: made by another version, damaged, or encrypted with another key`
            : explain(run, 'show', shown));
    }
    const planJson = parsePlanJson(shown.stdout);
    result.secrets = sensitiveValues(planJson);
    for (const s of result.secrets)
        core.setSecret(s);
    const summary = summarizePlan(planJson);
    const digest = planDigest(planJson);
    result.summary = summary;
    result.digest = digest;
    report.summary = summary;
    report.digest = digest;
    if (!applyingSaved)
        report.durationsMs.plan = deps.now() - planned.startedMs;
    const { exitCode } = planned;
    // Output-only and moved-only plans exit 2 with nothing but no-ops in
    // resource_changes; the JSON check covers a saved plan given to apply.
    result.hasChanges = summary.hasChanges || (!applyingSaved && exitCode === 2);
    if (!applyingSaved && summary.hasChanges !== (exitCode === 2)) {
        core.debug(`plan exited ${exitCode} but the plan JSON says hasChanges=${summary.hasChanges}; counted as changed`);
    }
    core.info(`${countsLine(summary.counts)}; drift ${summary.counts.drift}; digest ${digest}`);
    if (!summary.isApplyable || (exitCode !== 0 && exitCode !== 2)) {
        fail(run, `${explain(run, 'plan', planned.cli)}; the plan reports errors and cannot be applied`);
    }
}
/** The gates before apply: the reviewed digest, deletes, protected addresses. */
function guard(run) {
    const { inputs, result } = run;
    const digest = result.digest;
    if (inputs.expectedDigest && inputs.expectedDigest !== digest) {
        fail(run, `the plan's digest ${digest} differs from input 'expected-plan-digest' ${inputs.expectedDigest}: this is not the plan that was reviewed`, []);
    }
    const verdict = destroyVerdict(result.summary.resources, inputs.allowDestroy, inputs.protect);
    if (verdict.ok)
        return;
    const protectedHits = verdict.refused.filter(r => r.protectedBy);
    fail(run, protectedHits.length > 0
        ? `the plan deletes or replaces protected resources (input 'protect'), which is refused even with allow-destroy: ${listRefusals(protectedHits)}`
        : `the plan deletes or replaces ${verdict.refused.length} resource(s) and input 'allow-destroy' is false: ${listRefusals(verdict.refused)}`, verdict.refused, protectedHits.length > 0
        ? `the plan deletes or replaces resources matched by input 'protect'; refused even with allow-destroy:`
        : `the plan deletes or replaces resources and input 'allow-destroy' is false:`);
}
/** Applies the checked plan, once: never retried. */
async function apply(run) {
    const { inputs, deps, report } = run;
    if (!run.result.hasChanges) {
        report.status = 'no-changes';
        return;
    }
    const started = deps.now();
    await deps.core.group(`apply ${inputs.stageLabel}`, async () => {
        // Never retried: a half-applied change needs a new plan and review.
        const r = await cliWithProgress(run, applyArgs(run.planFile, inputs.lockTimeoutMs));
        report.durationsMs.apply = deps.now() - started;
        annotate(run, diagnosticsOf(parseUiStream(r.stdout).messages));
        if (r.exitCode !== 0)
            fail(run, explain(run, 'apply', r));
    });
    report.status = 'applied';
}
/** The stage's outputs after apply, sensitive ones masked and left out. */
async function outputs(run) {
    const out = await cli(run, outputArgs());
    if (out.exitCode === 0) {
        run.result.outputs = publicOutputs(out.stdout, run.deps.core);
    }
}
function maskLeaves(value, core) {
    if (value === null || value === undefined)
        return;
    if (typeof value === 'object') {
        for (const v of Object.values(value))
            maskLeaves(v, core);
        return;
    }
    const text = String(value);
    if (text.length >= 4)
        core.setSecret(text);
}
/**
 * `output -json` prints sensitive outputs in clear: each of their leaves is
 * masked, and only the others are returned.
 */
function publicOutputs(stdout, core) {
    const all = JSON.parse(stdout);
    const outputs = {};
    for (const [name, o] of Object.entries(all)) {
        if (o.sensitive)
            maskLeaves(o.value, core);
        else
            outputs[name] = o.value;
    }
    return outputs;
}
async function restorePluginCache(inputs, deps, run) {
    if (!inputs.pluginCache || !deps.cache || !deps.pluginCacheDir)
        return undefined;
    const lockPath = (0,external_node_path_.join)(inputs.stageDir, '.terraform.lock.hcl');
    if (!(0,external_node_fs_.existsSync)(lockPath)) {
        deps.core.info('no .terraform.lock.hcl: providers are not cached');
        return undefined;
    }
    const version = parseVersion((await run(['version', '-json'])).stdout) ?? 'unknown';
    const key = pluginCacheKey({
        platform: (0,external_node_os_.platform)(),
        arch: (0,external_node_os_.arch)(),
        tool: inputs.tool,
        version,
        lockFile: (0,external_node_fs_.readFileSync)(lockPath, 'utf8')
    });
    try {
        const hit = await deps.cache.restore(deps.pluginCacheDir, key);
        deps.core.info(`provider cache ${hit ? 'hit' : 'miss'} (${key})`);
        return hit ? undefined : key;
    }
    catch (e) {
        deps.core.warning(`provider cache not restored: ${e.message}`);
        return key;
    }
}

// EXTERNAL MODULE: ./lib/common/paths.js
var paths = __webpack_require__(7041);
;// CONCATENATED MODULE: ./lib/actions/apply-stage/inputs.js







/** Safe in an S3 key, a file name and a comment marker. */
const instanceInput = (raw, name) => {
    if (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(raw) && !raw.includes('..')) {
        return raw;
    }
    throw new errors/* ConfigurationError */.j(`input '${name}' must be a name of letters, digits, '-', '_' and '.' (at most 128), got '${raw}'`);
};
/**
 * Values reach the stage through a .tfvars.json file, where a string stays a
 * string: a list or map (a value starting with `[` or `{`) is written in
 * JSON and passed on as JSON, so `cluster_names=["a","b"]` works as it
 * would with -var. Numbers and booleans convert from strings by themselves.
 */
const variables = (raw, name) => {
    const parsed = (0,common_inputs/* keyValues */.K7)(raw, name);
    for (const [key, value] of Object.entries(parsed)) {
        if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
            throw new errors/* ConfigurationError */.j(`input '${name}' must name Terraform variables (letters, digits, '_' and '-'), got '${key}'`);
        }
        if (typeof value === 'string' && /^[[{]/.test(value)) {
            try {
                parsed[key] = JSON.parse(value);
            }
            catch {
                throw new errors/* ConfigurationError */.j(`input '${name}': the value of '${key}' starts like a list or map but is not JSON (write lists as ["a","b"] and maps as {"k":"v"})`);
            }
        }
    }
    return parsed;
};
const sha256Hex = (raw, name) => {
    const value = raw.replace(/^sha256:/, '').toLowerCase();
    if (/^[0-9a-f]{64}$/.test(value))
        return value;
    throw new errors/* ConfigurationError */.j(`input '${name}' must be a plan-digest (64 hexadecimal characters), got '${raw}'`);
};
const spec = {
    stage: (0,common_inputs/* required */.mw)(common_inputs/* text */.Qq),
    instance: (0,common_inputs/* optional */.lq)(instanceInput),
    command: (0,common_inputs/* optional */.lq)((0,common_inputs/* oneOf */.yL)('plan', 'apply', 'destroy')),
    backend: (0,common_inputs/* optional */.lq)((0,common_inputs/* oneOf */.yL)('local', 's3')),
    'backend-config': (0,common_inputs/* optional */.lq)(common_inputs/* keyValues */.K7),
    vars: (0,common_inputs/* optional */.lq)(variables),
    'var-files': (0,common_inputs/* optional */.lq)(common_inputs/* lines */.Mn),
    'plan-file': (0,common_inputs/* optional */.lq)(common_inputs/* text */.Qq),
    'allow-destroy': (0,common_inputs/* optional */.lq)(common_inputs/* bool */.lc),
    'comment-on-pr': (0,common_inputs/* optional */.lq)(common_inputs/* bool */.lc),
    'github-token': (0,common_inputs/* secret */.rJ)((0,common_inputs/* optional */.lq)(common_inputs/* text */.Qq)),
    binary: (0,common_inputs/* optional */.lq)(common_inputs/* text */.Qq),
    'lock-timeout': (0,common_inputs/* optional */.lq)(common_inputs/* duration */.p0),
    lock: (0,common_inputs/* optional */.lq)(common_inputs/* bool */.lc),
    'plugin-cache': (0,common_inputs/* optional */.lq)(common_inputs/* bool */.lc),
    protect: (0,common_inputs/* optional */.lq)(common_inputs/* lines */.Mn),
    'expected-plan-digest': (0,common_inputs/* optional */.lq)(sha256Hex)
};
/**
 * Applying a saved plan checks its digest against the reviewed one; without
 * `expected-plan-digest` any file that arrives as the plan would be applied.
 * In a workflow that is refused; locally (a plan made and read on the same
 * machine) it is allowed with the returned warning.
 */
function unreviewedPlanWarning(command, i, env) {
    if (command !== 'apply' || !i['plan-file'] || i['expected-plan-digest']) {
        return undefined;
    }
    if (env.GITHUB_ACTIONS === 'true') {
        throw new errors/* ConfigurationError */.j(`input 'expected-plan-digest' is required to apply a saved plan ('plan-file') in GitHub Actions: give it the plan job's 'plan-digest' output (expected-plan-digest: \${{ needs.<plan job>.outputs.plan-digest }}), so only the reviewed plan is applied`);
    }
    return `input 'expected-plan-digest' is empty: the saved plan in 'plan-file' is applied without checking that it is the reviewed one (allowed outside GitHub Actions only)`;
}
/**
 * The typed settings of one run, every path checked to stay inside the
 * workspace or RUNNER_TEMP, before anything is created. `warn` receives
 * what is allowed but unsafe.
 */
function stageInputs(i, env, warn) {
    const workspace = (0,external_node_path_.resolve)(env.GITHUB_WORKSPACE || process.cwd());
    const stageDir = (0,paths/* resolveInside */.L)(i.stage, 'stage', env);
    const command = i.command ?? 'plan';
    let planFile = i['plan-file']
        ? (0,paths/* resolveInside */.L)(i['plan-file'], 'plan-file', env)
        : undefined;
    if (!planFile && command === 'plan') {
        // Kept after the step so a later step can upload it; RUNNER_TEMP is
        // emptied when the job ends.
        const dir = (0,external_node_path_.join)(env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'apply-stage-plans');
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true, mode: 0o700 });
        planFile = (0,external_node_path_.join)(dir, `${(0,external_node_path_.basename)(stageDir)}-${instanceName(i.instance)}.tfplan`);
    }
    if (i['expected-plan-digest'] && command === 'plan') {
        throw new errors/* ConfigurationError */.j(`input 'expected-plan-digest' applies to command apply or destroy, got command 'plan'`);
    }
    // Rule 19: whatever will be applied is planned and applied under the lock.
    const lock = (0,common_inputs/* given */.gI)(i.lock, 'lock');
    if (!lock && command !== 'plan') {
        throw new errors/* ConfigurationError */.j(`input 'lock' may be false only with command 'plan' (previews and drift checks); command '${command}' always takes the state lock`);
    }
    const warning = unreviewedPlanWarning(command, i, env);
    if (warning)
        warn(warning);
    return {
        stageDir,
        stageLabel: (0,external_node_path_.relative)(workspace, stageDir) || '.',
        instance: i.instance,
        command,
        backend: i.backend ?? 'local',
        backendConfig: i['backend-config'] ?? {},
        vars: i.vars ?? {},
        varFiles: (i['var-files'] ?? []).map(f => (0,paths/* resolveInside */.L)(f, 'var-files', env)),
        planFile,
        allowDestroy: i['allow-destroy'] ?? false,
        lockTimeoutMs: i['lock-timeout'] ?? 300_000,
        lock,
        protect: i.protect ?? [],
        expectedDigest: i['expected-plan-digest'],
        pluginCache: i['plugin-cache'] ?? true,
        workspace,
        tool: (0,external_node_path_.basename)(i.binary ?? 'terraform')
    };
}
function binaryPath(raw, env) {
    const binary = raw ?? 'terraform';
    // A bare name is looked up on PATH; anything with a slash is a path.
    return binary.includes('/')
        ? (0,external_node_path_.resolve)(env.GITHUB_WORKSPACE || process.cwd(), binary)
        : binary;
}

;// CONCATENATED MODULE: ./lib/terraform/summary-json.js
/**
 * The `summary-json` output: the run's result in a stable, versioned shape
 * that a later job can combine across many stage instances. It carries
 * addresses, actions and counts only, never values.
 */
function renderSummaryJson(r, planFile) {
    const { report, summary } = r;
    return JSON.stringify({
        version: 1,
        stage: report.stage,
        instance: report.instance ?? null,
        command: report.command,
        status: report.status,
        hasChanges: r.hasChanges,
        counts: summary?.counts ?? null,
        planDigest: r.digest ?? null,
        planFile: planFile ?? null,
        resources: (summary?.resources ?? []).map(x => ({
            address: x.address,
            action: x.kind,
            ...(x.reason ? { reason: x.reason } : {}),
            ...(x.previousAddress ? { previousAddress: x.previousAddress } : {})
        })),
        outputs: (summary?.outputs ?? []).map(o => ({
            name: o.name,
            action: o.kind,
            sensitive: o.sensitive
        })),
        drift: (summary?.drift ?? []).map(x => ({
            address: x.address,
            action: x.kind
        })),
        durationsMs: report.durationsMs,
        message: report.message ?? null,
        refused: report.refused ?? []
    });
}

;// CONCATENATED MODULE: ./lib/actions/apply-stage/main.js













const ACTION = 'apply-stage';
async function actionsCache(env) {
    if (!env.ACTIONS_RUNTIME_TOKEN)
        return undefined;
    const cache = await __webpack_require__.e(/* import() */ 641).then(__webpack_require__.bind(__webpack_require__, 82641));
    if (!cache.isFeatureAvailable())
        return undefined;
    return {
        restore: async (dir, key) => (await cache.restoreCache([dir], key)) === key,
        save: async (dir, key) => void (await cache.saveCache([dir], key))
    };
}
async function run(deps) {
    const { core, env } = deps;
    let tempDir;
    try {
        const inputs = (0,common_inputs/* readInputs */.Ko)(spec, env, { onSecret: s => core.setSecret(s) });
        const parsed = stageInputs(inputs, env, m => core.warning(m));
        tempDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'apply-stage-'));
        const stage = { ...parsed, tempDir };
        const pluginCacheDir = stage.pluginCache
            ? env.TF_PLUGIN_CACHE_DIR ||
                (0,external_node_path_.join)(env.RUNNER_TEMP || (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.cache'), 'apply-stage-plugins')
            : undefined;
        let result;
        let failure;
        try {
            result = await runStage(stage, {
                cli: deps.cli ?? spawnCli(binaryPath(inputs.binary, env), env),
                core,
                now: deps.now ?? Date.now,
                sleep: deps.sleep ?? (ms => new Promise(r => setTimeout(r, ms))),
                random: Math.random,
                cache: stage.pluginCache ? await actionsCache(env) : undefined,
                pluginCacheDir
            });
        }
        catch (err) {
            if (!(err instanceof StageFailure))
                throw err;
            result = err.result;
            failure = err.message;
        }
        await report(result, stage, inputs, deps);
        if (failure)
            core.setFailed(failure);
    }
    catch (err) {
        core.setFailed((0,errors/* describeError */.U)(err, ACTION));
    }
    finally {
        if (tempDir)
            (0,external_node_fs_.rmSync)(tempDir, { recursive: true, force: true });
    }
}
async function report(result, stage, inputs, deps) {
    const { core, env } = deps;
    // Outside a runner (local command line, root action) the action.yml
    // default arrives unexpanded; it is no token.
    const raw = inputs['github-token'];
    const token = raw && !raw.startsWith('${{') ? raw : undefined;
    const redact = (0,github_redact/* redactor */.$)([...result.secrets, ...(token ? [token] : [])]);
    const s = result.summary;
    // On apply the plan is the reviewed input or a temporary one: only a plan
    // run hands a plan file on.
    const planFile = stage.command === 'plan' ? result.planFile : undefined;
    core.setOutput('has-changes', String(result.hasChanges));
    if (s) {
        core.setOutput('add', String(s.counts.add));
        core.setOutput('change', String(s.counts.change));
        core.setOutput('destroy', String(s.counts.destroy));
        core.setOutput('replace', String(s.counts.replace));
        core.setOutput('drift', String(s.counts.drift > 0));
    }
    if (planFile)
        core.setOutput('plan-file', planFile);
    if (result.digest)
        core.setOutput('plan-digest', result.digest);
    const url = (0,context/* runUrl */.Vp)(env);
    const markdown = redact(renderStage(result.report, {
        maxChars: COMMENT_BUDGET,
        fullPlanAt: url ? `the [job summary](${url})` : 'the job summary'
    }));
    core.setOutput('summary', markdown);
    core.setOutput('summary-json', redact(renderSummaryJson(result, planFile)));
    if (result.outputs)
        core.setOutput('outputs-json', JSON.stringify(result.outputs));
    await core.writeSummary(redact(renderStage(result.report, {
        maxChars: SUMMARY_BUDGET,
        fullPlanAt: planFile
            ? `the saved plan (\`show ${(0,external_node_path_.basename)(planFile)}\`)`
            : 'the plan'
    })));
    if (inputs['comment-on-pr'] === false)
        return;
    const target = (0,context/* pullRequestTarget */.Sj)(env);
    if (!target) {
        core.debug('not a pull request: no comment');
        return;
    }
    if (!token) {
        core.warning(`input 'github-token' is empty (or an unexpanded expression): no pull-request comment`);
        return;
    }
    const { commentMarker, upsertComment } = await Promise.all(/* import() */[__webpack_require__.e(167), __webpack_require__.e(325)]).then(__webpack_require__.bind(__webpack_require__, 88325));
    const { createGitHubClient } = await Promise.all(/* import() */[__webpack_require__.e(167), __webpack_require__.e(636)]).then(__webpack_require__.bind(__webpack_require__, 70636));
    const marker = commentMarker('apply-stage', {
        stage: stage.stageLabel,
        instance: instanceName(stage.instance)
    });
    const gh = createGitHubClient({
        token,
        baseUrl: (0,context/* apiBaseUrl */.tj)(env),
        warn: m => core.warning(m)
    });
    try {
        const r = await upsertComment(gh, target, marker, `${marker}\n${markdown}`);
        core.info(`pull-request comment ${r.action}${r.url ? `: ${r.url}` : ''}`);
    }
    catch (err) {
        // The plan itself succeeded; a comment that could not be written must
        // not hide that, but it must be seen.
        core.warning(`pull-request comment not written: ${err.message}`);
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
