// The browser test runs on its own (`npm run test:browser`): it needs Chromium, which unit-test runs must not.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/browser/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // one browser at a time on a small CI machine
    fileParallelism: false,
  },
});
