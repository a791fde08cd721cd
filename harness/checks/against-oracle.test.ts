// What the oracle-comparing checks say when they fail: the overflow check's own explanation (why the slice went
// wrong) before the element that shows it. Judged directly, with a hand-made unit and outcome.
import { describe, expect, it } from 'vitest';
import { oracle } from '../../reference/softmax.js';
import { getProfile } from '../tolerance/profiles.js';
import { fromNumbers, makeTensor, toNumbers, type Tensor } from '../tensor/tensor.js';
import { domainsOf } from '../engine/domains.js';
import type { Unit } from '../engine/unit.js';
import type { Judgement, JudgeContext } from './check.js';
import { infinityCheck, nanCheck, nonFiniteSymptom, overflowCheck, singletonCheck, underflowCheck, valuesCheck } from './against-oracle.js';
import type { Check } from './check.js';

function unitOf(input: Tensor): Unit {
  return {
    key: 'k',
    case: { id: 'adversarial/t', title: 't', source: 'adversarial', family: 'huge', input },
    binding: { rule: 'last', policy: 'ieee', claimed: true, callStyle: 'x' },
    axes: [input.shape.length - 1],
    args: {},
  };
}

function judge(input: Tensor, output: number[]): Judgement {
  const unit = unitOf(input);
  const ctx: JudgeContext = {
    profile: getProfile('strict'),
    policy: 'ieee',
    domains: domainsOf(unit),
    oracle: (x, axes = unit.axes) => oracle(x, axes, { op: 'softmax', policy: 'ieee' }),
    mayReject: () => false,
  };
  const out = fromNumbers('float64', input.shape, output);
  return overflowCheck.judge(unit, [{ kind: 'ok', output: out, numpyDtype: 'float64', mutated: false, captured: '', ms: 0 }], ctx);
}

const detail = (j: Judgement) => {
  expect(j.status).toBe('fail');
  return (j as Extract<Judgement, { status: 'fail' }>).detail;
};

