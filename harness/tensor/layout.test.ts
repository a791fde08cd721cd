// Memory layouts: harness/py/sc_layout.py's make_view on its own (same logical values, the memory properties each
// layout promises, no memory shared with the canonical array), and agreement with layoutPython(), the expression
// reproduction snippets use, so a counterexample pasted into Python sees the same array the candidate saw.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../paths.js';
import { layoutFits, layoutPython, type MemoryLayout } from './layout.js';
import { PYTHON } from '../../test/helpers/python.js';

const PRELUDE = `
import json, sys
sys.path.insert(0, ${JSON.stringify(projectPath('harness', 'py'))})
import numpy as np
from sc_layout import make_view, LayoutError
`;

function python(script: string, input: string): string {
  const r = spawnSync(PYTHON, ['-c', PRELUDE + script], { encoding: 'utf8', input });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  return r.stdout;
}

const LAYOUTS: MemoryLayout[] = [
  { kind: 'c' },
  { kind: 'fortran' },
  { kind: 'transposed' },
  { kind: 'swapaxes', axes: [0, 1] },
  { kind: 'negative-stride', axis: 2 },
  { kind: 'strided', axis: 1 },
  { kind: 'misaligned' },
  { kind: 'readonly' },
  { kind: 'broadcast', axis: 1 },
];

/** Properties of make_view(x, layout) and of eval(layoutPython(layout)) for one (2, 3, 4) array per dtype. */
function describeViews(): Record<string, Record<string, unknown>> {
  const script = `
layouts = json.loads(sys.stdin.read())
out = {}
for dt in ["float64", "float32", "float16", "int32", "int64"]:
    x0 = (np.arange(24).reshape(2, 3, 4) * 1.5 - 7).astype(dt)
    for item in layouts:
        lay, expr = item["layout"], item["expr"]
        x = x0.copy()
        if lay["kind"] == "broadcast":
            x = np.broadcast_to(x.take([0], axis=1), x.shape).copy()
        v = make_view(x, lay)
        w = eval(expr, {"np": np, "x": x})
        out[dt + "/" + lay["kind"]] = {
            "same": bool(v.dtype == x.dtype and v.shape == x.shape and v.tobytes() == x.tobytes()),
            "shares": bool(np.shares_memory(v, x)),
            "c": bool(v.flags.c_contiguous), "f": bool(v.flags.f_contiguous),
            "writeable": bool(v.flags.writeable), "aligned": bool(v.flags.aligned),
            "negative": any(s < 0 for s in v.strides), "zero": 0 in v.strides,
            "strides": list(v.strides), "exprStrides": list(w.strides),
            "exprFlags": [bool(w.flags.c_contiguous), bool(w.flags.f_contiguous), bool(w.flags.writeable), bool(w.flags.aligned)],
            "exprSame": bool(w.tobytes() == x.tobytes()),
        }
print(json.dumps(out))
`;
  return JSON.parse(python(script, JSON.stringify(LAYOUTS.map((layout) => ({ layout, expr: layoutPython(layout) })))));
}

describe('sc_layout.make_view', () => {
  const views = describeViews();

  it('keeps the logical values, never shares memory with the canonical array, and matches layoutPython()', () => {
    for (const [key, v] of Object.entries(views)) {
      expect(v.same, key).toBe(true);
      expect(v.shares, key).toBe(false);
      expect(v.exprSame, key).toBe(true);
      expect(v.exprStrides, key).toEqual(v.strides);
      expect(v.exprFlags, key).toEqual([v.c, v.f, v.writeable, v.aligned]);
    }
  });

  it('gives each layout the memory properties it names', () => {
    for (const dt of ['float64', 'float32', 'float16', 'int32', 'int64']) {
      const at = (k: string) => views[`${dt}/${k}`];
      expect(at('c')).toMatchObject({ c: true, writeable: true, aligned: true });
      expect(at('fortran')).toMatchObject({ c: false, f: true });
      expect(at('transposed')).toMatchObject({ c: false, f: true });
      expect(at('swapaxes')).toMatchObject({ c: false, f: false });
      expect(at('negative-stride')).toMatchObject({ c: false, negative: true });
      expect(at('strided')).toMatchObject({ c: false, f: false, negative: false });
      expect(at('misaligned')).toMatchObject({ aligned: false, writeable: true });
      expect(at('readonly')).toMatchObject({ c: true, writeable: false });
      expect(at('broadcast')).toMatchObject({ zero: true, writeable: false });
    }
  });

  it('refuses a layout that does not fit: an axis out of range, a broadcast of values that vary', () => {
    const out = python(`
x = np.arange(6.0).reshape(2, 3)
res = []
for lay in [{"kind": "negative-stride", "axis": 2}, {"kind": "broadcast", "axis": 0}, {"kind": "swapaxes", "axes": [0]}, {"kind": "nope"}]:
    try:
        make_view(x, lay)
        res.append("accepted")
    except LayoutError as e:
        res.append("refused")
print(json.dumps(res))
`, '');
    expect(JSON.parse(out)).toEqual(['refused', 'refused', 'refused', 'refused']);
  });
});

describe('layoutFits', () => {
  it('needs rank 2 for axis orders, an axis in range, and a non-empty broadcast axis', () => {
    expect(layoutFits({ kind: 'fortran' }, [5])).toBe(false);
    expect(layoutFits({ kind: 'fortran' }, [2, 5])).toBe(true);
    expect(layoutFits({ kind: 'swapaxes', axes: [0, 0] }, [2, 5])).toBe(false);
    expect(layoutFits({ kind: 'negative-stride', axis: 1 }, [2])).toBe(false);
    expect(layoutFits({ kind: 'broadcast', axis: 0 }, [0, 3])).toBe(false);
    expect(layoutFits({ kind: 'readonly' }, [])).toBe(true);
  });
});
