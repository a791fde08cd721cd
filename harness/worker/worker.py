"""Runs one candidate softmax function for the harness (harness/worker/python-worker.ts starts it).

Usage: python3 -u worker.py SPEC_JSON   (SPEC_JSON: {"file", "function", "callStyle", "memoryMb"})

The protocol never touches stdout/stderr: the harness passes a pipe on fd 3 (requests) and one on fd 4 (results),
which are moved to high, close-on-exec descriptors before the candidate is imported, so a candidate that prints,
or runs a subprocess, cannot corrupt it. Frame: u32 LE header length, a JSON header (padded with spaces so the
payload starts 8-byte aligned), then `payloadBytes` raw little-endian bytes.
  harness -> worker: {"type": "batch", "calls": [{"id", "dtype", "shape", "args", "offset", "nbytes"}]}
  worker -> harness: {"type": "ready" | "start-failed" | "environment"} once, then one {"type": "result", "id", ...}
                     per call, sent as soon as that call finishes.
Uses only the standard library and NumPy: it runs on whatever interpreter the user points the harness at.
"""

import io
import json
import os
import struct
import sys
import time
import traceback

PROTO_IN, PROTO_OUT = 3, 4
SMALL_FRAME = 256 * 1024  # payload bytes up to which a frame is joined into one buffer and written at once
TEXT_LIMIT = 4000  # characters kept of a message, traceback or captured output
MIN_OUTPUT_CAP = 1_000_000  # elements an output may always have
OUTPUT_CAP_FACTOR = 64  # ... or this many times the input's element count

DTYPE_DESCR = {"float64": "<f8", "float32": "<f4", "float16": "<f2", "int32": "<i4", "int64": "<i8", "bool": "|b1"}


def move_protocol_fds():
    """dup fds 3/4 to high close-on-exec numbers and close the originals, so the candidate cannot stumble on them."""
    import fcntl

    fds = []
    for fd in (PROTO_IN, PROTO_OUT):
        fds.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 200))
        os.close(fd)
    return fds


def die_with_parent():
    """If the harness dies, a worker stuck in a candidate's loop would never see EOF: ask Linux to kill it."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except Exception:
        pass


# ---------------------------------------------------------------- framing


def read_exact(fd, n, alloc=bytearray):
    """n bytes into a fresh buffer from alloc(n) (anything writable with the buffer protocol), or None at EOF."""
    buf = alloc(n)
    view = memoryview(buf).cast("B")
    got = 0
    while got < n:
        k = os.readv(fd, [view[got:]])
        if k == 0:
            return None
        got += k
    return buf


def read_frame(fd, alloc=bytearray):
    """(header, payload); the payload buffer comes from alloc (serve passes an uninitialised NumPy allocation:
    a bytearray would first zero-fill what the read overwrites anyway)."""
    head = read_exact(fd, 4)
    if head is None:
        return None, None
    (hlen,) = struct.unpack("<I", head)
    raw = read_exact(fd, hlen)
    if raw is None:
        return None, None
    header = json.loads(raw.decode("utf-8"))
    payload = read_exact(fd, header.get("payloadBytes", 0), alloc) if header.get("payloadBytes", 0) else bytearray()
    if payload is None:
        return None, None
    return header, payload


def write_frame(fd, header, chunks=()):
    """chunks: buffers written back to back after the header; their offsets in the payload are set by the caller."""
    header["payloadBytes"] = sum(len(c) for c in chunks)
    raw = json.dumps(header).encode("utf-8")
    raw += b" " * (-(4 + len(raw)) % 8)
    if header["payloadBytes"] <= SMALL_FRAME:
        # One write per frame: a small result as several writes costs the harness a wake-up per write.
        parts = [b"".join([struct.pack("<I", len(raw)), raw, *chunks])]
    else:
        parts = [struct.pack("<I", len(raw)) + raw, *chunks]  # big payloads go as they are, without a copy
    for part in parts:
        view = memoryview(part).cast("B")
        while len(view):
            k = os.write(fd, view)
            view = view[k:]


def pad8(n):
    return -n % 8


# ---------------------------------------------------------------- captured text


class Capture(io.TextIOBase):
    """A sys.stdout/sys.stderr stand-in that keeps the first TEXT_LIMIT characters and counts the rest."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self):
        self.parts, self.kept, self.dropped = [], 0, 0
        self.buffer = _BytesSink(self)  # for code that writes bytes to sys.stdout.buffer

    def writable(self):
        return True

    def write(self, s):
        s = str(s)
        room = TEXT_LIMIT - self.kept
        if room > 0:
            self.parts.append(s[:room])
            self.kept += min(room, len(s))
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def text(self):
        t = "".join(self.parts)
        return t + (f"\n[... {self.dropped} more characters]" if self.dropped else "")


