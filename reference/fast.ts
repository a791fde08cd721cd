// The oracle's fast path: softmax / log-softmax of one slice in double-double, with a proven error bound, rounded
// once to the output format. Elements whose rounding the bound cannot decide are handed to `resolve` (the
// decimal.js fallback). Input: finite values and -inf (an excluded element: exactly 0, or -inf for log), at least
// one finite. Special-value policies are applied before (softmax.ts).
//
// Notation: m = max, d_i = x_i - m <= 0 exactly as a double-double (TwoSum), k = how many x_i equal m,
// S = k + T with T = sum of exp(d_j) over the other finite elements. u = 2^-53; error constants are relative.
import { DD_OUT, ddAdd, ddDiv, ddMul } from './dd.js';
import { EPS_EXP, EXP_OUT, expDD } from './exp.js';
import type { Format } from './format.js';
import { pow2, roundMag } from './round.js';

/** Decides element i exactly (the fallback) and returns its value. */
export type Resolve = (i: number) => number;

const U2 = 2 ** -106;
// Slack on every bound: covers the rounding of the bound's own arithmetic and the terms too small to list
// (each below 2^-1000 relative: underflowed tails, exp(d) of dropped elements).
const SAFETY = 1 + 2 ** -8;
const SPLIT = 134217729;
const MIN_NORMAL64 = 2 ** -1022;
const W_INFLATE = 1 + 2 ** -30;

// Softmax: exp(d) < 2^-1154 for d < -800, against S >= 1: such elements are left out of S (bounded by SAFETY),
// and their own result rounds to +0 in every format (it is < 2^-1076).
const SOFTMAX_CUT = -800;
// Log-softmax: T matters relative to itself (log1p(T) ~ T when k = 1). Terms below the largest one by more than
// 1100 are < 2^-1587 of T (dropped, within SAFETY); if even the largest is below exp(-2048), T < n 2^-2954 is
// negligible everywhere except in the sign of log1p(T), which is known.
const LOG_REL_CUT = 1100;
const LOG_ABS_CUT = -2048;

let MH = new Float64Array(0);
let ML = new Float64Array(0);
let EE = new Int32Array(0);

function ensureScratch(n: number): void {
  if (MH.length >= n) return;
  const size = Math.max(n, 2 * MH.length, 64);
  MH = new Float64Array(size);
  ML = new Float64Array(size);
  EE = new Int32Array(size);
}

/** Max and its multiplicity over x[off, off + n). */
export function maxOf(x: Float64Array, off: number, n: number): { m: number; k: number } {
  let m = -Infinity;
  let k = 0;
  for (let i = off; i < off + n; i++) {
    const v = x[i];
    if (v > m) {
      m = v;
      k = 1;
    } else if (v === m) k++;
  }
  return { m, k };
}

/**
 * Softmax of x[off, off + n) into out[off, off + n); m is the max (finite) and k its multiplicity.
 * resolve(i) gets the index within the slice.
 */
