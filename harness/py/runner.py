"""Imports one Python function and calls it on the inputs it is given, over a single channel.

Usage: python3 runner.py FD [CONTROL_FD]
  FD: one end of a Unix stream socket; nothing else is needed from the caller.
  CONTROL_FD (inside a sandbox of its own only): this process becomes the supervisor of sc_zygote.py once NumPy is
  imported, and each life of the runner is a fork of it (the first at once, on FD; the next ones on channels the
  broker sends on CONTROL_FD after a life ends). A life gets no init frame: it has the first one's.

Started by harness/worker/broker.py, possibly inside a sandbox. Everything here runs in the same process as the
code it calls, so none of it is trusted: whatever this process says is checked by the caller, which alone judges
whether the input was changed (it compares the shared input with its own copy). This file needs the standard
library, NumPy and the file (or installed module) it loads; nothing else from the caller's file system.

Channel frames: u32 LE header length, a JSON header, `payloadBytes` raw bytes; a descriptor may ride on a frame's
first bytes (SCM_RIGHTS).
  in:  {"type": "init", "file" | "module" (+ "pythonPath"), "function", "callStyle", "memoryMb", "framework"?, "device"?,
        "memoryCap"?} once, then
       {"type": "batch", "calls": [{"id", "dtype", "shape", "args", "offset", "nbytes", "layout"?}], "arenaBytes"?};
       with "arenaBytes" a new shared input region comes attached (a sealed memory file), for this batch and the
       ones after it until the next one comes. Each call's input is at its offset in the region.
  out: {"type": "ready" | "start-failed" | "environment"} once, then one {"type": "result", "id", "kind", ...} per
       call, in order, as each finishes ("kept": the region must not be reused). An "ok" result's output is {"dtype", "shape", "nbytes"} with its bytes as the payload, or in a memory
       file attached to the frame ("fd": true) for big ones.
"""

import io
import json
import mmap
import os
import socket
import struct
import sys
import time
import traceback

sc_layout = None  # harness/py/sc_layout.py, imported in main()
sc_framework = None  # harness/py/sc_framework.py, imported in main()
FRAMEWORK = None  # its adapter for --framework torch|jax|tensorflow|cupy; None: the candidate gets the NumPy array

TEXT_LIMIT = 4000  # characters kept of a message, traceback or captured output
MIN_OUTPUT_CAP = 1_000_000  # elements an output may always have
OUTPUT_CAP_FACTOR = 64  # ... or this many times the input's element count
FD_OUTPUT_FROM = 4 * 1024 * 1024  # output bytes from which the output goes through a memory file, not the socket

DTYPE_DESCR = {"float64": "<f8", "float32": "<f4", "float16": "<f2", "int32": "<i4", "int64": "<i8", "bool": "|b1"}

_ML_DTYPES = []  # [the ml_dtypes module, or None when it cannot be imported], once tried


def load_ml_dtypes():
    """ml_dtypes, imported once, before the candidate loads (it registers loops on NumPy's ufuncs, which a candidate
    may replace); any failure means "not available" (the broker then answers bfloat16 calls as not run)."""
    if not _ML_DTYPES:
        try:
            import ml_dtypes
        except BaseException:
            ml_dtypes = None
        _ML_DTYPES.append(ml_dtypes)
    return _ML_DTYPES[0]


def np_dtype(np, name):
    """The NumPy dtype of a wire dtype; bfloat16 is ml_dtypes'."""
    if name == "bfloat16":
        return np.dtype(load_ml_dtypes().bfloat16)
    return np.dtype(DTYPE_DESCR[name])


# ---------------------------------------------------------------- channel


