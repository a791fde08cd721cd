import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/sequencer.js';

// Two projects, run in one pool. The unit tests (pure functions next to their code) share their test process's
// module graph (isolate: false), which saves re-importing the harness for each of ~80 files; the integration tests
// (test/**) and the tests that stub the environment or start workers (harness/cli, harness/worker) keep a fresh
// module graph per file.
const SHARED_PROCESS = ['harness/**/*.test.ts', 'reference/**/*.test.ts', 'golden/**/*.test.ts'];
const OWN_PROCESS = ['harness/cli/**/*.test.ts', 'harness/worker/**/*.test.ts'];
const EXCLUDE = ['node_modules/**', 'dist/**', '.venv/**', '.stryker-tmp/**', 'test/browser/**'];

const TIMEOUTS = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // At the root only: a project that inherited it would build dist/ once more for itself.
    globalSetup: ['test/global-setup.ts'],
    sequence: { sequencer: SlowFirstSequencer },
    // vitest's default is one worker fewer than the cores: one worker on this 2-core machine. Most of the heavy files
    // wait on candidate processes (which do their work on the other core) or on deliberate timeouts, so one more
    // worker than cores keeps both cores busy.
    maxWorkers: availableParallelism() + 1,
    projects: [
      { test: { name: 'unit', include: SHARED_PROCESS, exclude: [...EXCLUDE, ...OWN_PROCESS], isolate: false, ...TIMEOUTS } },
      { test: { name: 'integration', include: ['test/**/*.test.ts', ...OWN_PROCESS], exclude: EXCLUDE, ...TIMEOUTS } },
    ],
  },
});
