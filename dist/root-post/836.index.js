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
/* harmony export */   intermediateSecretName: () => (/* binding */ intermediateSecretName),
/* harmony export */   rootSecretName: () => (/* binding */ rootSecretName),
/* harmony export */   secretsManagerStore: () => (/* binding */ secretsManagerStore)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(12994);
/* harmony import */ var _common_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(63302);
/* harmony import */ var _clients_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(56933);



function rootSecretName(prefix) {
    return `${prefix}root-ca`;
}
function intermediateSecretName(prefix, cluster) {
    return `${prefix}intermediate/${cluster}`;
}
const isNotFound = (err) => err.name === 'ResourceNotFoundException';
/** A secret's value: the certificate and key PEM, as JSON. */
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
 * The `aws-secrets-manager` store: the root and every intermediate live in
 * Secrets Manager (one secret each, under `secret-prefix`), so every
 * workflow run reuses the same root and the root key never touches disk.
 */
function secretsManagerStore(client, prefix, inputName) {
    // Secrets seen at load get a new version; the others are created, which
    // fails if a concurrent run created them first instead of overwriting
    // the CA that run may already have handed to a cluster.
    const found = new Set();
    const read = async (name) => {
        try {
            const out = await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_0__.GetSecretValueCommand({ SecretId: name }));
            found.add(name);
            return parseSecret(out.SecretString);
        }
        catch (err) {
            if (isNotFound(err))
                return undefined;
            throw new _common_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`input '${inputName}': cannot read secret '${name}' from AWS Secrets Manager: ${(0,_clients_js__WEBPACK_IMPORTED_MODULE_2__.describeAwsError)(err)}`);
        }
    };
    const write = async (name, ca, what) => {
        const SecretString = JSON.stringify({ cert: ca.cert, key: ca.key });
        try {
            if (found.has(name)) {
                await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_0__.PutSecretValueCommand({ SecretId: name, SecretString }));
            }
            else {
                await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_0__.CreateSecretCommand({
                    Name: name,
                    Description: `Istio mesh ${what} (certificate and key PEM), written by generate-certs`,
                    SecretString
                }));
            }
        }
        catch (err) {
            if (err.name === 'ResourceExistsException') {
                throw new Error(`secret '${name}' was created by another run while this one was working; nothing of this run was kept for it: run again to reuse that CA`);
            }
            throw new Error(`cannot write secret '${name}' to AWS Secrets Manager: ${(0,_clients_js__WEBPACK_IMPORTED_MODULE_2__.describeAwsError)(err)}`);
        }
    };
    return {
        rootLocation: `AWS Secrets Manager secret '${rootSecretName(prefix)}' (input '${inputName}')`,
        rootKeyInFiles: false,
        async load(clusters) {
            const [root, ...pairs] = await Promise.all([
                read(rootSecretName(prefix)),
                ...clusters.map(c => read(intermediateSecretName(prefix, c)))
            ]);
            return {
                root,
                intermediates: Object.fromEntries(clusters.map((cluster, i) => [cluster, pairs[i]]))
            };
        },
        async save(changed) {
            // The root first: an intermediate in the store must never name a root
            // the store does not hold. A failure after it is repaired by the next
            // run, which reissues intermediates not signed by the stored root.
            if (changed.root) {
                await write(rootSecretName(prefix), changed.root, 'root CA');
            }
            await Promise.all(Object.entries(changed.intermediates).map(([cluster, ca]) => write(intermediateSecretName(prefix, cluster), ca, `intermediate CA for ${cluster}`)));
        }
    };
}


/***/ })

};
