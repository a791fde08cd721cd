"""Runs one candidate softmax function for the harness (harness/worker/python-worker.ts starts it).

Usage: python3 -u worker.py SPEC_JSON [BULK_DIR]   (SPEC_JSON: {"file", "function", "callStyle", "memoryMb"})

The protocol never touches stdout/stderr: the harness passes a pipe on fd 3 (requests) and one on fd 4 (results),
which are moved to high, close-on-exec descriptors before the candidate is imported, so a candidate that prints,
or runs a subprocess, cannot corrupt it. Frame: u32 LE header length, a JSON header (padded with spaces so the
payload starts 8-byte aligned), then `payloadBytes` raw little-endian bytes.
  harness -> worker: {"type": "batch", "calls": [{"id", "dtype", "shape", "args", "offset", "nbytes"}]}
  worker -> harness: {"type": "ready" | "start-failed" | "environment"} once, then one {"type": "result", "id", ...}
                     per call, sent as soon as that call finishes.
Large tensors skip the pipe (harness/worker/bulk-files.ts): BULK_DIR holds files `in` and `out`, opened before the
candidate loads (ready says "bulk": true). A call with "bulk": true instead of an offset has its input in `in`; its
result's payload then goes into `out`, from offset 0, and the result says "bulk": <bytes> (payloadBytes 0); before it,
{"type": "progress", "id", "bytes", "of"} frames say how much of it is already there.
Uses only the standard library and NumPy: it runs on whatever interpreter the user points the harness at.
"""

import errno
import io
import json
import mmap
import os
import struct
import sys
import time
import traceback

PROTO_IN, PROTO_OUT = 3, 4
BULK_PIECE = 16 * 1024 * 1024  # bytes of a result in the shared file per progress frame
SMALL_FRAME = 256 * 1024  # payload bytes up to which a frame is joined into one buffer and written at once
TEXT_LIMIT = 4000  # characters kept of a message, traceback or captured output
MIN_OUTPUT_CAP = 1_000_000  # elements an output may always have
OUTPUT_CAP_FACTOR = 64  # ... or this many times the input's element count

DTYPE_DESCR = {"float64": "<f8", "float32": "<f4", "float16": "<f2", "int32": "<i4", "int64": "<i8", "bool": "|b1"}
NO_BFLOAT16 = "bfloat16 inputs need the ml_dtypes package, which this Python cannot import (pip install ml_dtypes)"


_ML_DTYPES = []  # [the ml_dtypes module, or None when it cannot be imported], once tried


def load_ml_dtypes():
    """ml_dtypes, imported once, before the candidate loads (it registers loops on NumPy's ufuncs, which a candidate
    may have replaced); any failure means "not available", never a dead worker."""
    if not _ML_DTYPES:
        try:
            import ml_dtypes
        except BaseException:
            ml_dtypes = None
        _ML_DTYPES.append(ml_dtypes)
    return _ML_DTYPES[0]


def np_dtype(np, name):
    """The NumPy dtype of a wire dtype; bfloat16 is ml_dtypes' (None when it cannot be imported: see NO_BFLOAT16)."""
    if name == "bfloat16":
        ml = load_ml_dtypes()
        return None if ml is None else np.dtype(ml.bfloat16)
    return np.dtype(DTYPE_DESCR[name])


def move_protocol_fds():
    """dup fds 3/4 to high close-on-exec numbers and close the originals, so the candidate cannot stumble on them."""
    import fcntl

    fds = []
    for fd in (PROTO_IN, PROTO_OUT):
        fds.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 200))
        os.close(fd)
    return fds


def open_bulk(folder):
    """(in fd, out fd) on high close-on-exec numbers, or None: the harness then sends every tensor inline."""
    import fcntl

    fds = []
    try:
        for name in ("in", "out"):
            fd = os.open(os.path.join(folder, name), os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
            fds.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 200))
            os.close(fd)
    except OSError:
        for fd in fds:
            os.close(fd)
        return None
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


def write_bulk(fd, header, chunks, tell):
    """Writes a result's payload into the shared output file and says so in its header; returns the chunks still to
    send through the pipe: none, or all of them when the file cannot take them (tmpfs full). After each BULK_PIECE
    bytes but the last, tell(bytes, total) sends a progress frame: the harness reads that much while the rest is
    written."""
    total = sum(len(c) for c in chunks)
    pos = 0
    try:
        for c in chunks:
            view = memoryview(c).cast("B")
            while len(view):
                k = os.pwrite(fd, view[: BULK_PIECE - pos % BULK_PIECE], pos)
                view = view[k:]
                pos += k
                if pos % BULK_PIECE == 0 and pos < total:
                    tell(pos, total)
    except OSError:
        return chunks
    header["bulk"] = pos
    return []


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
    if dt.kind == "V" and dt.name == "bfloat16":  # ml_dtypes' (float8 and friends are not wire dtypes)
        return "bfloat16", None
    if dt.kind == "c":
        return None, f"returned {dt.name} values"
    if dt.kind == "O":
        return None, "returned an array of Python objects (dtype object)"
    if dt.kind in "US":
        return None, f"returned an array of strings (dtype {dt.str})"
    return None, f"returned an array of dtype {dt.name}, not real numbers"


