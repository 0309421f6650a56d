export const id = 375;
export const ids = [375,325,636];
export const modules = {

/***/ 70636:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $T: () => (/* binding */ apiStatus),
/* harmony export */   createGitHubClient: () => (/* binding */ createGitHubClient),
/* harmony export */   gg: () => (/* binding */ describeApiError)
/* harmony export */ });
/* unused harmony exports MAX_PRIMARY_RETRIES, MAX_SECONDARY_RETRIES, MAX_WAIT_SECONDS */
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(49735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(86856);
/* harmony import */ var _octokit_rest__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(59988);



const ThrottledOctokit = _octokit_rest__WEBPACK_IMPORTED_MODULE_0__/* .Octokit */ .E.plugin(_octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_1__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_2__/* .throttling */ .A);
/** Retries when the wait is bounded: two primary, one secondary limit. */
const MAX_PRIMARY_RETRIES = 2;
const MAX_SECONDARY_RETRIES = 1;
/** A primary limit resets hourly: waiting longer than this fails instead. */
const MAX_WAIT_SECONDS = 120;
/**
 * An Octokit with retries and throttling. plugin-retry retries 5xx (three
 * times); 429 is left to the throttling plugin, which honours Retry-After
 * and the primary limit's reset time, where plugin-retry would not.
 */
function createGitHubClient(o) {
    return new ThrottledOctokit({
        auth: o.token,
        baseUrl: o.baseUrl.replace(/\/+$/, ''),
        userAgent: 'eks-istio-mesh-actions',
        log: {
            debug: () => { },
            info: () => { },
            // Octokit's own warnings may quote response bodies: keep them out.
            warn: () => { },
            error: () => { }
        },
        retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
        throttle: {
            retryAfterBaseValue: o.retryAfterBaseMs ?? 1000,
            onRateLimit: (retryAfter, options, _octokit, retryCount) => {
                if (retryCount >= MAX_PRIMARY_RETRIES)
                    return false;
                if (retryAfter > MAX_WAIT_SECONDS) {
                    o.warn(`GitHub API rate limit reached for ${options.method} ${options.url}; it resets in ${retryAfter} s, longer than the ${MAX_WAIT_SECONDS} s this step waits`);
                    return false;
                }
                o.warn(`GitHub API rate limit reached for ${options.method} ${options.url}; retrying in ${retryAfter} s`);
                return true;
            },
            onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
                if (retryCount >= MAX_SECONDARY_RETRIES)
                    return false;
                if (retryAfter > MAX_WAIT_SECONDS)
                    return false;
                o.warn(`GitHub API secondary rate limit for ${options.method} ${options.url}; retrying in ${retryAfter} s`);
                return true;
            }
        }
    });
}
const REASONS = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    410: 'Gone',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout'
};
function apiStatus(err) {
    const status = err?.status;
    return typeof status === 'number' ? status : undefined;
}
/** Status and reason only: API error bodies may echo what was sent. */
function describeApiError(what, err) {
    const status = apiStatus(err);
    if (status === undefined) {
        const code = err?.code;
        return `GitHub API ${what} failed: no response${typeof code === 'string' ? ` (${code})` : ''}`;
    }
    return `GitHub API ${what} failed: ${status} ${REASONS[status] ?? 'error'}`;
}


/***/ }),

/***/ 88325:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   commentMarker: () => (/* binding */ commentMarker),
/* harmony export */   upsertComment: () => (/* binding */ upsertComment)
/* harmony export */ });
/* unused harmony export findComment */
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(70636);

/**
 * A hidden, versioned marker naming what a comment is about, e.g.
 * `<!-- eks-istio-mesh:apply-stage:v1 stage=terraform%2Fvpc instance=default -->`.
 * Values are URI-encoded so none can close the HTML comment.
 */
function commentMarker(kind, key) {
    const fields = Object.entries(key)
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .join(' ');
    return `<!-- eks-istio-mesh:${kind}:v1 ${fields} -->`;
}
/**
 * The comment carrying the marker. Bot-written ones come first: anyone can
 * paste a marker, and the toolkit's comments are written by a bot when it
 * runs with GITHUB_TOKEN. Every page is read.
 */
async function findComment(gh, target, marker) {
    let comments;
    try {
        comments = await gh.paginate(gh.rest.issues.listComments, {
            owner: target.owner,
            repo: target.repo,
            issue_number: target.issueNumber,
            per_page: 100
        });
    }
    catch (err) {
        throw new Error((0,_client_js__WEBPACK_IMPORTED_MODULE_0__/* .describeApiError */ .gg)('list comments', err));
    }
    const marked = comments.filter(c => c.body?.startsWith(`${marker}\n`) || c.body === marker);
    return marked.find(c => c.user?.type === 'Bot') ?? marked[0];
}
/**
 * One comment per marker, edited in place. The body must start with the
 * marker line. A create is never retried blindly: after a failure that may
 * have stored it (5xx, no response), the list is read again first.
 */
