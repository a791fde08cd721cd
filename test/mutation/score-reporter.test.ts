// The mutation-score reporter's table: counts per file, module totals, and a subset run replacing only its rows.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module (Stryker loads it as a plugin), no types
import { countMutants, parseRows, rangedFiles, updateDoc } from './score-reporter.mjs';

const files = (statuses: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(statuses).map(([f, s]) => [f, { mutants: s.map((status) => ({ status })) }]));

describe('score reporter', () => {
  it('counts killed, timed out, survived and uncovered mutants, and ignores the rest', () => {
    expect(countMutants(files({ 'a/b.ts': ['Killed', 'Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'CompileError', 'RuntimeError'] }))).toEqual({
      'a/b.ts': { killed: 2, timeout: 1, survived: 1, noCoverage: 1 },
    });
  });

  it('writes per-module and per-file scores, and a later subset replaces only its own rows', () => {
    const first = updateDoc('# Mutation testing\n\nnotes\n', countMutants(files({
      'harness/engine/expectations.ts': ['Killed', 'Killed', 'Killed', 'Survived'],
      'harness/engine/stats.ts': ['Killed'],
      'harness/report/compare.ts': ['Killed', 'NoCoverage'],
    })), '2026-01-01');
    expect(first).toContain('notes\n');
    expect(first).toContain('| **harness/engine** | 4 | 0 | 1 | 0 | 80.0% |');
    expect(first).toContain('| **harness/report/compare.ts** | 1 | 0 | 0 | 1 | 50.0% |');
    expect(first).toContain('| `harness/engine/expectations.ts` | 3 | 0 | 1 | 0 | 75.0% | 2026-01-01 |');
    const second = updateDoc(first, countMutants(files({ 'harness/engine/expectations.ts': ['Killed', 'Timeout'] })), '2026-02-02');
    expect(second).toContain('| `harness/engine/expectations.ts` | 1 | 1 | 0 | 0 | 100.0% | 2026-02-02 |');
    expect(second).toContain('| `harness/engine/stats.ts` | 1 | 0 | 0 | 0 | 100.0% | 2026-01-01 |');
    expect(second).toContain('| **harness/engine** | 2 | 1 | 0 | 0 | 100.0% |');
    expect(Object.keys(parseRows(second)).sort()).toEqual(['harness/engine/expectations.ts', 'harness/engine/stats.ts', 'harness/report/compare.ts']);
    expect(second.split('mutation-score:start').length).toBe(2);
  });

  it('knows the files a run mutated only in part (a line range), whose counts are not their score', () => {
    expect([...rangedFiles(['reference/fast.ts:140-170', 'reference/round.ts', 'harness/a.ts:3:1-9:40'])]).toEqual(['reference/fast.ts', 'harness/a.ts']);
    expect(rangedFiles(undefined).size).toBe(0);
  });
});
