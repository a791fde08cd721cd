// Rounding once to a format, directly: roundMag's decided / undecided answers (ties, the margin, the `above` flag,
// the binade below a power of two, overflow and underflow) and roundRational's exact ties, overflow and subnormals.
import { describe, expect, it } from 'vitest';
import { FORMATS } from './format.js';
import { pow2, roundMag, roundRational } from './round.js';

const F64 = [53, -1022, Number.MAX_VALUE] as const;
const F16 = [11, -14, 65504] as const;
const mag = (h: number, l: number, E: number, eps: number, f: readonly [number, number, number] = F64, above = false) => roundMag(h, l, E, eps, f[0], f[1], f[2], above);

describe('pow2', () => {
  it('is exact over the double range, 0 below it and Infinity above', () => {
    expect([pow2(0), pow2(1), pow2(-1), pow2(1023), pow2(-1022), pow2(-1074)]).toEqual([1, 2, 0.5, 2 ** 1023, 2 ** -1022, 5e-324]);
    expect([pow2(-1075), pow2(1024)]).toEqual([0, Infinity]);
  });
});

describe('roundMag', () => {
  it('returns the nearest value when the error interval cannot cross a rounding boundary', () => {
    expect(mag(1, 0, 0, 0)).toBe(1);
    expect(mag(1.5, 2 ** -60, 3, 2 ** -70)).toBe(12);
    expect(mag(1, 2 ** -60, 0, 0)).toBe(1);
    expect(mag(1, 2 ** -53 + 2 ** -60, 0, 2 ** -70)).toBe(1 + 2 ** -52); // just past the midpoint: up
  });

  it('says undecided (-1) when the error bound reaches the nearest boundary', () => {
    expect(mag(1, 0, 0, 2 ** -60)).toBe(1); // 2^-60 x 2^52 quanta < a quarter quantum (the binade's bottom)
    expect(mag(1, 0, 0, 2 ** -54)).toBe(-1); // 2^-2 quanta: reaches it
    // 3/16 of a quantum: decided. The boundary below an exact power of two is a quarter quantum away, however the
    // binade below is entered (with l = 0, h itself is the value: the grid is h's own)
    expect(mag(1, 0, 0, 0.75 * 2 ** -54)).toBe(1);
    expect(mag(1.25, 2 ** -53 - 2 ** -62, 0, 2 ** -66)).toBe(1.25); // 2^-10 quanta below the midpoint, eps smaller
    expect(mag(1.25, 2 ** -53 - 2 ** -62, 0, 2 ** -60)).toBe(-1); // eps larger than that distance
  });

  it('an exact midpoint is undecided, unless the true value is known to lie above it (then it rounds up)', () => {
    expect(mag(1, 2 ** -53, 0, 0)).toBe(-1);
    expect(mag(1, 2 ** -53, 0, 0, F64, true)).toBe(1 + 2 ** -52);
    expect(mag(1, 2 ** -53, 0, 2 ** -70, F64, true)).toBe(1 + 2 ** -52);
    expect(mag(1, 2 ** -53 - 2 ** -60, 0, 0, F64, true)).toBe(1); // just below the midpoint, known exactly
    expect(mag(1, 2 ** -53 - 2 ** -60, 0, 2 ** -40, F64, true)).toBe(-1);
    // above, below the midpoint: the boundary in reach is the midpoint (2^-8 quanta away), not the one after it
    expect(mag(1, 2 ** -53 - 2 ** -60, 0, 2 ** -53, F64, true)).toBe(-1);
    // above, past the midpoint (c = 0.4 quanta): the next boundary is 1 - c = 0.6 quanta away (float16's grid)
    const h = 1 + 0.9 * 2 ** -10;
    expect(mag(h, 0, 0, 0.8 / (h * 1024), F16, true)).toBe(-1);
    expect(mag(h, 0, 0, 0.3 / (h * 1024), F16, true)).toBe(1 + 2 ** -10);
  });

  it('a power of two with a negative tail lies in the binade below, where the quantum is half as large', () => {
    // 1 - 2^-54 - 2^-60: nearer 1 - 2^-53 (the binade below) than 1
    expect(mag(1, -(2 ** -54 + 2 ** -60), 0, 2 ** -70)).toBe(1 - 2 ** -53);
    expect(mag(1, -(2 ** -54 - 2 ** -60), 0, 2 ** -70)).toBe(1);
    // not a power of two (a bit set in the low word, or in the high word): a negative tail stays in h's binade
    expect(mag(1 + 2 ** -52, -(2 ** -54), 0, 2 ** -70)).toBe(1 + 2 ** -52);
    expect(mag(1.5, -(2 ** -54), 0, 2 ** -70)).toBe(1.5);
  });

  it('overflows to Infinity past the largest finite value, in each format', () => {
    expect(mag(1, 0, 1024, 0)).toBe(Infinity);
    expect(mag(2 - 2 ** -52, 2 ** -54, 1023, 2 ** -70)).toBe(Number.MAX_VALUE);
    // float16: 65520 is the midpoint above 65504 (the largest); just above it rounds to 65536, past the largest
    expect(mag(65504 / 32768, 2 ** -11 + 2 ** -30, 15, 2 ** -40, F16)).toBe(Infinity);
    expect(mag(65504 / 32768, 2 ** -11 - 2 ** -30, 15, 2 ** -40, F16)).toBe(65504);
  });

  it('subnormals round on the smallest subnormal\'s grid; far below it, to zero (decided only while eps < 1/2)', () => {
    expect(mag(1, 0, -1074, 0)).toBe(5e-324);
    expect(mag(1.5, 0, -1075, 2 ** -10)).toBe(5e-324); // 0.75 x 2^-1074
    expect(mag(1, 0, -1075, 0)).toBe(-1); // half the smallest subnormal: a tie
    expect(mag(1, 0, -1075, 0, F64, true)).toBe(5e-324);
    expect(mag(1.5, 0, -1077, 2 ** -10)).toBe(0); // 0.1875 x 2^-1074
    expect(mag(1, 0, -1080, 0.1)).toBe(0);
    expect(mag(1, 0, -1080, 0.6)).toBe(-1);
    // a quarter to a half of the smallest subnormal is not "far below": just under the half, eps reaches the tie
    expect(mag(2 - 2 ** -52, 0, -1076, 2 ** -40)).toBe(-1);
    expect(mag(1, 0, -1076, 2 ** -40)).toBe(0);
    expect(mag(1, 0, -1080, 0.5)).toBe(-1); // eps = 1/2: [v/2, 3v/2] is not known to stay below the first boundary
    expect(mag(1, 0, -30, 2 ** -20, F16)).toBe(0); // 2^-30 < a quarter of float16's 2^-24
    expect(mag(1, 0, -24, 0, F16)).toBe(2 ** -24);
  });

  it('a value a hair below the smallest subnormal, where H + L rounds up to the next integer, rounds up to it', () => {
    // H = 1 - 2^-53 with L = 2^-54 (a tie in the sum frac + L, which rounds to 1): v = (1 - 2^-54) quanta, nearest
    // to 1 quantum, in every mode; the only way frac + L reaches 1 (for H >= 1 the fraction has room for L)
    for (const f of [F64, F16, [24, -126, 3.4028234663852886e38] as const]) {
      const q = 2 ** (f[1] - f[0] + 1);
      const E = f[1] - f[0] + 1;
      for (const eps of [0, 2 ** -80]) {
        for (const above of [false, true]) {
          expect(mag(1 - 2 ** -53, 2 ** -54, E, eps, f, above), `${f[0]} ${eps} ${above}`).toBe(q);
          expect(mag(1 - 2 ** -53, -(2 ** -54), E, eps, f, above), `${f[0]} ${eps} ${above}, tail below`).toBe(q);
        }
      }
    }
  });

  it('scales extreme tails without overflowing the scale factor', () => {
    expect(mag(2 ** 600, 0, 500, 0)).toBe(Infinity);
    expect(mag(2 ** -600, 0, -400, 0)).toBe(2 ** -1000);
    expect(mag(2 ** -1000, 0, -60, 0)).toBe(5e-324 * 2 ** 14);
    // h at the bottom of the normal range: the scale to its quantum, 2^1074, is not a double: taken in two steps
    expect(mag(2 ** -1022, 0, 1000, 0)).toBe(2 ** -22);
    // ... and so is the tail (scale 2^1052 here): half a quantum of tail is an exact midpoint (undecided; known above
    // it: up), and a quarter is decided
    expect(mag(2 ** -1000, 2 ** -1053, 0, 0)).toBe(-1);
    expect(mag(2 ** -1000, 2 ** -1053, 0, 0, F64, true)).toBe(2 ** -1000 + 2 ** -1052);
    expect(mag(2 ** -1000, 2 ** -1054, 0, 0)).toBe(2 ** -1000);
  });
});

