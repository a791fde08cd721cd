// The oracle's arbitrary-precision path (decimal.js): decides one element exactly when the fast path's bound cannot,
// and, on its own, is the "decimal.js alone" oracle of the bench. Same input contract as fast.ts: finite values and
// -inf (excluded), at least one finite.
//
// At P significant digits decimal.js rounds arithmetic and exp correctly and ln to within one ulp, so every
// operation's relative error is at most one ulp, 10^(1-P); the bound below adds them up. When the interval
// [y - err, y + err] does not round to one value, P doubles. Inputs enter exactly (exact-decimal.ts), and the
// differences x_j - m are taken exactly.
import { Decimal, type DecimalCtor } from './decimal.js';
import type { Format } from './format.js';
import { decimalToRational, exactDecimalString, splitDouble } from './exact-decimal.js';
import { roundRational } from './round.js';

const START_DIGITS = 40;
const MAX_DIGITS = 6000;
// The same cut-offs as the fast path (fast.ts explains them).
const SOFTMAX_CUT = -800;
const LOG_REL_CUT = 1100;
const LOG_ABS_CUT = -2048;

// Exact arithmetic: the difference of two doubles has at most ~1400 significant digits; sums of a P-digit value and
// its error bound fit in 2P + 100.
const Exact = Decimal.clone({ precision: 2 * MAX_DIGITS + 2000, rounding: Decimal.ROUND_HALF_EVEN });

type Ctor = DecimalCtor;
const ctors = new Map<number, Ctor>();
function at(P: number): Ctor {
  let c = ctors.get(P);
  if (!c) ctors.set(P, (c = Decimal.clone({ precision: P, rounding: Decimal.ROUND_HALF_EVEN })));
  return c;
}

/** A Decimal rounded once to the format (sign kept, so tiny negatives give -0). */
export function roundDecimal(v: Decimal, fmt: Format, tieUp = false): number {
  const { neg, num, den } = decimalToRational(v);
  const r = roundRational(num, den, fmt, tieUp);
  return neg ? -r : r;
}

/** The exact m - x for doubles x < m (an element below the max), as a rational with a power-of-two denominator. */
function exactDrop(x: number, m: number): { num: bigint; den: bigint } {
  const a = splitDouble(x);
  const b = splitDouble(m);
  const e = Math.min(a.e, b.e);
  const mag = (b.M << BigInt(b.e - e)) - (a.M << BigInt(a.e - e)); // > 0 as x < m
  return e >= 0 ? { num: mag << BigInt(e), den: 1n } : { num: mag, den: 1n << BigInt(-e) };
}

interface Level {
  P: number;
  /** softmax: S = k + T; log: ln S */
  S?: Decimal;
  lnS?: Decimal;
  /** relative error bound of S (softmax) or absolute error bound of ln S (log) */
  err: Decimal;
}

export class ExactSlice {
  private readonly m: number;
  private readonly k: number;
  private readonly others: number;
  private readonly d2: number;
  private readonly d: (Decimal | undefined)[];
  private readonly levels = new Map<number, Level>();

