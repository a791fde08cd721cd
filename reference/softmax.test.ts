import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.js';
import { exactDecimal } from './exact-decimal.js';
import { oracle, oracleCounters, oracleSlice, oracleSliceDecimal, resetOracleCounters, type SoftmaxOp } from './softmax.js';
import { fromNumbers, makeTensor, toNumbers } from '../harness/tensor/tensor.js';
import { numberToHalfBits, halfBitsToNumber } from '../harness/tensor/float16.js';
import { bf16BitsToNumber, numberToBf16Bits, roundToBfloat16 } from '../harness/tensor/bfloat16.js';
import type { FloatDType } from '../harness/tensor/dtype.js';
import type { Policy } from '../harness/contracts.js';

// 200 digits: log S = log(1 + T) keeps enough digits of T >= 1e-140 (the test slices stay above that)
const D = Decimal.clone({ precision: 200 });
const DTYPES: FloatDType[] = ['float64', 'float32', 'float16', 'bfloat16'];

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function roundTo(x: number, dtype: FloatDType): number {
  if (dtype === 'bfloat16') return roundToBfloat16(x);
  return dtype === 'float64' ? x : dtype === 'float32' ? Math.fround(x) : halfBitsToNumber(numberToHalfBits(x));
}

/** The next representable value of the dtype after x, towards +inf (dir 1) or -inf (dir -1). */
function step(x: number, dtype: FloatDType, dir: 1 | -1): number {
  if (dtype === 'float16' || dtype === 'bfloat16') {
    const [toBits, fromBits] = dtype === 'float16' ? [numberToHalfBits, halfBitsToNumber] : [numberToBf16Bits, bf16BitsToNumber];
    let b = toBits(x);
    if (x === 0) b = dir > 0 ? 1 : 0x8001;
    else b += (x > 0) === (dir > 0) ? 1 : -1;
    return fromBits(b);
  }
  if (dtype === 'float32') {
    const f = new Float32Array([x]);
    const u = new Uint32Array(f.buffer);
    if (x === 0) u[0] = dir > 0 ? 1 : 0x80000001;
    else u[0] += (x > 0) === (dir > 0) ? 1 : -1;
    return f[0];
  }
  const f = new Float64Array([x]);
  const u = new BigUint64Array(f.buffer);
  if (x === 0) u[0] = dir > 0 ? 1n : 0x8000000000000001n;
  else u[0] += (x > 0) === (dir > 0) ? 1n : -1n;
  return f[0];
}

/** Softmax / log-softmax at 200 digits, straight from the definition (independent of the oracle's code). */
function reference200(xs: number[], op: SoftmaxOp): Decimal[] {
  const ex = xs.map((x) => exactDecimal(x, D));
  const m = ex.reduce((a, b) => (b.gt(a) ? b : a));
  const S = ex.reduce((acc, x) => acc.plus(D.exp(x.minus(m))), new D(0));
  return ex.map((x) => (op === 'softmax' ? D.exp(x.minus(m)).div(S) : x.minus(m).minus(D.ln(S))));
}

/** y (in the dtype) is the value nearest to v: closer than both neighbours (ties do not occur here). */
function isNearest(y: number, v: Decimal, dtype: FloatDType): boolean {
  if (!Number.isFinite(y)) return false;
  const d = exactDecimal(y, D).minus(v).abs();
  for (const dir of [1, -1] as const) {
    const nb = step(y, dtype, dir);
    if (Number.isFinite(nb) && exactDecimal(nb, D).minus(v).abs().lt(d)) return false;
  }
  return roundTo(y, dtype) === y;
}

const opts = (op: SoftmaxOp, outDtype: FloatDType = 'float64', policy: Policy = 'ieee') => ({ op, policy, outDtype });
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((v, i) => Object.is(v, b[i]) || (Number.isNaN(v) && Number.isNaN(b[i])));

