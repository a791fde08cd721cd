import { describe, expect, it } from 'vitest';
import { REPORTER_NAMES as REPORTERS } from '../report/index.js';
import { DEFAULT_PROFILE as PROFILE } from '../tolerance/profiles.js';
import { UsageError } from '../errors.js';
import { afterEach } from 'vitest';
import { CASES_PER_JOB, commandLine, DEFAULT_PROFILE, defaultJobs, listOf, parsePolicy, parseRule, parseShard, REPORTER_NAMES, reportersOption } from './options.js';

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

describe('the option parsers of the gate\'s settings', () => {
  it('--policy and --contract take their values and name the choices on anything else', () => {
    for (const p of ['ieee', 'limit', 'masked']) expect(parsePolicy(p)).toBe(p);
    expect(() => parsePolicy('IEEE')).toThrow(new UsageError('--policy must be one of ieee, limit, masked, got "IEEE"'));
    for (const r of ['last', 'first', 'all', 'first-non-singleton', 'axis-arg', 'coerce-2d']) expect(parseRule(r)).toBe(r);
    expect(() => parseRule('lst')).toThrow(new UsageError('--contract must be one of last, first, all, first-non-singleton, axis-arg, coerce-2d, got "lst"'));
  });

  it('--shard is K/N with 1 <= K <= N, numbers of any length, and nothing around them', () => {
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard('2/2')).toEqual({ index: 2, count: 2 });
    expect(parseShard('12/20')).toEqual({ index: 12, count: 20 });
    for (const bad of ['3/2', '0/2', '1/0', '0/0', 'x1/2', '1/2x', '1/', '/2', '1-2', '']) {
      expect(() => parseShard(bad), bad).toThrow(new UsageError(`--shard must be K/N with 1 <= K <= N, got "${bad}"`));
    }
  });
});

describe('the command line a report records (commandLine)', () => {
  const argv = process.argv;
  afterEach(() => {
    process.argv = argv;
  });

  it('is the command and its arguments, quoting only what a shell would need quoted', () => {
    process.argv = ['node', '/x/bin/softmax-conformance.js', 'run', '--only', 'a,b', '--reports', '/tmp/my reports', '--seed=7', 'it\'s'];
    expect(commandLine()).toBe('softmax-conformance run --only a,b --reports "/tmp/my reports" --seed=7 "it\'s"');
    process.argv = ['node', 'bin'];
    expect(commandLine()).toBe('softmax-conformance');
    process.argv = ['node', 'bin', 'x y', 'ok', ''];
    expect(commandLine()).toBe('softmax-conformance "x y" ok ""');
  });
});

describe('--reporters', () => {
  it('defaults to every reporter, shown in --help as typed', () => {
    const o = reportersOption();
    expect(o.defaultValue).toEqual(['json', 'markdown', 'html', 'junit']);
    expect(o.defaultValueDescription).toBe('json,markdown,html,junit');
  });
});
