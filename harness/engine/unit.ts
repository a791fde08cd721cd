// A unit: one case evaluated under one contract binding of one implementation.
// It fixes the reduction axes the contract demands on this input, and the arguments the implementation gets.
import { reduceAxes, type AxisRule, type Policy } from '../contracts.js';
import type { Case } from '../cases/case.js';
import type { CallArgs, CallStyle } from '../worker/types.js';

export interface Binding {
  rule: AxisRule;
  policy: Policy;
  /** whether the implementation claims this contract (else it is evaluated under `last` as the frameworks' convention) */
  claimed: boolean;
  callStyle: CallStyle;
}

export interface Unit {
  /** unique within a subject: case id plus the swept axis */
  key: string;
  case: Case;
  binding: Binding;
  /** the swept axis for axis-arg, the split axis for coerce-2d */
  axis?: number;
  /** axes the contract normalises over on this input */
  axes: number[];
  args: CallArgs;
}

/** The keyword arguments that ask an implementation of this call style for the rule's behaviour. */
export function argsFor(style: CallStyle, rule: AxisRule, axis: number | undefined): CallArgs {
  const theta = style === 'x-theta-axis' ? { theta: 1.0 } : {};
  if (style === 'x') return {};
  switch (rule) {
    case 'last': return { ...theta, axis: -1 };
    case 'first': return { ...theta, axis: 0 };
    case 'axis-arg': return { ...theta, axis };
    // coerce-2d with an axis argument: the split axis is passed, as ONNX's Softmax(axis) attribute.
    case 'coerce-2d': return axis === undefined ? theta : { ...theta, axis };
    // `all` and `first-non-singleton` are default behaviours: leave the axis to the function.
    default: return theta;
  }
}

/** Units for one case: one per swept axis for axis-arg (negative axes included), else one. */
export function unitsFor(c: Case, binding: Binding): Unit[] {
  const rank = c.input.shape.length;
  const make = (axis: number | undefined, suffix: string): Unit => ({
    key: `${c.id}${suffix}`,
    case: c,
    binding,
    axis,
    axes: reduceAxes(binding.rule, c.input.shape, axis),
    args: argsFor(binding.callStyle, binding.rule, axis),
  });
  // coerce-2d through an axis argument sweeps the split axis like axis-arg (each rank's own range); without one the
  // function's default split is judged (contracts.ts defaultCoerceAxis).
  if (binding.rule === 'axis-arg' || (binding.rule === 'coerce-2d' && binding.callStyle !== 'x')) {
    if (rank === 0) return binding.rule === 'coerce-2d' ? [make(undefined, '')] : [];
    const axes = [...Array(rank).keys()].flatMap((a) => (a - rank === a ? [a] : [a, a - rank]));
    return axes.map((a) => make(a, `@axis=${a}`));
  }
  return [make(undefined, '')];
}
