// Checks that compare the plain call's output with the correctly rounded oracle, each on its own input domain,
// so that the failing family names where an implementation breaks.
import { compareToOracle } from '../tolerance/profiles.js';
import type { Family } from '../model.js';
import { isFloatDType, type FloatDType } from '../tensor/dtype.js';
import { MIN_NORMAL } from '../tolerance/metrics.js';
import { numbersOf, type Tensor } from '../tensor/tensor.js';
import type { Domains } from '../engine/domains.js';
import { isFiniteInput, isOrdinary } from '../engine/domains.js';
import type { Unit } from '../engine/unit.js';
import type { CallOutcome } from '../worker/types.js';
import { primaryProbe, type Check, type Judgement, type JudgeContext } from './check.js';
import { fmtElement, fmtExact, fmtInput } from './format.js';
import { inExpectedDtype, usableOutput } from './outcome.js';

interface OracleCheckSpec {
  name: string;
  family: Family;
  description: string;
  applies(d: Domains, unit: Unit): boolean;
  /** a sentence about this kind of failure, given the failing output and the expected one */
  explain(actual: Tensor, expected: Tensor, unit: Unit): string | undefined;
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
  const why = ctx.op === 'log-softmax' ? explainLogSoftmax(actual, expected) : explain?.(actual, expected, unit);
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
const nanWhereFinite = (a: Tensor, e: Tensor) => {
  const av = numbersOf(a);
  const ev = numbersOf(e);
  return ev.some((x, i) => Number.isFinite(x) && !Number.isFinite(av[i]));
};

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
  explain: (a, e, unit) => {
    const x = unit.case.input;
    if (!isFloatDType(x.dtype)) {
      const v = numbersOf(x);
      const range = Math.max(...v) - Math.min(...v);
      if (range > (x.dtype === 'int32' ? 2 ** 31 - 1 : 2 ** 63 - 1)) return 'wraps around: x - max(x) is computed in the integer dtype and overflows it';
    }
    return nanWhereFinite(a, e) ? 'overflows: exp of a large input is inf, so its slice becomes inf/inf = NaN' : undefined;
  },
});

export const underflowCheck = oracleCheck({
  name: 'underflow',
  family: 'underflow',
  description: 'inputs whose plain exps underflow (e.g. [-1000, -1001]) or whose results are subnormal',
  applies: (d) => isFiniteInput(d) && !d.overflow && d.underflow,
  explain: (a, e) =>
    nanWhereFinite(a, e)
      ? 'underflows: every exp in the slice is 0, so it becomes 0/0 = NaN'
      : numbersOf(a).some((x, i) => x === 0 && numbersOf(e)[i] !== 0)
        ? 'loses tiny results: returns 0 where the correct result is a small nonzero number'
        : undefined,
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
