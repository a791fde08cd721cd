// Rounding to a format, once, ties to even, subnormals and overflow included. Two flavours:
// - roundMag: the fast path's. It rounds a double-double times a power of two AND proves the rounding: it returns
//   -1 ("undecided") unless every value within the given relative error rounds to the same result.
// - roundRational: the fallback's. It rounds an exact rational (BigInt numerator / denominator) exactly.
import type { Format } from './format.js';

// 2^e for e in [-1074, 1023], exact: POW2[e + 1074].
const POW2 = new Float64Array(2098);
{
  let v = 1;
  for (let e = 0; e <= 1023; e++, v *= 2) POW2[e + 1074] = v;
  v = 1;
  for (let e = 0; e >= -1074; e--, v /= 2) POW2[e + 1074] = v;
}

/** 2^e exactly; 0 below the smallest subnormal, Infinity above the largest binade. */
export function pow2(e: number): number {
  return e < -1074 ? 0 : e > 1023 ? Infinity : POW2[e + 1074];
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const SAFE_HI = 1 + 2 ** -40;
const SAFE_LO = 1 - 2 ** -40;

/**
 * Round v = (h + l) * 2^E to the format, where h > 0 is a normal double, |l| <= ulp(h)/2, and the true value is
 * within relative error `eps` of v. Returns the rounded magnitude (possibly Infinity on overflow) when every value in
 * [v(1 - eps), v(1 + eps)] rounds to it, else -1.
 * With `above`, the true value lies in (v, v(1 + eps)] instead: strictly above v (so an exact midpoint v rounds up).
 */
export function roundMag(h: number, l: number, E: number, eps: number, p: number, emin: number, maxFinite: number, above = false): number {
  F64[0] = h;
  const hiWord = U32[1];
  let ev = ((hiWord >>> 20) & 0x7ff) - 1023 + E;
  // h a power of two and a negative tail: v lies in the binade below h's.
  if (l < 0 && (hiWord & 0xfffff) === 0 && U32[0] === 0) ev -= 1;
  const qmin = emin - p + 1; // exponent of the smallest subnormal
  // v < 2^(qmin - 1) / 2: below a quarter of the smallest subnormal, so it rounds to zero (eps < 1/2).
  if (ev < qmin - 2) return eps < 0.5 ? 0 : -1;
  const qe = ev - p + 1 > qmin ? ev - p + 1 : qmin; // exponent of the quantum (ulp) at v
  const s = E - qe;
  let H: number;
  let L: number;
  if (s >= -1022 && s <= 1023) {
    const sc = POW2[s + 1074];
    H = h * sc; // exact: H lies in [2^-2, 2^p), a normal double
    L = l * sc;
  } else {
    // Only reachable for extreme h; split the scaling so that no step under- or overflows.
    const s1 = s >> 1;
    H = h * pow2(s1) * pow2(s - s1);
    L = l * pow2(s1) * pow2(s - s1);
  }
  // v / quantum = fl + frac + L with frac in [0, 1); a negative L may take it below fl (then one quantum down). The sum
  // frac + L rounds up to 1 only for H = 1 - 2^-53 and L = 2^-54 (for a larger H the fraction has room for L); there
  // c below is 0.5 - 2^-54 instead of -0.5, which picks the same N = fl + 1 and the same margins.
  let fl = Math.floor(H);
  let frac = H - fl;
  const t = frac + L;
  if (t < 0) {
    fl -= 1;
    frac += 1;
  }
  // c = frac + L - 1/2: its sign picks the neighbour (exactly: a floating sum has the sign of the exact sum).
  const c = frac - 0.5 + L;
  let N: number;
  let margin: number;
  if (above) {
    // the next boundary above v: the midpoint (|c| away) when below it, else the one after (1 - c away)
    N = c >= 0 ? fl + 1 : fl;
    margin = c >= 0 ? 1 - c : -c;
  } else {
    N = c > 0 ? fl + 1 : fl;
    // The nearest boundary is the midpoint (|c| away) or, at a binade's bottom, a quarter quantum below.
    const ac = c < 0 ? -c : c;
    margin = ac < 0.25 ? ac : 0.25;
  }
  // (In the above mode the margin is never 0, so an exact value, eps = 0, is always decided.)
  if (eps * H * SAFE_HI >= margin * SAFE_LO) return -1;
  const r = N * pow2(qe);
  return r > maxFinite ? Infinity : r;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Round num/den (num >= 0, den > 0, exact) to the format, ties to even (or, with `tieUp`, ties away from zero: the
 * true value is a hair above num/den); returns the magnitude (maybe Infinity).
 */
export function roundRational(num: bigint, den: bigint, fmt: Format, tieUp = false): number {
  if (num === 0n) return 0;
  // e = floor(log2(num/den))
  let e = bitLength(num) - bitLength(den);
  if (e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den) e -= 1;
  if (e > fmt.emax) return Infinity;
  const qmin = fmt.emin - fmt.p + 1;
  const qe = Math.max(e - fmt.p + 1, qmin);
  let a = num;
  let b = den;
  if (qe >= 0) b <<= BigInt(qe);
  else a <<= BigInt(-qe);
  let N = a / b;
  const r2 = (a - N * b) * 2n;
  if (r2 > b || (r2 === b && (tieUp || (N & 1n) === 1n))) N += 1n;
  const v = Number(N) * pow2(qe); // N <= 2^p: exact
  return v > fmt.maxFinite ? Infinity : v;
}
