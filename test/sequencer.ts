// The order test files start in. vitest starts the largest files first when it has no timings from an earlier run
// (a clean clone has none), but the longest files here are short files that start many audits. On two cores a long
// file that starts last is the whole suite waiting for it, so the slowest ones (measured with
// `npx vitest run --reporter=json`, 2026-12-05) start first; the rest keep vitest's order.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SLOW_FIRST = [
  'test/audit-split.test.ts',
  'test/hostile-sandbox.test.ts',
  'test/module-target.test.ts',
  'test/frameworks.test.ts',
  'test/package.test.ts',
  'test/shard-merge.test.ts',
  'test/browser/report.browser.test.ts',
  'harness/worker/python-worker.test.ts',
  'test/reproduce.test.ts',
  'test/gate-vacuous.test.ts',
  'harness/worker/mutation-check.test.ts',
  'test/coerce-2d.test.ts',
  'test/dtype-ops.test.ts',
  'test/kernel-audit.test.ts',
  'harness/worker/js-worker.test.ts',
  'test/cli.test.ts',
];

/** Files of SLOW_FIRST first, in that order; every other file after them, in the order vitest gave. */
export function slowFirst<T>(files: readonly T[], pathOf: (f: T) => string): T[] {
  const rank = (f: T): number => {
    const p = pathOf(f).replaceAll('\\', '/');
    const i = SLOW_FIRST.findIndex((s) => p.endsWith(`/${s}`));
    return i < 0 ? SLOW_FIRST.length : i;
  };
  return files.map((f, i) => ({ f, i, r: rank(f) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f);
}

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return slowFirst(await super.sort(files), (f) => f.moduleId);
  }
}
