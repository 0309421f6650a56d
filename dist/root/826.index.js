export const id = 826;
export const ids = [826];
export const modules = {

/***/ 4826:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./lib/common/errors.js
var errors = __webpack_require__(63302);
;// CONCATENATED MODULE: ./lib/certs/directory-store.js



async function readOptional(file, inputName) {
    try {
        return await (0,promises_.readFile)(file, 'utf8');
    }
    catch (err) {
        const code = err.code;
        if (code === 'ENOENT')
            return undefined;
        throw new errors/* ConfigurationError */.j(`input '${inputName}': cannot read ${file} (${code})`);
    }
}
async function readPair(certFile, keyFile, inputName) {
    const [cert, key] = await Promise.all([
        readOptional(certFile, inputName),
        keyFile === undefined ? undefined : readOptional(keyFile, inputName)
    ]);
    return cert === undefined && key === undefined ? undefined : { cert, key };
}
/**
 * The `directory` store: the output directory itself is the store, root key
 * included. Meant for local runs and tests; workflows keep the root key in
 * Secrets Manager instead.
 */
function directoryStore(dir, inputName) {
    return {
        rootLocation: `input '${inputName}' (${(0,external_node_path_.join)(dir, 'root-cert.pem')} and root-key.pem)`,
        intermediateLocation: cluster => `input '${inputName}' (${(0,external_node_path_.join)(dir, cluster, 'ca-cert.pem')} and ca-key.pem)`,
        rootKeyInFiles: true,
        async load(clusters, options) {
            const [root, ...pairs] = await Promise.all([
                readPair((0,external_node_path_.join)(dir, 'root-cert.pem'), options.rootKey ? (0,external_node_path_.join)(dir, 'root-key.pem') : undefined, inputName),
                ...clusters.map(cluster => readPair((0,external_node_path_.join)(dir, cluster, 'ca-cert.pem'), (0,external_node_path_.join)(dir, cluster, 'ca-key.pem'), inputName))
            ]);
            return {
                root,
                intermediates: Object.fromEntries(clusters.map((cluster, i) => [cluster, pairs[i]]))
            };
        },
        // The files written to the output directory are the store.
        async save() {
            return [];
        }
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./lib/certs/file-set.js




const KEY_MODE = 0o600;
const CERT_MODE = 0o644;
async function readExisting(target, inputName) {
    let stat;
    try {
        stat = await (0,promises_.lstat)(target);
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return {};
        throw new errors/* ConfigurationError */.j(`input '${inputName}': cannot read ${target} (${err.code})`);
    }
    // A link could point the write at a file elsewhere: refuse rather than follow.
    if (!stat.isFile()) {
        throw new errors/* ConfigurationError */.j(`input '${inputName}': ${target} must be a regular file, found a ${stat.isSymbolicLink() ? 'symbolic link' : 'directory or special file'}`);
    }
    return { content: await (0,promises_.readFile)(target), mode: stat.mode & 0o777 };
}
/**
 * Writes a set of files so that a failure leaves the old set in place:
 * every changed file goes to a temporary file beside its target first,
 * and only when all of them are on disk are they renamed over the targets.
 * Files whose bytes are already right are not touched (mtime included).
 */
async function writeFileSet(dir, files, inputName) {
    const report = { written: [], unchanged: [] };
    const pending = [];
    const chmods = [];
    const plans = await Promise.all(files.map(async (file) => ({
        file,
        target: (0,external_node_path_.join)(dir, file.path),
        existing: await readExisting((0,external_node_path_.join)(dir, file.path), inputName)
    })));
    try {
        for (const { file, target, existing } of plans) {
            const mode = file.secret ? KEY_MODE : CERT_MODE;
            if (existing.content?.equals(Buffer.from(file.content))) {
                report.unchanged.push(file.path);
                // A key someone made readable is tightened; nothing else is touched.
                if (file.secret && existing.mode !== KEY_MODE) {
                    chmods.push({ target, mode });
                }
                continue;
            }
            await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true, mode: 0o700 });
            const temp = (0,external_node_path_.join)((0,external_node_path_.dirname)(target), `.${(0,external_node_path_.basename)(target)}.${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.tmp`);
            const handle = await (0,promises_.open)(temp, 'wx', mode);
            pending.push({ temp, target, path: file.path });
            try {
                await handle.writeFile(file.content);
                await handle.sync();
            }
            finally {
                await handle.close();
            }
        }
    }
    catch (err) {
        await Promise.all(pending.map(p => (0,promises_.unlink)(p.temp).catch(() => { })));
        throw err;
    }
    for (const { temp, target, path } of pending) {
        await (0,promises_.rename)(temp, target);
        report.written.push(path);
    }
    for (const { target, mode } of chmods)
        await (0,promises_.chmod)(target, mode);
    return report;
}

// EXTERNAL MODULE: ./node_modules/reflect-metadata/Reflect.js
var Reflect = __webpack_require__(80477);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(57975);
// EXTERNAL MODULE: ./node_modules/@peculiar/x509/build/x509.cjs.js
var x509_cjs = __webpack_require__(8927);
;// CONCATENATED MODULE: ./lib/certs/profile.js
const KEY_TYPES = ['rsa-4096', 'rsa-2048', 'ecdsa-p256'];
/** Subjects in DER order: O first, as Istio's openssl configuration lists them. */
const ROOT_SUBJECT = [{ O: ['Istio'] }, { CN: ['Root CA'] }];
function intermediateSubject(cluster) {
    return [{ O: ['Istio'] }, { CN: ['Intermediate CA'] }, { L: [cluster] }];
}
/** istiod serves under this name; the Makefile puts it on every intermediate. */
const INTERMEDIATE_SAN_DNS = 'istiod.istio-system.svc';
/**
 * Clock skew between the runner and the cluster's nodes would make a fresh
 * certificate "not yet valid" for a while, so validity starts a little early.
 */
const BACKDATE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

;// CONCATENATED MODULE: ./lib/certs/x509.js
// @peculiar/x509 decorates its ASN.1 schemas at load time and throws unless
// the Reflect metadata polyfill is loaded first.





x509_cjs/* cryptoProvider */.Ve.set(globalThis.crypto);
const generateKeyPairAsync = (0,external_node_util_.promisify)(external_node_crypto_.generateKeyPair);
/**
 * Generates a private key as PKCS#8 PEM (what OpenSSL 3's genrsa writes).
 * The async form runs on libuv's thread pool, so several keys are generated
 * in parallel: RSA-4096 key generation dominates the run time.
 */
async function generateKey(type) {
    const encoding = {
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' }
    };
    const pair = type === 'ecdsa-p256'
        ? await generateKeyPairAsync('ec', { namedCurve: 'P-256', ...encoding })
        : await generateKeyPairAsync('rsa', {
            modulusLength: type === 'rsa-4096' ? 4096 : 2048,
            publicExponent: 0x10001,
            ...encoding
        });
    // promisify loses the overload that knows PEM encoding yields strings.
    return pair.privateKey;
}
/** The key type of a private key, or undefined for any other kind. */
function keyTypeOf(key) {
    const details = key.asymmetricKeyDetails;
    if (key.asymmetricKeyType === 'rsa') {
        if (details?.modulusLength === 4096)
            return 'rsa-4096';
        if (details?.modulusLength === 2048)
            return 'rsa-2048';
    }
    if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') {
        return 'ecdsa-p256';
    }
    return undefined;
}
async function importKeyPair(pem) {
    const privateKey = (0,external_node_crypto_.createPrivateKey)(pem);
    const algorithm = privateKey.asymmetricKeyType === 'ec'
        ? { name: 'ECDSA', namedCurve: 'P-256' }
        : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const spki = (0,external_node_crypto_.createPublicKey)(privateKey).export({ type: 'spki', format: 'der' });
    return {
        signing: privateKey.toCryptoKey(algorithm, false, [
            'sign'
        ]),
        public: (await external_node_crypto_.webcrypto.subtle.importKey('spki', spki, algorithm, true, [
            'verify'
        ]))
    };
}
function signingAlgorithm(keys) {
    return keys.signing.algorithm.name === 'ECDSA'
        ? { name: 'ECDSA', hash: 'SHA-256' }
        : { name: 'RSASSA-PKCS1-v1_5' };
}
/** A positive 128-bit serial, as random as RFC 5280 recommends. */
function randomSerial() {
    const bytes = (0,external_node_crypto_.randomBytes)(16);
    bytes[0] = (bytes[0] & 0x7f) | 0x10;
    return bytes.toString('hex');
}
const CA_KEY_USAGE = x509_cjs/* KeyUsageFlags */.Ob.digitalSignature |
    x509_cjs/* KeyUsageFlags */.Ob.nonRepudiation |
    x509_cjs/* KeyUsageFlags */.Ob.keyEncipherment |
    x509_cjs/* KeyUsageFlags */.Ob.keyCertSign;
