// The correctly rounded logsumexp of every slice: log(sum(exp(x))) = m + log S (m the max, S = sum exp(x - m)),
// rounded once to the output format. Special values (every policy alike, as NumPy/SciPy/PyTorch/JAX do): a NaN
// makes the slice NaN; else a +inf makes it +inf; an empty or all -inf slice is -inf (log 0); -inf among finite values
// drops out.
//
// Fast path: S and log S in double-double with a proven error bound (the log-softmax oracle's own exp and log, fast.ts),
// rounded once by roundMag when the bound decides it. Otherwise (rare: near a rounding boundary, or a result near 0)
// decimal.js decides it at increasing precision.
import { resultDType, type FloatDType } from '../harness/tensor/dtype.js';
import { fromNumbers, makeTensor, slicesOver, sizeOf, toNumbers, type Tensor } from '../harness/tensor/tensor.js';
import { Decimal, type DecimalCtor } from './decimal.js';
import { DD_OUT, ddAdd } from './dd.js';
import { exactDecimalString } from './exact-decimal.js';
import { EPS_EXP, EXP_OUT, expDD } from './exp.js';
import { roundDecimal } from './fallback.js';
import { LOG_OUT, logNewton } from './fast.js';
import { FORMATS, type Format } from './format.js';
import { pow2, roundMag } from './round.js';

const counters = { slices: 0, fallbackSlices: 0 };

/** Slices computed, and how many needed decimal.js (for tests and the bench). */
export function logsumexpCounters(): { slices: number; fallbackSlices: number } {
  return { ...counters };
}

const U2 = 2 ** -106;
const SAFETY = 1 + 2 ** -8;

/**
 * m + log S in double-double with a proven bound, rounded by roundMag; NaN when the bound cannot decide it (then
 * decimal.js does). S = sum exp(x - m) >= 1 is summed as fast.ts sums it; terms below exp(-745) are < 2^-1075 each
 * against S >= 1 and are counted in the bound instead.
 */
function fastLogsumexp(values: Float64Array, m: number, fmt: Format): number {
  let sh = 0;
  let sl = 0;
  let terms = 0;
  let dead = 0;
  const negm = -m;
  for (const v of values) {
    if (v === -Infinity) continue;
    const dh = v + negm;
    if (!(dh >= -745)) {
      dead++;
      continue;
    }
    const bb = dh - v;
    const dl = (v - (dh - bb)) + (negm - bb); // dh + dl = v - m exactly (TwoSum)
    expDD(dh, dl);
    const sc = pow2(EXP_OUT[2]);
    ddAdd(sh, sl, EXP_OUT[0] * sc, EXP_OUT[1] * sc);
    sh = DD_OUT[0];
    sl = DD_OUT[1];
    terms++;
  }
  // relative error of S: each exp (EPS_EXP), each addition and scaling (3 u^2), underflowed parts (2^-1074 each)
  const epsS = EPS_EXP + 3 * (terms + 1) * U2 + (terms + dead) * 2 ** -1070;
  logNewton(sh, sl);
  const errL = LOG_OUT[2] + epsS * 1.01; // S's relative error is log S's absolute error
  ddAdd(m, 0, LOG_OUT[0], LOG_OUT[1]);
  const yh = DD_OUT[0];
  const yl = DD_OUT[1];
  const ay = Math.abs(yh);
  if (!(ay >= 2 ** -1000)) return NaN; // near zero (or subnormal): relative bounds mean nothing, decide exactly
  const eps = ((errL + 8 * U2 * ay) / ay) * SAFETY;
  const r = roundMag(ay, yh < 0 ? -yl : yl, 0, eps, fmt.p, fmt.emin, fmt.maxFinite);
  if (r < 0) return NaN;
  return yh < 0 ? -r : r;
}

const ctors = new Map<number, DecimalCtor>();
function at(P: number): DecimalCtor {
  let c = ctors.get(P);
  if (!c) ctors.set(P, (c = Decimal.clone({ precision: P, rounding: Decimal.ROUND_HALF_EVEN })));
  return c;
}

/** decimal.js at increasing precision: y = m + ln(sum exp(x - m)) with an error bound, until it rounds one way. */
function exactLogsumexp(xs: number[], m: number, fmt: Format): number {
  counters.fallbackSlices++;
  for (let P = 40; P <= 2560; P *= 2) {
    const D = at(P + 20);
    const rho = new D(10).pow(-P);
    const dm = new D(exactDecimalString(m));
    let S = new D(0);
    for (const x of xs) S = S.plus(D.exp(new D(exactDecimalString(x)).minus(dm)));
    const lnS = D.ln(S);
    const y = dm.plus(lnS);
    // each exp, addition and the ln: relative 10^-(P+19) each; ample at 10^-P per operation
    const err = rho.times(2 * xs.length + 4).times(lnS.abs().plus(1)).plus(rho.times(y.abs()));
    const a = roundDecimal(y.minus(err), fmt);
    const b = roundDecimal(y.plus(err), fmt);
    if (Object.is(a, b)) return a;
  }
  throw new Error('reference oracle: cannot decide the rounding of a logsumexp');
}

/** The correctly rounded logsumexp of one slice of exact values, as a double exactly representable in outDtype. */
export function logsumexpSlice(values: Float64Array, outDtype: FloatDType): number {
  counters.slices++;
  const fmt = FORMATS[outDtype];
  let m = -Infinity;
  let nan = false;
  let finite = 0;
  for (const v of values) {
    if (v !== v) nan = true;
    else if (v > m) m = v;
    if (Number.isFinite(v)) finite++;
  }
  if (nan) return NaN;
  if (m === Infinity || m === -Infinity) return m; // a +inf, or nothing but -inf (or nothing at all)
  if (finite === 1) return m; // S = 1 exactly: log S = 0 (m is exact in the output format, which is as wide)
  const r = fastLogsumexp(values, m, fmt);
  if (!Number.isNaN(r)) return r;
  return exactLogsumexp(Array.from(values).filter(Number.isFinite), m, fmt);
}

/**
 * logsumexp over `axes` (keepdims=False, as scipy.special.logsumexp and torch.logsumexp): the reduced axes are
 * dropped from the shape; no axes: each element alone (logsumexp of one value is the value).
 */
export function logsumexpOracle(x: Tensor, axes: number[], outDtype: FloatDType = resultDType(x.dtype)): Tensor {
  const rank = x.shape.length;
  const red = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const shape = x.shape.filter((_, a) => !red.has(a));
  const values = toNumbers(x);
  const slices = red.size === 0 ? Array.from({ length: sizeOf(x.shape) }, (_, i) => [i]) : slicesOver(x.shape, [...red]);
  const out = new Float64Array(slices.length);
  slices.forEach((idx, k) => {
    out[k] = logsumexpSlice(Float64Array.from(idx, (i) => values[i]), outDtype);
  });
  return outDtype === 'float64' ? makeTensor('float64', shape, out) : fromNumbers(outDtype, shape, out);
}
