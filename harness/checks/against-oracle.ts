// Checks that compare the plain call's output with the correctly rounded oracle, each on its own input domain,
// so that the failing family names where an implementation breaks.
import { compareToOracle } from '../tolerance/profiles.js';
import type { Family } from '../model.js';
import { isFloatDType, resultDType, type FloatDType } from '../tensor/dtype.js';
import { MIN_NORMAL } from '../tolerance/metrics.js';
import { LN_MAX, lnZero } from './exp-limits.js';
import { numbersOf, slicesOver, type Tensor } from '../tensor/tensor.js';
import type { Domains } from '../engine/domains.js';
import { isFiniteInput, isOrdinary } from '../engine/domains.js';
import type { Unit } from '../engine/unit.js';
import type { CallOutcome } from '../worker/types.js';
import { primaryProbe, type Check, type Judgement, type JudgeContext } from './check.js';
import { fmtElement, fmtExact, fmtInput, fmtShort } from './format.js';
import { inExpectedDtype, usableOutput } from './outcome.js';

interface OracleCheckSpec {
  name: string;
  family: Family;
  description: string;
  applies(d: Domains, unit: Unit): boolean;
  /** a sentence about this kind of failure, given the failing output, the expected one and the element reported */
  explain(actual: Tensor, expected: Tensor, unit: Unit, reported?: number): string | undefined;
}

export function judgeAgainstOracle(unit: Unit, outcome: CallOutcome, ctx: JudgeContext, explain?: OracleCheckSpec['explain']): Judgement {
  const probe = primaryProbe(unit);
  const usable = usableOutput(outcome, probe, ctx);
  if (!usable.ok) return usable.judgement;
  const actual = inExpectedDtype(usable.output, unit.case.input);
  const expected = ctx.oracle(unit.case.input, unit.axes);
  const cmp = compareToOracle(actual, expected, { input: unit.case.input, axes: unit.axes, log: ctx.op === 'log-softmax' }, ctx.profile);
  const errors = cmp.sample; // the same per-element errors errorSample would compute
  if (cmp.pass) return { status: 'pass', errors };
  const w = cmp.worst;
  const where = w
    ? `${fmtElement('output', actual.shape, w.index)} is ${fmtExact(w.actual, expected.dtype)} where the correctly rounded value is ${fmtExact(w.expected, expected.dtype)}` +
      (Number.isFinite(w.ulp) ? ` (${w.ulp} ULP apart; ${w.allowedDescription})` : '')
    : `${cmp.failing} elements are out of tolerance`;
  // The explanations below are about softmax's exps; log-softmax's failures read differently.
  const why = ctx.op === 'log-softmax' ? explainLogSoftmax(actual, expected) : explain?.(actual, expected, unit, w?.index);
  return {
    status: 'fail',
    detail: `${why ? `${why}: ` : ''}on ${fmtInput(unit.case.input)}, ${where}`,
    evidence: { input: unit.case.input, args: unit.args, actual: usable.output, expected },
    errors,
  };
}

/** Why a log-softmax output is wrong, when the pattern says so. */
function explainLogSoftmax(actual: Tensor, expected: Tensor): string | undefined {
  const av = numbersOf(actual);
  const ev = numbersOf(expected);
  if (ev.some((x, i) => Number.isFinite(x) && av[i] === -Infinity)) {
    return 'gives -inf where the log-softmax is finite: a probability that underflowed to 0 went through log (log(softmax(x)) rather than (x - max) - log(sum(exp(x - max))))';
  }
  if (ev.some((x, i) => Number.isFinite(x) && Number.isNaN(av[i]))) return 'returns NaN where the log-softmax is finite';
  // a wrong element whose probability is subnormal: it kept only a few bits, which log(softmax(x)) then shows
  const lnTiny = Math.log(MIN_NORMAL[expected.dtype as FloatDType]);
  if (ev.some((x, i) => Number.isFinite(x) && x < lnTiny && av[i] !== x)) {
    return 'loses precision where the probability is subnormal: exp(log-softmax) is below the smallest normal, so log(softmax(x)) keeps only its few significant bits';
  }
  return undefined;
}

