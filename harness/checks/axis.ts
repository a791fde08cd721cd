// The `axis` family: the output is not the contract's softmax but exactly another axis rule's — the thread's
// central confusion ("claims rows, computes columns"). Other wrong outputs are left to the value checks.
import { INFERABLE_RULES, reduceAxes, type AxisRule } from '../contracts.js';
import { compareToOracle } from '../tolerance/profiles.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Unit } from '../engine/unit.js';
import { primaryProbe, type Check, type JudgeContext } from './check.js';
import { fmtInput } from './format.js';
import { inExpectedDtype, usableOutput } from './outcome.js';

export const RULE_WORDS: Record<string, string> = {
  last: 'the last axis',
  first: 'the first axis (columns)',
  all: 'the whole array',
  'first-non-singleton': 'the first non-singleton axis',
  'coerce-2d': 'the trailing block from axis 1 (ONNX before opset 13: coerce-2d)',
};

function sameAxes(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The rules (other than the given axes) whose oracle the output matches, within the profile. */
export function matchingRules(output: Tensor, input: Tensor, ctx: JudgeContext, except?: number[]): AxisRule[] {
  const seen: number[][] = except ? [except] : [];
  const found: AxisRule[] = [];
  for (const rule of INFERABLE_RULES) {
    const axes = reduceAxes(rule, input.shape);
    if (seen.some((s) => sameAxes(s, axes))) continue;
    seen.push(axes);
    const expected = ctx.oracle(input, axes);
    if (compareToOracle(output, expected, { input, axes, log: ctx.op === 'log-softmax' }, ctx.profile).pass) found.push(rule);
  }
  return found;
}

function rulesText(rules: AxisRule[]): string {
  const words = rules.map((r) => RULE_WORDS[r]);
  if (words.length === 1) return words[0];
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]} (they agree on this input)`;
}

export const axisCheck: Check = {
  name: 'axis',
  family: 'axis',
  description: 'on rank >= 2 the result is normalised over the contract\'s axes, not another axis rule\'s',
  applies: (unit, d) => unit.case.input.shape.length >= 2 && !d.nan && !d.infinity && !d.empty && !d.overflow && !d.underflow,
  probes: (unit) => [primaryProbe(unit)],
  judge(unit: Unit, [outcome], ctx) {
    const u = usableOutput(outcome, primaryProbe(unit), ctx);
    if (!u.ok) return u.judgement;
    const x = unit.case.input;
    const actual = inExpectedDtype(u.output, x);
    const expected = ctx.oracle(x, unit.axes);
    if (compareToOracle(actual, expected, { input: x, axes: unit.axes, log: ctx.op === 'log-softmax' }, ctx.profile).pass) return { status: 'pass' };
    const other = matchingRules(actual, x, ctx, unit.axes);
    if (other.length === 0) return { status: 'pass' };
    return {
      status: 'fail',
      // Each rule the output matches: on a shape with length-1 axes several agree (a 2x1 input's first axis is its
      // whole array), and the evidence cannot tell which of them the code uses.
      detail: `on ${fmtInput(x)} it normalises over ${rulesText(other)}, not over axes (${unit.axes.join(', ')})`,
      evidence: { input: x, args: unit.args, actual: u.output, expected },
    };
  },
  diagnose: (f) => f[0].detail,
};
