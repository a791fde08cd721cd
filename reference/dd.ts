// Double-double helpers for the once-per-slice steps (the per-element loops inline their arithmetic).
// Results go to DD_OUT = [hi, lo] (normalised: |lo| <= ulp(hi)/2). Error bounds, relative, u = 2^-53
// (Joldes, Muller, Popescu 2017): add of same-sign operands <= 3u^2, mul <= 7u^2, div <= 15u^2.

export const DD_OUT = new Float64Array(2);
const SPLIT = 134217729;

export function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  const sh = ah + bh;
  let bb = sh - ah;
  let se = (ah - (sh - bb)) + (bh - bb);
  const th = al + bl;
  bb = th - al;
  const te = (al - (th - bb)) + (bl - bb);
  se += th;
  const vh = sh + se;
  se = se - (vh - sh) + te;
  const zh = vh + se;
  DD_OUT[0] = zh;
  DD_OUT[1] = se - (zh - vh);
}

export function ddMul(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh;
  let t = SPLIT * ah;
  const ahh = t - (t - ah), ahl = ah - ahh;
  t = SPLIT * bh;
  const bhh = t - (t - bh), bhl = bh - bhh;
  let e = ((ahh * bhh - p) + ahh * bhl + ahl * bhh) + ahl * bhl;
  e += ah * bl + al * bh;
  const zh = p + e;
  DD_OUT[0] = zh;
  DD_OUT[1] = e - (zh - p);
}

/** a / b (Joldes et al., Algorithm 17): relative error <= 15u^2 + 56u^3. */
export function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const th = ah / bh;
  // r = b * th (DWTimesFP3)
  ddMul(bh, bl, th, 0);
  const rh = DD_OUT[0], rl = DD_OUT[1];
  const pih = ah - rh; // exact (Sterbenz)
  const dl = al - rl;
  const tl = (pih + dl) / bh;
  const zh = th + tl;
  DD_OUT[0] = zh;
  DD_OUT[1] = tl - (zh - th);
}
