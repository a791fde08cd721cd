// Branches removed from the oracle as redundant (docs/mutation.md, "reference/: redundant code removed"): each
// removal is checked here on the inputs that reached the removed code, bit for bit (sign of zero included) against
// decimal.js alone (oracleSliceDecimal, which never runs the fast path), in every output format; and the fast path
// still decides them itself (no element goes to decimal.js). The removals:
// - fast.ts, logSoftmaxCore: the -inf element's own branch (-inf - m = -inf takes the overflow branch); the test
//   `yh === -Infinity` (|d| + log S never overflows: log S <= log n); `others > 0` before `d2 >= LOG_ABS_CUT` (no
//   others leaves d2 = -inf). (The series length J was removed too and put back by the lead: summing all 48 terms
//   cost a sixth more time on such rows; these comparisons cover the series either way.)
// - fallback.ts, ExactSlice: the -inf element's own return (the difference tests below it give the same value);
//   `others === 0` in logLevel (d2 = -inf again) and its `negl` special case (0 others times e^-2048 is 0); the
//   sign of exactDifference (it is only called for elements below the max).
import { describe, expect, it } from 'vitest';
import type { FloatDType } from '../harness/tensor/dtype.js';
import { oracleCounters, oracleSlice, oracleSliceDecimal, resetOracleCounters, type SoftmaxOp } from './softmax.js';

const MAX = Number.MAX_VALUE;
const DTYPES: FloatDType[] = ['float64', 'float32', 'float16', 'bfloat16'];

/** Fast path and decimal.js alone agree to the bit on every element, and the fast path decided every element. */
function agree(xs: number[], op: SoftmaxOp, dtype: FloatDType): void {
  const opts = { op, policy: 'ieee' as const, outDtype: dtype };
  resetOracleCounters();
  const fast = Array.from(oracleSlice(Float64Array.from(xs), opts));
  expect(oracleCounters().fallbackElements, `${op} [${xs}] in ${dtype}: decided by the fast path`).toBe(0);
  const exact = Array.from(oracleSliceDecimal(Float64Array.from(xs), opts));
  fast.forEach((y, i) => expect(Object.is(y, exact[i]), `${op} [${xs}] in ${dtype}, element ${i}: ${y} vs ${exact[i]}`).toBe(true));
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('removed branches: the same bits as decimal.js on the inputs that reached them', () => {
  it('-inf elements among finite values, one or several maxima', () => {
    const slices = [[0, -Infinity], [1, -Infinity, 3, -Infinity], [-Infinity, 2, 2], [5, -Infinity, 5 - 3000], [-Infinity, 7, 6.5, -Infinity, 7]];
    for (const op of ['softmax', 'log-softmax'] as const) for (const dtype of DTYPES) for (const xs of slices) agree(xs, op, dtype);
  });

  it('|d| + log S at the top of the range: differences at and near -MAX, with up to 300 maxima (log S ~ 5.7)', () => {
    const m = 2 ** 1023;
    const slices = [
      [m, m - MAX], // d = -MAX exactly
      [...Array.from({ length: 300 }, () => m), m - MAX],
      [m, m, (m - MAX) * (1 - 2 ** -50)],
      [1, 0.5, -MAX], // d = -MAX - 1 rounds to -MAX; k = 1 with log1p(T) on the scaled path
      [1, 1, -1, -MAX],
      [m, -m, -MAX], // the last difference overflows: -inf
    ];
    for (const dtype of DTYPES) for (const xs of slices) agree(xs, 'log-softmax', dtype);
  });

  it('log-softmax with one max and T < 1/8 (the log1p series), T from 0.12 down to e^-2047 (w^2 underflows)', () => {
    const slices = [[0, -2.2], [0, -3], [0, -2.5, -7], [0, -20], [0, -36.7], [0, -700], [0, -1000, -1500], [0, -1400], [0, -2047], [3.25, 3.25 - 2047.5]];
    for (const dtype of DTYPES) for (const xs of slices) agree(xs, 'log-softmax', dtype);
    // and 300 random ones: 1 to 8 others between 3 and 60 below the max, full 53-bit values
    const rnd = lcg(19);
    for (let t = 0; t < 300; t++) {
      const m = (rnd() - 0.5) * 2 ** (1 + (t % 9));
      const xs = [m, ...Array.from({ length: 1 + (t % 8) }, () => m - 3 - 57 * (rnd() + rnd() * 2 ** -26))];
      agree(xs, 'log-softmax', DTYPES[t % 4]);
    }
  });

  it('the float64 shortcut: for x > 0 and w >= 0, x - w === x implies x + w === x (so one side is tested)', () => {
    // around powers of two (where the side below is half as wide) and ordinary values, w at and beside the half
    // spacings (ties included), both parities
    const f = new Float64Array(1);
    const b = new BigInt64Array(f.buffer);
    const step = (x: number, k: number) => ((f[0] = x), (b[0] += BigInt(k)), f[0]);
    let both = 0;
    for (const x0 of [1, 2 ** -1022, 2 ** -500, 0.75, 1.5, 2 ** 1000, 3 ** 40, 1 / 3]) {
      for (let k = -2; k <= 2; k++) {
        const x = step(x0, k);
        const up = step(x, 1) - x;
        const down = x - step(x, -1);
        for (const h of [up / 2, down / 2, up / 4, up, 0]) {
          for (let j = -2; j <= 2; j++) {
            const w = h === 0 ? 0 : step(h, j);
            if (x - w === x) {
              expect(x + w === x, `${x} ${w}`).toBe(true);
              expect(-x + w === -x && -x - w === -x, `${-x} ${w}`).toBe(true); // the mirror, for log-softmax's yh < 0
              both++;
            }
          }
        }
      }
    }
    expect(both).toBeGreaterThan(100);
  });

  it('slices of maxima only, and others negligible (below e^-2048) with one or several maxima', () => {
    const slices = [[3], [3, 3], [3, 3, -Infinity], [-1, -1, -1, -Infinity], [0, -3000], [0, 0, -3000], [1e300, -1e300], [0.1, -5000.3], [2 ** 60, -(2 ** 62)], [7e-300, -2100], [1.5, -2049.75], [-2049.75 + 2 ** -40, -4099.5],
      // differences at a rounding midpoint of float16 (-2049, -2051), float32 (-(2049 + 2^-13)) and bfloat16 (-2056):
      // log-softmax rounds them away from zero (y = d - a negligible T)
      [0, -2049], [5, 5 - 2051], [0, -(2049 + 2 ** -13)], [0, -2056], [0, 0, -2049]];
    for (const op of ['softmax', 'log-softmax'] as const) for (const dtype of DTYPES) for (const xs of slices) agree(xs, op, dtype);
  });
});