class _BytesSink(io.RawIOBase):
    def __init__(self, text):
        self.text = text

    def writable(self):
        return True

    def write(self, b):
        self.text.write(bytes(b).decode("utf-8", "replace"))
        return len(b)


class captured_output:
    def __enter__(self):
        self.cap = Capture()
        self.saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.cap
        return self.cap

    def __exit__(self, *exc):
        try:
            sys.stdout.flush()
        except Exception:
            pass
        sys.stdout, sys.stderr = self.saved
        return False


def head(s, limit=TEXT_LIMIT):
    return s if len(s) <= limit else s[:limit] + f"\n[... {len(s) - limit} more characters]"


def tail(s, limit=TEXT_LIMIT):
    return s if len(s) <= limit else f"[... {len(s) - limit} characters before]\n" + s[-limit:]


def safe_str(e):
    try:
        return str(e)
    except BaseException:
        return f"<{type(e).__name__} whose str() failed>"


def format_tb(e):
    """The traceback without the worker's own frames and importlib's: only the candidate's code is of interest."""
    try:
        own = os.path.abspath(__file__)
        frames = [f for f in traceback.extract_tb(e.__traceback__)
                  if os.path.abspath(f.filename) != own and not f.filename.startswith("<frozen importlib")]
        text = "".join(traceback.format_exception_only(type(e), e))
        return ("Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)) if frames else "") + text
    except BaseException:
        return ""


# ---------------------------------------------------------------- startup


def load_function(spec):
    """(function, None) or (None, failure header). Runs the candidate's top-level code."""
    import importlib.util

    path = os.path.abspath(spec["file"])
    folder, base = os.path.split(path)
    stem = os.path.splitext(base)[0]
    # The worker's own folder is no business of the candidate's; its own folder is (sibling imports).
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)
    sys.path.insert(0, folder)
    # A file called json.py or numpy.py must not replace a module the worker already uses.
    name = stem if stem.isidentifier() and stem not in sys.modules else "_sc_candidate_" + "".join(
        c if c.isalnum() else "_" for c in stem
    )
    if not os.path.isfile(path):
        return None, {"type": "start-failed", "kind": "import", "message": f"{path}: no such file"}
    try:
        module_spec = importlib.util.spec_from_file_location(name, path)
        if module_spec is None or module_spec.loader is None:
            return None, {"type": "start-failed", "kind": "import", "message": f"{path} cannot be loaded as a Python module"}
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
    except ModuleNotFoundError as e:
        missing = e.name or ""
        if missing and missing not in (name, stem):
            return None, {
                "type": "start-failed",
                "kind": "missing-library",
                "module": missing,
                "message": head(f"{base} imports {missing!r}, which is not installed for {sys.executable}: {safe_str(e)}"),
                "traceback": tail(format_tb(e)),
            }
        return None, import_failure(base, e)
    except BaseException as e:  # SyntaxError, an exception at import, SystemExit, ...
        return None, import_failure(base, e)
    fn_name = spec["function"]
    if not hasattr(module, fn_name):
        defined = sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("_"))
        return None, {
            "type": "start-failed",
            "kind": "import",
            "message": f"{base} has no function {fn_name!r} (callables it defines: {', '.join(defined) or 'none'})",
        }
    fn = getattr(module, fn_name)
    if not callable(fn):
        return None, {"type": "start-failed", "kind": "import", "message": f"{base}: {fn_name!r} is a {type(fn).__name__}, not a function"}
    return fn, None


def import_failure(base, e):
    return {
        "type": "start-failed",
        "kind": "import",
        "message": head(f"{base} failed to import: {type(e).__name__}: {safe_str(e)}"),
        "traceback": tail(format_tb(e)),
    }


def vm_size_bytes():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cap_memory(memory_mb):
    """RLIMIT_AS = what the worker already maps (interpreter + NumPy + BLAS, which varies with the CPU count) plus
    the cap, so the cap means the same headroom for the candidate on every machine."""
    if not memory_mb or memory_mb <= 0:
        return
    import resource

    limit = vm_size_bytes() + int(memory_mb) * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