function validity(now, days, cap) {
    const notBefore = new Date(Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000);
    let notAfter = new Date(Math.floor(now.getTime() / 1000) * 1000 + days * DAY_MS);
    if (cap && notAfter > cap)
        notAfter = cap;
    return { notBefore, notAfter };
}
/** A self-signed root CA: O=Istio, CN=Root CA, CA:true without pathlen. */
async function issueRoot(options) {
    const keys = await importKeyPair(options.key);
    const cert = await x509_cjs/* X509CertificateGenerator */.Jy.create({
        serialNumber: randomSerial(),
        subject: ROOT_SUBJECT,
        issuer: ROOT_SUBJECT,
        ...validity(options.now, options.days),
        publicKey: keys.public,
        signingKey: keys.signing,
        signingAlgorithm: signingAlgorithm(keys),
        extensions: [
            new x509_cjs/* BasicConstraintsExtension */.WA(true, undefined, true),
            new x509_cjs/* KeyUsagesExtension */.hy(CA_KEY_USAGE, true),
            await x509_cjs/* SubjectKeyIdentifierExtension */.QE.create(keys.public)
        ]
    });
    return cert.toString('pem') + '\n';
}
/**
 * The AKID repeats the root's own SKI when it has one (a root made by
 * another tool may derive it differently), as OpenSSL 3 does.
 */
