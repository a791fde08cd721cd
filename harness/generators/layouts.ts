// Memory layouts for generated cases. A layout choice is drawn independently of the shape (like the value params,
// see cases.ts) and resolved against it; the kind never changes while shrinking (oneof without cross-shrinking), so a
// failure found in Fortran order is still shown in Fortran order, and only its axis parameters shrink.
import fc from 'fast-check';
import type { LayoutKind, MemoryLayout } from '../tensor/layout.js';

export interface LayoutChoice {
  kind: LayoutKind;
  /** raw axis selectors, taken modulo what the shape allows */
  a: number;
  b: number;
}

/**
 * C order in about half the cases (the calls every other check makes are C order anyway); the axis-reordering
 * layouts, where a memory-order reader goes wrong, get the larger share of the rest.
 */
const WEIGHTS: Record<LayoutKind, number> = {
  c: 10, fortran: 2, transposed: 1, swapaxes: 2, 'negative-stride': 1, strided: 1, misaligned: 1, readonly: 1, broadcast: 1,
};

export function layoutChoiceArb(kinds: readonly LayoutKind[] = Object.keys(WEIGHTS) as LayoutKind[]): fc.Arbitrary<LayoutChoice> {
  if (kinds.length === 0) throw new RangeError('layoutChoiceArb needs at least one layout kind');
  const kind = fc.oneof(...kinds.map((k) => ({ arbitrary: fc.constant(k), weight: WEIGHTS[k] })));
  return fc.record({ kind, a: fc.nat({ max: 5 }), b: fc.nat({ max: 5 }) });
}

/** The choice on this shape, or undefined (C order) where it means nothing there (rank 0, no axis to use). */
export function resolveLayout(c: LayoutChoice, shape: readonly number[]): MemoryLayout | undefined {
  const r = shape.length;
  const nonEmpty = !shape.includes(0);
  switch (c.kind) {
    case 'c': return undefined;
    case 'fortran':
    case 'transposed': return r >= 2 ? { kind: c.kind } : undefined;
    case 'swapaxes': {
      if (r < 2) return undefined;
      const a = c.a % r;
      const b = (a + 1 + (c.b % (r - 1))) % r;
      return { kind: 'swapaxes', axes: [Math.min(a, b), Math.max(a, b)] };
    }
    case 'negative-stride':
    case 'strided': return r >= 1 ? { kind: c.kind, axis: c.a % r } : undefined;
    case 'misaligned':
    case 'readonly': return { kind: c.kind };
    case 'broadcast': {
      // an axis longer than 1, so the view really has a 0 stride
      const axes = shape.flatMap((n, i) => (n > 1 ? [i] : []));
      return axes.length && nonEmpty ? { kind: 'broadcast', axis: axes[c.a % axes.length] } : undefined;
    }
  }
}

/** values (C order) made constant along `axis`: each element takes the value at index 0 of that axis. */
export function constantAlong(values: number[], shape: readonly number[], axis: number): number[] {
  const inner = shape.slice(axis + 1).reduce((p, n) => p * n, 1);
  const span = shape[axis] * inner;
  return values.map((_, i) => values[i - (i % span) + (i % inner)]);
}
