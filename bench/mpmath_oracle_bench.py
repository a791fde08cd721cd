"""mpmath's side of the oracle bench (bench/oracle-bench.ts): the correctly rounded softmax of every row of a 2-D
float64 .npy, with golden/oracle-truth/exact.py (320 bits, exact rounding, Ziv check), timed.

    python3 bench/mpmath_oracle_bench.py ROWS.npy RUNS

Prints one JSON object: {"elements": n, "seconds": [per run], "precisionBits": 320, "mpmath": version}.
"""
import json
import os
import sys
import time

import mpmath
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'golden', 'oracle-truth'))
from exact import START_PRECISION, slice_truth  # noqa: E402


def main() -> None:
    rows = np.load(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    lists = [[float(v) for v in r] for r in rows]
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for r in lists:
            slice_truth(r, 'softmax', 'float64')
        seconds.append(time.perf_counter() - t0)
    print(json.dumps({'elements': int(rows.size), 'seconds': seconds, 'precisionBits': START_PRECISION, 'mpmath': mpmath.__version__}))


if __name__ == '__main__':
    main()