async function authorityKeyId(root, rootKeys) {
    const ski = root.getExtension(x509_cjs/* SubjectKeyIdentifierExtension */.QE);
    return ski
        ? new x509_cjs/* AuthorityKeyIdentifierExtension */.Z$(ski.keyId)
        : x509_cjs/* AuthorityKeyIdentifierExtension */.Z$.create(rootKeys.public);
}
/**
 * An intermediate CA for one cluster: O=Istio, CN=Intermediate CA,
 * L=<cluster>, CA:true pathlen:0, SAN istiod.istio-system.svc, signed by the
 * root. It never outlives the root: a chain is only as valid as its root.
 */
async function issueIntermediate(options) {
    const [keys, rootKeys] = await Promise.all([
        importKeyPair(options.key),
        importKeyPair(options.root.key)
    ]);
    const root = new x509_cjs/* X509Certificate */.yI(options.root.cert);
    const cert = await x509_cjs/* X509CertificateGenerator */.Jy.create({
        serialNumber: randomSerial(),
        subject: intermediateSubject(options.cluster),
        // The parsed name keeps the root's exact encoding, so issuer and subject
        // match byte for byte even for a root made by another tool.
        issuer: root.subjectName,
        ...validity(options.now, options.days, root.notAfter),
        publicKey: keys.public,
        signingKey: rootKeys.signing,
        signingAlgorithm: signingAlgorithm(rootKeys),
        extensions: [
            new x509_cjs/* BasicConstraintsExtension */.WA(true, 0, true),
            new x509_cjs/* KeyUsagesExtension */.hy(CA_KEY_USAGE, true),
            await x509_cjs/* SubjectKeyIdentifierExtension */.QE.create(keys.public),
            await authorityKeyId(root, rootKeys),
            new x509_cjs/* SubjectAlternativeNameExtension */.Wx([
                { type: 'dns', value: INTERMEDIATE_SAN_DNS }
            ])
        ]
    });
    return cert.toString('pem') + '\n';
}

;// CONCATENATED MODULE: ./lib/certs/inspect.js


/** SHA-256 of the DER, lowercase hex: the fingerprints the action reports. */
function fingerprintOf(cert) {
    return (0,external_node_crypto_.createHash)('sha256').update(cert.raw).digest('hex');
}
/**
 * Parses a certificate alone with node's own X.509 code (independent of the
 * library that issued it): what can be known without the key, which is all
 * `mode: fetch` may know about the root.
 */
function inspectCert(pem) {
    if (pem === undefined)
        return { defect: 'the certificate is missing' };
    let cert;
    try {
        cert = new external_node_crypto_.X509Certificate(pem);
    }
    catch {
        return { defect: 'the certificate does not parse' };
    }
    const facts = {
        notAfter: new Date(cert.validTo),
        fingerprint: fingerprintOf(cert)
    };
    if (!cert.ca)
        return { ...facts, defect: 'the certificate is not a CA' };
    return facts;
}
/**
 * Parses a stored pair and says whether it is usable as a CA: the
 * certificate as inspectCert sees it, and a key that parses and matches.
 */
function inspectCa(pem) {
    const facts = inspectCert(pem.cert);
    if (facts.defect && facts.notAfter === undefined)
        return facts;
    if (pem.key === undefined)
        return { ...facts, defect: 'the key is missing' };
    let key;
    try {
        key = (0,external_node_crypto_.createPrivateKey)(pem.key);
    }
    catch {
        return { ...facts, defect: 'the key does not parse' };
    }
    if (!new external_node_crypto_.X509Certificate(pem.cert).checkPrivateKey(key)) {
        return { ...facts, defect: 'the key does not match the certificate' };
    }
    if (facts.defect)
        return facts;
    return { ...facts, keyType: keyTypeOf(key) };
}
/** Whether `child` was issued and signed by `issuer` (both PEM). */
function isSignedBy(childPem, issuerPem) {
    try {
        const child = new external_node_crypto_.X509Certificate(childPem);
        const issuer = new external_node_crypto_.X509Certificate(issuerPem);
        return child.checkIssued(issuer) && child.verify(issuer.publicKey);
    }
    catch {
        return false;
    }
}
/**
 * Verifies an issued chain before anything is written, the checks istiod
 * makes when it loads cacerts: signed by the root, currently valid, the key
 * matches, and the intermediate may sign certificates. Only the root's
 * certificate is needed, never its key.
 */
