#!/usr/bin/env python3
"""ONNX's own backend node tests for Softmax and LogSoftmax, as a fixed external suite.

    .venv/bin/python golden/onnx_node_tests.py --out golden/external/onnx-node-tests.json

The onnx package generates its node tests in memory (onnx.backend.test.case.node.collect_testcases; each export
seeds NumPy with 0, so the inputs are the ones ONNX ships). The single-node tests (not the `_expanded` function
bodies) are written with their provenance: onnx version, test name, opset, the axis attribute, and the tolerances
ONNX's runner uses (rtol, atol). Their expected outputs are NumPy float32 computations, a few ULPs from the
correctly rounded values: `run` shows where an implementation agrees with them and not with the oracle.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / 'harness' / 'py'))

import numpy as np  # noqa: E402

from sc_tensor import encode_array  # noqa: E402

OPS = {'Softmax': 'softmax', 'LogSoftmax': 'log-softmax'}


def tests():
    import onnx
    from onnx.backend.test.case import node

    # collect_testcases fills one module-level list on its first call only: collect everything once, filter here.
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        cases = node.collect_testcases()
    seen = set()
    for case in cases:
        graph = case.model.graph
        # The one-node tests only: `_expanded` variants run the same data through a function body.
        if case.name in seen or len(graph.node) != 1 or graph.node[0].op_type not in OPS:
            continue
        op = OPS[graph.node[0].op_type]
        seen.add(case.name)
        (inputs, outputs), = case.data_sets
        opset = max(o.version for o in case.model.opset_import if o.domain in ('', 'ai.onnx'))
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in graph.node[0].attribute}
        x, y = np.asarray(inputs[0]), np.asarray(outputs[0])
        yield {
            'name': case.name,
            'op': op,
            'opset': int(opset),
            # null: no attribute, the opset's default (-1 from opset 13, 1 before: coerce-2d)
            'axis': int(attrs['axis']) if 'axis' in attrs else None,
            'rtol': float(case.rtol),
            'atol': float(case.atol),
            'input': encode_array(x, 'data' if x.size <= 64 else 'base64'),
            'expected': encode_array(y, 'data' if y.size <= 64 else 'base64'),
        }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', required=True, help='the suite file to write (golden/external/onnx-node-tests.json)')
    args = ap.parse_args(argv)
    import onnx
    found = sorted(tests(), key=lambda t: t['name'])
    doc = {
        'schemaVersion': 1,
        'suite': 'onnx-node-tests',
        'provenance': {
            'onnx': onnx.__version__,
            'numpy': np.__version__,
            'generator': 'onnx.backend.test.case.node.collect_testcases (single-node Softmax and LogSoftmax tests)',
            'command': 'golden/onnx_node_tests.py --out golden/external/onnx-node-tests.json',
            'note': 'Expected outputs are ONNX\'s NumPy float32 references; ONNX\'s runner accepts |y - expected| '
                    '<= atol + rtol * |expected|. This onnx version ships only opset-13 tests (no opset-11 '
                    'coerce-2d variants).',
        },
        'tests': found,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(doc, sort_keys=True, indent=1, allow_nan=False) + '\n')
    print(f'onnx node tests: {len(found)} written to {args.out}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