describe('roundRational', () => {
  const f64 = FORMATS.float64;
  const two = (e: number) => 2n ** BigInt(e);
  it('rounds exact rationals to the nearest double', () => {
    expect(roundRational(0n, 1n, f64)).toBe(0);
    expect(roundRational(1n, 3n, f64)).toBe(1 / 3);
    expect(roundRational(10n, 3n, f64)).toBe(10 / 3);
    expect(roundRational(1n, 10n, f64)).toBe(0.1);
    expect(roundRational(two(60) + 1n, 1n, f64)).toBe(2 ** 60);
  });

  it('ties go to even, or up with tieUp', () => {
    expect(roundRational(two(53) + 1n, two(53), f64)).toBe(1); // 1 + 2^-53
    expect(roundRational(two(53) + 1n, two(53), f64, true)).toBe(1 + 2 ** -52);
    expect(roundRational(two(53) + 3n, two(53), f64)).toBe(1 + 2 ** -51); // 1 + 3 x 2^-53: to the even neighbour
    expect(roundRational(two(53) + 3n, two(53), f64, true)).toBe(1 + 2 ** -51);
  });

  it('overflows at the IEEE threshold (the largest value plus half its ulp), in float64 and float16', () => {
    expect(roundRational(two(1024), 1n, f64)).toBe(Infinity);
    expect(roundRational(two(1024) - two(970), 1n, f64)).toBe(Infinity);
    expect(roundRational(two(1024) - two(970) - 1n, 1n, f64)).toBe(Number.MAX_VALUE);
    expect(roundRational(65519n, 1n, FORMATS.float16)).toBe(65504);
    expect(roundRational(65520n, 1n, FORMATS.float16)).toBe(Infinity);
    expect(roundRational(65520n, 1n, FORMATS.float32)).toBe(65520);
  });

  it('subnormals, and the tie at half the smallest subnormal', () => {
    expect(roundRational(1n, two(1074), f64)).toBe(5e-324);
    expect(roundRational(3n, two(1076), f64)).toBe(5e-324);
    expect(roundRational(1n, two(1075), f64)).toBe(0);
    expect(roundRational(1n, two(1075), f64, true)).toBe(5e-324);
    expect(roundRational(3n, two(1075), f64)).toBe(1e-323); // 1.5 x 2^-1074: to even, 2 x 2^-1074
    expect(roundRational(1n, two(150), FORMATS.float32)).toBe(0);
    expect(roundRational(1n, two(149), FORMATS.float32)).toBe(2 ** -149);
  });
});
