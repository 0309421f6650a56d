export const id = 357;
export const ids = [357];
export const modules = {

/***/ 8357:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  eksTargets: () => (/* binding */ eksTargets)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-eks/dist-cjs/index.js
var dist_cjs = __webpack_require__(4524);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/credential-provider-node/dist-cjs/index.js
var credential_provider_node_dist_cjs = __webpack_require__(5861);
// EXTERNAL MODULE: ./lib/kube/kubeconfig.js + 3 modules
var kubeconfig = __webpack_require__(806);
// EXTERNAL MODULE: ./lib/common/errors.js
var errors = __webpack_require__(3302);
;// CONCATENATED MODULE: ./lib/aws/clients.js

const DEFAULT_MAX_ATTEMPTS = 3;
/**
 * Region from the input, else from the environment the runner's AWS
 * credentials step exports; endpoint from AWS_ENDPOINT_URL.
 */
function awsClientSettings(options) {
    const { env } = options;
    const region = options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION;
    if (!region) {
        throw new errors/* ConfigurationError */.j(`input '${options.regionInput}' is required here (or AWS_REGION in the environment), got nothing`);
    }
    const endpoint = env.AWS_ENDPOINT_URL || undefined;
    if (endpoint !== undefined && !URL.canParse(endpoint)) {
        throw new errors/* ConfigurationError */.j(`AWS_ENDPOINT_URL must be a URL, got '${endpoint}'`);
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

;// CONCATENATED MODULE: ./lib/aws/eks-clusters.js



/** Endpoint and CA of a cluster; a missing cluster names the input. */
async function describeEksCluster(client, name) {
    let cluster;
    try {
        ;
        ({ cluster } = await client.send(new dist_cjs/* DescribeClusterCommand */.hV5({ name })));
    }
    catch (err) {
        if (err.name === 'ResourceNotFoundException') {
            throw new errors/* ConfigurationError */.j(`input 'clusters' names EKS cluster '${name}', which does not exist in this region`);
        }
        throw new Error(`DescribeCluster ${name} failed: ${describeAwsError(err)}`);
    }
    const endpoint = cluster?.endpoint;
    const caData = cluster?.certificateAuthority?.data;
    if (!endpoint || !caData) {
        throw new Error(`EKS cluster '${name}' has no endpoint or CA yet (status ${cluster?.status ?? 'unknown'})`);
    }
    return { name, endpoint, caData };
}

// EXTERNAL MODULE: ./node_modules/@aws-crypto/sha256-js/build/main/index.js
var main = __webpack_require__(3156);
// EXTERNAL MODULE: ./node_modules/@smithy/protocol-http/dist-cjs/index.js
var protocol_http_dist_cjs = __webpack_require__(2356);
// EXTERNAL MODULE: ./node_modules/@smithy/signature-v4/dist-cjs/index.js
var signature_v4_dist_cjs = __webpack_require__(5118);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/core/dist-cjs/submodules/client/index.js
var client = __webpack_require__(5152);
;// CONCATENATED MODULE: ./lib/aws/partitions.js

/**
 * The partition a region belongs to, from the AWS SDK's own partition data
 * (the endpoints ruleset's), so China, GovCloud, the ISO partitions and the
 * European Sovereign Cloud follow AWS's published facts. An unknown region
 * falls back to `aws`, as the SDK does.
 */
function awsPartition(region) {
    const { name, dnsSuffix } = (0,client.partition)(region);
    return { name, dnsSuffix };
}
/** The regional STS endpoint's host, the one `aws eks get-token` presigns. */
function stsHostname(region) {
    return `sts.${region}.${awsPartition(region).dnsSuffix}`;
}

;// CONCATENATED MODULE: ./lib/aws/eks-token.js




const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** EKS accepts 0–900; the SDK's default 3600 is refused. */
const EKS_TOKEN_EXPIRES_SECONDS = 60;
/** RFC 3986 escaping, the form SigV4 canonicalises to. */
const eks_token_escape = (value) => encodeURIComponent(value).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/**
 * A bearer token for an EKS cluster, made as `aws eks get-token` makes it:
 * a presigned STS GetCallerIdentity URL with `x-k8s-aws-id` signed, base64url
 * without padding behind `k8s-aws-v1.`. The URL is the region's own STS
 * endpoint in its partition (sts.cn-north-1.amazonaws.com.cn in China),
 * which is where the cluster's authenticator sends it.
 */
async function eksToken(options) {
    const hostname = stsHostname(options.region);
    const signer = new signature_v4_dist_cjs.SignatureV4({
        service: 'sts',
        region: options.region,
        credentials: options.credentials,
        sha256: main.Sha256
    });
    const signed = await signer.presign(new protocol_http_dist_cjs/* HttpRequest */.Kd({
        method: 'GET',
        protocol: 'https:',
        hostname,
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: hostname, 'x-k8s-aws-id': options.cluster }
    }), {
        expiresIn: EKS_TOKEN_EXPIRES_SECONDS,
        ...(options.now ? { signingDate: options.now } : {})
    });
    const query = Object.entries(signed.query ?? {})
        .map(([k, v]) => `${eks_token_escape(k)}=${eks_token_escape(String(v))}`)
        .join('&');
    const url = `https://${hostname}/?${query}`;
    return EKS_TOKEN_PREFIX + Buffer.from(url).toString('base64url');
}

;// CONCATENATED MODULE: ./lib/aws/eks-targets.js






/**
 * Every listed EKS cluster reached with its DescribeCluster endpoint and CA
 * and a token from the runner's AWS credentials, masked as soon as made.
 */
async function eksTargets(options) {
    const settings = awsClientSettings({
        region: options.region,
        env: options.env,
        regionInput: 'aws-region'
    });
    const client = createAwsClient(dist_cjs/* EKSClient */.JQJ, settings);
    try {
        const credentials = await (0,credential_provider_node_dist_cjs.defaultProvider)()();
        return await Promise.all(options.entries.map(async (e) => {
            const { endpoint, caData } = await describeEksCluster(client, e.context);
            const token = await eksToken({
                cluster: e.context,
                region: settings.region,
                credentials
            });
            options.mask(token);
            return (0,kubeconfig/* tokenTarget */.bK)(e.name, endpoint, caData, token);
        }));
    }
    finally {
        client.destroy();
    }
}


/***/ })

};
