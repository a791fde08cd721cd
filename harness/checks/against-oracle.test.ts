// What the oracle-comparing checks say when they fail: the overflow check's own explanation (why the slice went
// wrong) before the element that shows it. Judged directly, with a hand-made unit and outcome.
import { describe, expect, it } from 'vitest';
import { oracle } from '../../reference/softmax.js';
import { getProfile } from '../tolerance/profiles.js';
import { fromNumbers, makeTensor, type Tensor } from '../tensor/tensor.js';
import { domainsOf } from '../engine/domains.js';
import type { Unit } from '../engine/unit.js';
import type { Judgement, JudgeContext } from './check.js';
import { overflowCheck } from './against-oracle.js';

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

  it('says exp overflowed when a NaN (or inf) stands where the result is finite', () => {
    const d = detail(judge(fromNumbers('float64', [2], [1000, 5]), [NaN, 0]));
    expect(d).toMatch(/^overflows: exp of a large input is inf, so its slice becomes inf\/inf = NaN: on \[1000, 5\] \(float64\), output\[0\] is nan where the correctly rounded value is 1\.0$/);
    // a float input with a range past 2^63 is still an overflow, never an integer wrap-around
    expect(detail(judge(fromNumbers('float64', [2], [1e300, -1e300]), [NaN, NaN]))).toMatch(/^overflows: /);
  });

  it('gives no explanation for a finite wrong result: only where it is wrong', () => {
    expect(detail(judge(fromNumbers('float64', [2], [1000, 5]), [0.5, 0.5]))).toMatch(/^on \[1000, 5\] \(float64\), output\[1\] is 0\.5 where the correctly rounded value is 0\.0 \(\d+ ULP apart; strict allows /);
  });

  it('says an integer input wrapped around when its range does not fit the dtype, and not when it just fits', () => {
    expect(detail(judge(fromNumbers('int32', [2], [2147483647, -1]), [NaN, NaN]))).toMatch(/^wraps around: x - max\(x\) is computed in the integer dtype and overflows it: on /);
    expect(detail(judge(makeTensor('int64', [2], BigInt64Array.of(2n ** 62n, -(2n ** 62n) - 4096n)), [0.5, 0.5]))).toMatch(/^wraps around: /);
    // range 2^31 - 1: fits int32, so a NaN is exp's overflow
    expect(detail(judge(fromNumbers('int32', [2], [2147483647, 0]), [NaN, 0]))).toMatch(/^overflows: /);
    // the same range in int64 is nowhere near its limit
    expect(detail(judge(makeTensor('int64', [2], BigInt64Array.of(2147483647n, -1n)), [NaN, NaN]))).toMatch(/^overflows: /);
  });
});
