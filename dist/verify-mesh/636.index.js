export const id = 636;
export const ids = [636];
export const modules = {

/***/ 636:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $T: () => (/* binding */ apiStatus),
/* harmony export */   createGitHubClient: () => (/* binding */ createGitHubClient),
/* harmony export */   gg: () => (/* binding */ describeApiError)
/* harmony export */ });
/* unused harmony exports MAX_PRIMARY_RETRIES, MAX_SECONDARY_RETRIES, MAX_WAIT_SECONDS */
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6856);
/* harmony import */ var _octokit_rest__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9988);



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


/***/ })

};
