import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/sequencer.js';

// Two projects, run in one pool. Most test files share their test process's module graph (isolate: false), which
// saves re-importing the harness for each file (a third of the CPU of a file of small tests). The files that stub the
// environment or spy on modules, and those that import test/fixtures/candidates/helpers.ts (it closes the workers a
// file started in an afterAll it registers when imported, which a shared module graph would register only once),
// keep a fresh module graph per file.
const OWN_PROCESS = [
  'harness/worker/**/*.test.ts',
  'harness/cli/exit-codes.test.ts',
  'harness/cli/main.test.ts',
  'harness/cli/progress.test.ts',
  'test/frameworks.test.ts',
  'reference/oracle-route.test.ts', // vi.mock of tensor.js: sees the oracle's route only in a module graph of its own
  'reference/f64-shortcut.test.ts', // vi.mock of round.js, likewise
];
const EXCLUDE = ['node_modules/**', 'dist/**', '.venv/**', '.stryker-tmp/**', 'test/browser/**'];
const ALL = ['**/*.test.ts'];

const TIMEOUTS = { testTimeout: 60_000, hookTimeout: 60_000 };

// The HTML report's browser test needs Chromium, which `vitest run` and `npm run test:unit` must not: it joins only
// `npm test` (npm names the script it runs in npm_lifecycle_event), in the same pool, so it runs beside the rest
// instead of after it. `npm run test:browser` runs it alone (test/browser/vitest.config.ts).
const BROWSER = process.env.npm_lifecycle_event === 'test'
  ? [{ test: { name: 'browser', include: ['test/browser/**/*.browser.test.ts'], exclude: ['node_modules/**'], testTimeout: 120_000, hookTimeout: 120_000 } }]
  : [];

export default defineConfig({
  test: {
    // At the root only: a project that inherited it would build dist/ once more for itself.
    globalSetup: ['test/global-setup.ts'],
    sequence: { sequencer: SlowFirstSequencer },
    // vitest's default is one worker fewer than the cores: one worker on this 2-core machine. The heavy files spend
    // much of their time waiting on candidate processes or on deliberate timeouts and sleeps, so two more workers
    // than cores keep the cores busy (2026-12-05, quiet 2-core machine: 1 worker 369 s, 3 workers 242 s, 4 workers
    // 208 s for the whole suite).
    maxWorkers: availableParallelism() + 2,
    projects: [
      { test: { name: 'isolated', include: OWN_PROCESS, exclude: EXCLUDE, ...TIMEOUTS } },
      { test: { name: 'shared', include: ALL, exclude: [...EXCLUDE, ...OWN_PROCESS], isolate: false, ...TIMEOUTS } },
      ...BROWSER,
    ],
  },
});
