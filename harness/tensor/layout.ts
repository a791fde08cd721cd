// Memory layouts a caller can hand a softmax: the same logical values, stored differently. The harness always keeps
// the canonical C-order tensor; a layout only says how the worker rebuilds the candidate's array from it
// (harness/py/sc_layout.py for NumPy; for JavaScript typed arrays only `misaligned`, as a subarray view at an offset).
export type MemoryLayout =
  | { kind: 'c' }
  | { kind: 'fortran' }
  /** x.T of a C-contiguous copy of x.T: every axis reversed in memory */
  | { kind: 'transposed' }
  /** two axes swapped in memory, a view: non-contiguous for rank >= 3 */
  | { kind: 'swapaxes'; axes: [number, number] }
  /** a view with a negative stride along one axis */
  | { kind: 'negative-stride'; axis: number }
  /** every other element of a buffer twice as long along one axis */
  | { kind: 'strided'; axis: number }
  /** a buffer that starts one byte off the dtype's alignment */
  | { kind: 'misaligned' }
  /** writeable=False */
  | { kind: 'readonly' }
  /** a 0-stride view (np.broadcast_to) along an axis the values are constant along: read-only, as NumPy makes it */
  | { kind: 'broadcast'; axis: number };

export type LayoutKind = MemoryLayout['kind'];

export const LAYOUT_KINDS: readonly LayoutKind[] = ['c', 'fortran', 'transposed', 'swapaxes', 'negative-stride', 'strided', 'misaligned', 'readonly', 'broadcast'];

/**
 * The layouts a JavaScript candidate can be handed. A typed array is a flat, element-aligned run of memory with no
 * strides, so of NumPy's layouts only one has an analogue: an input that does not start at its buffer's beginning,
 * which JavaScript gets as a `subarray` view at an offset for the `misaligned` kind (a typed array cannot start off
 * its element alignment: the offset is whole elements).
 */
export const JS_LAYOUT_KINDS: readonly LayoutKind[] = ['c', 'misaligned'];

const NO_STRIDES = 'a typed array has no strides: its memory order is always its logical order';

/** Why each other layout is not reached for a JavaScript candidate (said in its coverage, never claimed). */
export const JS_UNREACHABLE_LAYOUTS: Readonly<Partial<Record<LayoutKind, string>>> = {
  fortran: NO_STRIDES,
  transposed: NO_STRIDES,
  swapaxes: NO_STRIDES,
  'negative-stride': NO_STRIDES,
  strided: NO_STRIDES,
  readonly: 'JavaScript has no read-only typed array (Object.freeze throws on one with elements)',
  broadcast: 'a typed array cannot have a 0 stride',
};

/** The layout a candidate in `language` is handed: for JavaScript, one it has no analogue for is C order. */
export function reachableLayout(l: MemoryLayout | undefined, language: 'python' | 'javascript'): MemoryLayout | undefined {
  return language === 'javascript' && l && !JS_LAYOUT_KINDS.includes(l.kind) ? undefined : l;
}

/** How a person names it: "Fortran order", "a view with a negative stride along axis 1", ... */
export function describeLayout(l: MemoryLayout, language: 'python' | 'javascript' = 'python'): string {
  if (language === 'javascript' && l.kind === 'misaligned') return 'a subarray view at an offset into a larger buffer';
  switch (l.kind) {
    case 'c': return 'C order';
    case 'fortran': return 'Fortran order';
    case 'transposed': return 'a transposed view (every axis reversed in memory)';
    case 'swapaxes': return `a view with axes ${l.axes[0]} and ${l.axes[1]} swapped in memory`;
    case 'negative-stride': return `a view with a negative stride along axis ${l.axis}`;
    case 'strided': return `a view of every other element along axis ${l.axis}`;
    case 'misaligned': return 'a misaligned buffer (one byte off)';
    case 'readonly': return 'a read-only array';
    case 'broadcast': return `a 0-stride broadcast view along axis ${l.axis}`;
  }
}

/**
 * A Python expression that rebuilds `name` in the layout (same logical values), for reproduction snippets. Kept
 * identical to harness/py/sc_layout.py's make_view (layout.test.ts checks the two agree).
 */
export function layoutPython(l: MemoryLayout, name = 'x'): string {
  switch (l.kind) {
    case 'c': return name;
    case 'fortran': return `np.asfortranarray(${name})`;
    case 'transposed': return `${name}.T.copy().T`;
    case 'swapaxes': return `np.swapaxes(np.swapaxes(${name}, ${l.axes[0]}, ${l.axes[1]}).copy(), ${l.axes[0]}, ${l.axes[1]})`;
    case 'negative-stride': return `np.flip(np.flip(${name}, ${l.axis}).copy(), ${l.axis})`;
    case 'strided': return `np.repeat(${name}, 2, axis=${l.axis})[${stridedIndex(l.axis)}]`;
    case 'misaligned': return `np.frombuffer(bytearray(b'\\0' + ${name}.tobytes()), ${name}.dtype, offset=1).reshape(${name}.shape)`;
    case 'readonly': return `np.lib.stride_tricks.as_strided(${name}.copy(), writeable=False)`;
    case 'broadcast': return `np.broadcast_to(${name}.take([0], axis=${l.axis}), ${name}.shape)`;
  }
}

function stridedIndex(axis: number): string {
  return [...Array(axis).fill(':'), '::2'].join(', ');
}

/** Whether the layout means anything on this shape (axes in range; a broadcast needs values constant along it). */
export function layoutFits(l: MemoryLayout, shape: readonly number[]): boolean {
  const r = shape.length;
  switch (l.kind) {
    case 'swapaxes': return l.axes.every((a) => a >= 0 && a < r) && l.axes[0] !== l.axes[1];
    case 'negative-stride':
    case 'strided': return l.axis >= 0 && l.axis < r;
    case 'broadcast': return l.axis >= 0 && l.axis < r && shape[l.axis] > 0;
    case 'fortran':
    case 'transposed': return r >= 2;
    default: return true;
  }
}
