// The vitest configuration StrykerJS runs (stryker.config.mjs): the in-process tests only. Stryker sees which test
// covers which mutant in its own process; a test that runs the CLI as a child process (bin/ -> dist/) covers nothing
// it can see and would only lengthen every run, so those files are left out here (they still run in `npm test`).
// The CLI's exit-code logic is tested in process (harness/cli/exit-codes.test.ts) so mutants there can be killed.
// The whole-run integration tests in test/ (real implementations under every check, 20-60 s each) are left out too:
// they cover most of the judging code, so every mutant that survives the unit tests would rerun them (hours in all).
// The scores are therefore what the unit tests alone guarantee: a lower bound.
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Stryker stops a mutant's run at its first failing test (bail), so the order of the files decides what a killed
// mutant costs. The oracle's comparisons with decimal.js at 200 digits take seconds per file; the fast path's own
// tests (fast.test.ts: its bounds decide every element) and round.test.ts kill most of reference/'s mutants in
// milliseconds. Cheap killers first, the decimal.js comparisons last; the rest in vitest's own order. The order
// changes no test and no verdict: only how soon a failing one is reached.
const FIRST = ['reference/fast.test.ts', 'reference/round.test.ts'];
const LAST = ['reference/exp.test.ts', 'reference/logsumexp.test.ts', 'reference/softmax.test.ts'];
const place = (s: TestSpecification): number => {
  const f = s.moduleId.replaceAll('\\', '/');
  const i = FIRST.findIndex((p) => f.endsWith(p));
  if (i >= 0) return i - FIRST.length;
  const j = LAST.findIndex((p) => f.endsWith(p));
  return j >= 0 ? 1 + j : 0;
};
class CheapKillersFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await super.sort(files)).map((s, k) => [s, k] as const).sort(([a, i], [b, j]) => place(a) - place(b) || i - j).map(([s]) => s);
  }
}

// Not the projects of vitest.config.ts: one plain project, no global setup (Stryker's sandbox needs no dist/).
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // test/ holds the whole-run, CLI, packaging and platform tests (real audits of real candidates: dtype-ops,
    // coerce-2d, kernel-audit, js-forms, ...): each covers most of the judging code and takes seconds to minutes, so
    // every mutant there would rerun them (a run of harness/tolerance alone was on course for 2 hours). Stryker
    // runs the unit tests that sit next to the code they test (harness/**, reference/**).
    exclude: ['node_modules/**', 'dist/**', '.venv/**', '.stryker-tmp/**', 'test/**'],
    sequence: { sequencer: CheapKillersFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
