// The `axis` check judged on made-up outcomes (no worker): it passes the contract's softmax, fails only an output that
// is exactly another axis rule's softmax (and names that rule), and leaves every other wrong output to the value
// checks. Written for its mutation score (docs/mutation.md): before it, only test/ audits exercised this file.
import { describe, expect, it } from 'vitest';
import { ctxOf, ok, unitOf } from '../../test/helpers/judging.js';
import { reduceAxes, type AxisRule } from '../contracts.js';
import { domainsOf } from '../engine/domains.js';
import { makeOracle } from '../engine/evaluate.js';
import type { Unit } from '../engine/unit.js';
import type { Op } from '../ops.js';
import { fromNumbers, toNumbers, type Tensor } from '../tensor/tensor.js';
import type { CallOutcome } from '../worker/types.js';
import { axisCheck, matchingRules, RULE_WORDS } from './axis.js';
import { primaryProbe, type JudgeContext, type Judgement } from './check.js';

const unitOfRule = (input: Tensor, rule: AxisRule = 'last'): Unit => unitOf(input, { rule });
const ctxOp = (unit: Unit, op: Op = 'softmax'): JudgeContext => ctxOf(unit, { op });
/** The correctly rounded softmax (or log-softmax) of `input` under `rule`. */
const under = (input: Tensor, rule: AxisRule, op: Op = 'softmax'): Tensor => makeOracle('ieee', op)(input, reduceAxes(rule, input.shape));
const judge = (unit: Unit, output: Tensor, op: Op = 'softmax'): Judgement => axisCheck.judge(unit, [ok(output)], ctxOp(unit, op));

const x23 = fromNumbers('float64', [2, 3], [1, 2, 4, 0.5, -1, 3]);
const x232 = fromNumbers('float64', [2, 3, 2], [1, 2, 4, 0.5, -1, 3, 0, 7, -2, 1.5, 2, 2.5]);

describe('axis', () => {
  it('applies on rank >= 2 ordinary inputs only', () => {
    const applies = (t: Tensor) => axisCheck.applies(unitOfRule(t), domainsOf(unitOfRule(t)));
    expect(applies(x23)).toBe(true);
    expect(applies(fromNumbers('float64', [3], [1, 2, 3]))).toBe(false); // rank 1
    expect(applies(fromNumbers('float64', [2, 2], [NaN, 1, 2, 3]))).toBe(false);
    expect(applies(fromNumbers('float64', [2, 2], [Infinity, 1, 2, 3]))).toBe(false);
    expect(applies(fromNumbers('float64', [2, 0], []))).toBe(false);
    expect(applies(fromNumbers('float64', [2, 2], [1000, 1, 2, 3]))).toBe(false); // overflow domain
    expect(applies(fromNumbers('float64', [2, 2], [-1000, 1, 2, 3]))).toBe(false); // underflow domain
  });

  it('asks for the plain call only', () => {
    const u = unitOfRule(x23);
    expect(axisCheck.probes(u)).toEqual([primaryProbe(u)]);
  });

  it('passes the contract\'s softmax', () => {
    expect(judge(unitOfRule(x23), under(x23, 'last'))).toEqual({ status: 'pass' });
    expect(judge(unitOfRule(x23, 'first'), under(x23, 'first'))).toEqual({ status: 'pass' });
  });

  it('fails the columns\' softmax claimed as rows, names the rule and the axes, and shows the call', () => {
    const u = unitOfRule(x23);
    const out = under(x23, 'first');
    const j = judge(u, out);
    expect(j).toEqual({
      status: 'fail',
      detail: 'on 2x3 [1, 2, 4, 0.5, -1, 3] (float64) it normalises over the first axis (columns), not over axes (1)',
      evidence: { input: x23, args: u.args, actual: out, expected: under(x23, 'last') },
    });
    expect(axisCheck.diagnose([{ unit: u, detail: 'D' }, { unit: u, detail: 'E' }])).toBe('D');
  });

  it('names each rule in its own words', () => {
    const cases: [AxisRule, AxisRule, Tensor, string][] = [
      ['last', 'all', x23, 'the whole array'],
      ['first', 'last', x23, 'the last axis'],
      ['last', 'first-non-singleton', fromNumbers('float64', [1, 2, 3], [1, 2, 4, 0.5, -1, 3]), 'the first non-singleton axis'],
      ['last', 'coerce-2d', x232, RULE_WORDS['coerce-2d']],
      ['coerce-2d', 'last', x232, 'the last axis'], // two axes named: "(1, 2)"
    ];
    for (const [claimed, computed, x, words] of cases) {
      const j = judge(unitOfRule(x, claimed), under(x, computed));
      expect(j.status, `${claimed} computing ${computed}`).toBe('fail');
      expect(j.status === 'fail' && j.detail).toContain(`it normalises over ${words}, not over axes (${reduceAxes(claimed, x.shape).join(', ')})`);
    }
  });

  it('names every rule the output matches where several agree on the input (a 2x1 input\'s first axis is its whole array)', () => {
    const x21 = fromNumbers('float64', [2, 1], [103.12253, -98.34853]);
    const j = judge(unitOfRule(x21), under(x21, 'all'));
    expect(j.status === 'fail' && j.detail).toBe('on 2x1 [103.12253, -98.34853] (float64) it normalises over the first axis (columns) or the whole array (they agree on this input), not over axes (1)');
  });

  it('leaves a wrong output that is no rule\'s softmax to the value checks', () => {
    const u = unitOfRule(x23);
    expect(judge(u, fromNumbers('float64', [2, 3], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]))).toEqual({ status: 'pass' });
    // one ULP-scale change of the contract's softmax still passes (the profile's allowance)
    const near = fromNumbers('float64', [2, 3], Array.from(toNumbers(under(x23, 'last')), (v, i) => (i === 0 ? v * (1 + 2 ** -52) : v)));
    expect(judge(u, near)).toEqual({ status: 'pass' });
  });

  it('judges log-softmax outputs against the log oracle', () => {
    const u = unitOfRule(x23);
    expect(judge(u, under(x23, 'last', 'log-softmax'), 'log-softmax')).toEqual({ status: 'pass' });
    const j = judge(u, under(x23, 'first', 'log-softmax'), 'log-softmax');
    expect(j.status === 'fail' && j.detail).toContain('it normalises over the first axis (columns)');
  });

  it('compares log-softmax with its own allowance: an absolute error of 1e-16 on a value near 0 passes', () => {
    // [1, 2]: `all` reduces other axes than `last` but gives the same values, so a log-softmax output judged with the
    // softmax's relative allowance would fail the contract and then match `all`
    const x = fromNumbers('float64', [1, 2], [0, -25]);
    const near = fromNumbers('float64', [1, 2], Array.from(toNumbers(under(x, 'last', 'log-softmax')), (v, i) => (i === 0 ? v + 1e-16 : v)));
    expect(judge(unitOfRule(x), near, 'log-softmax')).toEqual({ status: 'pass' });
  });

  it('does not judge an output it cannot use: the outcome\'s own judgement', () => {
    const u = unitOfRule(x23);
    const crash: CallOutcome = { kind: 'crash', exitCode: 1, signal: null, stderr: '' };
    expect(axisCheck.judge(u, [crash], ctxOp(u))).toEqual({ status: 'unjudged', detail: 'not judged: the process crashed (see crash)' });
    const wrongShape = fromNumbers('float64', [6], Array.from(toNumbers(under(x23, 'first'))));
    expect(axisCheck.judge(u, [ok(wrongShape)], ctxOp(u)).status).not.toBe('pass');
  });
});

