// Units: which reduction axes a binding demands on a case, and the keyword arguments the candidate is called with.
// A wrong axis here judges every case against the wrong oracle, so each rule and call style is pinned.
import { describe, expect, it } from 'vitest';
import type { Case } from '../cases/case.js';
import { fromNumbers } from '../tensor/tensor.js';
import { argsFor, unitsFor, type Binding } from './unit.js';

const caseOf = (shape: number[]): Case => ({
  id: 'k/c',
  title: 'c',
  source: 'adversarial',
  family: 'ordinary',
  input: fromNumbers('float64', shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(0.5)),
});
const bind = (rule: Binding['rule'], callStyle: Binding['callStyle']): Binding => ({ rule, policy: 'ieee', claimed: true, callStyle });

describe('argsFor', () => {
  it('asks for each rule by its axis argument, and with theta for the x-theta-axis style', () => {
    expect(argsFor('x-axis', 'last', undefined)).toEqual({ axis: -1 });
    expect(argsFor('x-axis', 'first', undefined)).toEqual({ axis: 0 });
    expect(argsFor('x-axis', 'axis-arg', -2)).toEqual({ axis: -2 });
    expect(argsFor('x-theta-axis', 'last', undefined)).toEqual({ theta: 1, axis: -1 });
    expect(argsFor('x-theta-axis', 'first', undefined)).toEqual({ theta: 1, axis: 0 });
    expect(argsFor('x-theta-axis', 'axis-arg', 1)).toEqual({ theta: 1, axis: 1 });
  });

  it('passes coerce-2d\'s split axis only when there is one, and leaves default behaviours to the function', () => {
    expect(argsFor('x-axis', 'coerce-2d', 1)).toEqual({ axis: 1 });
    expect(argsFor('x-axis', 'coerce-2d', undefined)).toStrictEqual({}); // no `axis: undefined` key either
    expect(argsFor('x-theta-axis', 'coerce-2d', undefined)).toStrictEqual({ theta: 1 });
    expect(argsFor('x-axis', 'all', undefined)).toEqual({});
    expect(argsFor('x-axis', 'first-non-singleton', undefined)).toEqual({});
    expect(argsFor('x-theta-axis', 'all', undefined)).toEqual({ theta: 1 });
  });

  it('gives no arguments to the plain x style, whatever the rule', () => {
    for (const rule of ['last', 'first', 'axis-arg', 'coerce-2d', 'all'] as const) expect(argsFor('x', rule, 1)).toEqual({});
    expect(argsFor('x', 'last', undefined)).not.toHaveProperty('theta');
  });
});

describe('unitsFor', () => {
  it('one unit for a fixed rule, keyed by the case id, with the rule\'s axes', () => {
    const c = caseOf([2, 3]);
    const [u, ...rest] = unitsFor(c, bind('last', 'x-axis'));
    expect(rest).toEqual([]);
    expect(u.key).toBe('k/c');
    expect(u.case).toBe(c);
    expect(u.axis).toBeUndefined();
    expect(u.axes).toEqual([1]);
    expect(u.args).toEqual({ axis: -1 });
    expect(unitsFor(c, bind('first', 'x'))[0].axes).toEqual([0]);
  });

  it('axis-arg sweeps every axis, each non-negative one and its negative twin', () => {
    const us = unitsFor(caseOf([2, 3, 4]), bind('axis-arg', 'x-axis'));
    expect(us.map((u) => u.key)).toEqual(['k/c@axis=0', 'k/c@axis=-3', 'k/c@axis=1', 'k/c@axis=-2', 'k/c@axis=2', 'k/c@axis=-1']);
    expect(us.map((u) => u.axis)).toEqual([0, -3, 1, -2, 2, -1]);
    expect(us.map((u) => u.axes)).toEqual([[0], [0], [1], [1], [2], [2]]);
    expect(us.map((u) => u.args.axis)).toEqual([0, -3, 1, -2, 2, -1]);
  });

  it('axis-arg has no unit on a rank-0 input; coerce-2d with an axis argument has one, with the default split', () => {
    expect(unitsFor(caseOf([]), bind('axis-arg', 'x-axis'))).toEqual([]);
    const us = unitsFor(caseOf([]), bind('coerce-2d', 'x-axis'));
    expect(us).toHaveLength(1);
    expect(us[0].key).toBe('k/c');
    expect(us[0].axis).toBeUndefined();
    expect(us[0].axes).toEqual([]);
  });

  it('coerce-2d through an axis argument sweeps the split axis; without one it judges the default split', () => {
    const swept = unitsFor(caseOf([2, 3, 4]), bind('coerce-2d', 'x-axis'));
    expect(swept.map((u) => u.axis)).toEqual([0, -3, 1, -2, 2, -1]);
    expect(swept.map((u) => u.axes)).toEqual([[0, 1, 2], [0, 1, 2], [1, 2], [1, 2], [2], [2]]);
    expect(swept[3].args).toEqual({ axis: -2 });
    const plain = unitsFor(caseOf([2, 3, 4]), bind('coerce-2d', 'x'));
    expect(plain).toHaveLength(1);
    expect(plain[0].key).toBe('k/c');
    expect(plain[0].axes).toEqual([1, 2]);
    expect(plain[0].args).toEqual({});
  });
});