def as_wire(np, arr, dtype):
    """C-contiguous little-endian array of the wire dtype (no copy when it already is one)."""
    return np.ascontiguousarray(arr, dtype=np_dtype(np, dtype)).reshape(arr.shape)


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


MADV_POPULATE_READ = 22  # Linux 5.14+; Python's mmap module does not name it


class InputMaps:
    """The shared input file, mapped twice and kept mapped from one large call to the next while the size stays the
    same. The candidate's x is a view of a private (copy-on-write) mapping: writable, C-contiguous, and copied only
    where the candidate writes to it, so there is no copy of the input at all. The input as sent, for the mutation
    check, is a read-only shared mapping. After the call, reset() drops the pages the candidate wrote to, so the
    mapping shows the file again when the harness writes the next input into it: no copy, no new mapping and no
    page faults per call. Ordinary calls in between get the address space back (drop), as RLIMIT_AS counts it."""

    def __init__(self, fd):
        self.fd, self.n = fd, 0
        self.shared = self.private = self.before = self.after = None
        self.pagemap = None

    def arrays(self, np, n, dt, shape):
        """(pristine, x) for a call whose n-byte input is in the file."""
        if self.n != n:
            self.drop()
            try:
                self.shared = mmap.mmap(self.fd, n, access=mmap.ACCESS_READ)
                self.private = mmap.mmap(self.fd, n, access=mmap.ACCESS_COPY)
            except OSError as e:
                self.drop()
                if e.errno == errno.ENOMEM:  # RLIMIT_AS: as if copying the input had run out of memory
                    raise MemoryError(f"cannot map the {n}-byte input: {e.strerror}") from None
                raise
            self.populate(0, n)
            self.before, self.after, self.n = np.frombuffer(self.shared, np.uint8), np.frombuffer(self.private, np.uint8), n
        return self.before.view(dt).reshape(shape), self.after.view(dt).reshape(shape)

    def populate(self, start, length):
        """Maps file pages into x's page tables, read-only (nothing is copied), in one call: cheaper than the
        thousands of page faults the candidate's first pass would take (~15 ms for 134 MB here)."""
        try:
            self.private.madvise(MADV_POPULATE_READ, start, length)
        except (OSError, ValueError):
            pass  # an older kernel: the candidate takes the faults

    def written(self, np):
        """[start, end) byte ranges of the pages of x the candidate wrote to, from /proc/self/pagemap: they alone
        are backed by anonymous memory now (present or swapped: bit 63 or 62; bit 61 clear), every other page is
        still the file's own. None when pagemap cannot be read."""
        page = mmap.PAGESIZE
        pages = -(-self.n // page)
        try:
            if self.pagemap is None:
                self.pagemap = os.open("/proc/self/pagemap", os.O_RDONLY | os.O_CLOEXEC)
            raw = os.pread(self.pagemap, pages * 8, self.after.ctypes.data // page * 8)
        except OSError:
            return None
        if len(raw) != pages * 8:
            return None
        e = np.frombuffer(raw, "<u8")
        hit = np.flatnonzero(((e >> np.uint64(62)) != 0) & ((e >> np.uint64(61)) & np.uint64(1) == 0))
        cut = np.flatnonzero(np.diff(hit) != 1)  # runs of consecutive pages
        starts = np.concatenate((hit[:1], hit[cut + 1])) * page
        ends = np.minimum((np.concatenate((hit[cut], hit[-1:])) + 1) * page, self.n)
        return list(zip(starts.tolist(), ends.tolist()))

    def unchanged(self, np, x, pristine):
        """same_bits(x, pristine), comparing only the pages the candidate wrote to: for a candidate that does not
        write to its input, nothing (a full comparison of 134 MB costs 12-60 ms here)."""
        runs = self.written(np)
        if runs is None or not x.flags.c_contiguous:
            return same_bits(np, x, pristine)
        for s, e in runs:
            w = "<u8" if (e - s) % 8 == 0 else "u1"  # 8 bytes at a time: array_equal's temporary mask is smaller
            if not np.array_equal(self.after[s:e].view(w), self.before[s:e].view(w)):
                return False
        return True

    def reset(self, np):
        """After a large call, before its result is sent (the harness then writes the next input into the file):
        makes x's mapping show the file again. The worker must hold nothing of the call's arrays any more."""
        import gc

        if self.after is None:
            return
        if sys.getrefcount(self.after) > 2:  # every view of x has self.after as its base
            gc.collect()  # perhaps only a reference cycle
        if sys.getrefcount(self.after) > 2:
            # The candidate kept its input, or a view of it (or the result going inline refers to it). The pages it
            # did not write to would change with the file: copy each one now (a write makes it the mapping's own)
            # and leave it this mapping; the next call maps the file anew.
            self.after[:: mmap.PAGESIZE] = self.after[:: mmap.PAGESIZE].copy()
            self.before = self.after = self.private = None
            self.drop()
            return
        runs = self.written(np)
        if runs is None:
            self.drop()
            return
        for s, e in runs:
            self.private.madvise(mmap.MADV_DONTNEED, s, e - s)  # back to the file's pages
            self.populate(s, e - s)

    def drop(self):
        """Unmaps both mappings (a mapping the candidate still refers to stays, as its own)."""
        self.before = self.after = None
        for m in (self.private, self.shared):
            try:
                if m is not None:
                    m.close()
            except BufferError:
                pass
        self.shared = self.private = None
        self.n = 0


def run_call(np, fn, style, call, payload, maps=None):
    """(result header, payload chunks) for one call."""
    base = {"type": "result", "id": call["id"]}
    dt = np_dtype(np, call["dtype"])
    if dt is None:  # not the candidate's doing: the call is not made, and the reason says what to install
        return {**base, "kind": "not-run", "reason": NO_BFLOAT16}, []
    n = call["nbytes"] // dt.itemsize
    if call.get("bulk"):
        pristine, x = maps.arrays(np, call["nbytes"], dt, call["shape"])
        unchanged = lambda: maps.unchanged(np, x, pristine)  # noqa: E731
    else:
        view = np.frombuffer(payload, dtype=dt, count=n, offset=call["offset"]) if n else np.empty(0, dt)
        # The received bytes stay untouched (the candidate never sees them): they are the pristine input the mutation
        # check compares against, so the only copy is this one.
        pristine = view.reshape(call["shape"])
        x = pristine.copy()  # fresh, writable, C-contiguous: the candidate may scribble on it
        unchanged = lambda: same_bits(np, x, pristine)  # noqa: E731
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
        if arr.dtype.kind == "V":  # bfloat16: the buffer protocol has no format for it, its bits do
            arr = arr.view(np.uint16)
        mv = memoryview(arr).cast("B") if arr.ndim > 0 and arr.size > 0 else memoryview(arr.tobytes())
        desc = {"offset": offset, "nbytes": len(mv)}
        chunks.append(mv)
        offset += len(mv)
        if pad8(offset):
            chunks.append(b"\0" * pad8(offset))
            offset += pad8(offset)
        return desc

    mutated = x.shape != shape0 or x.dtype != dtype0 or not unchanged()
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


def serve(np, fn, style, fd_in, fd_out, bulk):
    maps, bulk_out = (InputMaps(bulk[0]), bulk[1]) if bulk else (None, None)
    while True:
        header, payload = read_frame(fd_in, lambda n: np.empty(n, np.uint8))
        if header is None:
            return  # the harness closed the pipe: done
        if header.get("type") != "batch":
            continue
        for call in header["calls"]:
            big = maps is not None and call.get("bulk")
            if maps is not None and not big:
                maps.drop()
            try:
                result, chunks = run_call(np, fn, style, call, payload, maps)
            except MemoryError as e:  # while copying the input or converting the output
                result, chunks = {"type": "result", "id": call["id"], "kind": "memory", "message": head(f"{type(e).__name__}: {safe_str(e)}"), "captured": "", "ms": 0.0}, []
            except BaseException as e:  # e.g. an __array__ or a shape that misbehaves during conversion
                result, chunks = {"type": "result", "id": call["id"], "kind": "bad-output", "problem": head(f"its output could not be read: {type(e).__name__}: {safe_str(e)}"), "captured": "", "ms": 0.0}, []
            if big:
                tell = lambda done, total: write_frame(fd_out, {"type": "progress", "id": call["id"], "bytes": done, "of": total})  # noqa: E731
                chunks = write_bulk(bulk_out, result, chunks, tell) if chunks else chunks
                # Before the result: once the harness has it, it may write the next input into the file.
                maps.reset(np)
            write_frame(fd_out, result, chunks)
            del result, chunks


def main():
    fd_in, fd_out = move_protocol_fds()
    die_with_parent()
    spec = json.loads(sys.argv[1])
    bulk = open_bulk(sys.argv[2]) if len(sys.argv) > 2 else None
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
    load_ml_dtypes()
    cap_memory(spec.get("memoryMb"))
    with captured_output() as cap:
        fn, failure = load_function(spec)
    if failure is not None:
        failure["importOutput"] = cap.text()
        write_frame(fd_out, failure)
        return
    ml = load_ml_dtypes()  # None when it cannot be imported: the harness says what that means
    ready = {"type": "ready", "importOutput": cap.text(), "python": sys.version.split()[0], "numpy": np.__version__, "bulk": bulk is not None}
    if ml is not None:
        ready["mlDtypes"] = str(getattr(ml, "__version__", "unknown"))
    write_frame(fd_out, ready)
    serve(np, fn, spec.get("callStyle", "x"), fd_in, fd_out, bulk)


if __name__ == "__main__":
    main()