function verifyChain(intermediate, rootPem, now) {
    const cert = new external_node_crypto_.X509Certificate(intermediate.cert);
    const rootCert = new external_node_crypto_.X509Certificate(rootPem);
    const problems = [];
    if (!rootCert.verify(rootCert.publicKey)) {
        problems.push('the root is not self-signed');
    }
    if (!isSignedBy(intermediate.cert, rootPem)) {
        problems.push('not signed by the root');
    }
    for (const c of [cert, rootCert]) {
        if (now < new Date(c.validFrom) || now > new Date(c.validTo)) {
            problems.push(`${c.subject.replace(/\n/g, ', ')} is not valid now`);
        }
    }
    if (!cert.checkPrivateKey((0,external_node_crypto_.createPrivateKey)(intermediate.key))) {
        problems.push('the key does not match the certificate');
    }
    if (!cert.ca)
        problems.push('the intermediate is not a CA');
    if (problems.length > 0) {
        throw new Error(`chain verification failed: ${problems.join('; ')}`);
    }
}

;// CONCATENATED MODULE: ./lib/certs/layout.js
/**
 * The layout Istio's Makefile produces, which the cluster stage turns into
 * the cacerts secret. Every root-cert.pem is the same bytes: istiod reloads
 * a new intermediate only while its root file is unchanged. `root-key.pem`
 * only when the output directory is the store (`rootKey`).
 */
function layoutFiles(root, intermediates, options) {
    const files = [
        { path: 'root-cert.pem', content: root.cert, secret: false }
    ];
    if (options.rootKey) {
        if (root.key === undefined)
            throw new Error('root-key.pem without a key');
        files.push({ path: 'root-key.pem', content: root.key, secret: true });
    }
    for (const { cluster, ca } of intermediates) {
        files.push({ path: `${cluster}/ca-cert.pem`, content: ca.cert, secret: false }, { path: `${cluster}/ca-key.pem`, content: ca.key, secret: true }, { path: `${cluster}/root-cert.pem`, content: root.cert, secret: false }, {
            path: `${cluster}/cert-chain.pem`,
            content: ca.cert + root.cert,
            secret: false
        });
    }
    return files;
}

;// CONCATENATED MODULE: ./lib/certs/plan.js


/**
 * The root is replaced only on request: every cluster's trust hangs on it,
 * and istiod refuses a new root unless a multi-root rollout is under way.
 * A broken or expired stored root is therefore an error, not a reissue.
 */
function decideRoot(input) {
    const { facts, rotateRoot, now, where } = input;
    if (rotateRoot) {
        return {
            status: facts ? 'renewed' : 'issued',
            reason: 'rotate-root is true'
        };
    }
    if (!facts)
        return { status: 'issued', reason: 'no root CA stored yet' };
    if (facts.defect) {
        throw new errors/* ConfigurationError */.j(`the root CA in ${where} is unusable (${facts.defect}); restore it, or set rotate-root: true to replace it`);
    }
    if (facts.notAfter && facts.notAfter <= now) {
        throw new errors/* ConfigurationError */.j(`the root CA in ${where} expired on ${facts.notAfter.toISOString()}; set rotate-root: true to replace it`);
    }
    return { status: 'reused', reason: 'root CA stored' };
}
/**
 * An intermediate is reissued when missing, unusable, not signed by the
 * current root, near expiry, or of another key type than asked for.
 */
function decideIntermediate(input) {
    const { facts, signedByRoot, keyType, renewWithinDays, now } = input;
    if (!facts)
        return { status: 'issued', reason: 'no intermediate CA yet' };
    if (facts.defect)
        return { status: 'renewed', reason: facts.defect };
    if (!signedByRoot) {
        return { status: 'renewed', reason: 'signed by another root CA' };
    }
    const notAfter = facts.notAfter;
    const daysLeft = (notAfter.getTime() - now.getTime()) / DAY_MS;
    if (daysLeft <= renewWithinDays) {
        return {
            status: 'renewed',
            reason: `expires ${notAfter.toISOString()}, within ${renewWithinDays} days`
        };
    }
    if (keyType !== undefined && facts.keyType !== keyType) {
        return {
            status: 'renewed',
            reason: `key type is ${facts.keyType ?? 'unknown'}, wanted ${keyType}`
        };
    }
    return { status: 'reused', reason: 'valid and signed by the root CA' };
}
/**
 * What stops `mode: fetch`, which reads and never writes: everything that
 * `mode: issue` would create or renew (whatever the key type: that only
 * matters to new keys), and a root that is missing, broken or expired.
 * Empty when the stored CAs can be handed to the cluster stage as they are.
 */