# ---------------------------------------------------------------- calls


def describe_type(v):
    if v is None:
        return "None"
    names = {list: "a list", tuple: "a tuple", dict: "a dict", str: "a str", bytes: "a bytes object",
             float: "a Python float", int: "a Python int", bool: "a Python bool", complex: "a Python complex"}
    if type(v) in names:
        return names[type(v)]
    t = type(v)
    return f"a {t.__module__}.{t.__qualname__}" if t.__module__ != "builtins" else f"a {t.__qualname__}"


def wire_dtype(np, arr):
    """(wire dtype, problem): the dtype an array crosses as, or why it cannot."""
    dt = arr.dtype
    if dt.kind == "b":
        return "bool", None
    if dt.kind == "f":
        if dt.itemsize in (2, 4, 8):
            return {2: "float16", 4: "float32", 8: "float64"}[dt.itemsize], None
        return "float64", None  # longdouble: rounded to double
    if dt.kind == "i":
        return ("int32" if dt.itemsize == 4 else "int64"), None
    if dt.kind == "u":
        return "int64", None
    if dt.kind == "c":
        return None, f"returned {dt.name} values"
    if dt.kind == "O":
        return None, "returned an array of Python objects (dtype object)"
    if dt.kind in "US":
        return None, f"returned an array of strings (dtype {dt.str})"
    return None, f"returned an array of dtype {dt.name}, not real numbers"


def as_wire(np, arr, dtype):
    """C-contiguous little-endian array of the wire dtype (no copy when it already is one)."""
    return np.ascontiguousarray(arr, dtype=np.dtype(DTYPE_DESCR[dtype])).reshape(arr.shape)


def to_array(np, out):
    """(ndarray, problem)."""
    if isinstance(out, np.ndarray):
        return np.asarray(out), None  # subclasses (matrix, masked) to a plain array
    if isinstance(out, np.generic):
        return np.asarray(out), None
    if isinstance(out, (list, tuple, dict, str, bytes, int, float, complex)) or out is None:
        return None, f"returned {describe_type(out)}, not a NumPy array"
    try:
        has_array = hasattr(out, "__array__")
    except BaseException:
        has_array = False
    if not has_array:
        return None, f"returned {describe_type(out)}, not a NumPy array"
    try:
        return np.asarray(out), None
    except BaseException as e:
        return None, f"returned {describe_type(out)}, whose __array__ failed: {type(e).__name__}: {safe_str(e)}"


BITS = {1: "u1", 2: "<u2", 4: "<u4", 8: "<u8"}


def same_bits(np, a, b):
    """Same shape and dtype assumed: are the elements bit-identical (NaN payloads and -0 included)? Compares them
    as unsigned integers of the same width, element by element in logical order, as tobytes() would, without the
    two full copies tobytes() makes."""
    if a.nbytes <= SMALL_FRAME:
        return a.tobytes() == b.tobytes()  # cheaper than array_equal's checks for the small inputs of most calls
    try:
        bits = np.dtype(BITS[a.dtype.itemsize])
        return bool(np.array_equal(a.view(bits), b.view(bits)))
    except (KeyError, ValueError, TypeError):
        return a.tobytes() == b.tobytes()


def call_candidate(fn, style, x, args):
    if style == "x":
        return fn(x)
    kwargs = {}
    if style == "x-theta-axis" and "theta" in args:
        kwargs["theta"] = float(args["theta"])  # non-finite and -0 arrive as strings: JSON cannot carry them
    if "axis" in args:
        kwargs["axis"] = args["axis"]
    return fn(x, **kwargs)


