import { describe, expect, it } from 'vitest';
import { REPORTER_NAMES as REPORTERS } from '../report/index.js';
import { DEFAULT_PROFILE as PROFILE } from '../tolerance/profiles.js';
import { UsageError } from '../errors.js';
import { CASES_PER_JOB, DEFAULT_PROFILE, defaultJobs, listOf, REPORTER_NAMES } from './options.js';

describe('the CLI\'s copies of constants it must not import', () => {
  it('are equal to the originals (same order: --reporters lists them and defaults to all)', () => {
    expect(REPORTER_NAMES).toEqual(REPORTERS);
    expect(DEFAULT_PROFILE).toBe(PROFILE);
  });
});

describe('audit\'s default --jobs', () => {
  it('is one worker up to CASES_PER_JOB generated cases, then one more per CASES_PER_JOB, at most one per core', () => {
    expect(CASES_PER_JOB).toBe(1000);
    expect([0, 1, 300, 1000].map((n) => defaultJobs(n, 2))).toEqual([1, 1, 1, 1]);
    expect([1001, 2000, 20_000].map((n) => defaultJobs(n, 2))).toEqual([2, 2, 2]);
    expect([2000, 2001, 15_500, 200_000].map((n) => defaultJobs(n, 16))).toEqual([2, 3, 16, 16]);
    expect(defaultJobs(5000, 1)).toBe(1);
  });
});

describe('a comma-separated option (listOf)', () => {
  it('splits, trims and drops empty items', () => {
    expect(listOf('--only')('a, b,,c ,')).toEqual(['a', 'b', 'c']);
    expect(listOf('--only')('numpy-stable')).toEqual(['numpy-stable']);
  });

  it('refuses a value with no item, naming the option: an unset variable must not mean "all" or "none"', () => {
    for (const v of ['', ' ', ',', ' , ,']) {
      expect(() => listOf('--reporters')(v)).toThrow(new UsageError(`--reporters needs at least one comma-separated value, got "${v}"`));
    }
  });
});
