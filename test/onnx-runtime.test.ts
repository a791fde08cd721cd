// Issue 17 item 2: the ONNX Runtime rows run a one-node model written by implementations/onnx_softmax_model.mjs.
// The model must mean what the rows claim: opset 11 normalises the trailing block from `axis` (coerce-2d), opset 13
// the one axis (default -1, written as a 10-byte negative varint), and each runtime rejects what it does not support.
import { describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';

type Out = { dtype: string; shape: number[]; data: ArrayLike<number> };
type Fn = (x: { dtype: string; shape: number[]; data: ArrayLike<number | bigint> }, o?: { axis?: number }) => Promise<Out>;
const load = async (file: string) => (await import(projectPath('implementations', file))) as { softmaxOpset11: Fn; softmaxOpset13: Fn };

const x = { dtype: 'float32', shape: [2, 2, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8) };
/** Softmax of equal-spaced logits 0..n-1 (the blocks above, shifted). */
const ramp = (n: number) => { const e = [...Array(n).keys()].map((i) => Math.exp(i)); const s = e.reduce((a, b) => a + b); return e.map((v) => v / s); };

describe.each(['ort_node_softmax.mjs', 'ort_web_softmax.mjs'])('%s', (file) => {
  it('opset 11 without an axis splits at 1: each 2x2 block sums to one', async () => {
    const y = await (await load(file)).softmaxOpset11(x);
    expect(Array.from(y.data)).toEqual([...ramp(4), ...ramp(4)].map((v) => expect.closeTo(v, 6)));
  });
  it('opset 13 without an axis, and with axis -1, normalises the last axis', async () => {
    const { softmaxOpset13 } = await load(file);
    for (const y of [await softmaxOpset13(x), await softmaxOpset13(x, { axis: -1 })]) {
      expect(y.shape).toEqual([2, 2, 2]);
      expect(Array.from(y.data)).toEqual(Array(4).fill(ramp(2)).flat().map((v) => expect.closeTo(v, 6)));
    }
  });
  it('opset 11 at axis 0 normalises the whole array; opset 13 at axis 0 only the first axis', async () => {
    const { softmaxOpset11, softmaxOpset13 } = await load(file);
    expect(Array.from((await softmaxOpset11(x, { axis: 0 })).data)).toEqual(ramp(8).map((v) => expect.closeTo(v, 6)));
    const e4 = Math.exp(4);
    expect(Array.from((await softmaxOpset13(x, { axis: 0 })).data)).toEqual(Array(8).fill(0).map((_, i) => expect.closeTo(i < 4 ? 1 / (1 + e4) : e4 / (1 + e4), 6)));
  });
  it('keeps float64 in float64 and rejects integer inputs when the session is created', async () => {
    const { softmaxOpset13 } = await load(file);
    const y = await softmaxOpset13({ dtype: 'float64', shape: [3], data: Float64Array.of(3, 1, 0.2) });
    expect(y.dtype).toBe('float64');
    expect(y.data[0]).toBe(0.8360188027814407);
    await expect(softmaxOpset13({ dtype: 'int32', shape: [3], data: Int32Array.of(3, 1, 0) })).rejects.toThrow(/tensor\(int32\).*is invalid/);
  });
});