  constructor(
    private readonly x: Float64Array,
    private readonly n: number,
    private readonly op: 'softmax' | 'log-softmax',
    private readonly fmt: Format,
  ) {
    let m = -Infinity;
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (x[i] > m) {
        m = x[i];
        k = 1;
      } else if (x[i] === m) k++;
    }
    let m2 = -Infinity;
    let others = 0;
    for (let i = 0; i < n; i++) {
      if (x[i] !== m && x[i] !== -Infinity) {
        others++;
        if (x[i] > m2) m2 = x[i];
      }
    }
    this.m = m;
    this.k = k;
    this.others = others;
    this.d2 = m2 - m;
    this.d = new Array(n);
  }

  /** x_j - m exactly. */
  private diff(j: number): Decimal {
    let v = this.d[j];
    if (!v) this.d[j] = v = new Exact(exactDecimalString(this.x[j])).minus(new Exact(exactDecimalString(this.m)));
    return v;
  }

  /** The rounded value of element i. */
  element(i: number): number {
    const v = this.x[i];
    const log = this.op === 'log-softmax';
    const dh = v - this.m;
    if (log) {
      // an excluded element (-inf - m = -inf) or an overflowing difference, as fast.ts
      if (dh === -Infinity) return -Infinity;
      if (this.others > 0 && !(this.d2 >= LOG_ABS_CUT) && this.k === 1) {
        // T is positive and negligible (fast.ts): -0 for the max, else d rounded with ties away from zero
        if (v === this.m) return -0;
        const { num, den } = exactDrop(v, this.m);
        return -roundRational(num, den, this.fmt, true);
      }
      if (this.others === 0 && this.k === 1) return 0;
    } else if (!(dh >= SOFTMAX_CUT)) return 0; // -inf (excluded) or negligible
    for (let P = START_DIGITS; P <= MAX_DIGITS; P *= 2) {
      const r = log ? this.tryLog(i, P) : this.trySoftmax(i, P);
      if (r !== undefined) return r;
    }
    throw new Error(`reference oracle: cannot decide the rounding of element ${i} at ${MAX_DIGITS} digits`);
  }

  private level(P: number): Level {
    let lv = this.levels.get(P);
    if (!lv) this.levels.set(P, (lv = this.op === 'softmax' ? this.softmaxLevel(P) : this.logLevel(P)));
    return lv;
  }

  /** The sum of exp(x_j - max) over the elements other than the max(es) whose difference is at least `cut`. */
  private sumExps(D: Ctor, cut: number): { T: Decimal; live: number; dead: number } {
    let T = new D(0);
    let live = 0;
    let dead = 0;
    for (let j = 0; j < this.n; j++) {
      const v = this.x[j];
      if (v === this.m || v === -Infinity) continue;
      if (!((v - this.m) >= cut)) {
        dead++;
        continue;
      }
      T = T.plus(D.exp(this.diff(j)));
      live++;
    }
    return { T, live, dead };
  }

  private softmaxLevel(P: number): Level {
    const D = at(P);
    const rho = new D(10).pow(1 - P);
    const { T, live, dead } = this.sumExps(D, SOFTMAX_CUT);
    const S = T.plus(this.k);
    // each exp and each addition: rho; dropped terms: < e^-800 each against S >= 1
    const err = rho.times(2 * live + 1).plus(new D(dead).times(D.exp(SOFTMAX_CUT)));
    return { P, S, err };
  }

  private logLevel(P: number): Level {
    const D = at(P);
    const rho = new D(10).pow(1 - P);
    // no other finite element leaves d2 = -inf - m = -inf, which fails the test too
    if (!(this.d2 >= LOG_ABS_CUT)) {
      // S = k exactly, or k + (T < n e^-2048) with k >= 2
      const Dk = at(P + 10);
      const lnS = Dk.ln(this.k);
      const negl = new D(this.others).times(D.exp(LOG_ABS_CUT)); // 0 when there are no others
      return { P, lnS, err: rho.times(lnS.abs()).plus(negl) };
    }
    const cut = this.d2 - LOG_REL_CUT;
    const { T, live, dead } = this.sumExps(D, cut);
    // k + T and its logarithm at enough digits that T keeps P digits inside the sum (T may be ~1e-900)
    const extra = Math.max(0, -T.e) + String(this.k).length + 5;
    const D2 = at(P + extra);
    const S = new D2(T).plus(this.k);
    const lnS = D2.ln(S);
    const rho2 = new D2(10).pow(1 - P - extra);
    const epsT = rho.times(2 * live + 1).plus(new D(dead).times(D.exp(-LOG_REL_CUT)));
    // |d ln S| <= relative error of S = (epsT T + rho2 S) / S; plus ln's own rounding
    const err = epsT.times(T).div(S).plus(rho2).times(1.01).plus(rho2.times(lnS));
    return { P, lnS, err };
  }

  private trySoftmax(i: number, P: number): number | undefined {
    const D = at(P);
    const lv = this.level(P);
    const rho = new D(10).pow(1 - P);
    const y = D.exp(this.diff(i)).div(lv.S!);
    const err = y.times(lv.err.plus(rho.times(3))).times(1.01);
    return this.decide(y, err);
  }

  private tryLog(i: number, P: number): number | undefined {
    const D = at(P);
    const lv = this.level(P);
    const rho = new D(10).pow(1 - P);
    const y = this.x[i] === this.m ? lv.lnS!.neg() : new D(this.diff(i)).minus(lv.lnS!);
    // new D(exact) keeps every digit; the subtraction rounds once
    const err = lv.err.plus(rho.times(y.abs())).times(1.01);
    return this.decide(y, err);
  }

  private decide(y: Decimal, err: Decimal): number | undefined {
    const lo = new Exact(y).minus(err);
    const hi = new Exact(y).plus(err);
    // an interval that straddles 0 is undecided too: its ends round to values of opposite signs (-0 and +0 at least)
    const a = roundDecimal(lo, this.fmt);
    const b = roundDecimal(hi, this.fmt);
    return Object.is(a, b) ? a : undefined;
  }
}