function fetchProblems(input) {
    const { root, now } = input;
    const problems = [];
    if (!root) {
        problems.push(`the root CA certificate is missing (${input.rootLocation})`);
    }
    else if (root.defect) {
        problems.push(`the root CA: ${root.defect} (${input.rootLocation})`);
    }
    else if (root.notAfter && root.notAfter <= now) {
        problems.push(`the root CA expired on ${root.notAfter.toISOString()} (${input.rootLocation})`);
    }
    const rootUsable = problems.length === 0;
    for (const i of input.intermediates) {
        const decision = decideIntermediate({
            facts: i.facts,
            // Against a missing or broken root, "signed by another root" would
            // only repeat the root's problem.
            signedByRoot: i.signedByRoot || !rootUsable,
            renewWithinDays: input.renewWithinDays,
            now
        });
        if (decision.status === 'reused')
            continue;
        const what = decision.status === 'issued'
            ? 'no intermediate CA yet'
            : `due for renewal: ${decision.reason}`;
        problems.push(`cluster '${i.cluster}': ${what} (${input.intermediateLocation(i.cluster)})`);
    }
    return problems;
}

;// CONCATENATED MODULE: ./lib/certs/generate.js





/** What the log and outputs say about one CA, from its certificate. */
function caReport(cert, decision) {
    const facts = inspectCert(cert);
    return {
        ...decision,
        fingerprint: facts.fingerprint,
        notAfter: facts.notAfter
    };
}
/**
 * One root CA and one intermediate CA per cluster, reusing what the store
 * holds: load, decide, generate the keys needed (all at once, in parallel),
 * sign, verify every chain, and only then persist and write the files.
 */
async function generateCerts(options, deps) {
    const now = deps.now();
    const stored = await deps.store.load(options.clusters, { rootKey: true });
    for (const ca of [stored.root, ...Object.values(stored.intermediates)]) {
        if (ca?.key)
            deps.mask(ca.key);
    }
    const rootDecision = decideRoot({
        facts: stored.root && inspectCa(stored.root),
        rotateRoot: options.rotateRoot,
        now,
        where: deps.store.rootLocation
    });
    const keepRoot = rootDecision.status === 'reused';
    const decisions = options.clusters.map(cluster => {
        const ca = stored.intermediates[cluster];
        const decision = decideIntermediate({
            facts: ca && inspectCa(ca),
            signedByRoot: keepRoot && !!ca?.cert && isSignedBy(ca.cert, stored.root.cert),
            keyType: options.keyType,
            renewWithinDays: options.renewWithinDays,
            now
        });
        return { cluster, decision, stored: ca };
    });
    const keyFor = async () => {
        const key = await generateKey(options.keyType);
        deps.mask(key);
        return key;
    };
    const [rootKey, ...keys] = await Promise.all([
        keepRoot ? undefined : keyFor(),
        ...decisions.map(d => d.decision.status === 'reused' ? undefined : keyFor())
    ]);
    const root = keepRoot
        ? { cert: stored.root.cert, key: stored.root.key }
        : {
            cert: await issueRoot({ key: rootKey, days: options.rootDays, now }),
            key: rootKey
        };
    const changed = {
        root: keepRoot ? undefined : root,
        intermediates: {}
    };
    const intermediates = await Promise.all(decisions.map(async ({ cluster, decision, stored: ca }, i) => {
        if (decision.status === 'reused') {
            return { cluster, ca: { cert: ca.cert, key: ca.key } };
        }
        const key = keys[i];
        const cert = await issueIntermediate({
            cluster,
            key,
            root,
            days: options.intermediateDays,
            now
        });
        changed.intermediates[cluster] = { cert, key };
        return { cluster, ca: { cert, key } };
    }));
    for (const { ca } of intermediates)
        verifyChain(ca, root.cert, now);
    const warnings = keepRoot ? rootWarnings(inspectCa(root), options, now) : [];
    const storeChanges = await deps.store.save(changed);
    const files = await deps.writeFiles(layoutFiles(root, intermediates, { rootKey: deps.store.rootKeyInFiles }));
    return {
        root: caReport(root.cert, rootDecision),
        clusters: intermediates.map(({ cluster, ca }, i) => ({
            cluster,
            ...caReport(ca.cert, decisions[i].decision)
        })),
        files,
        storeChanges,
        warnings
    };
}
function rootWarnings(facts, options, now) {
    const warnings = [];
    const daysLeft = (facts.notAfter.getTime() - now.getTime()) / DAY_MS;
    if (daysLeft <= options.renewWithinDays) {
        warnings.push(`the root CA expires ${facts.notAfter.toISOString()}; intermediates cannot outlive it: plan a root rotation (rotate-root: true)`);
    }
    if (facts.keyType !== options.keyType) {
        warnings.push(`the root CA's key is ${facts.keyType ?? 'of another type'}; key-type ${options.keyType} applies to new keys only (rotate-root: true replaces the root)`);
    }
    return warnings;
}

