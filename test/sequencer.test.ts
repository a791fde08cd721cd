import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import { SLOW_FIRST, slowFirst } from './sequencer.js';

describe('the test sequencer', () => {
  it('starts the listed slow files first, in the listed order, and keeps the order of the rest', () => {
    const given = ['/r/a.test.ts', `/r/${SLOW_FIRST[1]}`, '/r/b.test.ts', `/r/${SLOW_FIRST[0]}`, '/r/c.test.ts'];
    expect(slowFirst(given, (f) => f)).toEqual([`/r/${SLOW_FIRST[0]}`, `/r/${SLOW_FIRST[1]}`, '/r/a.test.ts', '/r/b.test.ts', '/r/c.test.ts']);
  });
  it('names files that exist (a renamed file would silently lose its place)', () => {
    for (const f of SLOW_FIRST) expect(existsSync(projectPath(f)), f).toBe(true);
  });
});