describe('oracleSlice: hard cases', () => {
  it('[1000, 5] and [1e308, -1e308]', () => {
    expect(Array.from(oracleSlice(Float64Array.of(1000, 5), opts('softmax')))).toEqual([1, 0]);
    const l = oracleSlice(Float64Array.of(1000, 5), opts('log-softmax'));
    expect(Object.is(l[0], -0)).toBe(true); // -log1p(e^-995) rounds to -0
    expect(l[1]).toBe(-995);
    expect(Array.from(oracleSlice(Float64Array.of(1e308, -1e308), opts('softmax')))).toEqual([1, 0]);
    const h = oracleSlice(Float64Array.of(1e308, -1e308), opts('log-softmax'));
    expect(Object.is(h[0], -0)).toBe(true);
    expect(h[1]).toBe(-Infinity); // -2e308 is past the largest double
  });

  it('length-1 slices are exactly 1 (log: 0), ties exactly 1/k', () => {
    for (const x of [0, -1e300, 5e-324, 1e308]) {
      expect(Array.from(oracleSlice(Float64Array.of(x), opts('softmax')))).toEqual([1]);
      expect(Object.is(oracleSlice(Float64Array.of(x), opts('log-softmax'))[0], 0)).toBe(true);
    }
    expect(Array.from(oracleSlice(new Float64Array(3).fill(7), opts('softmax')))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(Array.from(oracleSlice(new Float64Array(3).fill(7), opts('softmax', 'float32')))).toEqual(new Array(3).fill(Math.fround(1 / 3)));
    expect(Array.from(oracleSlice(new Float64Array(4).fill(-2), opts('log-softmax')))).toEqual(new Array(4).fill(-Math.log(4)));
  });

  it('subnormal results, and the boundary at half the smallest subnormal', () => {
    expect(oracleSlice(Float64Array.of(0, -744.44), opts('softmax'))[1]).toBe(5e-324);
    expect(oracleSlice(Float64Array.of(0, -744.44), opts('log-softmax'))[0]).toBe(-5e-324);
    // e^-745.1332191019411 > 2^-1075 > e^-745.1332191019412 (ln 2^-1075 = -745.13321910194110842...)
    expect(oracleSlice(Float64Array.of(0, -745.1332191019411), opts('softmax'))[1]).toBe(5e-324);
    expect(oracleSlice(Float64Array.of(0, -745.1332191019412), opts('softmax'))[1]).toBe(0);
    const f32 = oracleSlice(Float64Array.of(0, -100), opts('softmax', 'float32'))[1];
    expect(f32).toBeGreaterThan(0);
    expect(f32).toBeLessThan(2 ** -126); // e^-100 = 3.7e-44, a float32 subnormal
    expect(oracleSlice(Float64Array.of(0, -12), opts('softmax', 'float16'))[1]).toBe(halfBitsToNumber(numberToHalfBits(Math.exp(-12) / (1 + Math.exp(-12)))));
  });

  it('log-softmax where x_i - max is a rounding midpoint rounds away from zero', () => {
    expect(oracleSlice(Float64Array.of(1, -(2 ** 53)), opts('log-softmax'))[1]).toBe(-(2 ** 53) - 2);
    expect(oracleSlice(Float64Array.of(1, -(2 ** 24)), opts('log-softmax', 'float32'))[1]).toBe(-(2 ** 24) - 2);
    expect(oracleSlice(Float64Array.of(1, -(2 ** 53), 1 - 2000), opts('log-softmax'))[1]).toBe(-(2 ** 53) - 2);
  });

  it('huge common offsets and near-equal logits', () => {
    const off = 1e15;
    const y = oracleSlice(Float64Array.of(off, off + 0.125, off - 0.125), opts('softmax'));
    const want = reference200([off, off + 0.125, off - 0.125], 'softmax');
    y.forEach((v, i) => expect(isNearest(v, want[i], 'float64')).toBe(true));
    const base = 3.474546428269128;
    const xs = [0, 1, -1, 2, -3, 4].map((j) => base + j * 2 ** -51);
    const z = oracleSlice(Float64Array.from(xs), opts('softmax'));
    const wz = reference200(xs, 'softmax');
    z.forEach((v, i) => expect(isNearest(v, wz[i], 'float64')).toBe(true));
  });
});

describe('special-value policies', () => {
  const run = (xs: number[], op: SoftmaxOp, policy: Policy) => Array.from(oracleSlice(Float64Array.from(xs), opts(op, 'float64', policy)));
  it('ieee: NaN and +inf poison the slice, all -inf is NaN, -inf among finite is exactly 0 (log -inf)', () => {
    expect(run([NaN, 1], 'softmax', 'ieee').every(Number.isNaN)).toBe(true);
    expect(run([Infinity, 1], 'softmax', 'ieee').every(Number.isNaN)).toBe(true);
    expect(run([-Infinity, -Infinity], 'softmax', 'ieee').every(Number.isNaN)).toBe(true);
    expect(run([0, -Infinity], 'softmax', 'ieee')).toEqual([1, 0]);
    expect(run([0, -Infinity], 'log-softmax', 'ieee')).toEqual([0, -Infinity]);
  });
  it('limit: +inf copies share the mass; NaN still poisons; all -inf is NaN', () => {
    expect(run([Infinity, 1, Infinity, -Infinity], 'softmax', 'limit')).toEqual([0.5, 0, 0.5, 0]);
    expect(run([Infinity, 1, Infinity], 'log-softmax', 'limit')).toEqual([-Math.LN2, -Infinity, -Math.LN2]);
    expect(run([Infinity, NaN], 'softmax', 'limit').every(Number.isNaN)).toBe(true);
    expect(run([-Infinity, -Infinity], 'softmax', 'limit').every(Number.isNaN)).toBe(true);
    expect(run([3, 1], 'softmax', 'limit')).toEqual(run([3, 1], 'softmax', 'ieee'));
  });
  it('masked: an all -inf slice gives zeros (log: -inf), the rest as ieee', () => {
    expect(run([-Infinity, -Infinity], 'softmax', 'masked')).toEqual([0, 0]);
    expect(run([-Infinity, -Infinity], 'log-softmax', 'masked')).toEqual([-Infinity, -Infinity]);
    expect(run([Infinity, 0], 'softmax', 'masked').every(Number.isNaN)).toBe(true);
  });
});

describe('oracle over tensors', () => {
  it('normalises every slice of the axes, keeps float dtypes, promotes integers to float64', () => {
    const x = fromNumbers('float32', [2, 3], [1, 2, 3, 3, 2, 1]);
    const rows = oracle(x, [1], { op: 'softmax', policy: 'ieee' });
    expect(rows.dtype).toBe('float32');
    const r = toNumbers(rows);
    expect(Array.from(r.slice(0, 3))).toEqual(Array.from(oracleSlice(Float64Array.of(1, 2, 3), opts('softmax', 'float32'))));
    const cols = toNumbers(oracle(x, [0], { op: 'softmax', policy: 'ieee' }));
    expect(Array.from([cols[0], cols[3]])).toEqual(Array.from(oracleSlice(Float64Array.of(1, 3), opts('softmax', 'float32'))));
    const all = toNumbers(oracle(x, [0, 1], { op: 'softmax', policy: 'ieee' }));
    expect(Array.from(all)).toEqual(Array.from(oracleSlice(Float64Array.of(1, 2, 3, 3, 2, 1), opts('softmax', 'float32'))));
    const ints = oracle(fromNumbers('int32', [3], [1, 2, 3]), [0], { op: 'log-softmax', policy: 'ieee' });
    expect(ints.dtype).toBe('float64');
    const h = oracle(fromNumbers('float16', [2], [0, -12]), [-1], { op: 'softmax', policy: 'ieee' });
    expect(h.dtype).toBe('float16');
  });
  it('empty tensors give empty outputs; rank 0 is its own slice', () => {
    expect(oracle(makeTensor('float64', [0, 3]), [1], { op: 'softmax', policy: 'ieee' }).shape).toEqual([0, 3]);
    expect(oracle(makeTensor('float64', [3, 0]), [1], { op: 'softmax', policy: 'ieee' }).data.length).toBe(0);
    expect(Array.from(toNumbers(oracle(fromNumbers('float64', [], [5]), [], { op: 'softmax', policy: 'ieee' })))).toEqual([1]);
  });
  it('counts slices, elements and fallbacks', () => {
    resetOracleCounters();
    oracle(fromNumbers('float64', [4, 5], new Array(20).fill(0).map((_, i) => i)), [1], { op: 'softmax', policy: 'ieee' });
    const c = oracleCounters();
    expect(c.slices).toBe(4);
    expect(c.elements).toBe(20);
    expect(c.fallbackElements).toBe(0);
  });
});

// Issue 19: the fast path against decimal.js alone over the whole exponent range of each dtype (not only |x| <= 20),
// and against the 200-digit definition where the fast path hands over or the format runs out: the overflow of a
// log-softmax result past the largest finite value, the exp overflow/underflow thresholds of the inputs, the cuts
// where terms are dropped (x - max below -800, -1100, -2048) and results just above the smallest normal.
describe('oracleSlice: the fast path across the full exponent range', () => {
  const EMAX = { float64: 1023, float32: 127, float16: 15, bfloat16: 127 };
  const EMIN = { float64: -1074, float32: -149, float16: -24, bfloat16: -133 };
  const MAX = { float64: Number.MAX_VALUE, float32: 3.4028234663852886e38, float16: 65504, bfloat16: 3.3895313892515355e38 };
  const MIN_NORMAL = { float64: 2 ** -1022, float32: 2 ** -126, float16: 2 ** -14, bfloat16: 2 ** -126 };

  /** A value of the dtype with a random sign and a random exponent anywhere in its range (|x| up to 1e308). */
  const anywhere = (rnd: () => number, dtype: FloatDType) => {
    const e = EMIN[dtype] + Math.floor(rnd() * (EMAX[dtype] - EMIN[dtype] + 1));
    const v = (1 + rnd()) * 2 ** Math.min(e, 1023) * (e > 1023 ? 2 ** (e - 1023) : 1);
    return roundTo(Math.min(v, MAX[dtype]) * (rnd() < 0.5 ? -1 : 1), dtype);
  };

  for (const dtype of DTYPES) {
    for (const op of ['softmax', 'log-softmax'] as const) {
      it(`${op} in ${dtype}: the same bits as decimal.js alone, on slices with exponents across the range`, () => {
        const rnd = lcg(1000 + dtype.length * 13 + op.length);
        let big = 0;
        for (let t = 0; t < 60; t++) {
          const n = 2 + (t % 5);
          let xs: number[];
          if (t % 3 === 0) {
            xs = Array.from({ length: n }, () => anywhere(rnd, dtype)); // unrelated magnitudes
          } else {
            // a cluster around a large or small base, spread so that the cuts and thresholds are crossed
            const base = anywhere(rnd, dtype);
            const spread = [1, 30, 760, 1200, 2500][t % 5];
            xs = Array.from({ length: n }, () => roundTo(base + (rnd() - 0.5) * spread, dtype));
          }
          if (xs.some((v) => Math.abs(v) >= 1e300)) big++;
          const v = Float64Array.from(xs);
          const fast = oracleSlice(v, opts(op, dtype));
          const slow = oracleSliceDecimal(v, opts(op, dtype));
          expect(same(fast, slow), `${op} ${dtype} [${xs}]: ${Array.from(fast)} vs ${Array.from(slow)}`).toBe(true);
        }
        if (dtype === 'float64') expect(big, 'some slices reach |x| >= 1e300').toBeGreaterThan(0);
      });
    }
  }

  it('log-softmax results past the largest finite value overflow to -inf, and up to it round to it (every dtype)', () => {
    for (const dtype of DTYPES) {
      const max = MAX[dtype];
      const halfUlp = 2 ** (EMAX[dtype] - (dtype === 'float64' ? 53 : dtype === 'float32' ? 24 : dtype === 'bfloat16' ? 8 : 11));
      // x_1 - x_0 = -(max + halfUlp): the IEEE overflow threshold, beyond it by log1p(e^-that) > 0: -inf
      const cases: [number[], number][] = [
        [[0, -max], -max],
        [[0, -(max + halfUlp / 2)], -max],
        [[0, -(max + halfUlp)], -Infinity],
        [[max, -max], -Infinity],
      ];
      for (const [xs, want] of cases) {
        if (!Number.isFinite(xs[1])) continue; // float64: max + halfUlp is not a double
        const v = Float64Array.from(xs);
        const fast = oracleSlice(v, opts('log-softmax', dtype));
        expect(fast[1], `${dtype} [${xs}]`).toBe(want);
        expect(same(fast, oracleSliceDecimal(v, opts('log-softmax', dtype)))).toBe(true);
      }
    }
    // float64: the difference itself overflows (1e308 - -1e308), the max element's result is -0
    const h = oracleSlice(Float64Array.of(1e308, -1e308), opts('log-softmax'));
    expect([Object.is(h[0], -0), h[1]]).toEqual([true, -Infinity]);
  });

  // reference200, except that log S = log(k + T) keeps T when k = 1 and T is far below 1e-140 (here down to
  // e^-2051 ~ 1e-891, where 1 + T at 200 digits would be 1): log1p(T) = T - T^2/2 + O(T^3) there.
  function referenceAt(xs: number[], op: SoftmaxOp): Decimal[] {
    const ex = xs.map((x) => exactDecimal(x, D));
    const m = ex.reduce((a, b) => (b.gt(a) ? b : a));
    const k = ex.filter((x) => x.eq(m)).length;
    const T = ex.reduce((acc, x) => (x.eq(m) ? acc : acc.plus(D.exp(x.minus(m)))), new D(0));
    const lnS = k === 1 && T.lt(1e-100) ? T.minus(T.times(T).div(2)) : D.ln(T.plus(k));
    return ex.map((x) => (op === 'softmax' ? D.exp(x.minus(m).minus(lnS)) : x.minus(m).minus(lnS)));
  }

  it('agrees with the 200-digit definition at the exp thresholds, the cuts and just above the smallest normal', () => {
    for (const dtype of DTYPES) {
      const lnMinNormal = Math.log(MIN_NORMAL[dtype]);
      const ds = [
        709.78, 709.79, -745.13, -745.14, -799.9, -800, -800.1, -1099.9, -1100.1, -2047.9, -2048.1,
        lnMinNormal, lnMinNormal + 1e-9, lnMinNormal + 1e-6, lnMinNormal + Math.LN2 - 1e-9, lnMinNormal - 1e-9,
      ];
      for (const d of ds) {
        for (const op of ['softmax', 'log-softmax'] as const) {
          const xs = [0, roundTo(d, dtype), roundTo(d - 3, dtype)];
          const y = oracleSlice(Float64Array.from(xs), opts(op, dtype));
          const want = referenceAt(xs, op);
          y.forEach((v, i) => {
            // 0 where the true value is below half the smallest subnormal, else the nearest value
            if (v === 0) expect(want[i].abs().lte(new D(2).pow(EMIN[dtype] - 1)), `${op} ${dtype} [${xs}] element ${i}`).toBe(true);
            else expect(isNearest(v, want[i], dtype), `${op} ${dtype} [${xs}] element ${i}: ${v} vs ${want[i].toPrecision(25)}`).toBe(true);
          });
        }
      }
    }
  });

  it('results just above the smallest normal are normal, correctly rounded, and in the flush band', () => {
    for (const dtype of DTYPES) {
      const min = MIN_NORMAL[dtype];
      // softmax([0, ln(r min)]) ~ r min (1 - r min): just above the smallest normal for r slightly above 1
      // bfloat16 has 8 significant bits: 1.999 min rounds to 2 min there
      for (const r of dtype === 'bfloat16' ? [1.25, 1.5, 1.9] : [1 + 2 ** -20, 1.25, 1.999]) {
        const xs = [0, Math.log(r * min)];
        const y = oracleSlice(Float64Array.from(xs), opts('softmax', dtype))[1];
        expect(y, `${dtype} r = ${r}`).toBeGreaterThanOrEqual(min);
        expect(y).toBeLessThan(2 * min);
        expect(isNearest(y, reference200(xs, 'softmax')[1], dtype)).toBe(true);
        expect(same(oracleSliceDecimal(Float64Array.from(xs), opts('softmax', dtype)), oracleSlice(Float64Array.from(xs), opts('softmax', dtype)))).toBe(true);
      }
    }
  });
});

// Last in the file: the slowest tests here (a 200-digit reference per slice). Stryker stops a mutant's run at its first
// failing test, so the cheap, targeted tests above come first (vitest.mutation.config.ts orders the files likewise).
describe('oracleSlice: correctly rounded against decimal.js at 200 digits', () => {
  for (const dtype of DTYPES) {
    for (const op of ['softmax', 'log-softmax'] as const) {
      it(`${op} in ${dtype}, random slices`, () => {
        const rnd = lcg(dtype.length * 7 + op.length);
        const scale = { float64: 250, float32: 60, float16: 8, bfloat16: 60 }[dtype];
        for (let t = 0; t < 30; t++) {
          const n = 1 + Math.floor(rnd() * 12);
          const xs = Array.from({ length: n }, () => roundTo((rnd() - 0.5) * scale * (t % 3 === 0 ? 0.01 : 1), dtype));
          const y = oracleSlice(Float64Array.from(xs), opts(op, dtype));
          const want = reference200(xs, op);
          y.forEach((v, i) => expect(isNearest(v, want[i], dtype), `${op} ${dtype} [${xs}] element ${i}: ${v} vs ${want[i].toPrecision(25)}`).toBe(true));
        }
      });
    }
  }

  it('the decimal.js path alone gives the same bits as the fast path', () => {
    const rnd = lcg(99);
    for (const dtype of DTYPES) {
      for (const op of ['softmax', 'log-softmax'] as const) {
        for (let t = 0; t < 8; t++) {
          const xs = Float64Array.from({ length: 1 + (t % 6) }, () => roundTo((rnd() - 0.5) * 40, dtype));
          expect(same(oracleSliceDecimal(xs, opts(op, dtype)), oracleSlice(xs, opts(op, dtype)))).toBe(true);
        }
      }
    }
  });
});