export function softmaxCore(x: Float64Array, off: number, n: number, out: Float64Array, m: number, k: number, fmt: Format, resolve: Resolve): void {
  ensureScratch(n);
  const mh_ = MH, ml_ = ML, ee_ = EE;
  // S = k + sum of exp(d_j), each term scaled to its true size (tails below 2^-1074 underflow: within SAFETY).
  let sh = k;
  let sl = 0;
  let terms = 0;
  const negm = -m;
  for (let i = 0; i < n; i++) {
    const v = x[off + i];
    if (v === m) {
      mh_[i] = 1;
      ml_[i] = 0;
      ee_[i] = 0;
      continue;
    }
    const dh = v + negm;
    if (!(dh >= SOFTMAX_CUT)) {
      // -inf (excluded), an overflowing difference, or negligible
      mh_[i] = 0;
      continue;
    }
    const bb0 = dh - v;
    const dl = (v - (dh - bb0)) + (negm - bb0);
    expDD(dh, dl);
    const eh = EXP_OUT[0], el = EXP_OUT[1], E = EXP_OUT[2];
    mh_[i] = eh;
    ml_[i] = el;
    ee_[i] = E;
    const sc = pow2(E);
    const th = eh * sc, tl = el * sc;
    // S += t (accurate double-double addition, <= 3u^2 for same-sign operands)
    const s1 = sh + th;
    let bb = s1 - sh;
    let se = (sh - (s1 - bb)) + (th - bb);
    const t1 = sl + tl;
    bb = t1 - sl;
    const te = (sl - (t1 - bb)) + (tl - bb);
    se += t1;
    const v1 = s1 + se;
    se = se - (v1 - s1) + te;
    sh = v1 + se;
    sl = se - (sh - v1);
    terms++;
  }
  ddDiv(1, 0, sh, sl);
  const ih = DD_OUT[0], il = DD_OUT[1];
  let t = SPLIT * ih;
  const ihH = t - (t - ih), ihL = ih - ihH;
  // own exp + S (its exps and sums) + 1/S (16u^2) + the product (8u^2)
  const eps = (2 * EPS_EXP + (3 * (terms + 1) + 24) * U2) * SAFETY;
  const { p, emin, maxFinite } = fmt;
  const f64 = p === 53;
  for (let i = 0; i < n; i++) {
    const a = mh_[i];
    if (a === 0) {
      out[off + i] = 0;
      continue;
    }
    const al = ml_[i];
    // q = a * (1/S)
    t = SPLIT * a;
    const aH = t - (t - a), aL = a - aH;
    const ph = a * ih;
    const pe = ((aH * ihH - ph) + aH * ihL + aL * ihH) + aL * ihL + a * il + al * ih;
    const qh = ph + pe;
    const ql = pe - (qh - ph);
    if (f64) {
      // qh is already the nearest double to qh + ql; it is the answer when the whole error interval, within
      // w (inflated: qh - w === qh then means strictly less than half an ulp) of qh, stays inside qh's rounding
      // interval, and no underflow. Only the side below is tested: it is never wider than the side above (half as
      // wide below a power of two), so qh - w === qh implies qh + w === qh (w >= 0, 0 < qh < 2).
      const w = (eps * qh + (ql < 0 ? -ql : ql)) * W_INFLATE;
      if (qh - w === qh) {
        const y = qh * pow2(ee_[i]);
        if (y >= MIN_NORMAL64) {
          out[off + i] = y;
          continue;
        }
      }
    }
    const r = roundMag(qh, ql, ee_[i], eps, p, emin, maxFinite);
    out[off + i] = r >= 0 ? r : resolve(i);
  }
}

// 1/(2j+1) as double-doubles, for the log1p series.
const ODD_H = new Float64Array(48);
const ODD_L = new Float64Array(48);
for (let j = 0; j < 48; j++) {
  const nn = 2 * j + 1;
  const h = 1 / nn;
  ddMul(h, 0, nn, 0); // h * nn exactly, as a double-double
  ODD_H[j] = h;
  ODD_L[j] = ((1 - DD_OUT[0]) - DD_OUT[1]) / nn;
}

/** log(S) for a double-double S >= 1 by one Newton step on Math.log; writes [Lh, Ll, absolute error] to LOG_OUT. */
export const LOG_OUT = new Float64Array(3);
export function logNewton(sh: number, sl: number): void {
  const y0 = Math.log(sh);
  expDD(-y0, 0);
  ddMul(sh, sl, EXP_OUT[0], EXP_OUT[1]);
  const sc = pow2(EXP_OUT[2]);
  const zh = DD_OUT[0] * sc, zl = DD_OUT[1] * sc; // z = S exp(-y0) ~ 1, exactly scaled
  // log S = y0 + log1p(z - 1); z - 1 = (zh - 1) + zl with zh - 1 exact (Sterbenz)
  const dh = zh - 1;
  const delta = dh + zl;
  const a = y0 + dh;
  const bb = a - y0;
  let ae = (y0 - (a - bb)) + (dh - bb);
  ae += zl - (delta * delta) * 0.5 + (delta * delta * delta) / 3;
  const lh = a + ae;
  LOG_OUT[0] = lh;
  LOG_OUT[1] = ae - (lh - a);
  const ad = Math.abs(delta);
  // exp(-y0) and the product carry into z (EPS_EXP + 8u^2, absolute as z ~ 1); series truncation delta^4;
  // the low-part additions (u * 2^-40 at most, as |delta|, |zl| < 2^-40) and the final sum.
  LOG_OUT[2] = (EPS_EXP * 1.01 + 8 * U2 + ad * ad * ad * ad + 2 ** -53 * (ad + Math.abs(zl)) * 4 + 8 * U2 * lh) * SAFETY;
}

