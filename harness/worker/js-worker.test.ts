// The JavaScript worker (js-child.mjs) against test/fixtures/candidates/{correct,misbehaving}.mjs.
import { describe, expect, test } from 'vitest';
import { halfBitsToNumber } from '../tensor/float16.js';
import { bitwiseEqual, fromNumbers, makeTensor, toNumbers, type Tensor } from '../tensor/tensor.js';
import { expectKind, start, startFails } from '../../test/fixtures/candidates/helpers.js';
import type { CallRequest } from './types.js';

const x23 = fromNumbers('float64', [2, 3], [1, 2, 3, 4, 5, 6]);
const call = (input: Tensor, args: CallRequest['args'] = {}): CallRequest => ({ input, args });
const bad = (name: string) => start('misbehaving.mjs', { functionName: name });

describe('correct JavaScript', () => {
  test('float64, float32, float16 and int inputs', async () => {
    const w = await start('correct.mjs');
    const f16 = makeTensor('float16', [2], new Uint16Array([0x3c00, 0x4000])); // 1, 2
    const [a, b, c, d] = await w.call([call(x23), call(fromNumbers('float32', [3], [0, 0, 0])), call(f16), call(fromNumbers('int64', [2], [0, 0]))]);
    const ok = expectKind(a, 'ok');
    expect(ok.output.shape).toEqual([2, 3]);
    expect(ok.numpyDtype).toBe('float64');
    expect(ok.mutated).toBe(false);
    const e = [1, 2, 3].map((v) => Math.exp(v - 3));
    const s = e[0] + e[1] + e[2];
    [...toNumbers(ok.output)].forEach((v, i) => expect(v).toBeCloseTo(e[i % 3] / s, 14));
    expect(expectKind(b, 'ok').output.dtype).toBe('float32');
    const half = expectKind(c, 'ok').output;
    expect(half.dtype).toBe('float16');
    // softmax([1, 2]) = [0.2689..., 0.7310...] rounded to half
    expect(halfBitsToNumber((half.data as Uint16Array)[0])).toBeCloseTo(0.2689, 3);
    expect(expectKind(d, 'ok').output.dtype).toBe('float64');
  });

  test('bfloat16 crosses as raw bits (a Uint16Array with dtype "bfloat16"), both ways', async () => {
    const w = await bad('echoBfloat16');
    const x = makeTensor('bfloat16', [3], Uint16Array.of(0x3f80, 0x7fc1, 0x8001)); // 1, a NaN with a payload, -2^-133
    const out = expectKind((await w.call([call(x)]))[0], 'ok');
    expect(out.output.dtype).toBe('bfloat16');
    expect(out.numpyDtype).toBe('bfloat16');
    expect(bitwiseEqual(out.output, x)).toBe(true);
  });

  test('an async function that returns a bare typed array', async () => {
    const w = await bad('asyncSoftmax');
    const ok = expectKind((await w.call([call(x23)]))[0], 'ok');
    expect(ok.output.shape).toEqual([2, 3]);
  });

  test('console output at import and per call is captured', async () => {
    const w = await bad('chatty');
    expect(w.importOutput).toContain('misbehaving.mjs: loading');
    const [a, b] = await w.call([call(x23), call(x23)]);
    expect(expectKind(a, 'ok').captured).toBe('chatty: called\nchatty: on stderr\n');
    expect(expectKind(b, 'ok').captured).toBe('chatty: called\nchatty: on stderr\n');
  });

  test('arguments follow the call style', async () => {
    const w = await start('misbehaving.mjs', { functionName: 'echoArgs', callStyle: 'x-theta-axis' });
    const [a, b] = await w.call([call(x23, { theta: NaN, axis: -1 }), call(x23)]);
    const first = [...toNumbers(expectKind(a, 'ok').output)];
    expect(first[0]).toBeNaN();
    expect(first.slice(1)).toEqual([-1, 0]);
    expect([...toNumbers(expectKind(b, 'ok').output)]).toEqual([-99, -99, 0]);
    const plain = await start('misbehaving.mjs', { functionName: 'echoArgs', callStyle: 'x' });
    expect([...toNumbers(expectKind((await plain.call([call(x23, { axis: 1 })]))[0], 'ok').output)]).toEqual([-99, -99, 1]);
  });

  test('integer typed arrays widen to int64', async () => {
    const w = await bad('int8Output');
    const ok = expectKind((await w.call([call(x23)]))[0], 'ok');
    expect(ok.numpyDtype).toBe('int8');
    expect(ok.output.dtype).toBe('int64');
  });
});

