// Value families: each a pure function from (shape, dtype, params) to the tensor's values, exact in the dtype.
// The params are drawn independently of shape and dtype (see cases.ts for why), so every family reads them the
// same way: `vals` are raw integers cycled over the elements, `marks` are element (or slice) positions taken modulo
// the count, `pick` chooses a variant. Raw values shrink toward 0, which each family maps to its simplest value.
import fc from 'fast-check';
import { type DType, FLOAT_DTYPES, type FloatDType, isFloatDType, resultDType } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/tensor.js';
import { FLOAT_LIMITS, INT_LIMITS, roundTo, stepUlps } from './limits.js';

export interface ValueParams {
  /** raw integers in [-RAW, RAW]; element i reads a shifted cycle of them (see unit) */
  vals: number[];
  /** at least one position; a family puts its special value (NaN, inf, -inf slice, ...) at mark % count */
  marks: number[];
  /** small variant selector (which threshold, which scale, ...) */
  pick: number;
}

export const RAW = 1_000_000;

export const valueParamsArb: fc.Arbitrary<ValueParams> = fc.record({
  vals: fc.array(fc.integer({ min: -RAW, max: RAW }), { minLength: 1, maxLength: 24 }),
  marks: fc.array(fc.nat({ max: 4095 }), { minLength: 1, maxLength: 4 }),
  pick: fc.nat({ max: 11 }),
});

const FLOATS: readonly DType[] = FLOAT_DTYPES;
const ALL: readonly DType[] = ['float64', 'float32', 'float16', 'bfloat16', 'int32', 'int64'];

/** Where element i sits: its last-axis slice (row) and its position in it (col). Rank 0 is one slice of one. */
interface Layout {
  size: number;
  last: number;
  rows: number;
  row(i: number): number;
  col(i: number): number;
}

function layout(shape: readonly number[]): Layout {
  const size = sizeOf(shape);
  const last = shape.length === 0 ? 1 : shape[shape.length - 1];
  return {
    size,
    last,
    rows: last === 0 ? 0 : size / last,
    row: (i) => Math.floor(i / last),
    col: (i) => i % last,
  };
}

/** Raw value for element i in [-1, 1]. The cycle shifts by one each lap so equal-length rows do not repeat. */
function unit(p: ValueParams, i: number): number {
  const n = p.vals.length;
  return p.vals[(i + Math.floor(i / n)) % n] / RAW;
}

function markSet(p: ValueParams, count: number): Set<number> {
  return new Set(count > 0 ? p.marks.map((m) => m % count) : []);
}

/** Float limits of the dtype the softmax is computed in (integers promote to float64, as in NumPy). */
function limitsFor(dtype: DType) {
  return FLOAT_LIMITS[resultDType(dtype)];
}

type Build = (L: Layout, dtype: DType, p: ValueParams) => (i: number) => number;

export interface FamilySpec {
  name: string;
  /** relative weight in caseArb (see cases.ts for the audit arithmetic) */
  weight: number;
  /** dtypes the family makes sense for */
  dtypes: readonly DType[];
  /** the family's point is a value, so it only gets shapes with at least one element */
  needsElements: boolean;
  description: string;
  build: Build;
}

/** Around a threshold: t + 2u, and at the marks the dtype's exact neighbours of t (a few ULPs either side). */
function aroundThreshold(t: number): Build {
  return (L, dtype, p) => {
    const marks = markSet(p, L.size);
    const exact = roundTo(dtype, t);
    const mixOrdinary = p.pick % 2 === 1;
    return (i) => {
      if (mixOrdinary && L.col(i) % 2 === 1) return 5 * unit(p, i);
      if (marks.has(i) && isFloatDType(dtype)) return stepUlps(dtype, exact, ((i + p.pick) % 5) - 2);
      return t + 2 * unit(p, i);
    };
  };
}

const SPREAD_SCALES = [1000, 100, 10000];

