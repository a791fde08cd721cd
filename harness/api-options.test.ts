// The library API's options are checked as the CLI's flags are: each bad value is a UsageError naming the option.
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { checkAuditOptions, checkRunOptions } from './api-options.js';

const fails = (f: () => void, message: string) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toBe(message);
};

describe('checkAuditOptions', () => {
  it('accepts what the API documents, defaults left out', () => {
    expect(() => checkAuditOptions({ contract: 'last' })).not.toThrow();
    expect(() => checkAuditOptions({ contract: 'axis-arg', call: 'x-axis', numRuns: 0, seed: 0, timeoutMs: 1, budgetMs: 1, memoryMb: 64, shrinkSeconds: 1, dtypes: ['float64', 'int32'], policy: 'limit', pythonPath: ['/x'] })).not.toThrow();
  });
  it.each([
    [{}, 'contract is required: one of last, first, all, first-non-singleton, axis-arg, coerce-2d'],
    [{ contract: 'rows' }, 'contract must be one of last, first, all, first-non-singleton, axis-arg, coerce-2d, got "rows"'],
    [{ contract: 'last', call: 'f(x)' }, 'call must be one of x, x-axis, x-theta-axis, got "f(x)"'],
    [{ contract: 'last', policy: 'nan' }, 'policy must be one of ieee, limit, masked, got "nan"'],
    [{ contract: 'last', numRuns: -5 }, 'numRuns must be an integer >= 0, got -5'],
    [{ contract: 'last', numRuns: 2.5 }, 'numRuns must be an integer >= 0, got 2.5'],
    [{ contract: 'last', numRuns: '300' }, 'numRuns must be an integer >= 0, got "300"'],
    [{ contract: 'last', seed: -1 }, 'seed must be an integer >= 0, got -1'],
    [{ contract: 'last', timeoutMs: 0 }, 'timeoutMs must be an integer >= 1, got 0'],
    [{ contract: 'last', budgetMs: 0 }, 'budgetMs must be an integer >= 1, got 0'],
    [{ contract: 'last', memoryMb: 63 }, 'memoryMb must be an integer >= 64, got 63'],
    [{ contract: 'last', shrinkSeconds: 0 }, 'shrinkSeconds must be an integer >= 1, got 0'],
    [{ contract: 'last', dtypes: [] }, 'dtypes must be a non-empty array of non-empty strings, got []'],
    [{ contract: 'last', dtypes: ['float128'] }, 'dtypes: unknown dtype "float128"'],
    [{ contract: 'last', dtypes: ['bool'] }, 'dtypes: unknown dtype "bool"'],
    [{ contract: 'last', pythonPath: [''] }, 'pythonPath must be a non-empty array of non-empty strings, got [""]'],
  ])('%o: %s', (o, message) => fails(() => checkAuditOptions(o), message));
});

describe('checkRunOptions', () => {
  it('accepts no options and the documented ones', () => {
    expect(() => checkRunOptions({})).not.toThrow();
    expect(() => checkRunOptions({ only: ['numpy-stable'], numRuns: 0, seed: 1, timeoutMs: 5, budgetMs: 5, memoryMb: 64, parallel: 1, policy: 'masked' })).not.toThrow();
  });
  it.each([
    [{ only: [] }, 'only must be a non-empty array of non-empty strings, got []'],
    [{ parallel: 0 }, 'parallel must be an integer >= 1, got 0'],
    [{ numRuns: -1 }, 'numRuns must be an integer >= 0, got -1'],
    [{ timeoutMs: 0.5 }, 'timeoutMs must be an integer >= 1, got 0.5'],
    [{ policy: 'ieee754' }, 'policy must be one of ieee, limit, masked, got "ieee754"'],
  ])('%o: %s', (o, message) => fails(() => checkRunOptions(o), message));
});

describe('audit() and run() check their options before anything starts', () => {
  it('reject with the UsageError, no candidate started and no report', async () => {
    const { audit, run } = await import('./index.js');
    await expect(audit('no/such/file.py:f', { contract: 'rows' as never })).rejects.toThrow(new UsageError('contract must be one of last, first, all, first-non-singleton, axis-arg, coerce-2d, got "rows"'));
    await expect(audit((x) => x, { contract: 'last', numRuns: -1 })).rejects.toThrow(/^numRuns must be an integer >= 0/);
    await expect(run({ only: [] })).rejects.toThrow(/^only must be a non-empty array/);
  });
});
