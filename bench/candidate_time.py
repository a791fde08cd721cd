"""The candidate's own compute time on a tensor, measured inside Python (the transport bench's yardstick).

    python3 bench/candidate_time.py X.npy FILE.py:FUNCTION RUNS

Loads X.npy, calls the function once to warm up, then RUNS times on a fresh copy each time (as the worker gives
it), timing only the call with time.perf_counter. Prints {"seconds": [per run], "numpy": version}.
"""
import importlib.util
import json
import sys
import time

import numpy as np


def main():
    path, target, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    file, name = target.rsplit(":", 1)
    spec = importlib.util.spec_from_file_location("bench_candidate", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fn = getattr(module, name)
    x = np.load(path)
    fn(x.copy())  # warm-up
    seconds = []
    for _ in range(runs):
        arg = x.copy()
        t0 = time.perf_counter()
        out = fn(arg)
        seconds.append(time.perf_counter() - t0)
        del out, arg
    print(json.dumps({"seconds": seconds, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