describe('matchingRules', () => {
  it('lists every other rule whose softmax the output is, each set of axes once, in the order of INFERABLE_RULES', () => {
    const u = unitOfRule(x23);
    // on 2x3, first and first-non-singleton reduce the same axis: one entry
    expect(matchingRules(under(x23, 'first'), x23, ctxOp(u), [1])).toEqual(['first']);
    // without `except`, the contract's own rule is found too (coerce-2d(axis=1) is the last axis here)
    expect(matchingRules(under(x23, 'last'), x23, ctxOp(u))).toEqual(['last']);
    expect(matchingRules(under(x23, 'all'), x23, ctxOp(u), [1])).toEqual(['all']);
    expect(matchingRules(fromNumbers('float64', [2, 3], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]), x23, ctxOp(u), [1])).toEqual([]);
    // the excepted axes are never listed, whichever rule reduces them (last and coerce-2d here)
    expect(matchingRules(under(x23, 'last'), x23, ctxOp(u), [1])).toEqual([]);
  });

  it('compares softmax outputs with the softmax\'s relative allowance, not log-softmax\'s absolute one', () => {
    // 1e-16 on a probability of 1.4e-11 is far outside the relative allowance (and inside log-softmax's absolute one)
    const x = fromNumbers('float64', [1, 2], [0, -25]);
    const off = fromNumbers('float64', [1, 2], Array.from(toNumbers(under(x, 'last')), (v, i) => (i === 1 ? v + 1e-16 : v)));
    expect(matchingRules(off, x, ctxOp(unitOfRule(x)), [1])).toEqual([]);
    expect(judge(unitOfRule(x), off)).toEqual({ status: 'pass' }); // wrong values, but no other rule's: left to `values`
  });

  it('compares log-softmax outputs with log-softmax\'s allowance', () => {
    const x = fromNumbers('float64', [2, 2], [0, 0, -25, -25]);
    const near = fromNumbers('float64', [2, 2], Array.from(toNumbers(under(x, 'first', 'log-softmax')), (v, i) => (i === 0 ? v + 1e-16 : v)));
    expect(matchingRules(near, x, ctxOp(unitOfRule(x), 'log-softmax'), [1])).toEqual(['first']);
  });
});