export function oracleCheck(spec: OracleCheckSpec): Check {
  return {
    name: spec.name,
    family: spec.family,
    description: spec.description,
    applies: (unit, d) => spec.applies(d, unit),
    probes: (unit) => [primaryProbe(unit)],
    judge: (unit, [outcome], ctx) => judgeAgainstOracle(unit, outcome, ctx, spec.explain),
    diagnose: (failures) => failures[0].detail,
  };
}

const hasNaN = (t: Tensor) => numbersOf(t).some(Number.isNaN);


/**
 * What the input shows about a NaN or infinite output where the softmax is finite, read off the slice that holds
 * it (the reported element's, else the first such): a value whose exp overflows the dtype, or a slice whose every
 * exp is 0. Symptoms only, no mechanism: the same NaN comes from exp taken before the max is subtracted, from a max
 * taken over more than the slice, or from a cast to a narrower type, and the output cannot tell them apart.
 */
export function nonFiniteSymptom(actual: Tensor, expected: Tensor, unit: Unit, reported?: number): string | undefined {
  const av = numbersOf(actual);
  const ev = numbersOf(expected);
  const wrong = (i: number) => Number.isFinite(ev[i]) && !Number.isFinite(av[i]);
  const at = reported !== undefined && wrong(reported) ? reported : ev.findIndex((_, i) => wrong(i));
  if (at < 0) return undefined;
  const x = unit.case.input;
  const dt = resultDType(x.dtype);
  const xv = numbersOf(x);
  const slice = slicesOver(x.shape, unit.axes).find((s) => s.includes(at)) ?? [at];
  const largest = Math.max(...slice.map((k) => xv[k]));
  const comesOut = Number.isNaN(av[at]) ? 'NaN' : av[at] > 0 ? 'inf' : '-inf';
  const shown = isFloatDType(x.dtype) ? fmtShort(largest) : String(largest); // as fmtInput shows the input
  if (largest > LN_MAX[dt]) return `overflows: exp(${shown}) is inf in ${dt}, and its slice comes out ${comesOut}`;
  if (largest < lnZero(dt)) return `underflows: every exp of the slice is 0 in ${dt} (its largest value is ${shown}), and it comes out ${comesOut}`;
  return undefined;
}

/** x as exact integers (int64 through BigInt: its extremes are not doubles). */
function integersOf(x: Tensor): bigint[] {
  return x.dtype === 'int64' ? Array.from(x.data as BigInt64Array) : Array.from(numbersOf(x), (v) => BigInt(v));
}

/**
 * An integer input whose x - max(x) leaves its dtype, shown by the output: either the output is what that difference
 * gives wrapped in the dtype (exp of the wrapped difference, normalised over the slice or the whole input, with the
 * max of the slice or of the whole input), or an element whose own exp is finite (so any float computation gives it
 * a finite share) comes out NaN or inf while its difference from the max leaves the dtype.
 */
function wrapSymptom(actual: Tensor, expected: Tensor, unit: Unit): string | undefined {
  const x = unit.case.input;
  if (x.dtype !== 'int32' && x.dtype !== 'int64') return undefined;
  const bits = x.dtype === 'int32' ? 32 : 64;
  const lowest = -(2n ** BigInt(bits - 1));
  const xi = integersOf(x);
  const av = numbersOf(actual);
  const ev = numbersOf(expected);
  const slices = slicesOver(x.shape, unit.axes);
  const maxOf = (idx: readonly number[]) => idx.reduce((m, k) => (xi[k] > m ? xi[k] : m), xi[idx[0]]);
  const whole = Array.from(xi, (_, k) => k);
  const overall = maxOf(whole);
  const leaves = (k: number, m: bigint) => xi[k] - m < lowest;
  // The first element whose difference from a max leaves the dtype, and that max (its slice's where that one does:
  // the input's max is at least the slice's, so a difference that leaves from the slice's leaves from the input's).
  let first: { k: number; m: bigint } | undefined;
  for (const s of slices) {
    const k = s.find((i) => leaves(i, overall));
    if (k === undefined) continue;
    const own = maxOf(s);
    first = { k, m: leaves(k, own) ? own : overall };
    break;
  }
  if (first === undefined) return undefined;
  const head = `wraps around: x - max(x) leaves ${x.dtype} (${xi[first.k]} - ${first.m} < ${lowest})`;
  // The output is exactly what the wrapped difference gives, under one of the four readings.
  const same = (a: number, b: number) => (Number.isNaN(a) ? Number.isNaN(b) : a === b || Math.abs(a - b) <= 1e-9 * Math.abs(b));
  for (const maxOver of [slices, [whole]]) {
    const m = new Map<number, bigint>();
    for (const s of maxOver) {
      const top = maxOf(s);
      for (const k of s) m.set(k, top);
    }
    const e = Array.from(xi, (v, k) => Math.exp(Number(BigInt.asIntN(bits, v - m.get(k)!))));
    for (const sumOver of [slices, [whole]]) {
      const sim = new Float64Array(e.length);
      for (const s of sumOver) {
        const total = s.reduce((t, k) => t + e[k], 0);
        for (const k of s) sim[k] = e[k] / total;
      }
      if (sim.every((v, k) => same(av[k], v))) return `${head}, and the output is what the wrapped difference gives`;
    }
  }
  for (let k = 0; k < xi.length; k++) {
    if (Number.isFinite(av[k]) || !Number.isFinite(ev[k]) || Number(xi[k]) > LN_MAX.float64) continue;
    if (leaves(k, overall)) {
      return `${head}, and ${fmtElement('output', actual.shape, k)} comes out ${Number.isNaN(av[k]) ? 'NaN' : 'inf'} though exp(${xi[k]}) is finite`;
    }
  }
  return undefined;
}