describe('overflow check: the explanation', () => {
  it('applies to an input whose plain exp overflows', () => {
    const u = unitOf(fromNumbers('float64', [2], [1000, 5]));
    expect(overflowCheck.applies(u, domainsOf(u))).toBe(true);
  });

  it('passes the correctly rounded result', () => {
    expect(judge(fromNumbers('float64', [2], [1000, 5]), [1, 0]).status).toBe('pass');
  });

  it('says exp overflowed when a NaN (or inf) stands where the result is finite, in a slice with a value past ln(max)', () => {
    const d = detail(judge(fromNumbers('float64', [2], [1000, 5]), [NaN, 0]));
    expect(d).toMatch(/^overflows: exp\(1000\) is inf in float64, and its slice comes out NaN: on \[1000, 5\] \(float64\), output\[0\] is nan where the correctly rounded value is 1\.0$/);
    expect(detail(judge(fromNumbers('float64', [2], [1000, 5]), [Infinity, 0]))).toMatch(/^overflows: exp\(1000\) is inf in float64, and its slice comes out inf: on /);
    // float32 overflows past 88.72: 100 does, 88 does not
    expect(detail(judge(fromNumbers('float32', [2], [100, 0]), [NaN, 0]))).toMatch(/^overflows: exp\(100\) is inf in float32, and its slice comes out NaN: /);
    // a float input with a range past 2^63 is still an overflow, never an integer wrap-around
    expect(detail(judge(fromNumbers('float64', [2], [1e300, -1e300]), [NaN, NaN]))).toMatch(/^overflows: /);
  });

  it('reads the slice of the element it reports: a NaN row of small values beside a large row is no overflow of its own', () => {
    // A max over the whole input (1001) leaves every exp of the row [-1000, -999] at 0: the evidence is that row's
    // underflow, not an exp of a large input (the row with 1000 and 1001 came out right).
    const x = fromNumbers('float64', [2, 2], [1000, 1001, -1000, -999]);
    expect(detail(judge(x, [0.2689414213699951, 0.7310585786300049, NaN, NaN]))).toMatch(/^underflows: every exp of the slice is 0 in float64 \(its largest value is -999\), and it comes out NaN: on 2x2 \[1000, 1001, -1000, -999\] \(float64\), output\[1, 0\] is nan /);
    // a NaN row whose exps neither overflow nor vanish: no cause can be read off it, only where it is wrong
    const y = fromNumbers('float64', [2, 2], [1000, 1001, 1, 2]);
    expect(detail(judge(y, [0.2689414213699951, 0.7310585786300049, NaN, NaN]))).toMatch(/^on 2x2 \[1000, 1001, 1, 2\] \(float64\), output\[1, 0\] is nan /);
  });

  it('explains the element it reports, not the first wrong one; says -inf too', () => {
    const x = fromNumbers('float64', [2, 2], [1000, 1001, -1000, -999]);
    const a = fromNumbers('float64', [2, 2], [NaN, 0.73, NaN, NaN]);
    const e = oracle(x, [1], { op: 'softmax', policy: 'ieee' });
    const unit = unitOf(x);
    expect(nonFiniteSymptom(a, e, unit, 2)).toBe('underflows: every exp of the slice is 0 in float64 (its largest value is -999), and it comes out NaN');
    expect(nonFiniteSymptom(a, e, unit)).toBe('overflows: exp(1001) is inf in float64, and its slice comes out NaN');
    // a reported element that is not wrong in that way: the first one that is
    expect(nonFiniteSymptom(a, e, unit, 1)).toBe('overflows: exp(1001) is inf in float64, and its slice comes out NaN');
    expect(nonFiniteSymptom(fromNumbers('float64', [2, 2], [0.27, 0.73, 0.27, 0.73]), e, unit)).toBeUndefined();
    expect(detail(judge(fromNumbers('float64', [2], [1000, 5]), [-Infinity, 0]))).toMatch(/^overflows: exp\(1000\) is inf in float64, and its slice comes out -inf: /);
  });

  it('gives no explanation for a finite wrong result: only where it is wrong', () => {
    expect(detail(judge(fromNumbers('float64', [2], [1000, 5]), [0.5, 0.5]))).toMatch(/^on \[1000, 5\] \(float64\), output\[1\] is 0\.5 where the correctly rounded value is 0\.0 \(\d+ ULP apart; strict allows /);
  });

  it('says an integer input wrapped around only when the output shows it: NaN at a small element whose difference from the max leaves the dtype', () => {
    // [0, NaN] is exactly exp of the wrapped difference (2147483647) normalised
    expect(detail(judge(fromNumbers('int32', [2], [2147483647, -2]), [0, NaN]))).toMatch(/^wraps around: x - max\(x\) leaves int32 \(-2 - 2147483647 < -2147483648\), and the output is what the wrapped difference gives: on /);
    // NaN at the small element with another value beside it: not the wrapped computation's output, but its symptom
    expect(detail(judge(fromNumbers('int32', [2], [2147483647, -2]), [0.5, NaN]))).toMatch(/^wraps around: x - max\(x\) leaves int32 \(-2 - 2147483647 < -2147483648\), and output\[1\] comes out NaN though exp\(-2\) is finite: on /);
    // -1 - 2147483647 is -2^31 itself, inside int32: no wrap, so the NaN is read as exp's overflow
    expect(detail(judge(fromNumbers('int32', [2], [2147483647, -1]), [NaN, NaN]))).toMatch(/^overflows: exp\(2147483647\) is inf in float64/);
    // NaN only at the max element, 0 at the small one: what exp before the max gives, not a wrap
    expect(detail(judge(fromNumbers('int32', [2], [2147483647, -2]), [NaN, 0]))).toMatch(/^overflows: /);
    // a range past int64's with a finite wrong output: nothing shows a wrap, so nothing is said about one
    expect(detail(judge(makeTensor('int64', [2], BigInt64Array.of(2n ** 62n, -(2n ** 62n) - 4096n)), [0.5, 0.5]))).toMatch(/^on /);
    expect(detail(judge(makeTensor('int64', [2], BigInt64Array.of(2n ** 62n, -(2n ** 62n) - 4096n)), [0, NaN]))).toMatch(/^wraps around: x - max\(x\) leaves int64 /);
    // a finite output that is exactly exp of the wrapped difference, normalised: -2^31 - 5 wraps to 2^31 - 5
    const y = fromNumbers('int32', [3], [2147483647, -2147483648, 5]); // -2^31 - (2^31 - 1) wraps to 1
    const e = [1, Math.E, Math.exp(5 - 2147483647)];
    const s = e[0] + e[1] + e[2];
    expect(detail(judge(y, e.map((v) => v / s)))).toMatch(/^wraps around: x - max\(x\) leaves int32 \(-2147483648 - 2147483647 < -2147483648\), and the output is what the wrapped difference gives: on \[2147483647, -2147483648, 5\] \(int32\), output\[1\] is /);
    // the same input with a finite wrong output that is not the wrapped one: no wrap is claimed
    expect(detail(judge(y, [0.5, 0.25, 0.25]))).toMatch(/^on \[2147483647, -2147483648, 5\]/);
    // int64 read exactly: -1 - (2^63 - 1) is -2^63 itself, inside int64 (as doubles, 2^63 - 1 rounds up and it would leave)
    expect(detail(judge(makeTensor('int64', [2], BigInt64Array.of(2n ** 63n - 1n, -1n)), [NaN, NaN]))).toMatch(/^overflows: /);
    expect(detail(judge(makeTensor('int64', [2], BigInt64Array.of(2n ** 62n, -(2n ** 62n) - 4096n)), [0, NaN]))).toMatch(/^wraps around: x - max\(x\) leaves int64 \(-4611686018427392000 - 4611686018427387904 < -9223372036854775808\)/);
    // the max is found wherever it stands in the slice
    expect(detail(judge(fromNumbers('int32', [2], [-2, 2147483647]), [NaN, 0]))).toMatch(/^wraps around: x - max\(x\) leaves int32 \(-2 - 2147483647 < -2147483648\), and the output is what the wrapped difference gives: /);
    // NaN at an element whose own exp overflows is no sign of a wrap, and a finite element is never named
    expect(detail(judge(fromNumbers('int32', [2], [2147483647, -2]), [NaN, 0.5]))).toMatch(/^overflows: exp\(2147483647\)/);
    // the first element whose difference leaves the dtype is the one named, not any NaN before it
    expect(detail(judge(fromNumbers('int32', [3], [2147483647, 0, -2]), [0.5, NaN, NaN]))).toMatch(/^wraps around: x - max\(x\) leaves int32 \(-2 - 2147483647 < -2147483648\), and output\[2\] comes out NaN/);
    // a difference that leaves the dtype only from the whole input's max (another row's) is named with that max
    expect(detail(judge(fromNumbers('int32', [2, 2], [2147483647, 0, -2, -3]), [0.5, 0.5, NaN, 0.5]))).toMatch(/^wraps around: x - max\(x\) leaves int32 \(-2 - 2147483647 < -2147483648\), and output\[1, 0\] comes out NaN though exp\(-2\) is finite/);
    // the wrapped computation normalised over the whole input (a global sum), and a candidate's last-bit differences
    const g = fromNumbers('int32', [2, 2], [2147483647, 0, -2, -3]);
    expect(detail(judge(g, [0, 0, NaN, NaN]))).toMatch(/^wraps around: .*, and the output is what the wrapped difference gives: /);
    const y3 = fromNumbers('int32', [3], [2147483647, -2147483648, 5]);
    const e3 = [1, Math.E, Math.exp(5 - 2147483647)];
    const s3 = e3[0] + e3[1] + e3[2];
    expect(detail(judge(y3, e3.map((v) => (v / s3) * (1 + 1e-12))))).toMatch(/, and the output is what the wrapped difference gives: /);
    expect(detail(judge(y3, e3.map((v) => (v / s3) * (1 + 1e-6))))).not.toMatch(/the output is what the wrapped difference gives/);

    // the max of the whole input (another row's) counts too: a global max wraps a row of its own small values
    expect(detail(judge(fromNumbers('int32', [2, 2], [2147483647, 0, -2, -3]), [1, 0, NaN, NaN]))).toMatch(/^wraps around: x - max\(x\) leaves int32 \(-2 - 2147483647 < -2147483648\), and the output is what the wrapped difference gives: on 2x2 /);
  });
});

// Issue 19 (mutation scores): every oracle check's explanation, and the domain each applies to.
/** Judge `output` for `input` with any of the checks, over `axes` (default: the last), softmax or log-softmax. */
function judgeWith(check: Check, input: Tensor, output: number[], op: 'softmax' | 'log-softmax' = 'softmax', axes?: number[]): Judgement {
  const unit = { ...unitOf(input), ...(axes ? { axes } : {}) };
  const ctx: JudgeContext = {
    profile: getProfile('strict'),
    policy: 'ieee',
    op,
    domains: domainsOf(unit),
    oracle: (x, ax = unit.axes) => oracle(x, ax, { op, policy: 'ieee' }),
    mayReject: () => false,
  };
  return check.judge(unit, [{ kind: 'ok', output: fromNumbers('float64', input.shape, output), numpyDtype: 'float64', mutated: false, captured: '', ms: 0 }], ctx);
}
const f64 = (v: number[], shape = [v.length]) => fromNumbers('float64', shape, v);

describe('the other oracle checks: what each applies to and how it explains a failure', () => {
  const applies = (check: Check, input: Tensor) => {
    const u = unitOf(input);
    return check.applies(u, domainsOf(u));
  };

  it('each applies to its own domain only', () => {
    const inputs = { ordinary: f64([1, 2]), overflow: f64([1000, 5]), underflow: f64([-1000, 0]), singleton: f64([1, 2], [1, 2]), nan: f64([NaN, 1]), inf: f64([Infinity, 1]) };
    const table: [Check, string[]][] = [
      [valuesCheck, ['ordinary']],
      [overflowCheck, ['overflow']],
      [underflowCheck, ['underflow']],
      [singletonCheck, ['singleton']],
      [nanCheck, ['nan']],
      [infinityCheck, ['inf']],
    ];
    for (const [check, yes] of table) {
      for (const [name, x] of Object.entries(inputs)) expect(applies(check, x), `${check.name} on ${name}`).toBe(yes.includes(name));
    }
    // a NaN among infinities is the nan check's; an overflow among underflows is the overflow check's
    expect(applies(infinityCheck, f64([NaN, Infinity]))).toBe(false);
    expect(applies(underflowCheck, f64([1000, -1000]))).toBe(false);
    expect(applies(singletonCheck, f64([1000], [1, 1]))).toBe(false);
    expect(applies(singletonCheck, makeTensor('float64', [1, 0]))).toBe(false);
  });

  it('underflow: 0/0 = NaN when every exp underflowed, lost tiny results, or nothing to add', () => {
    const x = f64([-1000, -1001]);
    expect(detail(judgeWith(underflowCheck, x, [NaN, NaN]))).toMatch(/^underflows: every exp of the slice is 0 in float64 \(its largest value is -1000\), and it comes out NaN: on /);
    // float16 underflows below ln(2^-25) = -17.3: a slice of -20s does, one of -10s does not
    expect(detail(judgeWith(underflowCheck, fromNumbers('float16', [2], [-20, -20]), [NaN, NaN]))).toMatch(/^underflows: every exp of the slice is 0 in float16 \(its largest value is -20\)/);
    const y = f64([0, -600, -1000]); // the -1000 underflows; exp(-600) ~ 2.6e-261 is normal, so not a flush
    expect(detail(judgeWith(underflowCheck, y, [1, 0, 0]))).toMatch(/^loses tiny results: returns 0 where the correct result is a small nonzero number: on /);
    expect(detail(judgeWith(underflowCheck, x, [0.75, 0.25]))).toMatch(/^on \[-1000, -1001\] \(float64\), output\[1\] is 0\.25 where /);
  });

  it('singleton: every output 1 is normalising over the length-1 axis, unless the reduced axis has length 1 itself', () => {
    const x = f64([1, 2, 3], [1, 3]);
    expect(detail(judgeWith(singletonCheck, x, [1, 1, 1]))).toMatch(/^normalises over a length-1 axis: every output is 1: on /);
    expect(detail(judgeWith(singletonCheck, x, [0.5, 0.25, 0.25]))).toMatch(/^on /);
    // reduced over the length-1 axis (axis 0): 1s are right, so a wrong output there has no such explanation
    const col = f64([1, 2], [1, 2]);
    expect(detail(judgeWith(singletonCheck, col, [1, 0.5], 'softmax', [0]))).toMatch(/^on /);
  });

  it('nan: a NaN that does not propagate through its slice, or one that leaks into another', () => {
    const x = f64([NaN, 1, 2, 3], [2, 2]);
    expect(detail(judgeWith(nanCheck, x, [NaN, 0.5, 0.25, 0.75]))).toMatch(/^a NaN does not propagate through its slice: on /);
    const right = Array.from(toNumbers(oracle(x, [1], { op: 'softmax', policy: 'ieee' })));
    expect(detail(judgeWith(nanCheck, x, [NaN, NaN, NaN, NaN]))).toMatch(/^a NaN leaks into other slices: on /);
    expect(judgeWith(nanCheck, x, right).status).toBe('pass');
  });

  it('infinity: NaN where the policy gives numbers', () => {
    const x = f64([-Infinity, 0]);
    expect(detail(judgeWith(infinityCheck, x, [NaN, NaN]))).toMatch(/^returns NaN where the policy gives numbers: on /);
    expect(detail(judgeWith(infinityCheck, x, [0.5, 0.5]))).toMatch(/^on /);
  });

  it('log-softmax: -inf where the result is finite, NaN where it is finite, or lost bits of a subnormal probability', () => {
    const x = f64([0, -800]); // log-softmax -800: exp(-800) is below the smallest normal
    expect(detail(judgeWith(valuesCheck, x, [0, -Infinity], 'log-softmax'))).toMatch(/^gives -inf where the log-softmax is finite: a probability that underflowed to 0 went through log /);
    expect(detail(judgeWith(valuesCheck, x, [NaN, -800], 'log-softmax'))).toMatch(/^returns NaN where the log-softmax is finite: on /);
    expect(detail(judgeWith(valuesCheck, x, [0, -799.5], 'log-softmax'))).toMatch(/^loses precision where the probability is subnormal: /);
    // an error away from the subnormal range has no explanation, and the softmax explanations do not apply
    expect(detail(judgeWith(valuesCheck, f64([0, 1]), [-1.3, -0.3], 'log-softmax'))).toMatch(/^on \[0\.0, 1\] \(float64\), output\[1\] is -0\.3 where /);
    expect(detail(judgeWith(overflowCheck, f64([1000, 5]), [0, NaN], 'log-softmax'))).toMatch(/^returns NaN where the log-softmax is finite: on /);
  });
});

describe('oracle checks: explanations only where their evidence is (mutation survivors)', () => {
  const logOf = (x: Tensor) => Array.from(toNumbers(oracle(x, [x.shape.length - 1], { op: 'log-softmax', policy: 'ieee' })));

  it('log-softmax is compared with its absolute allowance (an error of 1e-17 on a result of -1e-20 passes)', () => {
    const x = f64([0, -46]);
    const y = logOf(x);
    expect(judgeWith(valuesCheck, x, [y[0] - 1e-17, y[1]], 'log-softmax').status).toBe('pass');
  });

  it('log-softmax: no subnormal explanation when the subnormal element itself is right', () => {
    const x = f64([0, -800]);
    const y = logOf(x);
    expect(detail(judgeWith(valuesCheck, x, [y[0] - 1e-3, y[1]], 'log-softmax'))).toMatch(/^on /);
  });

  it('infinity: one NaN where numbers are due is enough to say so', () => {
    expect(detail(judgeWith(infinityCheck, f64([-Infinity, 0]), [NaN, 1]))).toMatch(/^returns NaN where the policy gives numbers: on /);
  });

  it('underflow: a zero where the result is zero too is no lost tiny result', () => {
    expect(detail(judgeWith(underflowCheck, f64([0, -1000]), [0.5, 0]))).toMatch(/^on \[0\.0, -1000\] \(float64\), output\[0\] is 0\.5 /);
  });

  it('singleton: only all ones is the length-1 normalisation, over any reduced axis longer than 1', () => {
    const x = f64([1, 2, 3], [1, 3]);
    expect(detail(judgeWith(singletonCheck, x, [1, 0, 0]))).toMatch(/^on /);
    expect(detail(judgeWith(singletonCheck, x, [1, 1, 1], 'softmax', [0, 1]))).toMatch(/^normalises over a length-1 axis: every output is 1: on /);
  });

  it('nan: wrong values beside a NaN that did propagate are not a leak', () => {
    const x = f64([NaN, 1, 2, 3], [2, 2]);
    expect(detail(judgeWith(nanCheck, x, [NaN, NaN, 0.5, 0.5]))).toMatch(/^on /);
  });
});

describe('the layout check judges the C-order call against the oracle, with no explanation of its own', () => {
  it('a wrong C-order result leaves the layout unjudged', async () => {
    const { layoutCheck } = await import('./layout.js');
    const input = f64([1, 2]);
    const unit = { ...unitOf(input), case: { ...unitOf(input).case, layout: { kind: 'fortran' as const } } };
    const ctx: JudgeContext = { profile: getProfile('strict'), policy: 'ieee', domains: domainsOf(unit), oracle: (x, axes = unit.axes) => oracle(x, axes, { op: 'softmax', policy: 'ieee' }), mayReject: () => false };
    const out = { kind: 'ok' as const, output: f64([0.5, 0.5]), numpyDtype: 'float64', mutated: false, captured: '', ms: 0 };
    expect(layoutCheck.judge(unit, [out, out], ctx)).toEqual({ status: 'unjudged', detail: 'not judged: the C-order call is not right either (see values)' });
  });
});
