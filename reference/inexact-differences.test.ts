// Inputs whose differences x - max are not doubles. The random slices of softmax.test.ts have about 31 significant
// bits (a 31-bit generator), so every x - max there is exact; with full 53-bit inputs of both signs near 0 it is
// rounded, and the fast path must carry the rounding error (a TwoSum) into exp, or miss a result by up to about a
// quarter ulp, which its error bound does not cover. Checked bit for bit against decimal.js alone, which takes the
// differences exactly.
import { describe, expect, it } from 'vitest';
import { oracleSlice, oracleSliceDecimal } from './softmax.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('x - max rounded: full 53-bit inputs of both signs', () => {
  for (const op of ['softmax', 'log-softmax'] as const) {
    it(`${op}: the fast path gives decimal.js's bits`, () => {
      const rnd = lcg(op.length * 977);
      const full = () => (rnd() - 0.5 + (rnd() - 0.5) * 2 ** -31) * 4;
      for (let t = 0; t < 120; t++) {
        const xs = Float64Array.from({ length: 2 + (t % 4) }, full);
        const opts = { op, policy: 'ieee' as const, outDtype: 'float64' as const };
        expect(Array.from(oracleSlice(xs, opts)), `[${Array.from(xs)}]`).toEqual(Array.from(oracleSliceDecimal(xs, opts)));
      }
    });
  }

  it('log-softmax [0, x] with e^x in (0.007, 0.125): the log1p series path, x a full 53-bit value', () => {
    const rnd = lcg(4242);
    for (let t = 0; t < 150; t++) {
      const xs = Float64Array.of(0, -2.1 - 2.9 * (rnd() + rnd() * 2 ** -31));
      const opts = { op: 'log-softmax' as const, policy: 'ieee' as const, outDtype: 'float64' as const };
      expect(Array.from(oracleSlice(xs, opts)), `[${Array.from(xs)}]`).toEqual(Array.from(oracleSliceDecimal(xs, opts)));
    }
  });
});