export const FAMILY_SPECS: readonly FamilySpec[] = [
  {
    name: 'ordinary',
    weight: 4,
    dtypes: FLOATS,
    needsElements: false,
    description: 'values in [-10, 10]',
    build: (_L, _d, p) => (i) => 10 * unit(p, i),
  },
  {
    name: 'integers',
    weight: 2,
    dtypes: ALL,
    needsElements: false,
    description: 'small integers (in [-10, 10], some variants up to ±1000); ties are common',
    build: (_L, _d, p) => (i) => Math.round(10 * unit(p, i)) * [1, 1, 10, 100][p.pick % 4],
  },
  {
    name: 'huge',
    weight: 2,
    dtypes: ALL,
    needsElements: true,
    description: 'magnitudes log-uniform from 1 up to ±finfo.max (±iinfo.max for ints), exactly ±max at the marks',
    build: (L, dtype, p) => {
      const max = isFloatDType(dtype) ? FLOAT_LIMITS[dtype].max : INT_LIMITS[dtype as 'int32' | 'int64'].max;
      const marks = [...markSet(p, L.size)];
      return (i) => {
        const k = marks.indexOf(i);
        if (k >= 0) return (k + p.pick) % 2 === 0 ? max : -max;
        const u = unit(p, i);
        return Math.sign(u || 1) * Math.min(max, Math.exp(Math.log(max) * Math.abs(u)));
      };
    },
  },
  {
    name: 'overflow',
    weight: 3,
    dtypes: ALL,
    needsElements: true,
    description: "around the computing dtype's exp overflow threshold log(finfo.max) (float64 ~709.78, float32 ~88.72, float16 ~11.09, bfloat16 ~88.72)",
    build: (L, dtype, p) => aroundThreshold(limitsFor(dtype).expOverflow)(L, dtype, p),
  },
  {
    name: 'underflow',
    weight: 3,
    dtypes: ALL,
    needsElements: true,
    description: 'around where exp underflows: to 0 (float64 ~-745.13, float32 ~-103.97, float16 ~-17.33) or to subnormal (~-708.40, ~-87.34, ~-9.70)',
    build: (L, dtype, p) => {
      const lim = limitsFor(dtype);
      return aroundThreshold(Math.floor(p.pick / 2) % 2 === 0 ? lim.expZero : lim.expSubnormal)(L, dtype, p);
    },
  },
  {
    name: 'spread-between',
    weight: 3,
    dtypes: ALL,
    needsElements: true,
    description: 'last-axis slices alternately near +S and -S (S = 1000 by default): a global max underflows the low slices',
    build: (L, _d, p) => {
      const s = SPREAD_SCALES[p.pick % 3];
      return (i) => (L.row(i) % 2 === 0 ? s : -s) + 5 * unit(p, i);
    },
  },
  {
    name: 'spread-within',
    weight: 2,
    dtypes: ALL,
    needsElements: true,
    description: 'within each last-axis slice, values alternate near +S and -S (S = 1000 by default)',
    build: (L, _d, p) => {
      const s = SPREAD_SCALES[p.pick % 3];
      return (i) => ((L.row(i) + L.col(i)) % 2 === 0 ? s : -s) + 5 * unit(p, i);
    },
  },
  {
    name: 'offset',
    weight: 2,
    dtypes: ALL,
    needsElements: true,
    description: 'a large common offset plus small differences: ±1e6 + [-5, 5] (±1000 for float16 and bfloat16)',
    build: (_L, dtype, p) => {
      const o = (dtype === 'float16' || dtype === 'bfloat16' ? 1000 : 1e6) * (p.pick % 2 === 0 ? 1 : -1);
      return (i) => o + 5 * unit(p, i);
    },
  },
  {
    name: 'near-equal',
    weight: 2,
    dtypes: FLOATS,
    needsElements: true,
    description: 'one base value and neighbours a few ULPs (at most 4) away from it',
    build: (_L, dtype, p) => {
      const scale = [1, 100, 1000][p.pick % 3];
      const base = roundTo(dtype, 10 * scale * (p.vals[0] / RAW));
      return (i) => stepUlps(dtype as FloatDType, base, Math.round(4 * unit(p, i)));
    },
  },
  {
    name: 'dominant',
    weight: 2,
    dtypes: ALL,
    needsElements: true,
    description: 'in each last-axis slice one logit far above the rest (20..60, scaled by up to 100), the rest in [-5, 5]',
    build: (L, _d, p) => {
      const scale = [1, 1, 10, 100][p.pick % 4];
      return (i) => (L.col(i) === (p.marks[0] + L.row(i)) % L.last
        ? (20 + 40 * Math.abs(unit(p, i))) * scale
        : 5 * unit(p, i));
    },
  },
  {
    name: 'subnormal-result',
    weight: 2,
    dtypes: ALL,
    needsElements: true,
    description: 'each last-axis slice has a max m and others m - d with exp(-d) subnormal in the computing dtype',
    build: (L, dtype, p) => {
      const lim = limitsFor(dtype);
      const lo = -lim.expSubnormal;
      const hi = -Math.log(lim.minSubnormal);
      const tops = new Map<number, number>();
      return (i) => {
        const r = L.row(i);
        if (!tops.has(r)) tops.set(r, roundTo(dtype, 5 * unit(p, r * L.last)));
        const m = tops.get(r)!;
        if (L.col(i) === (p.marks[0] + r) % L.last) return m;
        return m - (lo + (hi - lo) * Math.abs(unit(p, i)));
      };
    },
  },
  {
    name: 'signed-zero',
    weight: 2,
    dtypes: FLOATS,
    needsElements: true,
    description: '+0 and -0 mixed with ±smallest subnormal, -tiny and small values; -0 at every mark',
    build: (L, dtype, p) => {
      const lim = FLOAT_LIMITS[dtype as FloatDType];
      const marks = markSet(p, L.size);
      const menu = [0, -0, lim.minSubnormal, -lim.minSubnormal, -lim.tiny];
      return (i) => {
        if (marks.has(i)) return -0;
        const k = (((p.vals[i % p.vals.length] + i) % 6) + 6) % 6;
        return k < menu.length ? menu[k] : 5 * unit(p, i);
      };
    },
  },
  {
    name: 'infinity',
    weight: 2,
    dtypes: FLOATS,
    needsElements: true,
    description: '+inf and -inf at the marks (alternating), values in [-5, 5] elsewhere',
    build: (L, _d, p) => {
      const marks = [...markSet(p, L.size)];
      return (i) => {
        const k = marks.indexOf(i);
        if (k >= 0) return (k + p.pick) % 2 === 0 ? Infinity : -Infinity;
        return 5 * unit(p, i);
      };
    },
  },
  {
    name: 'nan',
    weight: 2,
    dtypes: FLOATS,
    needsElements: true,
    description: 'NaN at the marks, values in [-5, 5] elsewhere',
    build: (L, _d, p) => {
      const marks = markSet(p, L.size);
      return (i) => (marks.has(i) ? NaN : 5 * unit(p, i));
    },
  },
  {
    name: 'all-neg-inf',
    weight: 2,
    dtypes: FLOATS,
    needsElements: true,
    description:
      'whole last-axis slices of -inf (at least one); other axis rules see these -inf mixed with finite values',
    build: (L, _d, p) => {
      const rows = markSet(p, L.rows);
      return (i) => (rows.has(L.row(i)) ? -Infinity : 5 * unit(p, i));
    },
  },
];

export const FAMILIES: readonly string[] = FAMILY_SPECS.map((f) => f.name);

export function familySpec(name: string): FamilySpec {
  const spec = FAMILY_SPECS.find((f) => f.name === name);
  if (!spec) throw new RangeError(`unknown value family "${name}" (known: ${FAMILIES.join(', ')})`);
  return spec;
}

/** The family's values for this shape and dtype, each rounded to (so exactly representable in) the dtype. */
export function familyValues(name: string, shape: readonly number[], dtype: DType, p: ValueParams): number[] {
  const spec = familySpec(name);
  const L = layout(shape);
  const at = spec.build(L, dtype, p);
  const out = new Array<number>(L.size);
  for (let i = 0; i < L.size; i++) out[i] = roundTo(dtype, at(i));
  return out;
}