def run_call(np, fn, style, call, payload):
    """(result header, payload chunks) for one call."""
    base = {"type": "result", "id": call["id"]}
    dt = np.dtype(DTYPE_DESCR[call["dtype"]])
    n = call["nbytes"] // dt.itemsize
    view = np.frombuffer(payload, dtype=dt, count=n, offset=call["offset"]) if n else np.empty(0, dt)
    # The received bytes stay untouched (the candidate never sees them): they are the pristine input the mutation
    # check compares against, so the only copy is this one.
    pristine = view.reshape(call["shape"])
    x = pristine.copy()  # fresh, writable, C-contiguous: the candidate may scribble on it
    shape0, dtype0 = x.shape, x.dtype
    with captured_output() as cap:
        t0 = time.perf_counter()
        try:
            out = call_candidate(fn, style, x, call.get("args") or {})
            err = None
        except MemoryError as e:
            err = e
        except BaseException as e:  # SystemExit and KeyboardInterrupt too: the worker outlives the candidate
            err = e
        ms = (time.perf_counter() - t0) * 1000.0
    captured = cap.text()
    if err is not None:
        tb = tail(format_tb(err))
        err.__traceback__ = None  # its frames may hold the arrays that exhausted memory
        if isinstance(err, MemoryError):
            return {**base, "kind": "memory", "message": head(f"{type(err).__name__}: {safe_str(err)}"), "traceback": tb, "captured": captured, "ms": ms}, []
        return {**base, "kind": "raised", "errorType": type(err).__name__, "message": head(safe_str(err)), "traceback": tb, "captured": captured, "ms": ms}, []
    common = {**base, "captured": captured, "ms": ms}

    chunks = []
    offset = 0

    def add(arr):
        nonlocal offset
        mv = memoryview(arr).cast("B") if arr.ndim > 0 and arr.size > 0 else memoryview(arr.tobytes())
        desc = {"offset": offset, "nbytes": len(mv)}
        chunks.append(mv)
        offset += len(mv)
        if pad8(offset):
            chunks.append(b"\0" * pad8(offset))
            offset += pad8(offset)
        return desc

    mutated = x.shape != shape0 or x.dtype != dtype0 or not same_bits(np, x, pristine)
    after = None
    if mutated:
        after_dtype, _ = wire_dtype(np, x)
        if after_dtype is not None:
            after = as_wire(np, x, after_dtype)

    arr, problem = to_array(np, out)
    if problem is None:
        limit = max(OUTPUT_CAP_FACTOR * x.size, MIN_OUTPUT_CAP)
        if arr.size > limit:
            problem = f"returned {arr.size} elements for an input of {x.size}"
    if problem is None:
        wd, problem = wire_dtype(np, arr)
    if problem is not None:
        return {**common, "kind": "bad-output", "problem": problem, "mutated": mutated}, []
    numpy_dtype = arr.dtype.name
    wire = as_wire(np, arr, wd)
    header = {**common, "kind": "ok", "mutated": mutated, "numpyDtype": numpy_dtype,
              "output": {"dtype": wd, "shape": list(wire.shape), **add(wire)}}
    if after is not None:
        header["inputAfter"] = {"dtype": after_dtype, "shape": list(after.shape), **add(after)}
    return header, chunks


def serve(np, fn, style, fd_in, fd_out):
    while True:
        header, payload = read_frame(fd_in, lambda n: np.empty(n, np.uint8))
        if header is None:
            return  # the harness closed the pipe: done
        if header.get("type") != "batch":
            continue
        for call in header["calls"]:
            try:
                result, chunks = run_call(np, fn, style, call, payload)
            except MemoryError as e:  # while copying the input or converting the output
                result, chunks = {"type": "result", "id": call["id"], "kind": "memory", "message": head(f"{type(e).__name__}: {safe_str(e)}"), "captured": "", "ms": 0.0}, []
            except BaseException as e:  # e.g. an __array__ or a shape that misbehaves during conversion
                result, chunks = {"type": "result", "id": call["id"], "kind": "bad-output", "problem": head(f"its output could not be read: {type(e).__name__}: {safe_str(e)}"), "captured": "", "ms": 0.0}, []
            write_frame(fd_out, result, chunks)
            del result, chunks


def main():
    fd_in, fd_out = move_protocol_fds()
    die_with_parent()
    spec = json.loads(sys.argv[1])
    try:
        import faulthandler

        faulthandler.enable(file=sys.__stderr__)  # a segfault leaves a Python traceback in the stderr tail
    except Exception:
        pass
    try:
        import numpy as np
    except BaseException as e:
        write_frame(fd_out, {"type": "environment", "message": f"{sys.executable} cannot import NumPy: {type(e).__name__}: {safe_str(e)}"})
        return
    cap_memory(spec.get("memoryMb"))
    with captured_output() as cap:
        fn, failure = load_function(spec)
    if failure is not None:
        failure["importOutput"] = cap.text()
        write_frame(fd_out, failure)
        return
    write_frame(fd_out, {"type": "ready", "importOutput": cap.text(), "python": sys.version.split()[0], "numpy": np.__version__})
    serve(np, fn, spec.get("callStyle", "x"), fd_in, fd_out)


if __name__ == "__main__":
    main()
