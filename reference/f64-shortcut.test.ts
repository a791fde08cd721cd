// The float64 shortcut of the fast path: when the double-double's high part is already the nearest double and the
// whole error interval stays inside its rounding interval, that high part is the answer, without roundMag's general
// rounding (softmaxCore, logSoftmaxCore). It decides almost every float64 element, and is much of what makes the
// float64 oracle fast enough for audits. Turned off, every element still gets the same bits through roundMag, so only
// the route shows it: the number of roundMag calls on ordinary float64 slices. Narrow formats never take it.
import { describe, expect, it, vi } from 'vitest';

vi.mock('./round.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('./round.js')>();
  return { ...mod, roundMag: vi.fn((...a: Parameters<typeof mod.roundMag>) => mod.roundMag(...a)) };
});

import { roundMag } from './round.js';
import { oracleSlice } from './softmax.js';

const calls = vi.mocked(roundMag);

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/**
 * roundMag calls per element other than the max over 200 random slices of 2-13 elements, spread 20 (log-softmax's
 * max element, -log S, is always rounded by roundMag: one call per slice, not counted here).
 */
function callsPerElement(op: 'softmax' | 'log-softmax', outDtype: 'float64' | 'float32'): number {
  const rnd = lcg(op.length * 31 + outDtype.length);
  let elements = 0;
  calls.mockClear();
  for (let t = 0; t < 200; t++) {
    const xs = Float64Array.from({ length: 2 + (t % 12) }, () => (rnd() - 0.5) * 20);
    oracleSlice(xs, { op, policy: 'ieee', outDtype });
    elements += xs.length - 1;
  }
  return (calls.mock.calls.length - (op === 'log-softmax' ? 200 : 0)) / elements;
}

describe('the float64 shortcut decides ordinary float64 elements without roundMag', () => {
  for (const op of ['softmax', 'log-softmax'] as const) {
    it(op, () => {
      const f64 = callsPerElement(op, 'float64');
      expect(f64).toBeLessThan(0.05);
      // float32 results are rounded by roundMag: the shortcut is float64's alone (and the spy does see the calls)
      expect(callsPerElement(op, 'float32')).toBeGreaterThan(0.5);
    });
  }
});