/** Log-softmax of x[off, off + n) into out[off, off + n); as softmaxCore. */
export function logSoftmaxCore(x: Float64Array, off: number, n: number, out: Float64Array, m: number, k: number, fmt: Format, resolve: Resolve): void {
  let m2 = -Infinity; // the largest finite value below m
  let others = 0;
  for (let i = 0; i < n; i++) {
    const v = x[off + i];
    if (v !== m && v !== -Infinity) {
      others++;
      if (v > m2) m2 = v;
    }
  }
  const negm = -m;
  const { p, emin, maxFinite } = fmt;
  const f64 = p === 53;
  // L = log S with an absolute error bound errL; for k = 1 and small T, also log1p(T) scaled by 2^ET with a
  // relative bound (the max element's result -log1p(T) needs relative accuracy however small it is).
  let lh = 0;
  let ll = 0;
  let errL = 0;
  let scaled = false;
  let sch = 0, scl = 0, ET = 0, epsScaled = 0;
  let tinyNeg = false; // k = 1 and 0 < T < n 2^-2954: the max element's result is -0
  const d2 = m2 + negm;
  // No other finite element leaves m2 = -inf, so d2 = -inf fails this test too: `others` need not be tested.
  if (d2 >= LOG_ABS_CUT) {
    ET = Math.floor(d2 / Math.LN2); // exp(d2) in [2^ET, 2^(ET+1))
    const cut = d2 - LOG_REL_CUT;
    let th = 0, tl = 0;
    let terms = 0;
    for (let i = 0; i < n; i++) {
      const v = x[off + i];
      if (v === m) continue;
      const dh = v + negm;
      if (!(dh >= cut)) continue;
      const bb0 = dh - v;
      const dl = (v - (dh - bb0)) + (negm - bb0);
      expDD(dh, dl);
      const sc = pow2(EXP_OUT[2] - ET);
      ddAdd(th, tl, EXP_OUT[0] * sc, EXP_OUT[1] * sc);
      th = DD_OUT[0];
      tl = DD_OUT[1];
      terms++;
    }
    const epsT = EPS_EXP + 3 * (terms + 1) * U2; // T >= 1 in scaled units, so underflowed tails are within SAFETY
    const tu = th * pow2(ET);
    if (k === 1 && tu < 0.125) {
      // log1p(T) = 2 w (1 + w^2/3 + w^4/5 + ...), w = T / (2 + T) <= 1/17
      const tul = tl * pow2(ET);
      const two = 2 + tu;
      const dl = (2 - two) + tu + tul; // 2 + tu exact up to this tail
      ddDiv(th, tl, two, dl);
      const wsh = DD_OUT[0], wsl = DD_OUT[1];
      const wuh = wsh * pow2(ET), wul = wsl * pow2(ET);
      ddMul(wuh, wul, wuh, wul);
      const w2h = DD_OUT[0], w2l = DD_OUT[1];
      // terms until w2^(J+1) < 2^-110 (at most 14 for w2 <= 1/289): every one of the table's 48 terms would round the
      // same, but costs a sixth more time on log-softmax rows with a dominant max (measured: 21.5 -> 25.2 ms for
      // 4000 rows of 64), so the length stays computed; its mutants are equivalent (docs/mutation.md)
      let J = w2h === 0 ? 0 : Math.min(47, Math.ceil(110 / -Math.log2(w2h)));
      if (J < 1) J = 1;
      let fh = ODD_H[J], fl = ODD_L[J];
      for (let j = J - 1; j >= 0; j--) {
        ddMul(fh, fl, w2h, w2l);
        ddAdd(DD_OUT[0], DD_OUT[1], ODD_H[j], ODD_L[j]);
        fh = DD_OUT[0];
        fl = DD_OUT[1];
      }
      ddMul(wsh, wsl, fh, fl);
      sch = 2 * DD_OUT[0];
      scl = 2 * DD_OUT[1];
      scaled = true;
      // T's error passes through log1p at most 1:1; division 16u^2, Horner ~12u^2, product 8u^2, truncation 2^-109
      epsScaled = (epsT + 44 * U2) * SAFETY;
      const sc = pow2(ET);
      lh = sch * sc;
      ll = scl * sc;
      errL = epsScaled * lh + 2 ** -1070;
    } else {
      ddAdd(k, 0, tu, tl * pow2(ET));
      const Sh = DD_OUT[0], Sl = DD_OUT[1];
      logNewton(Sh, Sl);
      lh = LOG_OUT[0];
      ll = LOG_OUT[1];
      // S's relative error is an absolute error of log S
      errL = LOG_OUT[2] + (epsT * (tu / Sh) + 4 * U2) * SAFETY;
    }
  } else {
    // T = 0 exactly (no other finite element) or negligible (< n 2^-2954, inside SAFETY)
    tinyNeg = others > 0 && k === 1;
    if (k > 1) {
      logNewton(k, 0);
      lh = LOG_OUT[0];
      ll = LOG_OUT[1];
      errL = LOG_OUT[2];
    }
  }

  for (let i = 0; i < n; i++) {
    const v = x[off + i];
    if (v === m) {
      // y = -log S
      if (scaled) {
        const r = roundMag(sch, scl, ET, epsScaled, p, emin, maxFinite);
        out[off + i] = r >= 0 ? -r : resolve(i);
      } else if (lh === 0) {
        out[off + i] = tinyNeg ? -0 : 0; // S = 1 exactly, or S = 1 + (a negligible positive T)
      } else {
        const r = roundMag(lh, ll, 0, (errL / lh) * SAFETY, p, emin, maxFinite);
        out[off + i] = r >= 0 ? -r : resolve(i);
      }
      continue;
    }
    const dh = v + negm;
    if (dh === -Infinity) {
      // an excluded element (-inf - m = -inf), or |x_i - m| already rounds past the largest double: so does
      // x_i - m - log S, in every format
      out[off + i] = -Infinity;
      continue;
    }
    const bb0 = dh - v;
    const dl = (v - (dh - bb0)) + (negm - bb0);
    // With T negligible (tinyNeg: y = d - log1p(T), 0 < log1p(T) < n 2^-2954) L = errL = 0, so |y| below is |d|
    // itself, and an exact midpoint d, undecided, goes to the one-sided retry, which rounds it away from zero.
    // |y| = |d| + L, both terms of one sign: accurate double-double addition, 3u^2
    const nlh = -lh, nll = -ll;
    const a = dh + nlh;
    let bb = a - dh;
    let se = (dh - (a - bb)) + (nlh - bb);
    const t1 = dl + nll;
    bb = t1 - dl;
    const te = (dl - (t1 - bb)) + (nll - bb);
    se += t1;
    const v1 = a + se;
    se = se - (v1 - a) + te;
    const yh = v1 + se;
    const yl = se - (yh - v1);
    // yh is finite: |d| is (tested above), and L <= log n < 2^10 lies far below half an ulp of the largest double
    // (2^970), so |d| + L never rounds past it.
    const eps = (errL / -yh + 4 * U2) * SAFETY;
    if (f64) {
      // as in softmaxCore: yh itself when the error interval stays inside its rounding interval, tested on the side
      // towards zero, never the wider one (yh < 0). No underflow test: |y| >= log 2 for an element that is not a
      // max (y = d - log S <= d - log(1 + e^d) = -log(1 + e^-d) <= -log 2).
      const w = (eps * -yh + (yl < 0 ? -yl : yl)) * W_INFLATE;
      if (yh + w === yh) {
        out[off + i] = yh;
        continue;
      }
    }
    let r = roundMag(-yh, -yl, 0, eps, p, emin, maxFinite);
    // Undecided, often because d is a rounding midpoint and log S is below the double-double's resolution:
    // |y| = |d| + log S lies in (|d|, |d| + lh + errL], one-sided from the exact |d|.
    if (r < 0) r = roundMag(-dh, -dl, 0, ((lh + errL) / -dh) * SAFETY, p, emin, maxFinite, true);
    out[off + i] = r >= 0 ? -r : resolve(i);
  }
}
