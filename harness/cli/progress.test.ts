import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressCallback } from './progress.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('progressCallback', () => {
  it('counts elapsed time from when the command started, not from the first result (a 57 s import included)', () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (writes.push(String(s)), true));
    const p = progressCallback(false);
    vi.setSystemTime(57_100);
    p.update(1, 1, 'jax-nn-softmax');
    vi.setSystemTime(59_000);
    p.done();
    expect(writes.at(-1)).toBe('done: 1/1 in 59.0 s\n');
  });
});