async function upsertComment(gh, target, marker, body) {
    if (!body.startsWith(`${marker}\n`)) {
        throw new Error('comment body must start with its marker line');
    }
    const update = async (existing) => {
        if (existing.body === body) {
            return { action: 'unchanged', id: existing.id, url: existing.html_url };
        }
        try {
            const { data } = await gh.rest.issues.updateComment({
                owner: target.owner,
                repo: target.repo,
                comment_id: existing.id,
                body
            });
            return { action: 'updated', id: data.id, url: data.html_url };
        }
        catch (err) {
            throw new Error((0,_client_js__WEBPACK_IMPORTED_MODULE_0__/* .describeApiError */ .gg)('update comment', err));
        }
    };
    const create = async () => {
        const { data } = await gh.rest.issues.createComment({
            owner: target.owner,
            repo: target.repo,
            issue_number: target.issueNumber,
            body,
            request: { retries: 0 }
        });
        return { action: 'created', id: data.id, url: data.html_url };
    };
    const existing = await findComment(gh, target, marker);
    if (existing)
        return update(existing);
    try {
        return await create();
    }
    catch (err) {
        const status = (0,_client_js__WEBPACK_IMPORTED_MODULE_0__/* .apiStatus */ .$T)(err);
        if (status !== undefined && status < 500) {
            throw new Error((0,_client_js__WEBPACK_IMPORTED_MODULE_0__/* .describeApiError */ .gg)('create comment', err));
        }
        const stored = await findComment(gh, target, marker);
        if (stored)
            return update(stored);
        try {
            return await create();
        }
        catch (again) {
            throw new Error((0,_client_js__WEBPACK_IMPORTED_MODULE_0__/* .describeApiError */ .gg)('create comment', again));
        }
    }
}


/***/ }),

/***/ 375:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   reportIssue: () => (/* binding */ reportIssue)
/* harmony export */ });
/* unused harmony export openIssues */
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(70636);
/* harmony import */ var _comments_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(88325);


/**
 * The open issues carrying `label`, oldest first, pull requests left out
 * (GitHub's issues list includes them). Every page is read.
 */
async function openIssues(gh, repo, label) {
    let issues;
    try {
        issues = await gh.paginate(gh.rest.issues.listForRepo, {
            ...repo,
            state: 'open',
            labels: label,
            per_page: 100
        });
    }
    catch (err) {
        throw new Error((0,_client_js__WEBPACK_IMPORTED_MODULE_0__/* .describeApiError */ .gg)('list issues', err));
    }
    return issues.filter(i => !i.pull_request).sort((a, b) => a.number - b.number);
}
/**
 * One issue per label while something fails: a failing run comments on
 * the open one (the oldest, if people opened more) or opens it; a passing
 * run comments on it and closes it. Creating an issue is not retried
 * blindly: after an answer that may have stored it (5xx, none), the list is
 * read again first, so there is never a second open issue.
 */
async function reportIssue(gh, repo, failing, r) {
    const [open] = await openIssues(gh, repo, r.label);
    if (open) {
        const target = { ...repo, issueNumber: open.number };
        await (0,_comments_js__WEBPACK_IMPORTED_MODULE_1__.upsertComment)(gh, target, r.commentMarker, r.comment);
        if (failing)
            return { action: 'commented', number: open.number, url: open.html_url };
        try {
            await gh.rest.issues.update({
                ...repo,
                issue_number: open.number,
                state: 'closed',
                state_reason: 'completed'
            });
        }
        catch (err) {
            throw new Error((0,_client_js__WEBPACK_IMPORTED_MODULE_0__/* .describeApiError */ .gg)('close issue', err));
        }
        return { action: 'closed', number: open.number, url: open.html_url };
    }
    if (!failing)
        return { action: 'none' };
    const create = async () => {
        const { data } = await gh.rest.issues.create({
            ...repo,
            title: r.title,
            body: r.body,
            labels: [r.label],
            request: { retries: 0 }
        });
        return { action: 'opened', number: data.number, url: data.html_url };
    };
    try {
        return await create();
    }
    catch (err) {
        const status = (0,_client_js__WEBPACK_IMPORTED_MODULE_0__/* .apiStatus */ .$T)(err);
        if (status !== undefined && status < 500) {
            throw new Error((0,_client_js__WEBPACK_IMPORTED_MODULE_0__/* .describeApiError */ .gg)('create issue', err));
        }
        const [stored] = await openIssues(gh, repo, r.label);
        if (stored) {
            return { action: 'opened', number: stored.number, url: stored.html_url };
        }
        try {
            return await create();
        }
        catch (again) {
            throw new Error((0,_client_js__WEBPACK_IMPORTED_MODULE_0__/* .describeApiError */ .gg)('create issue', again));
        }
    }
}


/***/ })

};
