// The vitest configuration StrykerJS runs (stryker.config.mjs): the in-process tests only. Stryker sees which test
// covers which mutant in its own process; a test that runs the CLI as a child process (bin/ -> dist/) covers nothing
// it can see and would only lengthen every run, so those files are left out here (they still run in `npm test`).
// The CLI's exit-code logic is tested in process (harness/cli/exit-codes.test.ts) so mutants there can be killed.
// The whole-run integration tests in test/ (real implementations under every check, 20-60 s each) are left out too:
// they cover most of the judging code, so every mutant that survives the unit tests would rerun them (hours in all).
// The scores are therefore what the unit tests alone guarantee: a lower bound.
import { defineConfig } from 'vitest/config';

// Not the projects of vitest.config.ts: one plain project, no global setup (Stryker's sandbox needs no dist/).
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // test/ holds the whole-run, CLI, packaging and platform tests (real audits of real candidates: dtype-ops,
    // coerce-2d, kernel-audit, js-forms, ...): each covers most of the judging code and takes seconds to minutes, so
    // every mutant there would rerun them (a run of harness/tolerance alone was on course for 2 hours). Stryker
    // runs the unit tests that sit next to the code they test (harness/**, reference/**).
    exclude: ['node_modules/**', 'dist/**', '.venv/**', '.stryker-tmp/**', 'test/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
