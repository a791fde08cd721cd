// exp of a double-double argument d = dh + dl in [-3200, 0], to about 101 bits, as (mh + ml) * 2^E with the
// mantissa mh + ml in [1, 2). No FMA in JavaScript: exact products use Dekker's split.
//
// Method: K = round(d * 4096 / ln2), d = K ln2/4096 + r with |r| <= ln2/8192 < 2^-13.5, reduced with ln2/4096 in
// four pieces (three of 28 bits, so K*Ci is exact for |K| < 2^25), so r is exact to ~2^-115.
// exp(d) = 2^(K >> 12) * 2^((K & 4095)/4096) * exp(r); the 4096 table entries are products of two correctly
// rounded 64-entry tables. exp(r) = 1 + r + r^2/2 + r^3/6 + (r^4/24 + r^5/120 + r^6/720), the first three terms in
// double-double, the bracket in double (it is < 2^-58); truncation < |r|^7/5040 < 2^-106.
//
// Error budget (relative, u = 2^-53): reduction 2^-114; polynomial 2^-106 truncation + < 4u^2 evaluation; table
// entry <= 11u^2 (two correctly rounded double-doubles, one product); final product <= 7u^2. Total < 24u^2, and
// EPS_EXP = 32u^2 = 2^-101 (the exp tests observe < 2^-104 against decimal.js).
import { A_HI, A_LO, B_HI, B_LO, C1, C2, C3, C4 } from './exp-table.js';
import { DD_OUT, ddMul } from './dd.js';

export const EPS_EXP = 2 ** -101;
/** Arguments below this are not supported (and never needed: see fast.ts). */
export const EXP_MIN_ARG = -3200;

const SPLIT = 134217729; // 2^27 + 1
const INV_C = 4096 / Math.LN2;
// 1/6 as a double-double, its head pre-split.
const S6H = 1 / 6;
const S6L = ((1 - 4 * S6H) - 2 * S6H) / 6; // 1 - 6*S6H computed exactly (two Sterbenz subtractions)
const S6H_H = SPLIT * S6H - (SPLIT * S6H - S6H);
const S6H_L = S6H - S6H_H;

// The 4096-entry table 2^(j/4096) = A[j >> 6] * B[j & 63], heads pre-split.
const TH = new Float64Array(4096);
const TL = new Float64Array(4096);
const THH = new Float64Array(4096);
const THL = new Float64Array(4096);
for (let j = 0; j < 4096; j++) {
  // 2^(j/4096) = A[j >> 6] * B[j & 63], as a double-double product (a one-time table build).
  ddMul(A_HI[j >> 6], A_LO[j >> 6], B_HI[j & 63], B_LO[j & 63]);
  const zh = DD_OUT[0];
  TH[j] = zh;
  TL[j] = DD_OUT[1];
  const t = SPLIT * zh;
  THH[j] = t - (t - zh);
  THL[j] = zh - THH[j];
}

/** Output of expDD: [mh, ml, E] with exp(d) ~ (mh + ml) * 2^E. */
export const EXP_OUT = new Float64Array(3);

/** exp(dh + dl) for dh + dl in [EXP_MIN_ARG, 0] (|dl| <= ulp(dh)/2), relative error <= EPS_EXP; writes EXP_OUT. */
export function expDD(dh: number, dl: number): void {
  const K = Math.round(dh * INV_C);
  // r = d - K*(C1 + C2 + C3 + C4): dh - K*C1 is exact (Sterbenz), the rest by TwoSum.
  const t1 = dh - K * C1;
  const m2 = -K * C2;
  let a = t1 + m2;
  let bb = a - t1;
  const ae = (t1 - (a - bb)) + (m2 - bb);
  let b = a + dl;
  bb = b - a;
  const be = (a - (b - bb)) + (dl - bb);
  const m3 = -K * C3;
  a = b + m3;
  bb = a - b;
  const ce = (b - (a - bb)) + (m3 - bb);
  const lo = ae + be + ce - K * C4;
  const rh = a + lo;
  const rl = lo - (rh - a);

  // r^2 = rh^2 (exact, Dekker) + 2 rh rl
  let t = SPLIT * rh;
  const rhH = t - (t - rh), rhL = rh - rhH;
  const r2h = rh * rh;
  const r2l = ((rhH * rhH - r2h) + 2 * rhH * rhL) + rhL * rhL + 2 * rh * rl;
  // r^3 = r2h * rh (exact) + r2l * rh + r2h * rl  (the last two carry the 3 rh^2 rl term)
  t = SPLIT * r2h;
  const aH = t - (t - r2h), aL = r2h - aH;
  const r3h = r2h * rh;
  const r3l = ((aH * rhH - r3h) + aH * rhL + aL * rhH) + aL * rhL + r2l * rh + r2h * rl;
  // r^3 / 6 as a double-double product with (S6H, S6L)
  t = SPLIT * r3h;
  const bH = t - (t - r3h), bL = r3h - bH;
  const c6h = r3h * S6H;
  const c6l = ((bH * S6H_H - c6h) + bH * S6H_L + bL * S6H_H) + bL * S6H_L + r3h * S6L + r3l * S6H;
  // tail r^4/24 + r^5/120 + r^6/720 in double
  const p4 = r2h * r2h * (1 / 24 + rh * (1 / 120 + rh * (1 / 720)));
  // q = r^2/2 + r^3/6 + tail
  const h2 = r2h * 0.5;
  let qh = h2 + c6h;
  bb = qh - h2;
  let ql = (h2 - (qh - bb)) + (c6h - bb);
  ql += r2l * 0.5 + c6l + p4;
  let s = qh + ql;
  ql = ql - (s - qh);
  qh = s;
  // w = r + q  (double-double sum)
  let wh = rh + qh;
  bb = wh - rh;
  let we = (rh - (wh - bb)) + (qh - bb);
  we += rl + ql;
  s = wh + we;
  we = we - (s - wh);
  wh = s;
  // e = 1 + w
  let eh = 1 + wh;
  bb = eh - 1;
  let el = (1 - (eh - bb)) + (wh - bb);
  el += we;
  s = eh + el;
  el = el - (s - eh);
  eh = s;
  // times 2^(j/4096)
  const j = K & 4095;
  const th = TH[j];
  t = SPLIT * eh;
  const ehH = t - (t - eh), ehL = eh - ehH;
  const thH = THH[j], thL = THL[j];
  const p = eh * th;
  let pe = ((ehH * thH - p) + ehH * thL + ehL * thH) + ehL * thL;
  pe += eh * TL[j] + el * th;
  let mh = p + pe;
  let ml = pe - (mh - p);
  let E = K >> 12;
  // exp(r) in [2^-2^-13, 2^2^-13] and 2^(j/4096) in [1, 2^(4095/4096)]: the product lies in [2^-2^-13, 2^(1-2^-13)],
  // so it may fall just below 1 (j = 0, r < 0), never up to 2: the top is about 1.7e-4 below it, far beyond any rounding.
  if (mh < 1) {
    mh *= 2;
    ml *= 2;
    E -= 1;
  }
  EXP_OUT[0] = mh;
  EXP_OUT[1] = ml;
  EXP_OUT[2] = E;
}