;// CONCATENATED MODULE: ./lib/certs/fetch.js





const REUSED = { status: 'reused', reason: 'stored and valid' };
/**
 * `mode: fetch`: writes the files the cluster stage needs from what the
 * store holds, and nothing else. It never reads the root key and never
 * writes to the store, so roles that may not issue can run it; when the
 * store lacks something, or something is due for renewal, it fails naming
 * each and leaves the output folder as it was.
 */
async function fetchCerts(options, deps) {
    const now = deps.now();
    const stored = await deps.store.load(options.clusters, { rootKey: false });
    for (const ca of Object.values(stored.intermediates)) {
        if (ca?.key)
            deps.mask(ca.key);
    }
    const rootCert = stored.root?.cert;
    const rootFacts = stored.root && inspectCert(rootCert);
    const problems = fetchProblems({
        root: rootFacts,
        intermediates: options.clusters.map(cluster => {
            const ca = stored.intermediates[cluster];
            return {
                cluster,
                facts: ca && inspectCa(ca),
                signedByRoot: !!ca?.cert && !!rootCert && isSignedBy(ca.cert, rootCert)
            };
        }),
        renewWithinDays: options.renewWithinDays,
        now,
        rootLocation: deps.store.rootLocation,
        intermediateLocation: c => deps.store.intermediateLocation(c)
    });
    if (problems.length > 0) {
        throw new errors/* ConfigurationError */.j(`mode fetch cannot complete without writing to the CA store, which it never does: ${problems.join('; ')}. Run generate-certs with mode issue (the certs job) first`);
    }
    const intermediates = options.clusters.map(cluster => {
        const ca = stored.intermediates[cluster];
        return { cluster, ca: { cert: ca.cert, key: ca.key } };
    });
    for (const { ca } of intermediates)
        verifyChain(ca, rootCert, now);
    const files = await deps.writeFiles(layoutFiles({ cert: rootCert }, intermediates, { rootKey: false }));
    return {
        root: caReport(rootCert, REUSED),
        clusters: intermediates.map(({ cluster, ca }) => ({
            cluster,
            ...caReport(ca.cert, REUSED)
        })),
        files,
        storeChanges: [],
        // No root warning: a root within renew-within-days takes every
        // intermediate (which never outlives it) with it, and that stops fetch.
        warnings: []
    };
}

;// CONCATENATED MODULE: ./lib/certs/report.js
/**
 * Every CA reused, nothing moved in the store and every file already
 * right: the run changed nothing.
 */
function isUnchanged(result) {
    return ([result.root, ...result.clusters].every(ca => ca.status === 'reused') &&
        result.storeChanges.length === 0 &&
        result.files.written.length === 0);
}
/** The `clusters-json` output: status, fingerprint and expiry per cluster. */
function renderClustersJson(result) {
    return JSON.stringify(Object.fromEntries(result.clusters.map(c => [
        c.cluster,
        {
            status: c.status,
            fingerprint: c.fingerprint,
            'not-after': c.notAfter.toISOString()
        }
    ])));
}
/**
 * The job summary: one row per CA. Certificates only; never a key. With
 * `fetch` the heading says the store was only read.
 */
function renderSummary(result, mode = 'issue') {
    const row = (name, ca) => `| ${name} | ${ca.status} | \`${ca.fingerprint}\` | ${ca.notAfter.toISOString()} |`;
    return [
        mode === 'fetch'
            ? '### Istio CA certificates (fetched: the store was only read)'
            : '### Istio CA certificates',
        '',
        '| cluster | status | fingerprint (SHA-256) | not after |',
        '|---|---|---|---|',
        row('root CA', result.root),
        ...result.clusters.map(c => row(c.cluster, c)),
        '',
        ...result.storeChanges.map(change => `- ${change}`),
        ...(result.storeChanges.length > 0 ? [''] : []),
        isUnchanged(result)
            ? 'Nothing changed: every CA was reused and every file was up to date.'
            : `${result.files.written.length} file(s) written, ${result.files.unchanged.length} unchanged.`,
        ''
    ].join('\n');
}

