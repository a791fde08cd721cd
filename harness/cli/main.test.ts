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
let out = '';
/** process.exit stops the program: the stand-in throws this, and main() catches it. */
class Exit extends Error {}
const argv = process.argv;

beforeEach(() => {
  exitCode = undefined;
  err = '';
  out = '';
  vi.resetModules();
  vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
    exitCode = code;
    throw new Exit();
  }) as never);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
  process.argv = argv;
  delete process.env.SOFTMAX_CONFORMANCE_DEBUG;
});

async function main(...args: string[]): Promise<void> {
  process.argv = ['node', 'softmax-conformance', ...args];
  await import('./main.js').catch((e: unknown) => {
    if (!(e instanceof Exit)) throw e;
  });
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

  it('ends bad usage found by commander with exit 2 and a pointer to --help, --version and --help with 0', async () => {
    await main('compare', '--no-such-option');
    expect(exitCode).toBe(2);
    expect(err).toBe("error: unknown option '--no-such-option'\n(run with --help for usage)\n");
    vi.resetModules();
    await main('--version');
    expect(exitCode).toBe(0);
    expect(out).toMatch(/^\d+\.\d+\.\d+/);
    vi.resetModules();
    out = '';
    await main('--help');
    expect(exitCode).toBe(0);
    expect(out).toMatch(/^Usage: softmax-conformance \[options\] \[command\]\n/);
    // help text wraps to the terminal's width: compare it with the spaces folded
    expect(out.replace(/\s+/g, ' ')).toContain('--python <path> Python interpreter with NumPy (default: $SOFTMAX_CONFORMANCE_PYTHON or python3)');
    for (const c of ['run', 'audit', 'compare', 'reference', 'golden', 'replay', 'merge']) expect(out).toMatch(new RegExp(`\\n  ${c}\\b`));
  });
});
