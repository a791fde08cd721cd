"""The transport bench's socket floor: echo frames of raw bytes over fds 3 (in) and 4 (out), nothing else.

    python3 bench/socket_echo.py NBYTES RUNS

Reads NBYTES from fd 3 into a fresh buffer (as the worker does for tensors below 8 MiB), writes them back on fd 4,
RUNS times. What a round trip through this costs is what the pipes between Node and Python cost for that many
bytes, with none of the worker's work (frames, the input copy, the mutation check, the call): the floor of any
design that moves the tensor through the socket. Larger tensors take shared files instead
(harness/worker/bulk-files.ts), which is why the harness's round trip can be below this.
"""
import os
import sys

import numpy as np


def main():
    n, runs = int(sys.argv[1]), int(sys.argv[2])
    for _ in range(runs):
        buf = np.empty(n, np.uint8)
        view = memoryview(buf)
        got = 0
        while got < n:
            k = os.readv(3, [view[got:]])
            if k == 0:
                return
            got += k
        out = memoryview(buf)
        while len(out):
            out = out[os.write(4, out):]


if __name__ == "__main__":
    main()