;// CONCATENATED MODULE: ./lib/certs/remove-files.js

/**
 * Removes regular files, never following a link and never failing: what is
 * already gone counts as done, anything else is reported as a problem.
 */
async function remove_files_removeFiles(files) {
    let removed = 0;
    const problems = [];
    for (const file of files) {
        try {
            const stat = await lstat(file);
            if (!stat.isFile()) {
                problems.push(`${file} is not a regular file; left in place`);
                continue;
            }
            await unlink(file);
            removed++;
        }
        catch (err) {
            const code = err.code;
            if (code !== 'ENOENT')
                problems.push(`cannot remove ${file} (${code})`);
        }
    }
    return { removed, problems };
}

;// CONCATENATED MODULE: ./lib/actions/generate-certs/cleanup.js

/** The state the main step leaves for the post step. */
const KEY_FILES_STATE = 'key-files';
/**
 * The post step: removes the intermediate keys the main step left in the
 * output folder when Secrets Manager holds them anyway, so they do not
 * outlive the job on a reused runner. It only ever warns.
 */
async function post(deps) {
    const { core } = deps;
    try {
        const raw = deps.getState(KEY_FILES_STATE);
        if (raw === '')
            return;
        const files = JSON.parse(raw);
        if (!Array.isArray(files) || !files.every(f => typeof f === 'string')) {
            core.warning('generate-certs cleanup: the saved list of key files is unreadable; nothing removed');
            return;
        }
        const { removed, problems } = await removeFiles(files);
        for (const problem of problems)
            core.warning(`generate-certs cleanup: ${problem}`);
        core.info(`removed ${removed} key file(s) from the output folder`);
    }
    catch (err) {
        core.warning(`generate-certs cleanup: ${err instanceof Error ? err.message : String(err)}`);
    }
}

// EXTERNAL MODULE: ./lib/common/inputs.js
var common_inputs = __webpack_require__(14564);
// EXTERNAL MODULE: ./lib/common/paths.js
var paths = __webpack_require__(7041);
;// CONCATENATED MODULE: ./lib/actions/generate-certs/inputs.js




/** Secrets Manager allows these characters in names (512 at most). */
const secretPrefix = (raw, name) => {
    if (/^[A-Za-z0-9/_+=.@-]{1,400}$/.test(raw))
        return raw;
    throw new errors/* ConfigurationError */.j(`input '${name}' must use only letters, digits and /_+=.@- (at most 400), got '${raw}'`);
};
const days = (0,common_inputs/* integer */.nd)({ min: 1, max: 36_500 });
const MODES = ['issue', 'fetch'];
const spec = {
    clusters: (0,common_inputs/* required */.mw)(common_inputs/* clusterNames */.XM),
    mode: (0,common_inputs/* optional */.lq)((0,common_inputs/* oneOf */.yL)(...MODES)),
    'output-dir': (0,common_inputs/* optional */.lq)(common_inputs/* text */.Qq),
    store: (0,common_inputs/* optional */.lq)((0,common_inputs/* oneOf */.yL)('directory', 'aws-secrets-manager')),
    'secret-prefix': (0,common_inputs/* optional */.lq)(secretPrefix),
    'aws-region': (0,common_inputs/* optional */.lq)(common_inputs/* awsRegion */.Ue),
    'key-type': (0,common_inputs/* optional */.lq)((0,common_inputs/* oneOf */.yL)(...KEY_TYPES)),
    'root-days': (0,common_inputs/* optional */.lq)(days),
    'intermediate-days': (0,common_inputs/* optional */.lq)(days),
    'renew-within-days': (0,common_inputs/* optional */.lq)((0,common_inputs/* integer */.nd)({ min: 0, max: 36_500 })),
    'rotate-root': (0,common_inputs/* optional */.lq)(common_inputs/* bool */.lc)
};
/** Every input, validated together, before anything is read or written. */
function readGenerateCertsInputs(env, cwd = process.cwd()) {
    const raw = (0,common_inputs/* readInputs */.Ko)(spec, env);
    const inputs = {
        clusters: raw.clusters,
        mode: (0,common_inputs/* given */.gI)(raw.mode, 'mode'),
        outputDir: (0,paths/* resolveInside */.L)((0,common_inputs/* given */.gI)(raw['output-dir'], 'output-dir'), 'output-dir', env, cwd),
        store: (0,common_inputs/* given */.gI)(raw.store, 'store'),
        secretPrefix: raw['secret-prefix'] ?? '',
        awsRegion: raw['aws-region'],
        keyType: (0,common_inputs/* given */.gI)(raw['key-type'], 'key-type'),
        rootDays: (0,common_inputs/* given */.gI)(raw['root-days'], 'root-days'),
        intermediateDays: (0,common_inputs/* given */.gI)(raw['intermediate-days'], 'intermediate-days'),
        renewWithinDays: (0,common_inputs/* given */.gI)(raw['renew-within-days'], 'renew-within-days'),
        rotateRoot: (0,common_inputs/* given */.gI)(raw['rotate-root'], 'rotate-root')
    };
    if (inputs.renewWithinDays >= inputs.intermediateDays) {
        // Otherwise every run would find every intermediate due for renewal.
        throw new errors/* ConfigurationError */.j(`input 'renew-within-days' must be less than intermediate-days (${inputs.intermediateDays}), got '${inputs.renewWithinDays}'`);
    }
    if (inputs.mode === 'fetch' && inputs.rotateRoot) {
        throw new errors/* ConfigurationError */.j(`input 'rotate-root' must be false with mode fetch, which never writes to the store; rotate the root with mode issue, got 'true'`);
    }
    if (inputs.store === 'aws-secrets-manager' && inputs.secretPrefix === '') {
        throw new errors/* ConfigurationError */.j(`input 'secret-prefix' must not be empty with store aws-secrets-manager`);
    }
    return inputs;
}

