// How the command line ends on an error: main.ts turns every thrown error into exit 2 with one sanitized line, and a
// commander error into 2 (0 for --help/--version). Imported in this process with a stand-in `compare` that throws.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataError, UsageError } from '../errors.js';

const thrown = vi.hoisted(() => ({ error: undefined as unknown }));
vi.mock('./compare-command.js', () => ({
  registerCompare: (p: import('commander').Command) =>
    p.command('compare').action(() => {
      throw thrown.error;
    }),
}));

let exitCode: number | undefined;
let err = '';
const argv = process.argv;

beforeEach(() => {
  exitCode = undefined;
  err = '';
  vi.resetModules();
  vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
    exitCode ??= code;
  }) as never);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
  process.argv = argv;
  delete process.env.SOFTMAX_CONFORMANCE_DEBUG;
});

async function main(...args: string[]): Promise<void> {
  process.argv = ['node', 'softmax-conformance', ...args];
  await import('./main.js');
}

describe('main', () => {
  it('ends an unexpected internal error with exit 2 and its message on one line, escape sequences removed', async () => {
    thrown.error = new TypeError('cannot read x\u001b[31m of undefined');
    await main('compare');
    expect(exitCode).toBe(2);
    expect(err).toBe('softmax-conformance: cannot read x of undefined\n');
  });

  it('adds the stack trace only with SOFTMAX_CONFORMANCE_DEBUG', async () => {
    thrown.error = new Error('boom');
    process.env.SOFTMAX_CONFORMANCE_DEBUG = '1';
    await main('compare');
    expect(exitCode).toBe(2);
    expect(err).toMatch(/^softmax-conformance: boom\nError: boom\n {4}at /);
  });

  it.each([
    ['a usage error', new UsageError('--seed must be an integer')],
    ['a data error', new DataError('r.json', '/verdict', 'must be pass, fail or incomplete')],
  ])('ends %s with exit 2', async (_, e) => {
    thrown.error = e;
    await main('compare');
    expect(exitCode).toBe(2);
    expect(err).toBe(`softmax-conformance: ${e.message}\n`);
  });

  it('ends bad usage found by commander with exit 2, and --version with 0', async () => {
    await main('compare', '--no-such-option');
    expect(exitCode).toBe(2);
    exitCode = undefined;
    vi.resetModules();
    await main('--version');
    expect(exitCode).toBe(0);
  });
});
