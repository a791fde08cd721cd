// Doubles as exact decimal.js values. `new Decimal(0.1)` takes the shortest decimal string ("0.1"), not the binary
// value; here the value is built from the integer significand and the power of two, so nothing is rounded.
import { Decimal, type DecimalCtor } from './decimal.js';

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** x = M * 2^e exactly (x finite, M an integer < 2^53). */
export function splitDouble(x: number): { M: bigint; e: number } {
  F64[0] = x;
  const hi = U32[1];
  const lo = U32[0];
  const bexp = (hi >>> 20) & 0x7ff;
  let M = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    M |= 1n << 52n;
    e = bexp - 1075;
  }
  return { M: x < 0 ? -M : M, e };
}

/** The exact decimal expansion of a finite double, as a string. */
export function exactDecimalString(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { M, e } = splitDouble(x);
  if (e >= 0) return (M << BigInt(e)).toString();
  // M * 2^e = M * 5^-e / 10^-e
  const neg = M < 0n;
  const digits = ((neg ? -M : M) * 5n ** BigInt(-e)).toString();
  const k = -e;
  const padded = digits.padStart(k + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, padded.length - k)}.${padded.slice(padded.length - k)}`;
}

/** The exact value of a finite double as a Decimal (construction never rounds in decimal.js). */
export function exactDecimal(x: number, Ctor: DecimalCtor = Decimal): Decimal {
  return new Ctor(exactDecimalString(x));
}

/** A Decimal's exact value as sign and rational num/den (den a power of ten). */
export function decimalToRational(v: Decimal): { neg: boolean; num: bigint; den: bigint } {
  if (v.isZero()) return { neg: v.isNegative(), num: 0n, den: 1n };
  // toExponential() with no argument prints every significant digit: "d.ddde+k".
  const s = v.toExponential();
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) throw new Error(`unexpected decimal form ${s}`);
  const digits = m[2] + (m[3] ?? '');
  const exp = Number(m[4]) - (digits.length - 1);
  const coef = BigInt(digits);
  return exp >= 0
    ? { neg: m[1] === '-', num: coef * 10n ** BigInt(exp), den: 1n }
    : { neg: m[1] === '-', num: coef, den: 10n ** BigInt(-exp) };
}
