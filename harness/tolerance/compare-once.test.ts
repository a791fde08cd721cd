// compareToOracle remembers a comparison per output tensor (the oracle check, the axis and layout checks and the
// contract inference compare the same output with the same oracle result): the same question gets the same answer
// object, and a question that differs in any part (profile, axes, log, expected, input) is answered afresh.
import { describe, expect, it } from 'vitest';
import { compareToOracle, getProfile } from './profiles.js';
import { fromNumbers } from '../tensor/tensor.js';

const input = fromNumbers('float64', [2, 2], [0, 1, 2, 5]);
// softmax along the last axis, correctly rounded, and the same with one element 2 ULP off
const expected = fromNumbers('float64', [2, 2], [0.2689414213699951, 0.7310585786300049, 0.04742587317756678, 0.9525741268224333]);
const actual = fromNumbers('float64', [2, 2], [0.2689414213699951 + 2 * 2 ** -54, 0.7310585786300049, 0.04742587317756678, 0.9525741268224333]);

describe('compareToOracle, once per question', () => {
  it('asked again with the same tensors, axes and profile, gives the comparison it made', () => {
    const strict = getProfile('strict');
    const first = compareToOracle(actual, expected, { input, axes: [1] }, strict);
    expect(first.pass).toBe(true);
    expect(compareToOracle(actual, expected, { input, axes: [1] }, strict)).toBe(first);
  });

  it('another profile is another question: exact fails the 2 ULP element that strict allows', () => {
    expect(compareToOracle(actual, expected, { input, axes: [1] }, getProfile('strict')).pass).toBe(true);
    const exact = compareToOracle(actual, expected, { input, axes: [1] }, getProfile('exact'));
    expect(exact.pass).toBe(false);
    expect(exact.worst?.index).toBe(0);
  });

  it('other axes, the log form, another expected tensor or another input are other questions', () => {
    const strict = getProfile('strict');
    const first = compareToOracle(actual, expected, { input, axes: [1] }, strict);
    expect(compareToOracle(actual, expected, { input, axes: [0] }, strict)).not.toBe(first);
    expect(compareToOracle(actual, expected, { input, axes: [1], log: true }, strict)).not.toBe(first);
    const other = fromNumbers('float64', [2, 2], [0.5, 0.5, 0.5, 0.5]);
    const vsOther = compareToOracle(actual, other, { input, axes: [1] }, strict);
    expect(vsOther).not.toBe(first);
    expect(vsOther.pass).toBe(false);
    const wide = fromNumbers('float64', [2, 2], [0, 1000, 2, 5]);
    expect(compareToOracle(actual, expected, { input: wide, axes: [1] }, strict)).not.toBe(first);
  });
});
