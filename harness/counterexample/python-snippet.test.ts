import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { DTYPE_INFO } from '../tensor/dtype.js';
import { numberToHalfBits } from '../tensor/float16.js';
import { fromNumbers, makeTensor, tensorBytes, type Tensor } from '../tensor/tensor.js';
import { hexFloat, pyFloat, pyShape, pythonSnippet } from './python-snippet.js';
import { defaultPython } from '../worker/python-worker.js';

const run = promisify(execFile);

// A tiny candidate defined in the "import line": a max-shifted softmax that also copes with 0-d and empty input.
const IMPORT = [
  'def softmax(x, axis=-1):',
  '    x = x.astype(np.float64) if x.dtype.kind in "iub" else x',
  '    if x.size == 0 or x.ndim == 0:',
  '        return np.exp(x - x)',
  '    with np.errstate(all="ignore"):',
  '        e = np.exp(x - np.max(x, axis=axis, keepdims=True))',
  '        return e / np.sum(e, axis=axis, keepdims=True)',
].join('\n');

const hex = (t: Tensor) => Buffer.from(tensorBytes(t)).toString('hex');

const PROBE = "print('X', x.dtype.str, x.shape, x.tobytes().hex())";

/**
 * Run many snippets in one Python process (NumPy imports once), each exec'd in fresh globals as if pasted into a
 * new shell; returns each one's stdout.
 */
async function runEach(snippets: string[]): Promise<string[]> {
  const driver = [
    'import io, json, sys, contextlib',
    'outs = []',
    'for code in json.load(sys.stdin):',
    '    buf = io.StringIO()',
    '    with contextlib.redirect_stdout(buf):',
    '        exec(compile(code, "<snippet>", "exec"), {"__name__": "__main__"})',
    '    outs.append(buf.getvalue().rstrip("\\n"))',
    'print(json.dumps(outs))',
  ].join('\n');
  const child = run(defaultPython(), ['-c', driver], { timeout: 30_000, maxBuffer: 1 << 24 });
  child.child.stdin!.end(JSON.stringify(snippets));
  const { stdout } = await child;
  return JSON.parse(stdout) as string[];
}

/** Run the snippet plus lines printing the bytes of x (and expected/actual) and return stdout. */
async function runSnippet(snippet: string, extra: string[] = [], mode: 'script' | 'repl' = 'script') {
  const probe = [PROBE, ...extra].join('\n');
  const code = `${snippet}${probe}\n`;
  if (mode === 'script') return run(defaultPython(), ['-c', code], { timeout: 30_000 });
  const child = run(defaultPython(), ['-i', '-q'], { timeout: 30_000 });
  child.child.stdin!.end(code);
  return child;
}

function bytesLine(t: Tensor): string {
  return `X ${DTYPE_INFO[t.dtype].npyDescr} ${pyShape(t.shape)} ${hex(t)}`;
}

function f64Bits(bits: bigint): Tensor {
  const data = new Float64Array(1);
  new DataView(data.buffer).setBigUint64(0, bits, true);
  return makeTensor('float64', [1], data);
}

const TRICKY: [string, Tensor][] = [
  ['float64 NaN, -0, ±inf, subnormal', fromNumbers('float64', [7], [NaN, -0, 1.5, Infinity, -Infinity, 1e-310, 0.1])],
  ['float32 subnormals and max', fromNumbers('float32', [1, 5], [2 ** -149, -(2 ** -130), Math.fround(0.1), 3.4028234663852886e38, -0])],
  ['float16 values, NaN and -0', fromNumbers('float16', [2, 3], [0.1, 65504, 2 ** -24, -0, NaN, 1 / 3])],
  ['int64 extremes', makeTensor('int64', [2, 2], BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, 0n, 42n]))],
  ['int32 extremes', fromNumbers('int32', [1, 2], [-(2 ** 31), 2 ** 31 - 1])],
  ['0-d', fromNumbers('float64', [], [2.5])],
  ['empty (0, 3)', fromNumbers('float32', [0, 3], [])],
  ['empty (0,)', fromNumbers('float64', [0], [])],
  ['bool', fromNumbers('bool', [3], [1, 0, 1])],
  ['negative NaN float64', f64Bits(0xfff8000000000000n)],
  ['NaN payloads in float32/float16', makeTensor('float32', [2], Uint32ArrayToF32([0xffc00000, 0x7f800001]))],
  ['float16 NaN payload', makeTensor('float16', [2], Uint16Array.from([0xfe00, numberToHalfBits(1)]))],
  ['long float64 (wrapped)', fromNumbers('float64', [10, 30], Array.from({ length: 300 }, (_, i) => Math.sin(i) * 10 ** ((i % 7) - 3)))],
];

function Uint32ArrayToF32(bits: number[]): Float32Array {
  return new Float32Array(Uint32Array.from(bits).buffer);
}