describe('JavaScript that fails', () => {
  test('throws: type and message verbatim', async () => {
    const w = await bad('raises');
    const r = expectKind((await w.call([call(x23)]))[0], 'raised');
    expect(r.type).toBe('TypeError');
    expect(r.message).toBe('<script>alert(1)</script> \u001b[31mred\u001b[0m');
    expect(r.traceback).toContain('misbehaving.mjs');
  });

  test.each([
    ['returnsRagged', 'returned a ragged nested array'],
    ['returnsNothing', 'returned undefined, not a typed array or {dtype, shape, data}'],
    ['wrongDtype', 'returned dtype "float64" but its data is a Float32Array'],
    ['huge', 'returned 50000000 elements for an input of 6'],
  ])('%s is bad output', async (name, problem) => {
    const w = await bad(name);
    expect(expectKind((await w.call([call(x23)]))[0], 'bad-output').problem).toBe(problem);
  });

  test('mutating the input is reported', async () => {
    const w = await bad('mutates');
    const ok = expectKind((await w.call([call(x23)]))[0], 'ok');
    expect(ok.mutated).toBe(true);
    expect([...toNumbers(ok.inputAfter!)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(bitwiseEqual(x23, fromNumbers('float64', [2, 3], [1, 2, 3, 4, 5, 6]))).toBe(true);
  });

  test('a busy loop and a promise that never settles time out', async () => {
    const spin = await bad('spins');
    const never = await bad('neverResolves');
    const [[a], [b]] = await Promise.all([spin.call([call(x23)]), never.call([call(x23)])]);
    expect(expectKind(a, 'timeout').limitMs).toBe(1500);
    expectKind(b, 'timeout');
  });

  test('process.exit is a crash', async () => {
    const w = await bad('exits');
    expect(expectKind((await w.call([call(x23)]))[0], 'crash').exitCode).toBe(3);
  });

  test('filling the V8 heap is memory', async () => {
    const w = await start('misbehaving.mjs', { functionName: 'heapHog', memoryMb: 64, timeoutMs: 20_000 });
    const m = expectKind((await w.call([call(x23)]))[0], 'memory');
    expect(m.limitMb).toBe(64);
    expect(m.stderr).toMatch(/heap/i);
  });

  test('an ArrayBuffer V8 cannot allocate is memory', async () => {
    const w = await bad('bufferHog');
    expectKind((await w.call([call(x23)]))[0], 'memory');
  });

  test('after a timeout, a crash or a throw, the rest of the batch still runs', async () => {
    const w = await bad('selective');
    const m = (k: number): CallRequest => call(fromNumbers('float64', [2], [k, 0]));
    const out = await w.call([m(0), m(1), m(0), m(2), m(0), m(3), m(0)]);
    expect(out.map((o) => o.kind)).toEqual(['ok', 'timeout', 'ok', 'crash', 'ok', 'raised', 'ok']);
  });
});

describe('JavaScript that does not load', () => {
  test('no such export', async () => {
    const f = await startFails('correct.mjs', { functionName: 'softMax' });
    expect(f.kind).toBe('missing-target');
    expect(f.message).toContain("has no export 'softMax'");
    expect(f.message).toContain('softmax');
  });

  test('an export that is not a function', async () => {
    const f = await startFails('misbehaving.mjs', { functionName: 'notAFunction' });
    expect(f.kind).toBe('missing-target');
    expect(f.message).toContain('not a function');
  });
});

describe('memory layouts in JavaScript', () => {
  test('the misaligned layout hands over a subarray view at an offset into a larger buffer; a plain call does not', async () => {
    const w = await start('layout_probe.mjs');
    const [plain, laid] = await w.call([call(x23), call(x23, { layout: { kind: 'misaligned' } })]);
    expect([...toNumbers(expectKind(plain, 'ok').output)]).toEqual([0, 48, 6]);
    const [offset, bufferBytes, length] = [...toNumbers(expectKind(laid, 'ok').output)];
    expect(offset).toBe(24); // three float64s in: whole elements, a typed array cannot start off its alignment
    expect(bufferBytes).toBe(48 + 2 * 24);
    expect(length).toBe(6);
  });

  test('layouts a typed array has no analogue for are not faked with the same offset view: they come as a plain array', async () => {
    const w = await start('layout_probe.mjs');
    const kinds = [{ kind: 'fortran' }, { kind: 'transposed' }, { kind: 'strided', axis: 1 }, { kind: 'readonly' }] as const;
    const outs = await w.call(kinds.map((layout) => call(x23, { layout })));
    for (const o of outs) expect([...toNumbers(expectKind(o, 'ok').output)]).toEqual([0, 48, 6]);
  });

  test('a candidate writing to its view is caught as a mutation of the view, not of the padding', async () => {
    const w = await start('misbehaving.mjs', { functionName: 'mutates' });
    const [o] = await w.call([call(x23, { layout: { kind: 'misaligned' } })]);
    const ok = expectKind(o, 'ok');
    expect(ok.mutated).toBe(true);
    expect(ok.inputAfter!.shape).toEqual([2, 3]);
  });
});
