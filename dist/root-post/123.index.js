export const id = 123;
export const ids = [123];
export const modules = {

/***/ 3123:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  KEY_FILES_STATE: () => (/* binding */ KEY_FILES_STATE),
  post: () => (/* binding */ post)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./lib/certs/remove-files.js

/**
 * Removes regular files, never following a link and never failing: what is
 * already gone counts as done, anything else is reported as a problem.
 */
async function removeFiles(files) {
    let removed = 0;
    const problems = [];
    for (const file of files) {
        try {
            const stat = await (0,promises_.lstat)(file);
            if (!stat.isFile()) {
                problems.push(`${file} is not a regular file; left in place`);
                continue;
            }
            await (0,promises_.unlink)(file);
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


/***/ })

};