describe('pythonSnippet', () => {
  test('hexFloat and pyFloat spell values exactly', () => {
    expect(hexFloat(3)).toBe('0x1.8p+1');
    expect(hexFloat(1)).toBe('0x1p+0');
    expect(hexFloat(-0.1)).toBe('-0x1.999999999999ap-4');
    expect(hexFloat(5e-324)).toBe('0x0.0000000000001p-1022');
    expect(pyFloat(NaN)).toBe('np.nan');
    expect(pyFloat(-Infinity)).toBe('-np.inf');
    expect(pyFloat(-0)).toBe('-0.0');
    expect(pyFloat(2)).toBe('2.0');
    expect(pyFloat(1e300)).toBe('1e+300');
    expect(pyFloat(3, 'hex')).toBe("float.fromhex('0x1.8p+1')");
  });

  test('rebuilds tricky inputs bit for bit in Python (decimal and float.fromhex)', async () => {
    const cases = (['decimal', 'hex'] as const).flatMap((floats) =>
      TRICKY.map(([name, t]) => ({
        name: `${name} (${floats})`,
        t,
        snippet: pythonSnippet({ input: t, importLine: IMPORT, call: 'softmax(x, axis=-1)', floats }),
      })),
    );
    for (const c of cases) {
      for (const line of c.snippet.split('\n')) expect(line.length, `${c.name}: ${line}`).toBeLessThanOrEqual(100);
    }
    const got = await runEach(cases.map((c) => `${c.snippet}${PROBE}\n`));
    cases.forEach((c, k) => expect(got[k].split('\n').at(-1), c.name).toBe(bytesLine(c.t)));
  });

  test('expected and actual are rebuilt exactly, and the closing assertion passes for a right result', async () => {
    const input = fromNumbers('float64', [2, 3], [1, 2, 3, 1000, 1000, -1000]);
    const expected = fromNumbers('float64', [2, 3], [
      0.09003057317038046, 0.24472847105479767, 0.6652409557748219, 0.5, 0.5, 0,
    ]);
    const actual = fromNumbers('float64', [2, 3], [0.09003057317038046, 0.24472847105479767, 0.6652409557748219, NaN, NaN, NaN]);
    const check = { kind: 'tolerance' as const, expected, allowed: new Float64Array(6).fill(1e-15), profile: 'strict' };
    const snippet = pythonSnippet({
      input, actual, check, importLine: IMPORT, call: 'softmax(x, axis=-1)',
      note: 'overflows: exp(1000) is inf, so the slice becomes NaN\nsecond line',
    });
    expect(snippet).toContain('# overflows: exp(1000) is inf');
    expect(snippet).toContain('# second line');
    expect(snippet.trimEnd().split('\n').at(-1)).toBe("print('conforms on this input')");
    const { stdout } = await runSnippet(snippet, [
      "print('E', expected.tobytes().hex())",
      "print('A', actual.tobytes().hex())",
    ]);
    const lines = stdout.trim().split('\n');
    expect(lines).toContain(`E ${hex(expected)}`);
    expect(lines).toContain(`A ${hex(actual)}`);
    // the tiny candidate is right here, so it passes the assertion
    expect(lines).toContain('conforms on this input');
  });

  test('the assertion fails exactly when the result is out of tolerance (NaN where a number is expected)', async () => {
    const input = fromNumbers('float64', [2], [1000, 1001]);
    const expected = fromNumbers('float64', [2], [0.2689414213699951, 0.7310585786300049]);
    const check = { kind: 'tolerance' as const, expected, allowed: new Float64Array(2).fill(1e-16), profile: 'strict' };
    const naive = 'def softmax(x, axis=-1):\n    return np.exp(x) / np.sum(np.exp(x), axis=axis, keepdims=True)';
    const broken = pythonSnippet({ input, check, importLine: naive, call: 'softmax(x, axis=-1)' });
    await expect(runSnippet(broken)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('AssertionError: 2 element(s) out of tolerance') });
    await expect(runSnippet(pythonSnippet({ input, check, importLine: IMPORT, call: 'softmax(x, axis=-1)' }))).resolves.toMatchObject({ stdout: expect.stringContaining('conforms on this input') });
  });

  test('mutation, determinism, dtype and shape checks assert what their family means', () => {
    const input = fromNumbers('float64', [2], [1, 2]);
    const m = pythonSnippet({ input, importLine: '', call: 'f(x)', check: { kind: 'unchanged-input' } });
    expect(m).toContain('x_before = x.copy()\nout = f(x)');
    expect(m).toContain('assert x.tobytes() == x_before.tobytes()');
    expect(pythonSnippet({ input, importLine: '', call: 'f(x)', check: { kind: 'deterministic' } })).toContain('out2 = f(x)');
    expect(pythonSnippet({ input, importLine: '', call: 'f(x)', check: { kind: 'dtype', dtype: 'float64' } })).toContain('assert np.asarray(out).dtype == np.float64');
    expect(pythonSnippet({ input, importLine: 'from m import f', call: 'f(x)' })).toContain('assert np.shape(out) == x.shape');
  });

  test('pastes cleanly into the interactive shell (multi-line import closed by a blank line)', async () => {
    const input = fromNumbers('float32', [2, 2], [NaN, -0, 2 ** -149, -0]);
    const expected = fromNumbers('float32', [2, 2], [NaN, NaN, 0.5, 0.5]);
    const check = { kind: 'tolerance' as const, expected, allowed: new Float64Array(4).fill(1e-7), profile: 'strict' };
    const snippet = pythonSnippet({ input, check, importLine: IMPORT, call: 'softmax(x, axis=-1)' });
    const { stdout, stderr } = await runSnippet(snippet, [], 'repl');
    expect(stderr).not.toMatch(/SyntaxError|Traceback|Error/);
    expect(stdout).toContain(bytesLine(input));
    expect(stdout).toContain('conforms on this input');
  });
});