export const valuesCheck = oracleCheck({
  name: 'values',
  family: 'values',
  description: 'ordinary finite inputs: every element within the tolerance profile of the correctly rounded softmax',
  applies: (d) => isOrdinary(d),
  explain: () => undefined,
});

export const overflowCheck = oracleCheck({
  name: 'overflow',
  family: 'overflow',
  description: 'inputs whose plain exp overflows (e.g. [1000, 5]): the result must still be the correctly rounded softmax',
  applies: (d) => isFiniteInput(d) && d.overflow,
  explain: (a, e, unit, reported) => wrapSymptom(a, e, unit) ?? nonFiniteSymptom(a, e, unit, reported),
});

export const underflowCheck = oracleCheck({
  name: 'underflow',
  family: 'underflow',
  description: 'inputs whose plain exps underflow (e.g. [-1000, -1001]) or whose results are subnormal',
  applies: (d) => isFiniteInput(d) && !d.overflow && d.underflow,
  explain: (a, e, unit, reported) =>
    nonFiniteSymptom(a, e, unit, reported) ??
    (numbersOf(a).some((x, i) => x === 0 && numbersOf(e)[i] !== 0)
      ? 'loses tiny results: returns 0 where the correct result is a small nonzero number'
      : undefined),
});

export const singletonCheck = oracleCheck({
  name: 'singleton',
  family: 'singleton',
  description: 'inputs with a length-1 axis, e.g. a (1, 4) batch of one: normalised along the contract axis, not the singleton one',
  applies: (d) => isFiniteInput(d) && !d.overflow && !d.underflow && !d.empty && d.singleton,
  explain: (a, _e, unit) => {
    const v = numbersOf(a);
    const reduced = unit.axes.map((k) => unit.case.input.shape[k]);
    if (v.length > 1 && v.every((x) => x === 1) && reduced.some((n) => n > 1)) {
      return 'normalises over a length-1 axis: every output is 1';
    }
    return undefined;
  },
});

export const nanCheck = oracleCheck({
  name: 'nan',
  family: 'nan',
  description: 'NaN inputs follow the special-value policy (ieee: a NaN makes its whole slice NaN, and only its slice)',
  applies: (d) => d.nan,
  explain: (a, e) => {
    const av = numbersOf(a);
    const ev = numbersOf(e);
    if (ev.some((x, i) => Number.isNaN(x) && !Number.isNaN(av[i]))) return 'a NaN does not propagate through its slice';
    if (ev.some((x, i) => !Number.isNaN(x) && Number.isNaN(av[i]))) return 'a NaN leaks into other slices';
    return undefined;
  },
});

export const infinityCheck = oracleCheck({
  name: 'infinity',
  family: 'infinity',
  description: '±inf inputs follow the special-value policy (ieee: +inf or an all -inf slice gives NaN; a -inf among finite values gives exactly 0)',
  applies: (d) => !d.nan && d.infinity,
  explain: (a, e) => (hasNaN(a) && !hasNaN(e) ? 'returns NaN where the policy gives numbers' : undefined),
});
