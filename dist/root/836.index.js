export const id = 836;
export const ids = [836,933];
export const modules = {

/***/ 56933:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_MAX_ATTEMPTS: () => (/* binding */ DEFAULT_MAX_ATTEMPTS),
/* harmony export */   awsClientSettings: () => (/* binding */ awsClientSettings),
/* harmony export */   createAwsClient: () => (/* binding */ createAwsClient),
/* harmony export */   describeAwsError: () => (/* binding */ describeAwsError)
/* harmony export */ });
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(63302);

const DEFAULT_MAX_ATTEMPTS = 3;
/**
 * Region from the input, else from the environment the runner's AWS
 * credentials step exports; endpoint from AWS_ENDPOINT_URL.
 */
function awsClientSettings(options) {
    const { env } = options;
    const region = options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION;
    if (!region) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`input '${options.regionInput}' is required here (or AWS_REGION in the environment), got nothing`);
    }
    const endpoint = env.AWS_ENDPOINT_URL || undefined;
    if (endpoint !== undefined && !URL.canParse(endpoint)) {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`AWS_ENDPOINT_URL must be a URL, got '${endpoint}'`);
    }
    return {
        region,
        ...(endpoint ? { endpoint } : {}),
        maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
    };
}
function createAwsClient(Client, settings) {
    return new Client(settings);
}
/**
 * An SDK error as `Name (HTTP status)`: the message and body may echo what
 * was sent, so they are never shown.
 */
function describeAwsError(err) {
    const e = err;
    const status = e.$metadata?.httpStatusCode;
    // Network failures carry no status; their errno code says what happened.
    const code = e.code && e.code !== e.name ? ` ${e.code}` : '';
    return `${e.name ?? 'Error'}${code}${status ? ` (HTTP ${status})` : ''}`;
}


/***/ }),

/***/ 42836:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LEGACY_RECOVERY_DAYS: () => (/* binding */ LEGACY_RECOVERY_DAYS),
/* harmony export */   intermediateSecretName: () => (/* binding */ intermediateSecretName),
/* harmony export */   legacyRootSecretName: () => (/* binding */ legacyRootSecretName),
/* harmony export */   rootCertSecretName: () => (/* binding */ rootCertSecretName),
/* harmony export */   rootKeySecretName: () => (/* binding */ rootKeySecretName),
/* harmony export */   secretsManagerStore: () => (/* binding */ secretsManagerStore)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(12994);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(63302);
/* harmony import */ var _clients_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(56933);



/** The root CA's certificate: public, read by every role that fetches. */
function rootCertSecretName(prefix) {
    return `${prefix}root-cert`;
}
/** The root CA's key: read only by the role that issues (mode issue). */
function rootKeySecretName(prefix) {
    return `${prefix}root-key`;
}
/**
 * The root CA as versions up to 0.1 kept it: certificate and key in one
 * secret, so every role that read the certificate could read the key.
 * `mode: issue` moves it to the two secrets above and deletes it.
 */
function legacyRootSecretName(prefix) {
    return `${prefix}root-ca`;
}
function intermediateSecretName(prefix, cluster) {
    return `${prefix}intermediate/${cluster}`;
}
/** Days Secrets Manager keeps a deleted secret restorable (its default). */
const LEGACY_RECOVERY_DAYS = 30;
const isNotFound = (err) => err.name === 'ResourceNotFoundException';
/** A secret's value: JSON with `cert` and/or `key` PEM. */
function parseSecret(text) {
    try {
        const value = JSON.parse(text ?? '');
        return {
            cert: typeof value.cert === 'string' ? value.cert : undefined,
            key: typeof value.key === 'string' ? value.key : undefined
        };
    }
    catch {
        return {};
    }
}
/**
 * The `aws-secrets-manager` store, one secret per CA part under
 * `secret-prefix`: `root-cert` (certificate), `root-key` (key: only the
 * certs role may read it, and `mode: fetch` never asks for it) and
 * `intermediate/<cluster>` (certificate and key, which the cluster stage
 * needs). Every workflow run reuses the same root; the root key never
 * touches disk.
 */