def recv_exact(sock, n, fds=None):
    """n bytes, or None at EOF; descriptors that come with them are appended to fds (closed if fds is None)."""
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k, anc, _flags, _ = sock.recvmsg_into([view[got:]], socket.CMSG_SPACE(4 * 4))
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                got_fds = list(struct.unpack(f"{len(data) // 4}i", data[: len(data) // 4 * 4]))
                if fds is None:
                    for fd in got_fds:
                        os.close(fd)
                else:
                    fds.extend(got_fds)
        if k == 0:
            return None
        got += k
    return buf


def recv_frame(sock):
    """(header, payload, fds), or (None, None, []) at EOF."""
    fds = []
    head = recv_exact(sock, 4, fds)
    if head is None:
        return None, None, fds
    (hlen,) = struct.unpack("<I", head)
    raw = recv_exact(sock, hlen, fds)
    if raw is None:
        return None, None, fds
    header = json.loads(raw.decode("utf-8"))
    n = header.get("payloadBytes", 0)
    payload = recv_exact(sock, n) if n else bytearray()
    return header, payload, fds


def send_frame(sock, header, payload=b"", fd=None):
    header["payloadBytes"] = len(payload)
    raw = json.dumps(header).encode("utf-8")
    first = struct.pack("<I", len(raw)) + raw
    if len(payload) <= 65536:
        first, payload = first + bytes(payload), b""  # one write: each costs the caller a wake-up
    if fd is not None:
        k = sock.sendmsg([first], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", fd))])
        first = first[k:]
    sock.sendall(first)
    if len(payload):
        sock.sendall(payload)


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
    """The traceback without this file's frames and importlib's: only the loaded code is of interest."""
    try:
        own = os.path.abspath(__file__)
        frames = [f for f in traceback.extract_tb(e.__traceback__)
                  if os.path.abspath(f.filename) != own and not f.filename.startswith("<frozen importlib")]
        text = "".join(traceback.format_exception_only(type(e), e))
        return ("Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)) if frames else "") + text
    except BaseException:
        return ""


# ---------------------------------------------------------------- startup


def die_with_parent():
    """If the caller dies, a process stuck in a loop would never see EOF: ask Linux to kill it."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except Exception:
        pass


def missing_library(module, message, e):
    """The start failure for a library the candidate imports that this interpreter lacks (an environment to fix)."""
    return {"type": "start-failed", "kind": "missing-library", "module": module, "message": head(message), "traceback": tail(format_tb(e))}


def load_function(spec):
    """(function, None) or (None, failure header). Runs the file's (or the module's) top-level code."""
    if spec.get("module"):
        return load_module_function(spec)
    import importlib.util

    path = os.path.abspath(spec["file"])
    folder, base = os.path.split(path)
    stem = os.path.splitext(base)[0]
    # This file's own folder is no business of the loaded code's; its own folder is (sibling imports).
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)
    sys.path.insert(0, folder)
    for i, extra in enumerate(spec.get("pythonPath") or []):
        sys.path.insert(1 + i, extra)  # --python-path: after the file's own folder, before the interpreter's
    # A file called json.py or numpy.py must not replace a module this file already uses.
    name = stem if stem.isidentifier() and stem not in sys.modules else "_sc_candidate_" + "".join(
        c if c.isalnum() else "_" for c in stem
    )
    if not os.path.isfile(path):
        return None, {"type": "start-failed", "kind": "missing-target", "message": f"{path}: no such file"}
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
            return None, missing_library(missing, f"{base} imports {missing!r}, which is not installed for {sys.executable}: {safe_str(e)}", e)
        return None, import_failure(base, e)
    except BaseException as e:  # SyntaxError, an exception at import, SystemExit, ...
        return None, import_failure(base, e)
    fn_name = spec["function"]
    if not hasattr(module, fn_name):
        defined = sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("_"))
        return None, {
            "type": "start-failed",
            "kind": "missing-target",
            "message": f"{base} has no function {fn_name!r} (callables it defines: {', '.join(defined) or 'none'})",
        }
    fn = getattr(module, fn_name)
    if not callable(fn):
        return None, {"type": "start-failed", "kind": "missing-target", "message": f"{base}: {fn_name!r} is of type {type(fn).__name__}, not a function"}
    return fn, None


SOFTMAX_LIKE = ("softmax", "softmin", "sparsemax", "entmax", "logsumexp", "log_softmax")


def load_module_function(spec):
    """A module target (`scipy.special:softmax`): the installed module, imported the way `import` would, from the
    interpreter's own path plus the --python-path folders (first, in order). The runner's folder is not on it, nor
    the working folder: a module target names installed code, a file target names a file."""
    import importlib

    mod_name, fn_name = spec["module"], spec["function"]
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)
    for i, folder in enumerate(spec.get("pythonPath") or []):
        sys.path.insert(i, folder)
    try:
        module = importlib.import_module(mod_name)
    except ModuleNotFoundError as e:
        missing = e.name or ""
        top = mod_name.split(".")[0]
        if missing == top:
            # The package itself is absent: an environment to fix, not code to judge.
            return None, missing_library(top, f"No module named {top!r} for {sys.executable}", e)
        if missing and (mod_name == missing or mod_name.startswith(missing + ".")):
            # The package is there, the submodule named is not: the target is misnamed.
            return None, {
                "type": "start-failed",
                "kind": "missing-target",
                "message": head(f"No module named {missing!r} ({missing.rpartition('.')[0]} is installed, but has no {missing.rpartition('.')[2]!r})"),
            }
        if missing:
            return None, missing_library(missing, f"{mod_name} imports {missing!r}, which is not installed for {sys.executable}: {safe_str(e)}", e)
        return None, import_failure(mod_name, e)
    except BaseException as e:
        return None, import_failure(mod_name, e)
    if not hasattr(module, fn_name):
        public = sorted(k for k in dir(module) if not k.startswith("_") and callable(getattr(module, k, None)))
        alike = [k for k in public if any(w in k.lower() for w in SOFTMAX_LIKE)]
        if alike:
            listed = f"callables it defines that look like softmax: {', '.join(alike)}"
        elif len(public) <= 30:
            listed = f"callables it defines: {', '.join(public) or 'none'}"
        else:
            listed = f"none of its {len(public)} public callables is named like a softmax"
        return None, {"type": "start-failed", "kind": "missing-target", "message": head(f"module {mod_name} has no attribute {fn_name!r} ({listed})")}
    fn = getattr(module, fn_name)
    if not callable(fn):
        return None, {"type": "start-failed", "kind": "missing-target", "message": f"{mod_name}.{fn_name} is of type {type(fn).__name__}, not a function"}
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
    """RLIMIT_AS = what this process already maps (interpreter + NumPy + BLAS, which varies with the CPU count) plus
    the cap, so the cap means the same headroom for the loaded code on every machine."""
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


def call_function(fn, style, x, args):
    if style == "x":
        return fn(x)
    kwargs = {}
    if style == "x-theta-axis" and "theta" in args:
        kwargs["theta"] = float(args["theta"])  # non-finite and -0 arrive as strings: JSON cannot carry them
    if "axis" in args:
        kwargs["axis"] = args["axis"]
    return fn(x, **kwargs)


_libc = None


def map_shared(fd, size):
    """A writable MAP_SHARED mapping of fd as a ctypes buffer that unmaps itself when nothing refers to it any more.
    Through libc rather than the mmap module, which keeps a duplicate of the descriptor open for its lifetime."""
    import ctypes

    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.mmap.restype = ctypes.c_void_p
        _libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
        _libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    addr = _libc.mmap(None, size, mmap.PROT_READ | mmap.PROT_WRITE, mmap.MAP_SHARED, fd, 0)
    if addr is None or addr == ctypes.c_void_p(-1).value:
        raise MemoryError(f"cannot map the {size}-byte input: {os.strerror(ctypes.get_errno())}")
    region = type("Region", (ctypes.c_char * size,), {"__del__": lambda self: _libc.munmap(ctypes.addressof(self), size)})
    return region.from_address(addr)


class Arena:
    """The shared input region: a memory file the caller made, sized and sealed, mapped here MAP_SHARED so that
    whatever the called code writes into its input the caller sees too (that is how it checks for mutation)."""

    def __init__(self, np, fd=None, size=0):
        try:
            self.whole = np.frombuffer(map_shared(fd, size), np.uint8) if size else np.empty(0, np.uint8)
        finally:
            if fd is not None:
                os.close(fd)

    def kept(self):
        """Does anything still refer to the region (the called code kept its input or a view of it)? Every view of
        it has `whole` as its base. Its next input would then change under it: the caller sends a new region."""
        import gc

        if sys.getrefcount(self.whole) > 2:
            gc.collect()  # perhaps only a reference cycle
        return sys.getrefcount(self.whole) > 2


def make_input(np, arena, call):
    """The array the called function gets: a view of the shared region, so its writes reach the caller's check.

    LAYOUT HOOK: this is the one place the input array is built. A call may carry "layout"; at merge,
    harness/py/sc_layout.py's make_view(canonical, layout) is applied here. It must return a view of `canonical`'s
    memory (strides, offsets, a read-only flag), never a copy, or writes to it are invisible to the caller's
    mutation check."""
    dt = np_dtype(np, call["dtype"])
    start, n = int(call["offset"]), int(call["nbytes"])
    canonical = arena.whole[start:start + n].view(dt).reshape(call["shape"])
    if "layout" in call:
        # The same values as a Fortran, strided, read-only... array (harness/py/sc_layout.py). It is built in memory of
        # this process, so the broker does not see writes to it: in-place writes are judged on the plain (C-order)
        # call of the same case; a write to a read-only layout raises, and that is reported by the mutation check.
        if sc_layout is None:
            raise RuntimeError("harness: sc_layout.py is not available to the runner, so memory layouts cannot be built")
        return sc_layout.make_view(canonical, call["layout"])
    return canonical


class OutFile:
    """A memory file for outputs too big for the socket, reused from call to call (it only grows: the caller seals
    it against shrinking, so that it can map it safely)."""

    def __init__(self):
        self.fd = None

    def write(self, buf, n):
        if self.fd is None:
            self.fd = os.memfd_create("o", os.MFD_CLOEXEC | getattr(os, "MFD_ALLOW_SEALING", 2))
        if os.fstat(self.fd).st_size < n:
            os.ftruncate(self.fd, n)
        view, pos = memoryview(buf).cast("B"), 0
        while pos < n:
            pos += os.pwrite(self.fd, view[pos:], pos)
        return self.fd


def run_call(np, fn, style, call, arena, outfile):
    """(result header, payload bytes, fd or None) for one call."""
    base = {"type": "result", "id": call["id"]}
    x = make_input(np, arena, call)
    laid_out = x if "layout" in call else None
    in_size = x.size
    shape0, dtype0 = x.shape, x.dtype
    x_in = x
    if FRAMEWORK is not None:  # the framework's tensor, on its device (sc_framework.py); not in the call's time
        try:
            x_in = FRAMEWORK.to_framework(x)
        except BaseException as e:
            return {**base, "kind": "bad-output", "problem": head(f"the harness could not hand this input to {FRAMEWORK.name}: {type(e).__name__}: {safe_str(e)}"), "captured": "", "ms": 0.0}, b"", None
    with captured_output() as cap:
        t0 = time.perf_counter()
        try:
            out = call_function(fn, style, x_in, call.get("args") or {})
            if FRAMEWORK is not None:
                FRAMEWORK.synchronize(out)  # the device's asynchronous errors and time belong to this call
            err = None
        except BaseException as e:  # SystemExit and KeyboardInterrupt too: this process outlives the call
            out, err = None, e
        ms = (time.perf_counter() - t0) * 1000.0
    if FRAMEWORK is not None:
        try:
            FRAMEWORK.write_back(x_in, x)  # an in-place write in device memory, into x for the mutation check
        except BaseException:
            pass
    del x_in
    captured = cap.text()
    # What this process can see of its own array object: x.shape or x.dtype reassigned. Reported by the process
    # that ran the code, so it is only what that code let it see; the caller compares the bytes itself.
    view = None
    try:
        if x.shape != shape0 or x.dtype != dtype0:
            view = {"dtype": x.dtype.name, "shape": [int(d) for d in x.shape]}
    except BaseException:
        view = {"dtype": "?", "shape": []}
    del x
    if laid_out is not None:
        # A layout's array lives in this process's memory: carry a write through it back into the shared region,
        # where the caller compares the bytes (this process reports it, so it is only as honest as the candidate).
        canonical = make_input(np, arena, {k: v for k, v in call.items() if k != "layout"})
        try:
            if laid_out.shape == canonical.shape and laid_out.dtype == canonical.dtype and laid_out.tobytes(order="C") != canonical.tobytes(order="C"):
                np.copyto(canonical, laid_out)
        except BaseException:
            pass
        del laid_out, canonical
    if err is not None:
        tb = tail(format_tb(err))
        err.__traceback__ = None  # its frames may hold the arrays that exhausted memory
        device = FRAMEWORK.device_error(err) if FRAMEWORK is not None else None
        if device is not None:  # the device's own error (CUDA out of memory, a device-side assert): said as such
            kind = "memory" if device[0] == "out-of-memory" else "device-error"
            return {**base, "kind": kind, "device": head(device[1]), "errorType": type(err).__name__, "message": head(safe_str(err)), "traceback": tb, "captured": captured, "ms": ms, "view": view}, b"", None
        if isinstance(err, MemoryError):
            return {**base, "kind": "memory", "message": head(f"{type(err).__name__}: {safe_str(err)}"), "traceback": tb, "captured": captured, "ms": ms, "view": view}, b"", None
        return {**base, "kind": "raised", "errorType": type(err).__name__, "message": head(safe_str(err)), "traceback": tb, "captured": captured, "ms": ms, "view": view}, b"", None
    common = {**base, "captured": captured, "ms": ms, "view": view}
    arr, problem = FRAMEWORK.to_numpy(out) if FRAMEWORK is not None else to_array(np, out)
    del out
    if problem is None:
        limit = max(OUTPUT_CAP_FACTOR * in_size, MIN_OUTPUT_CAP)
        if arr.size > limit:
            problem = f"returned {arr.size} elements for an input of {in_size}"
    if problem is None:
        wd, problem = wire_dtype(np, arr)
    if problem is not None:
        return {**common, "kind": "bad-output", "problem": problem}, b"", None
    numpy_dtype = arr.dtype.name
    wire = as_wire(np, arr, wd)
    del arr
    if wire.dtype.kind == "V":  # bfloat16: the buffer protocol has no format for it; its bits travel
        wire = wire.view(np.uint16)
    desc = {"dtype": wd, "shape": [int(d) for d in wire.shape], "nbytes": int(wire.nbytes)}
    header = {**common, "kind": "ok", "numpyDtype": numpy_dtype, "output": desc}
    # The bytes leave this function as a copy (the socket's or the memory file's): nothing refers to the input's
    # region afterwards because of the output, so kept() sees only what the called code kept.
    if wire.nbytes >= FD_OUTPUT_FROM:
        fd = outfile.write(wire if wire.ndim else wire.reshape(1), wire.nbytes)
        header["fd"] = True
        return header, b"", fd
    return header, wire.tobytes(), None


def serve(np, fn, style, sock):
    arena = Arena(np)
    outfile = OutFile()
    while True:
        batch, _payload, fds = recv_frame(sock)
        if batch is None:
            return  # the caller closed the channel: done
        try:
            if "arenaBytes" in batch:
                if not fds:
                    raise ValueError("a new input region without its descriptor")
                arena = Arena(np, fds.pop(0), int(batch["arenaBytes"]))
        except MemoryError:
            arena = None  # every call of the batch says so below
        for extra in fds:
            os.close(extra)
        kept = False
        for call in batch["calls"]:
            try:
                if arena is None:
                    raise MemoryError(f"cannot map the {batch['arenaBytes']}-byte input region")
                result, payload, fd = run_call(np, fn, style, call, arena, outfile)
            except MemoryError as e:  # mapping the region or converting the output
                result, payload, fd = {"type": "result", "id": call.get("id"), "kind": "memory", "message": head(f"{type(e).__name__}: {safe_str(e)}"), "captured": "", "ms": 0.0}, b"", None
            except BaseException as e:  # e.g. an __array__ or a shape that misbehaves during conversion
                result, payload, fd = {"type": "result", "id": call.get("id"), "kind": "bad-output", "problem": head(f"its output could not be read: {type(e).__name__}: {safe_str(e)}"), "captured": "", "ms": 0.0}, b"", None
            # Each call's input has its own place in the region, so what a call keeps stays as it was until the
            # batch ends; the next batch then needs a new region. Once kept, it stays kept: no more checks.
            kept = kept or arena is None or arena.kept()
            result["kept"] = kept
            send_frame(sock, result, payload, fd)
            del result, payload
        if kept:
            arena = Arena(np)  # the old one is the called code's now


def main():
    die_with_parent()
    fd = int(sys.argv[1])
    control = int(sys.argv[2]) if len(sys.argv) > 2 else None
    os.set_inheritable(fd, False)  # a child the loaded code starts must not keep the channel open after this process
    sock = socket.socket(fileno=fd)
    try:
        import faulthandler

        faulthandler.enable(file=sys.__stderr__)  # a segfault leaves a Python traceback in the stderr tail
    except Exception:
        pass
    spec, _, _ = recv_frame(sock)
    if spec is None:
        return
    try:
        import numpy as np
    except BaseException as e:
        send_frame(sock, {"type": "environment", "message": f"{sys.executable} cannot import NumPy: {type(e).__name__}: {safe_str(e)}"})
        return
    # sc_layout sits beside this script (harness/py, or the sandbox's runner folder); imported before the candidate's
    # folder goes on sys.path, so a candidate's own sc_layout.py cannot replace it.
    global sc_layout, sc_framework, FRAMEWORK
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import sc_layout
    except ImportError:
        sc_layout = None  # a runner started without it (a bare sandbox prefix): layout calls then say so
    try:
        import sc_framework
    except ImportError:
        sc_framework = None
    try:
        import sc_zygote
    except ImportError:
        sc_zygote = None
    finally:
        sys.path.pop(0)
    load_ml_dtypes()
    # The framework is imported (and its device started) before the memory cap: its mappings are not the candidate's.
    if spec.get("framework") not in (None, "numpy") or spec.get("device") not in (None, "cpu"):
        if sc_framework is None:
            send_frame(sock, {"type": "environment", "message": "harness: sc_framework.py is not available to the runner"})
            return
        # Found as the candidate's own `import torch` finds it: its folder first on the path (load_function puts it there).
        sys.path.insert(0, os.path.dirname(os.path.abspath(spec["file"])))
        try:
            FRAMEWORK, failure = sc_framework.setup(np, spec.get("framework"), spec.get("device"))
        finally:
            sys.path.pop(0)
        if failure is not None:
            send_frame(sock, failure)
            return
    if control is not None:
        if sc_zygote is None or not sc_zygote.supported():
            os.close(control)  # the broker reads EOF there: this runner has one life, and dies with it
        else:
            # The broker asks for this only for a NumPy candidate on the CPU (a framework's threads or device context
            # do not survive a fork), in a sandbox of its own. From here on this is a life; the supervisor never returns.
            folders = [f for f in (os.environ.get("TMPDIR"), os.environ.get("HOME"), "/dev/shm") if f]
            sock = sc_zygote.serve_lives(sock, control, folders)
    # A resident cap (CUDA: its context reserves address space it never uses) is the broker's to watch, from outside.
    if spec.get("memoryCap") != "resident":
        cap_memory(spec.get("memoryMb"))
    with captured_output() as cap:
        fn, failure = load_function(spec)
    if failure is not None:
        failure["importOutput"] = cap.text()
        send_frame(sock, failure)
        return
    ready = {"type": "ready", "importOutput": cap.text(), "python": sys.version.split()[0], "numpy": np.__version__}
    ml = load_ml_dtypes()
    if ml is not None:
        ready["mlDtypes"] = str(getattr(ml, "__version__", "unknown"))
    send_frame(sock, ready)
    serve(np, fn, spec.get("callStyle", "x"), sock)


if __name__ == "__main__":
    main()
