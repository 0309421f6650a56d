export const id = 933;
export const ids = [933];
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


/***/ })

};