function secretsManagerStore(client, prefix, inputName) {
    const names = {
        cert: rootCertSecretName(prefix),
        key: rootKeySecretName(prefix),
        legacy: legacyRootSecretName(prefix)
    };
    // Secrets seen at load get a new version; the others are created, which
    // fails if a concurrent run created them first instead of overwriting
    // the CA that run may already have handed to a cluster.
    const found = new Set();
    let loadedRoot;
    let move = { cert: false, key: false, deleteLegacy: false };
    let rootFromLegacy = false;
    const fail = (name, err) => {
        throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`input '${inputName}': cannot read secret '${name}' from AWS Secrets Manager: ${(0,_clients_js__WEBPACK_IMPORTED_MODULE_1__.describeAwsError)(err)}`);
    };
    const read = async (name) => {
        try {
            const out = await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_2__.GetSecretValueCommand({ SecretId: name }));
            found.add(name);
            return parseSecret(out.SecretString);
        }
        catch (err) {
            if (isNotFound(err))
                return undefined;
            return fail(name, err);
        }
    };
    /** Whether a secret exists and is not scheduled for deletion. */
    const isLive = async (name) => {
        try {
            const out = await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_2__.DescribeSecretCommand({ SecretId: name }));
            return out.DeletedDate === undefined;
        }
        catch (err) {
            if (isNotFound(err))
                return false;
            return fail(name, err);
        }
    };
    const write = async (name, value, what) => {
        const SecretString = JSON.stringify(value);
        try {
            if (found.has(name)) {
                await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_2__.PutSecretValueCommand({ SecretId: name, SecretString }));
            }
            else {
                await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_2__.CreateSecretCommand({
                    Name: name,
                    Description: `Istio mesh ${what}, written by generate-certs`,
                    SecretString
                }));
                found.add(name);
            }
        }
        catch (err) {
            if (err.name === 'ResourceExistsException') {
                throw new Error(`secret '${name}' was created by another run while this one was working; nothing of this run was kept for it: run again to reuse that CA`);
            }
            throw new Error(`cannot write secret '${name}' to AWS Secrets Manager: ${(0,_clients_js__WEBPACK_IMPORTED_MODULE_1__.describeAwsError)(err)}`);
        }
    };
    // The key first: a certificate in the store is what everyone trusts, so
    // it must never be there without its key. A key left without its
    // certificate by a failed run is overwritten by the next one.
    const writeRoot = async (root, parts) => {
        if (parts.key) {
            await write(names.key, { key: root.key }, 'root CA key (private: only the issuing role reads it)');
        }
        if (parts.cert) {
            await write(names.cert, { cert: root.cert }, 'root CA certificate (public)');
        }
    };
    /**
     * The root as `mode: issue` sees it: the two secrets, and the earlier
     * combined one when it is still there. A root found only there is used
     * and moved by save; one found in both must be the same root.
     */
    const loadRootWithKey = async () => {
        const [cert, key, legacyLive] = await Promise.all([
            read(names.cert),
            read(names.key),
            isLive(names.legacy)
        ]);
        const legacy = legacyLive ? await read(names.legacy) : undefined;
        if (legacy === undefined) {
            // A key without a certificate is a failed run's leftover, not a root.
            return cert && { cert: cert.cert, key: key?.key };
        }
        if (cert === undefined) {
            rootFromLegacy = true;
            move = { cert: true, key: key?.key !== legacy.key, deleteLegacy: true };
            return legacy;
        }
        if (cert.cert !== legacy.cert) {
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`secrets '${names.cert}' and '${names.legacy}' (the layout of an earlier version) hold different root CAs; keep the one the clusters trust: delete '${names.legacy}', or delete '${names.cert}' and '${names.key}' to move it again (input '${inputName}')`);
        }
        // A move that stopped half-way: finish it.
        move = { cert: false, key: key?.key === undefined, deleteLegacy: true };
        return { cert: cert.cert, key: key?.key ?? legacy.key };
    };
    return {
        get rootLocation() {
            return rootFromLegacy
                ? `AWS Secrets Manager secret '${names.legacy}', the layout of an earlier version (input '${inputName}')`
                : `AWS Secrets Manager secrets '${names.cert}' and '${names.key}' (input '${inputName}')`;
        },
        intermediateLocation: cluster => `AWS Secrets Manager secret '${intermediateSecretName(prefix, cluster)}'`,
        rootKeyInFiles: false,
        async load(clusters, options) {
            const [root, ...pairs] = await Promise.all([
                options.rootKey
                    ? loadRootWithKey()
                    : read(names.cert).then(c => c && { cert: c.cert }),
                ...clusters.map(c => read(intermediateSecretName(prefix, c)))
            ]);
            loadedRoot = root;
            return {
                root,
                intermediates: Object.fromEntries(clusters.map((cluster, i) => [cluster, pairs[i]]))
            };
        },
        async save(changed) {
            const notes = [];
            // The root first: an intermediate in the store must never name a root
            // the store does not hold. A failure after it is repaired by the next
            // run, which reissues intermediates not signed by the stored root.
            if (changed.root) {
                await writeRoot(changed.root, { cert: true, key: true });
            }
            else if (loadedRoot && (move.cert || move.key)) {
                await writeRoot(loadedRoot, move);
                notes.push(`moved the root CA from secret '${names.legacy}' to '${names.cert}' (certificate) and '${names.key}' (key)`);
            }
            await Promise.all(Object.entries(changed.intermediates).map(([cluster, ca]) => write(intermediateSecretName(prefix, cluster), ca, `intermediate CA for ${cluster} (certificate and key)`)));
            // Last, once everything it held is in the new secrets: roles that
            // could read it before may not read the root key any longer.
            if (move.deleteLegacy) {
                try {
                    await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_2__.DeleteSecretCommand({
                        SecretId: names.legacy,
                        RecoveryWindowInDays: LEGACY_RECOVERY_DAYS
                    }));
                }
                catch (err) {
                    throw new Error(`cannot delete secret '${names.legacy}' (it holds the root key where other roles may read it): ${(0,_clients_js__WEBPACK_IMPORTED_MODULE_1__.describeAwsError)(err)}`);
                }
                notes.push(`scheduled secret '${names.legacy}' (the earlier layout, root key included) for deletion; it can be restored for ${LEGACY_RECOVERY_DAYS} days`);
            }
            return notes;
        }
    };
}


/***/ })

};
