"""Rebuilds a canonical (C-order) array in another memory layout: the same logical values, stored differently.

make_view(canonical, layout) -> ndarray, where layout is the harness's MemoryLayout (harness/tensor/layout.ts):
  {"kind": "c"}                                 the array itself
  {"kind": "fortran"}                           np.asfortranarray
  {"kind": "transposed"}                        x.T.copy().T: every axis reversed in memory
  {"kind": "swapaxes", "axes": [a, b]}          two axes swapped in memory (a non-contiguous view for rank >= 3)
  {"kind": "negative-stride", "axis": a}        a view with a negative stride along axis a
  {"kind": "strided", "axis": a}                every other element of a buffer twice as long along axis a
  {"kind": "misaligned"}                        a buffer one byte off the dtype's alignment
  {"kind": "readonly"}                          writeable=False
  {"kind": "broadcast", "axis": a}              a 0-stride (read-only) view; the values must be constant along a
Each construction is the same expression layoutPython() writes into reproduction snippets. Only NumPy is needed;
the worker imports this module before the candidate loads.
"""

import numpy as np


class LayoutError(ValueError):
    """The layout does not fit the array (a harness bug: the generator only draws layouts that fit)."""


def _axis(layout, ndim, key="axis"):
    a = layout.get(key)
    if not isinstance(a, int) or isinstance(a, bool) or not 0 <= a < ndim:
        raise LayoutError(f"layout {layout!r} needs an axis in [0, {ndim}) for an array of rank {ndim}")
    return a


def make_view(canonical, layout):
    """The canonical array's values in the requested layout. The result never shares memory with `canonical`."""
    x = np.asarray(canonical)
    kind = layout.get("kind") if isinstance(layout, dict) else None
    if kind in (None, "c"):
        return x.copy()
    if kind == "fortran":
        return np.asfortranarray(x) if x.ndim >= 2 else x.copy()
    if kind == "transposed":
        return x.T.copy().T
    if kind == "swapaxes":
        axes = layout.get("axes")
        if not isinstance(axes, (list, tuple)) or len(axes) != 2:
            raise LayoutError(f"layout {layout!r} needs two axes")
        a = _axis({"axis": axes[0]}, x.ndim)
        b = _axis({"axis": axes[1]}, x.ndim)
        return np.swapaxes(np.swapaxes(x, a, b).copy(), a, b)
    if kind == "negative-stride":
        a = _axis(layout, x.ndim)
        return np.flip(np.flip(x, a).copy(), a)
    if kind == "strided":
        a = _axis(layout, x.ndim)
        return np.repeat(x, 2, axis=a)[(slice(None),) * a + (slice(None, None, 2),)]
    if kind == "misaligned":
        return np.frombuffer(bytearray(b"\0" + x.tobytes()), x.dtype, offset=1).reshape(x.shape)
    if kind == "readonly":
        return np.lib.stride_tricks.as_strided(x.copy(), writeable=False)
    if kind == "broadcast":
        a = _axis(layout, x.ndim)
        first = x.take([0], axis=a) if x.shape[a] else x
        view = np.broadcast_to(first.copy(), x.shape)
        # Same logical values or nothing: a broadcast of values that are not constant along the axis would be a
        # different input, and the candidate would be judged against the wrong oracle.
        if view.tobytes() != x.tobytes():
            raise LayoutError(f"values are not constant along axis {a}: cannot broadcast them")
        return view
    raise LayoutError(f"unknown layout kind {kind!r}")
