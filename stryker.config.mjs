// Mutation testing of the judging core (issue 19): `npm run mutate`, or a subset with
// `npm run mutate -- --mutate harness/engine/expectations.ts`. Not part of `npm test`: it takes hours on two cores.
// Writes the HTML report to reports/mutation/ and the per-file scores into docs/mutation.md (test/mutation/score-reporter.mjs).
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'harness/engine/**/*.ts',
    'harness/checks/**/*.ts',
    'harness/tolerance/**/*.ts',
    'harness/cli/**/*.ts',
    'harness/report/compare.ts',
    'reference/**/*.ts',
    '!**/*.test.ts',
  ],
  // Static mutants (module-level constants, tables) would each rerun every test; they are left out of the score.
  ignoreStatic: true,
  // One test process: the machine is shared, and the harness's own tests start Python workers of their own.
  concurrency: 1,
  // A mutant that makes a loop endless costs this much past the covering tests' own time (times the factor), plus a
  // restart of the test process: kept short, the covering tests' measured time already includes their workers.
  timeoutMS: 10_000,
  timeoutFactor: 2,
  // Results are kept between runs, so subsets add up and a rerun only tests what changed.
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  ignorePatterns: ['dist', 'reports', '.venv', 'test/browser'],
  // The commands' help text (commander descriptions) is not mutated: it only changes --help (test/mutation/ignorers.mjs); so are module-level tables, which the vitest runner cannot see mutated.
  ignorers: ['help-text', 'module-load'],
  plugins: ['@stryker-mutator/vitest-runner', './test/mutation/score-reporter.mjs', './test/mutation/ignorers.mjs'],
  reporters: ['html', 'json', 'clear-text', 'progress', 'score-markdown'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
