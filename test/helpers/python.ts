// The interpreter the tests run Python with: the project's setting, as the CLI reads it. test/global-setup.ts sets it
// to the real interpreter behind `python3` when the user did not (and says so in PINNED_BY_SETUP), so no test pays a
// pyenv shim at each start.
import { PYTHON_ENV_VAR } from '../../harness/worker/python-worker.js';

export { PYTHON_ENV_VAR };
export const PINNED_BY_SETUP = 'SC_TEST_PYTHON_PINNED';
export const PYTHON = process.env[PYTHON_ENV_VAR] ?? 'python3';
/** The interpreter the user chose, if they chose one (not the one the global setup pinned). */
export const USER_PYTHON = process.env[PINNED_BY_SETUP] ? undefined : process.env[PYTHON_ENV_VAR];