;// CONCATENATED MODULE: ./lib/actions/generate-certs/main.js









async function openStore(inputs, env) {
    if (inputs.store === 'directory') {
        return { store: directoryStore(inputs.outputDir, 'output-dir'), close() { } };
    }
    // The AWS SDK is loaded only when used: it is most of the bundle, and
    // every run of the directory store would pay for starting it.
    const [{ SecretsManagerClient }, { awsClientSettings, createAwsClient }, store] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(994)]).then(__webpack_require__.t.bind(__webpack_require__, 12994, 19)),
        __webpack_require__.e(/* import() */ 933).then(__webpack_require__.bind(__webpack_require__, 56933)),
        Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(994), __webpack_require__.e(836)]).then(__webpack_require__.bind(__webpack_require__, 42836))
    ]);
    const client = createAwsClient(SecretsManagerClient, awsClientSettings({
        region: inputs.awsRegion,
        env,
        regionInput: 'aws-region'
    }));
    return {
        store: store.secretsManagerStore(client, inputs.secretPrefix, 'secret-prefix'),
        close: () => client.destroy()
    };
}
function report(result, inputs, core) {
    for (const warning of result.warnings)
        core.warning(warning);
    for (const change of result.storeChanges)
        core.info(change);
    core.info(`root CA: ${result.root.status} (${result.root.reason}), fingerprint ${result.root.fingerprint}`);
    for (const c of result.clusters) {
        core.info(`${c.cluster}: ${c.status} (${c.reason}), not after ${c.notAfter.toISOString()}`);
    }
    if (isUnchanged(result)) {
        core.info(`nothing changed: the root CA and ${result.clusters.length} intermediate CA(s) were reused and every file in ${inputs.outputDir} was already up to date`);
    }
    else {
        core.info(`wrote ${result.files.written.length} file(s) to ${inputs.outputDir}, ${result.files.unchanged.length} unchanged`);
    }
    core.setOutput('root-fingerprint', result.root.fingerprint);
    core.setOutput('certs-dir', inputs.outputDir);
    core.setOutput('clusters-json', renderClustersJson(result));
}
/** generate-certs: the root CA and one intermediate CA per cluster. */
async function run(deps) {
    const { core, env } = deps;
    try {
        const inputs = readGenerateCertsInputs(env);
        const { store, close } = await openStore(inputs, env);
        try {
            const certsDeps = {
                store,
                mask: (secret) => core.setSecret(secret),
                writeFiles: (files) => writeFileSet(inputs.outputDir, files, 'output-dir'),
                now: deps.now ?? (() => new Date())
            };
            const result = await core.group(`generate-certs (${inputs.mode})`, () => inputs.mode === 'fetch'
                ? fetchCerts(inputs, certsDeps)
                : generateCerts(inputs, certsDeps));
            report(result, inputs, core);
            if (inputs.store === 'aws-secrets-manager') {
                // Secrets Manager keeps every key, so the copies on disk are only
                // needed for this job: the post step removes them.
                deps.saveState?.(KEY_FILES_STATE, JSON.stringify(inputs.clusters.map(c => (0,external_node_path_.join)(inputs.outputDir, c, 'ca-key.pem'))));
            }
            await core.writeSummary(renderSummary(result, inputs.mode));
        }
        finally {
            close();
        }
    }
    catch (err) {
        core.setFailed((0,errors/* describeError */.U)(err, 'generate-certs'));
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


/***/ })

};
