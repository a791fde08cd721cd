"""The trusted half of a Python worker (harness/worker/python-worker.ts starts it): speaks the harness protocol, and
runs the candidate in a child process (harness/py/runner.py), which it cannot reach.

Usage: python3 -u broker.py SPEC_JSON [BULK_DIR]
  SPEC_JSON: {"file", "function", "callStyle", "memoryMb",
              "framework"?, "device"?      --framework and --device, passed on to the runner (sc_framework.py),
              "memoryCap"?: "address-space" | "resident"   how memoryMb caps the runner (default address-space:
                                      RLIMIT_AS in the runner; resident: this process watches the runner's resident
                                      memory, for CUDA, whose context reserves far more address space than it uses),
              "sandboxArgv"?: [...]   prefix of the runner's command line (the sandbox), absent or [] for none,
              "sandboxArgsFd"?: {"bwrap", "options": [...]}   or: bubblewrap with its options on a pipe (--args FD),
              "runnerPython"?: str    the runner's interpreter (default: this one, sys.executable),
              "runnerFlags"?: [...]   interpreter options before the script,
              "runnerScript"?: str    runner.py's path as the runner sees it (default: its path here),
              "runnerFile"?: str      the candidate's path as the runner sees it (default: "file"),
              "module"?: str          a module target (scipy.special): the runner imports it instead of a file,
              "pythonPath"?: [...]    folders first on the runner's import path (host paths),
              "runnerPythonPath"?: [...]  the same folders as the runner sees them (default: "pythonPath"),
              "lifeMarker"?: str      lets the runner's sandbox outlive a crash (below)}
  The runner's command line is prefix + [runnerPython, *runnerFlags, runnerScript, FD]: no harness names in it but
  what those paths hold. The runner needs nothing from this machine's files but runner.py, the candidate (and its
  folder), the interpreter and NumPy; never the bulk files (its inputs and outputs are memory files passed by
  descriptor).

Why two processes: the candidate runs in the runner's process and can change anything there (rebind descriptors,
monkeypatch functions, write forged bytes). It gets one socket, inputs in and outputs back. This process alone holds
the protocol descriptors (fds 3/4 to Node, moved high) and the bulk files, frames results, checks every byte the
runner sends, and does the mutation check itself: each input reaches the runner in a shared memory file this
process made and sealed (the runner cannot resize it), and is compared, bit for bit, with this process's own copy
after the call (the received frame, or the bulk input file, which the runner never gets). Anything malformed from
the runner is that call's own outcome (a crash with a protocol error message), and a fresh runner takes the next
call. When the runner dies during a call, this process dies the same way (exit code or signal), so Node sees the
deaths it always saw (crash, memory) and restarts the worker as before.

Lives (with "lifeMarker", for a NumPy candidate on the CPU in a sandbox): the runner's first process becomes a
supervisor once NumPy is imported (harness/py/sc_zygote.py) and each life of the runner is a fork of it, so a crash
costs a fork instead of a new broker, sandbox and interpreter. When a life dies, the supervisor makes the sandbox
fresh again (every other process killed, the writable folders emptied) and says how the life ended; this process
then writes the marker line on stderr (everything before it there is that life's) and sends Node
{"type": "died", "life": N, "exitCode", "signal"} instead of dying; the batch's calls after the one that died are
dropped. It starts the next life at once and sends {"type": "life", "life": N + 1, "ok", "message"?}; Node waits for
that (under its start timeout, so an import is never timed as a call) and sends the dropped calls again with
"life": N + 1 (batch frames of an older life are ignored). If the
supervisor cannot make the sandbox fresh, the sandbox is killed and the next life gets a fresh one. If it does not
say how the life ended (the candidate can kill or stop it: same uid), the sandbox is killed and the call's outcome
is a crash with a protocol error that says so; a fresh sandbox takes the calls after it.

Node protocol (unchanged): the harness passes a pipe on fd 3 (requests) and one on fd 4 (results). Frame: u32 LE
header length, a JSON header (padded with spaces so the payload starts 8-byte aligned), then `payloadBytes` raw
little-endian bytes.
  harness -> worker: {"type": "batch", "calls": [{"id", "dtype", "shape", "args", "offset", "nbytes", "layout"?}]}
  worker -> harness: {"type": "ready" | "start-failed" | "environment"} once, then one {"type": "result", "id", ...}
                     per call, sent as soon as that call finishes. A result may be {"kind": "crash",
                     "protocolError": text}: the runner broke the channel's protocol during that call.
Large tensors skip the pipe (harness/worker/bulk-files.ts): BULK_DIR holds files `in` and `out`, opened (and their
names removed) before the runner starts (ready says "bulk": true). A call with "bulk": true instead of an offset has
its input in `in`; its result's payload then goes into `out`, from offset 0, and the result says "bulk": <bytes>
(payloadBytes 0); before it, {"type": "progress", "id", "bytes", "of"} frames say how much of it is already there.
Uses only the standard library; it imports no candidate code and no NumPy.
"""

import ctypes
import errno
import fcntl
import json
import mmap
import os
import signal
import socket
import stat
import struct
import subprocess
import sys
import threading
import time

PROTO_IN, PROTO_OUT = 3, 4
BULK_PIECE = 16 * 1024 * 1024  # bytes of a result in the shared file per progress frame
SMALL_FRAME = 256 * 1024  # payload bytes up to which a frame is joined into one buffer and written at once
TEXT_LIMIT = 4000  # characters kept of a message, traceback or captured output
MIN_OUTPUT_CAP = 1_000_000  # elements an output may always have (runner.py says the same)
OUTPUT_CAP_FACTOR = 64  # ... or this many times the input's element count
MAX_RUNNER_HEADER = 1024 * 1024  # bytes of a runner's frame header; its texts are capped far below
MIN_ARENA = 1024 * 1024  # bytes of the smallest shared input region
MAX_RANK = 64
EXIT_WAIT_S = 2.0
READ_CHUNK = 256 * 1024  # bytes read from the runner at a time: several small results in one read
MAX_QUEUED_FDS = 8  # how long a runner that closed the channel has to exit before it is killed

# What a runner's result may hold (runner.py): anything else is not this channel's (e.g. a harness frame forged by
# the candidate, which carries "mutated" and "offset").
RESULT_FIELDS = {"type", "id", "kind", "captured", "ms", "view", "kept", "payloadBytes", "numpyDtype", "output", "fd",
                 "errorType", "message", "traceback", "problem", "device"}
OUTPUT_FIELDS = {"dtype", "shape", "nbytes"}
ITEMSIZE = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int32": 4, "int64": 8, "bool": 1}
NO_WORD = "the sandbox's supervisor did not say how (the candidate's code may have killed or stopped it)"
NO_BFLOAT16 = "bfloat16 inputs need the ml_dtypes package, which this Python cannot import (pip install ml_dtypes)"
SEALS = fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL
MADV_POPULATE_READ = 22  # Linux 5.14+; Python's mmap module does not name it

_libc = ctypes.CDLL(None, use_errno=True)
_libc.memcmp.restype = ctypes.c_int
_libc.memcmp.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]


class ProtocolError(Exception):
    """The runner sent something this protocol does not allow: that call's outcome, never this process's end."""


class LifeEnded(Exception):
    """A supervised life of the runner died; its sandbox lives on (or is replaced) for the next life."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def signal_name(n):
    """SIGSEGV for 11; None for a number this Python does not name."""
    try:
        return signal.Signals(n).name
    except ValueError:
        return None


def how_it_ended(code):
    """A returncode (Popen's: -signal or the exit code) in words."""
    if code < 0:
        return f"was killed by {signal_name(-code) or f'signal {-code}'}"
    return f"exited with code {code}"


# ---------------------------------------------------------------- this process


def move_protocol_fds():
    """dup fds 3/4 to high close-on-exec numbers and close the originals: the runner inherits neither."""
    fds = []
    for fd in (PROTO_IN, PROTO_OUT):
        fds.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 200))
        os.close(fd)
    return fds


def harden():
    """Die with Node; and be non-dumpable, so that a process of the same user that is not in a sandbox cannot open
    this one's descriptors or memory through /proc/<pid>/fd and /proc/<pid>/mem, nor ptrace it."""
    for option, value in ((1, int(signal.SIGKILL)), (4, 0)):  # PR_SET_PDEATHSIG, PR_SET_DUMPABLE
        try:
            _libc.prctl(option, value, 0, 0, 0)
        except Exception:
            pass


def open_bulk(folder):
    """(in fd, out fd) on high close-on-exec numbers, or None: the harness then sends every tensor inline. The names
    are removed at once, before the runner starts, so nothing but this process can open the files."""
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
    for name in ("in", "out"):
        try:
            os.unlink(os.path.join(folder, name))
        except OSError:
            pass
    try:
        os.rmdir(folder)
    except OSError:
        pass
    return fds


def die_like(returncode, sandboxed):
    """End this process the way the runner ended, so that Node reports what it always did for that death."""
    sig = -returncode if returncode < 0 else 0
    if sandboxed and 128 < returncode <= 128 + 64:
        sig = returncode - 128  # bubblewrap exits with 128 + the signal that killed its child
    if sig:
        try:
            signal.signal(sig, signal.SIG_DFL)
            os.kill(os.getpid(), sig)
        except (OSError, ValueError):
            pass
        os._exit(128 + sig)  # a signal whose default is not to end the process
    os._exit(returncode)


# ---------------------------------------------------------------- Node framing


def read_exact(fd, n):
    """n bytes into a fresh writable buffer, or None at EOF. Big ones are an anonymous mapping: no zero-filling of
    what the read overwrites anyway."""
    buf = bytearray(n) if n <= SMALL_FRAME else mmap.mmap(-1, n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = os.readv(fd, [view[got:]])
        if k == 0:
            return None
        got += k
    view.release()
    return buf


def read_frame(fd):
    head = read_exact(fd, 4)
    if head is None:
        return None, None
    (hlen,) = struct.unpack("<I", head)
    raw = read_exact(fd, hlen)
    if raw is None:
        return None, None
    header = json.loads(bytes(raw).decode("utf-8"))
    n = header.get("payloadBytes", 0)
    payload = read_exact(fd, n) if n else bytearray()
    if payload is None:
        return None, None
    return header, payload


def frame_head(header, chunks):
    header["payloadBytes"] = sum(len(c) for c in chunks)
    raw = json.dumps(header).encode("utf-8")
    raw += b" " * (-(4 + len(raw)) % 8)
    return struct.pack("<I", len(raw)) + raw


def frame_bytes(header, chunks=()):
    """A whole (small) frame as one buffer."""
    return b"".join([frame_head(header, chunks), *chunks])


def write_all(fd, buf):
    view = memoryview(buf).cast("B")
    while len(view):
        k = os.write(fd, view)
        view = view[k:]


def write_frame(fd, header, chunks=()):
    """chunks: buffers written back to back after the header; their offsets in the payload are set by the caller."""
    if sum(len(c) for c in chunks) <= SMALL_FRAME:
        write_all(fd, frame_bytes(header, chunks))  # one write: each costs the harness a wake-up
        return
    write_all(fd, frame_head(header, chunks))
    for c in chunks:
        write_all(fd, c)  # big payloads go as they are, without a copy


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


def clip(v, limit=TEXT_LIMIT + 200):
    """A text field from the runner: a str, cut to a bounded length (the runner already cuts at TEXT_LIMIT)."""
    if not isinstance(v, str):
        return ""
    return v if len(v) <= limit else v[:limit] + f"\n[... {len(v) - limit} more characters]"


# ---------------------------------------------------------------- shared memory


def address(buf, offset=0):
    """(address, keep-alive) of a writable buffer's byte `offset`."""
    keep = (ctypes.c_char * 1).from_buffer(buf, offset) if len(buf) > offset else None
    return (ctypes.addressof(keep) if keep is not None else 0), keep


def same_bytes(a_addr, b_addr, n):
    return n == 0 or _libc.memcmp(a_addr, b_addr, n) == 0


class Arena:
    """The shared input region: a memory file of fixed size (sealed: the runner cannot shrink it, which would make
    this process's mapping fault, nor grow it), mapped here and in the runner. The runner's input is a view of it,
    so what the candidate writes into its input lands here, where it is compared with this process's own copy."""

    def __init__(self, size):
        self.size = size
        self.fd = os.memfd_create("a", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        try:
            os.ftruncate(self.fd, size)
            fcntl.fcntl(self.fd, fcntl.F_ADD_SEALS, SEALS)
            self.map = mmap.mmap(self.fd, size)
        except BaseException:
            os.close(self.fd)
            raise
        self.addr, self._keep = address(self.map)
        self.reusable = False  # the runner has it, and may get the next input in it

    def close(self):
        self._keep = None
        try:
            self.map.close()
        except BufferError:
            pass
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class InFile:
    """Node's bulk input file, mapped (read-only use) while the size stays the same: the pristine input of a bulk
    call. Only this process has the file (its name is gone), so the candidate cannot write it."""

    def __init__(self, fd):
        self.fd, self.n, self.map, self.addr, self._keep = fd, 0, None, 0, None

    def view(self, n):
        if n != self.n:
            self.drop()
            try:
                self.map = mmap.mmap(self.fd, n)
            except OSError as e:
                raise MemoryError(f"cannot map the {n}-byte input: {e.strerror}") from None
            self.addr, self._keep = address(self.map)
            self.n = n
        try:
            self.map.madvise(MADV_POPULATE_READ, 0, n)  # one call instead of a page fault per 4 KiB page
        except (OSError, ValueError, AttributeError):
            pass
        return self.map

    def drop(self):
        self._keep = None
        if self.map is not None:
            self.map.close()
        self.map, self.n = None, 0


# ---------------------------------------------------------------- a module target's provenance


def locate_module(name, extra_path):
    """Where `import name` finds a module target, for the report: {"file", "sha256", "distribution"?, "version"?},
    or {} when it cannot tell. Found here, in the trusted process, without running any of the module's code: each
    package's folder comes from its import spec (PathFinder, the finder of sys.path and its folders), not from its
    __init__, and the version from the installed metadata of the distribution whose folder holds the file. The
    runner imports the same name from the same path (the --python-path folders first, then the interpreter's)."""
    try:
        import hashlib
        import importlib.machinery

        own = os.path.dirname(os.path.abspath(__file__))
        search = [str(p) for p in extra_path] + [p for p in sys.path if os.path.abspath(p or ".") != own]
        parts, spec = name.split("."), None
        for i in range(len(parts)):
            if search is None:
                return {}  # a plain module has no submodules
            spec = importlib.machinery.PathFinder.find_spec(".".join(parts[: i + 1]), search)
            if spec is None:
                return {}
            search = spec.submodule_search_locations
        origin = spec.origin if spec is not None and spec.has_location else None
        if not origin or not os.path.isfile(origin):
            return {}
        origin = os.path.realpath(origin)
        with open(origin, "rb") as f:
            out = {"file": origin, "sha256": hashlib.sha256(f.read()).hexdigest()}
        out.update(distribution_of(parts[0], origin))
        return out
    except Exception:
        return {}


def distribution_of(top, origin):
    """{"distribution", "version"} of the installed distribution that provides `top` from the folder holding origin."""
    import importlib.metadata as md

    try:
        names = list(md.packages_distributions().get(top, []))  # Python 3.10+
    except AttributeError:
        names = []
    for d in names + [top]:
        try:
            dist = md.distribution(d)
            base = os.path.realpath(str(dist.locate_file("")))
        except Exception:
            continue
        if origin.startswith(base.rstrip(os.sep) + os.sep):
            return {"distribution": dist.metadata["Name"] or d, "version": dist.version}
    return {}


# ---------------------------------------------------------------- the runner


def runner_script():
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "py", "runner.py")


RSS_POLL_S = 0.02  # how often the resident cap is checked: a burst between two looks can pass it briefly


def tree_pids(pid):
    """pid and its descendants (the sandbox's bwrap, its init, the runner and whatever the runner started)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return out


def tree_rss_bytes(pid):
    total = 0
    for p in tree_pids(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError):
            pass
    return total


class ResidentCap:
    """The memory cap for a runner whose address space says little (CUDA): its process tree's resident memory may
    grow by memory_mb beyond what it held once ready; past that, the whole sandbox is killed (SIGKILL, which the
    harness reads as a memory death), and stderr says why. Checked from here, outside the candidate's reach."""

    def __init__(self, proc, memory_mb):
        self.proc = proc
        self.limit = tree_rss_bytes(proc.pid) + int(memory_mb) * 1024 * 1024
        self.memory_mb = memory_mb
        self.stopped = threading.Event()
        threading.Thread(target=self.watch, daemon=True).start()

    def watch(self):
        while not self.stopped.wait(RSS_POLL_S):
            if self.proc.poll() is not None:
                return
            rss = tree_rss_bytes(self.proc.pid)
            if rss > self.limit:
                sys.stderr.write(f"the candidate's resident memory grew past its cap of {self.memory_mb} MiB "
                                 f"({rss // (1024 * 1024)} MiB in all): out of memory, killed\n")
                sys.stderr.flush()
                try:
                    self.proc.kill()
                except OSError:
                    pass
                return

    def stop(self):
        self.stopped.set()


def lives_wanted(spec):
    """Whether a runner's sandbox may outlive its crashes (a supervisor forks its lives): only in a sandbox of its
    own, and only for NumPy on the CPU (a framework's threads or device context do not survive a fork)."""
    return (isinstance(spec.get("lifeMarker"), str) and bool(spec.get("sandboxArgv") or spec.get("sandboxArgsFd"))
            and spec.get("framework") in (None, "numpy") and spec.get("device") in (None, "cpu")
            and spec.get("memoryCap") != "resident")


class Supervisor:
    """The control channel to a runner's supervisor (sc_zygote.py) and the sandbox it runs in."""

    def __init__(self, proc, ctrl):
        self.proc, self.ctrl = proc, ctrl
        self.supervising = None  # not known until it says so (announced)

    def fork(self):
        """Asks for the next life: the broker's end of its channel."""
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            raw = json.dumps({"type": "fork"}).encode("utf-8")
            self.ctrl.sendmsg([struct.pack("<I", len(raw)) + raw], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", theirs.fileno()))])
        finally:
            theirs.close()
        return mine

    def _next(self):
        """The supervisor's next frame (a dict), or None: EOF, silence for EXIT_WAIT_S, or not a frame of ours."""
        self.ctrl.settimeout(EXIT_WAIT_S)
        try:
            head = self.ctrl.recv(4, socket.MSG_WAITALL)
            if len(head) < 4:
                return None
            (n,) = struct.unpack("<I", head)
            if n > 4096:
                return None
            h = json.loads(self.ctrl.recv(n, socket.MSG_WAITALL).decode("utf-8"))
        except (OSError, ValueError):
            return None
        finally:
            self.ctrl.settimeout(None)
        return h if isinstance(h, dict) else None

    def announced(self):
        """Whether the runner became a supervisor (it says so before its first life): a runner that cannot closes
        the channel, and has one life, as before."""
        if self.supervising is None:
            h = self._next()
            self.supervising = h is not None and h.get("type") == "supervising"
        return self.supervising

    def life_ended(self):
        """(returncode, clean) of the life that just closed its channel, or None if the supervisor does not say."""
        if not self.announced():
            return None
        h = self._next()
        code = h.get("code") if h is not None and h.get("type") == "exit" else None
        if not isinstance(code, int) or isinstance(code, bool) or not -64 <= code <= 255:
            return None
        return code, h.get("clean") is True

    def kill(self):
        """Ends the sandbox (the supervisor and whatever is left in it); its exit status, as bwrap reports it."""
        try:
            self.ctrl.close()
            self.proc.kill()
        except OSError:
            pass
        return self.proc.wait()


class Runner:
    """One runner process (or one life of a supervised runner) and its end of the channel."""

    def __init__(self, spec, supervisor=None):
        self.spec = spec
        self.sandboxed = bool(spec.get("sandboxArgv") or spec.get("sandboxArgsFd"))
        self.rbuf, self.rlo, self.rhi = bytearray(READ_CHUNK), 0, 0  # what was read of the runner's frames
        self.fdq = []  # descriptors received, in order
        self.out_cache = None  # ((st_dev, st_ino), mmap) of the runner's output memory file
        self.arena = None
        self.supervisor, self.forked = supervisor, supervisor is not None
        if supervisor is not None:
            self.sock, self.proc = supervisor.fork(), supervisor.proc
            return
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        # Not 3 or 4, the numbers the protocol had when the candidate ran in the worker's own process.
        fd = fcntl.fcntl(theirs.fileno(), fcntl.F_DUPFD_CLOEXEC, 10)
        theirs.close()
        control = None
        if lives_wanted(spec):
            ours, control_theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            control = fcntl.fcntl(control_theirs.fileno(), fcntl.F_DUPFD_CLOEXEC, 10)
            control_theirs.close()
        prefix, pass_fds, options = [str(a) for a in (spec.get("sandboxArgv") or [])], [fd] + ([control] if control is not None else []), None
        by_fd = spec.get("sandboxArgsFd")
        if by_fd:
            # bwrap --args FD: the options (host paths) stay off the command line, which the sandbox's pid 1 shows.
            r, w = os.pipe()
            prefix, options = [str(by_fd["bwrap"]), "--args", str(r)], b"".join(str(o).encode() + b"\0" for o in by_fd["options"])
            pass_fds.append(r)
        argv = prefix + [
            spec.get("runnerPython") or sys.executable,
            *[str(f) for f in spec.get("runnerFlags") or []],
            spec.get("runnerScript") or runner_script(),
            str(fd),
            *([str(control)] if control is not None else []),
        ]
        try:
            self.proc = subprocess.Popen(argv, pass_fds=pass_fds, close_fds=True, stdin=subprocess.DEVNULL)
        except OSError:
            if control is not None:
                ours.close()
            raise
        finally:
            os.close(fd)
            if control is not None:
                os.close(control)
            if options is not None:
                os.close(r)
        if control is not None:
            self.supervisor = Supervisor(self.proc, ours)
        if options is not None:
            try:
                write_all(w, options)  # bwrap reads them as it starts; it is not the candidate yet
            except OSError:
                pass  # bwrap died: seen as the runner's death
            finally:
                os.close(w)
        self.sock = mine

    # -- frames

    def send(self, header, fd=None):
        raw = json.dumps(header).encode("utf-8")
        header_bytes = struct.pack("<I", len(raw)) + raw
        if fd is None:
            self.sock.sendall(header_bytes)
        else:
            k = self.sock.sendmsg([header_bytes], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", fd))])
            if k < len(header_bytes):
                self.sock.sendall(header_bytes[k:])

    def _fill(self):
        """Reads what the runner has sent (at least a byte) after what is buffered; False at EOF. Descriptors that
        come along queue up in order (at most 4 a read; the kernel closes any beyond what fits)."""
        if self.rlo == self.rhi:
            self.rlo = self.rhi = 0
        elif self.rhi == len(self.rbuf):
            self.rbuf[: self.rhi - self.rlo] = self.rbuf[self.rlo:self.rhi]
            self.rhi, self.rlo = self.rhi - self.rlo, 0
        k = self._recv_into(memoryview(self.rbuf)[self.rhi:])
        self.rhi += k
        return k > 0

    def _recv_into(self, view):
        k, anc, _flags, _ = self.sock.recvmsg_into([view], socket.CMSG_SPACE(4 * 4))
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                self.fdq.extend(struct.unpack(f"{len(data) // 4}i", data[: len(data) // 4 * 4]))
        if len(self.fdq) > MAX_QUEUED_FDS:
            raise ProtocolError(f"{len(self.fdq)} descriptors no frame asked for")
        return k

    def _take(self, n):
        """The next n buffered bytes (n at most MAX_RUNNER_HEADER), or None at EOF."""
        if len(self.rbuf) < n:
            grown = bytearray(n)
            grown[: self.rhi - self.rlo] = self.rbuf[self.rlo:self.rhi]
            self.rbuf, self.rhi, self.rlo = grown, self.rhi - self.rlo, 0
        while self.rhi - self.rlo < n:
            if len(self.rbuf) - self.rlo < n:
                self.rbuf[: self.rhi - self.rlo] = self.rbuf[self.rlo:self.rhi]
                self.rhi, self.rlo = self.rhi - self.rlo, 0
            if not self._fill():
                return None
        out = bytes(self.rbuf[self.rlo:self.rlo + n])
        self.rlo += n
        return out

    def _payload(self, n):
        """n payload bytes in a fresh buffer: what is buffered, then the rest read straight into it; None at EOF."""
        buf = bytearray(n) if n <= SMALL_FRAME else mmap.mmap(-1, n)
        view = memoryview(buf)
        got = min(n, self.rhi - self.rlo)
        view[:got] = memoryview(self.rbuf)[self.rlo:self.rlo + got]
        self.rlo += got
        while got < n:
            k = self._recv_into(view[got:])
            if k == 0:
                view.release()
                return None
            got += k
        view.release()
        return buf

    def next_ready(self):
        """Is the next frame's header already here (the runner has finished another call)?"""
        avail = self.rhi - self.rlo
        if avail < 4:
            return False
        (hlen,) = struct.unpack_from("<I", self.rbuf, self.rlo)
        return avail >= 4 + hlen

    def take_fd(self):
        return self.fdq.pop(0) if self.fdq else None

    def recv(self, max_payload):
        """(header dict, payload) of the runner's next frame, None at EOF; ProtocolError for a frame this protocol
        does not allow, checked before anything is allocated for it."""
        head = self._take(4)
        if head is None:
            return None
        (hlen,) = struct.unpack("<I", head)
        if hlen > MAX_RUNNER_HEADER:
            raise ProtocolError(f"a frame header of {hlen} bytes (at most {MAX_RUNNER_HEADER})")
        raw = self._take(hlen)
        if raw is None:
            return None
        try:
            header = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as e:
            raise ProtocolError(f"a frame header that is not JSON ({type(e).__name__}: {str(e)[:200]}): {raw[:80]!r}") from None
        if not isinstance(header, dict):
            raise ProtocolError(f"a frame header that is not an object: {raw[:80]!r}")
        n = header.get("payloadBytes", 0)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0 or n > max_payload:
            raise ProtocolError(f"payloadBytes {str(n)[:40]} (at most {max_payload} here)")
        payload = self._payload(n) if n else b""
        if payload is None:
            return None
        return header, payload

    def output(self, fd, nbytes):
        """The first nbytes of the runner's output memory file, as a read-only mapping, once the file is sealed
        against shrinking (which would make reading the mapping fault). The runner reuses one file: its mapping is
        kept while the file and a big enough size stay the same, so its pages are not faulted in again per call."""
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise ProtocolError("an output descriptor that is not a memory file")
            try:
                fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK)
            except OSError as e:
                if e.errno != errno.EPERM or not fcntl.fcntl(fd, fcntl.F_GET_SEALS) & fcntl.F_SEAL_SHRINK:
                    raise ProtocolError(f"an output file that cannot be sealed against shrinking ({e.strerror})") from None
            size = os.fstat(fd).st_size
            if size < nbytes:
                raise ProtocolError(f"an output of {nbytes} bytes in a memory file of {size}")
            if nbytes == 0:
                return b""
            key = (st.st_dev, st.st_ino)
            if self.out_cache is None or self.out_cache[0] != key or len(self.out_cache[1]) < nbytes:
                self.drop_output()
                m = mmap.mmap(fd, nbytes, access=mmap.ACCESS_READ)
                self.out_cache = (key, m)
            m = self.out_cache[1]
            try:
                m.madvise(MADV_POPULATE_READ, 0, nbytes)
            except (OSError, ValueError, AttributeError):
                pass
            return memoryview(m)[:nbytes]
        except OSError as e:
            raise ProtocolError(f"an output file that cannot be read ({e.strerror})") from None
        finally:
            os.close(fd)

    def drop_output(self):
        if self.out_cache is not None:
            try:
                self.out_cache[1].close()
            except BufferError:
                pass  # still referred to: freed with its last view
            self.out_cache = None

    def start(self):
        """The runner's first frame, checked: ready, start-failed or environment; None if it died first."""
        s = self.spec
        init = {"type": "init", "file": s.get("runnerFile") or s.get("file", ""), "function": s["function"],
                "callStyle": s.get("callStyle", "x"), "memoryMb": s.get("memoryMb"),
                "framework": s.get("framework") or "numpy", "device": s.get("device") or "cpu",
                "memoryCap": "resident" if s.get("memoryCap") == "resident" else "address-space"}
        if s.get("module"):
            init["module"] = s["module"]
        if s.get("pythonPath"):
            init["pythonPath"] = s.get("runnerPythonPath") or s["pythonPath"]
        if not self.forked:
            self.send(init)  # a forked life has the first life's
        got = self.recv(0)
        if got is not None and self.supervisor is not None and not self.supervisor.announced():
            self.supervisor.ctrl.close()
            self.supervisor = None  # this runner has one life: its death is this process's, as before
        if got is None:
            return None
        h, _ = got
        kind = h.get("type")
        if kind == "ready":
            if s.get("memoryCap") == "resident" and (s.get("memoryMb") or 0) > 0:
                self.resident_cap = ResidentCap(self.proc, s["memoryMb"])
            ready = {"type": "ready", "importOutput": clip(h.get("importOutput")), "python": clip(h.get("python"), 40), "numpy": clip(h.get("numpy"), 40)}
            if isinstance(h.get("mlDtypes"), str):
                ready["mlDtypes"] = clip(h["mlDtypes"], 40)
            return ready
        if kind == "environment":
            return {"type": "environment", "message": clip(h.get("message"))}
        if kind == "start-failed":
            # The kind is the runner's word: a candidate can claim "missing" only to be skipped or judged a configuration
            # error, never a pass (the harness believes a missing library only when the row requires it).
            kind = h.get("kind") if h.get("kind") in ("missing-library", "missing-target", "no-device") else "import"
            out = {"type": "start-failed", "kind": kind, "message": clip(h.get("message"))}
            for k in ("module", "traceback", "importOutput"):
                if isinstance(h.get(k), str):
                    out[k] = clip(h[k])
            return out
        raise ProtocolError(f"a first frame of type {str(kind)[:40]!r}")

    def kill(self):
        """Ends the runner (a supervised life: its whole sandbox)."""
        if self.supervisor is not None:
            self.supervisor.kill()
        else:
            try:
                self.proc.kill()
            except OSError:
                pass
            self.proc.wait()
        self.close()

    def close(self):
        if getattr(self, "resident_cap", None) is not None:
            self.resident_cap.stop()
        try:
            self.sock.close()
        except OSError:
            pass
        close_all(self.fdq)
        self.fdq = []
        self.drop_output()
        if self.arena is not None:
            self.arena.close()
            self.arena = None

    def ended(self):
        """The runner closed the channel: its exit status, or ProtocolError if it does not exit (it is killed)."""
        try:
            return self.proc.wait(EXIT_WAIT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            raise ProtocolError("closed its channel without exiting") from None

    def life_ended(self):
        """A supervised life closed its channel: (returncode, the sandbox is fresh again), or None when the
        supervisor did not say (then the sandbox is gone: killed here if it was not already)."""
        said = self.supervisor.life_ended()
        if said is None:
            self.supervisor.kill()
        self.close()
        return said


def close_all(fds):
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


# ---------------------------------------------------------------- one call


def output_cap(in_elements):
    return max(OUTPUT_CAP_FACTOR * in_elements, MIN_OUTPUT_CAP)


def check_shape(v, what):
    if not isinstance(v, list) or len(v) > MAX_RANK or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2**62 for d in v):
        raise ProtocolError(f"{what}: shape {json.dumps(v)[:100]} is not a list of at most {MAX_RANK} sizes")
    n = 1
    for d in v:
        n *= d
    return n


def check_text_fields(h):
    ms = h.get("ms")
    ms = float(ms) if isinstance(ms, (int, float)) and not isinstance(ms, bool) and ms == ms and 0 <= ms < 1e12 else 0.0
    return {"captured": clip(h.get("captured")), "ms": ms}


def input_after(arena, at, n, dtype, shape, view):
    """(descriptor, bytes) of the input as the candidate left it: the region's bytes, which this process read
    itself, viewed as the runner says the candidate re-viewed its array (x.dtype = ..., x.shape = ...) only when
    that fits the bytes; else as the input was sent."""
    if isinstance(view, dict) and view.get("dtype") in ITEMSIZE:
        try:
            count = check_shape(view.get("shape"), "the input's new shape")
            if count * ITEMSIZE[view["dtype"]] == n:
                dtype, shape = view["dtype"], view["shape"]
        except ProtocolError:
            pass
    return {"dtype": dtype, "shape": list(shape)}, memoryview(arena.map)[at:at + n]


class Broker:
    def __init__(self, spec, fd_in, fd_out, bulk):
        self.spec, self.fd_in, self.fd_out = spec, fd_in, fd_out
        self.infile, self.bulk_out = (InFile(bulk[0]), bulk[1]) if bulk else (None, None)
        self.runner = None
        self.pending, self.pending_bytes = [], 0  # small results held back for one write (reply)
        self.p_addr = 0  # address of the current batch's pristine inputs
        self.ml_dtypes = True  # set from each runner's ready frame
        self.supervisor = None  # the supervisor of the runner's lives, while its sandbox can take another
        self.life = 0  # the number of lives that died before the current one (Node's batch frames carry it)

    def start_runner(self, at_start=False):
        """Starts a runner, or the next life of a supervised one: its first frame (ready, start-failed, environment);
        self.runner is set when ready. A runner that dies while loading at start ends this process the same way (a
        later life that does is a start failure, as a worker Node could not restart)."""
        try:
            try:
                r = Runner(self.spec, self.supervisor)
            except OSError:
                if self.supervisor is None:
                    raise
                self.drop_supervisor()  # it is gone (its channel is closed): a fresh sandbox instead
                r = Runner(self.spec)
        except OSError as e:
            return {"type": "environment", "message": f"cannot start the candidate's process: {e}"}
        if self.spec.get("module") and not hasattr(self, "located"):
            self.located = locate_module(self.spec["module"], self.spec.get("pythonPath") or [])  # while it starts
        try:
            first = r.start()
        except (ProtocolError, OSError) as e:
            first = {"type": "start-failed", "kind": "import", "message": f"the candidate's process broke the protocol while it loaded: {e}"}
        self.supervisor = r.supervisor  # None if the runner did not become one
        if first is None and r.supervisor is not None:
            said = r.life_ended()  # the sandbox is killed below (r.kill) whatever it says
            if at_start:
                die_like(said[0], False) if said is not None else die_like(r.proc.wait(), r.sandboxed)
            how = how_it_ended(said[0]) if said is not None else f"ended, and {NO_WORD}"
            first = {"type": "start-failed", "kind": "import", "message": f"the candidate's process {how} while it loaded"}
        elif first is None:
            try:
                die_like(r.ended(), r.sandboxed)
            except ProtocolError as e:
                first = {"type": "start-failed", "kind": "import", "message": f"the candidate's process {e} while it loaded"}
        if first["type"] != "ready":
            r.kill()
            self.supervisor = None
            return first
        self.runner = r
        # Whether bfloat16 calls can be made: the runner says so (a runner that denies it only loses its own
        # bfloat16 cases, which are then reported as not run with the reason; it cannot mark any other call so).
        self.ml_dtypes = "mlDtypes" in first
        return first

    def drop_supervisor(self):
        if self.supervisor is not None:
            self.supervisor.kill()
            self.supervisor = None

    def life_ended(self, r):
        """The current life closed its channel during a call: LifeEnded when its sandbox takes another life (or a
        fresh one replaces it); else this process ends the way the runner did."""
        self.flush()
        if r.supervisor is None:
            die_like(r.ended(), r.sandboxed)
        said = r.life_ended()
        if said is None:
            self.supervisor = None
            raise ProtocolError(f"it ended, and {NO_WORD}")
        if not said[1]:
            self.drop_supervisor()  # the next life gets a fresh sandbox
        raise LifeEnded(said[0])

    def report_death(self, code):
        """Tells Node that the current life died (after the marker that ends its stderr) and starts counting the next."""
        self.runner = None
        marker = self.spec["lifeMarker"]
        write_all(2, f"\n{marker}\n".encode("utf-8"))
        name = signal_name(-code) if code < 0 else None
        # A signal this Python cannot name reads as a shell does: 128 + its number.
        died = {"type": "died", "life": self.life, "exitCode": None if name else code if code >= 0 else 128 - code, "signal": name}
        write_frame(self.fd_out, died)
        self.life += 1

    def start_next_life(self):
        """Starts the next life at once, and says whether it is ready ({"type": "life"}): Node waits for that under
        its start timeout before it sends the next calls, so the candidate's import is never timed as a call."""
        first = self.start_runner()
        life = {"type": "life", "life": self.life, "ok": first["type"] == "ready"}
        if not life["ok"]:
            life["message"] = "\n".join(clip(first.get(k)) for k in ("message", "traceback") if first.get(k))
        write_frame(self.fd_out, life)

    def arena_for(self, n):
        """The region for a batch's n bytes of input, and whether it is new (to be sent with the batch)."""
        r = self.runner
        if r.arena is not None and (r.arena.size < n or not r.arena.reusable):
            r.arena.close()
            r.arena = None
        if r.arena is None:
            r.arena = Arena(max(MIN_ARENA, -(-n // mmap.PAGESIZE) * mmap.PAGESIZE))
            return r.arena, True
        return r.arena, False

    def serve(self):
        while True:
            header, payload = read_frame(self.fd_in)
            if header is None:
                return  # the harness closed the pipe: done
            if header.get("type") == "batch" and header.get("life", 0) != self.life:
                pass  # sent before Node knew of the last death: it sends those calls again
            elif header.get("type") == "batch":
                try:
                    self.batch(header["calls"], payload)
                finally:
                    self.flush()
            del payload

    def batch(self, calls, payload):
        """Runs a batch's calls in order; bfloat16 calls that this Python cannot make (no ml_dtypes) are answered
        here as not run, and the others go to the runner in runs."""
        if getattr(self, "ml_dtypes", True) or not any(c.get("dtype") == "bfloat16" for c in calls):
            return self.batch_run(calls, payload)
        run = []
        for call in calls:
            if call.get("dtype") != "bfloat16":
                run.append(call)
                continue
            if run:
                self.batch_run(run, payload)
                run = []
            self.reply(False, {"type": "result", "id": call["id"], "kind": "not-run", "reason": NO_BFLOAT16}, [])
        if run:
            self.batch_run(run, payload)
        self.flush()

    def batch_run(self, calls, payload):
        """Runs a batch frame's calls: all of them go to the runner at once (it runs them back to back), and each
        result is checked and forwarded as it comes. A protocol error ends the runner: that call's outcome, and a
        fresh runner takes the calls after it."""
        big = self.infile is not None and len(calls) == 1 and bool(calls[0].get("bulk"))
        if self.infile is not None and not big:
            self.infile.drop()
        pending = list(calls)
        keep = None
        if not big:
            self.p_addr, keep = address(payload) if len(payload) else (0, None)
        while pending:
            if self.runner is None:
                self.flush()
                first = self.start_runner()
                if first["type"] != "ready":
                    problem = f"the candidate's process could not be restarted: {first.get('message', '')}"
                    for call in pending:
                        self.reply(big, {"type": "result", "id": call["id"], "kind": "crash", "protocolError": problem}, [])
                    return
            try:
                self.send_batch(pending, payload, big)
            except (MemoryError, OSError) as e:  # mapping the bulk input, making the shared region (tmpfs full)
                for call in pending:
                    self.reply(big, {"type": "result", "id": call["id"], "kind": "memory", "message": f"{type(e).__name__}: {e}", "captured": "", "ms": 0.0}, [])
                return
            while pending:
                call = pending.pop(0)
                try:
                    result, chunks = self.collect(call, payload, big)
                except LifeEnded as e:
                    self.report_death(e.code)
                    self.start_next_life()
                    return  # the calls after it come again, in a batch of the next life
                except ProtocolError as e:
                    # The runner's state is unknown now: a fresh one takes the calls after this one.
                    self.runner.kill()
                    self.runner = None
                    self.supervisor = None
                    result, chunks = {"type": "result", "id": call["id"], "kind": "crash", "protocolError": f"the candidate's process broke the protocol: {e}"}, []
                self.reply(big, result, chunks)
                del result, chunks  # views of the shared memory
                if self.runner is None:
                    break
        self.flush()
        del keep  # the payload's buffer export, held until every call of the batch was compared

    def reply(self, big, result, chunks):
        """Sends a result to Node. A small one waits while the runner's next result is already here, so that a
        run of quick calls leaves in one write (each write costs Node a wake-up); the last one goes at once."""
        if big:
            self.flush()
            tell = lambda done, total: write_frame(self.fd_out, {"type": "progress", "id": result["id"], "bytes": done, "of": total})  # noqa: E731
            chunks = write_bulk(self.bulk_out, result, chunks, tell) if chunks else chunks
        size = sum(len(c) for c in chunks)
        if size > SMALL_FRAME:
            self.flush()
            write_frame(self.fd_out, result, chunks)
            return
        self.pending.append(frame_bytes(result, chunks))
        self.pending_bytes += len(self.pending[-1])
        if self.runner is None or not self.runner.next_ready() or self.pending_bytes > SMALL_FRAME:
            self.flush()

    def flush(self):
        if self.pending:
            data = b"".join(self.pending)
            self.pending, self.pending_bytes = [], 0
            write_all(self.fd_out, data)

    def send_batch(self, calls, payload, big):
        """Copies the calls' inputs into the shared region, at the offsets they have in the frame (a bulk call's at
        0), and sends the runner the batch."""
        if big:
            n = calls[0]["nbytes"]
            self.infile.view(n)
            lo, hi, src = 0, n, self.infile.map
            self.p_addr = self.infile.addr
        else:
            lo = min(c["offset"] for c in calls)
            hi = max(c["offset"] + c["nbytes"] for c in calls)
            src = payload
        arena, fresh = self.arena_for(hi)
        if hi > lo:
            memoryview(arena.map)[lo:hi] = memoryview(src)[lo:hi]
        keys = ("id", "dtype", "shape", "args", "nbytes", "layout")
        msg = {"type": "batch", "calls": [{**{k: c[k] for k in keys if k in c}, "offset": 0 if big else c["offset"]} for c in calls]}
        if fresh:
            msg["arenaBytes"] = arena.size
        try:
            self.runner.send(msg, arena.fd if fresh else None)
        except OSError:
            pass  # a runner that is gone: its death is read with the first result
        arena.reusable = True

    def collect(self, call, payload, big):
        """(result header for Node, payload chunks) for the runner's result of one call."""
        cid, dtype, shape, n = call["id"], call["dtype"], call["shape"], call["nbytes"]
        r = self.runner
        arena = r.arena
        # The pristine input: memory of this process's own that the runner never sees (the batch's payload, or
        # the bulk input file); its address is taken once per batch (self.p_addr).
        at = 0 if big else call["offset"]
        p_addr = self.p_addr + at
        in_elements = n // ITEMSIZE[dtype]
        cap_bytes = output_cap(in_elements) * 8
        got = r.recv(cap_bytes)
        if got is None:
            self.life_ended(r)
        h, body = got
        if h.get("type") != "result" or h.get("id") != cid or isinstance(h.get("id"), bool):
            raise ProtocolError(f"a {str(h.get('type'))[:40]!r} frame for call {str(h.get('id'))[:40]} during call {cid}")
        extra = set(h) - RESULT_FIELDS
        if extra or (isinstance(h.get("output"), dict) and set(h["output"]) - OUTPUT_FIELDS):
            extra |= {f"output.{k}" for k in set(h.get("output") or {}) - OUTPUT_FIELDS}
            raise ProtocolError(f"a result with fields this channel does not have: {', '.join(sorted(extra)[:8])}")
        if h.get("kept") is True:
            arena.reusable = False  # the candidate kept an input: the next batch gets a new region
        mutated = not same_bytes(arena.addr + at, p_addr, n) or h.get("view") is not None
        kind = h.get("kind")
        base = {"type": "result", "id": cid, **check_text_fields(h)}
        if kind == "raised":
            return {**base, "kind": "raised", "errorType": clip(h.get("errorType"), 200), "message": clip(h.get("message")), "traceback": clip(h.get("traceback"))}, []
        if kind == "memory":
            out = {**base, "kind": "memory", "message": clip(h.get("message")), "traceback": clip(h.get("traceback"))}
            if isinstance(h.get("device"), str):  # the device's memory ran out (CUDA), not this process's cap
                out["device"] = clip(h["device"], 400)
            return out, []
        if kind == "device-error":  # the candidate's device failed (a device-side assert, a CUDA error)
            return {**base, "kind": "device-error", "device": clip(h.get("device"), 400), "errorType": clip(h.get("errorType"), 200), "message": clip(h.get("message")), "traceback": clip(h.get("traceback"))}, []
        if kind == "bad-output":
            return {**base, "kind": "bad-output", "problem": clip(h.get("problem")), "mutated": mutated}, []
        if kind != "ok":
            raise ProtocolError(f"a result of kind {str(kind)[:40]!r}")
        out = h.get("output")
        if not isinstance(out, dict) or out.get("dtype") not in ITEMSIZE:
            raise ProtocolError(f"an output dtype of {json.dumps(out)[:100] if not isinstance(out, dict) else str(out.get('dtype'))[:40]!r}")
        count = check_shape(out.get("shape"), "the output")
        nbytes = out.get("nbytes")
        if nbytes != count * ITEMSIZE[out["dtype"]]:
            raise ProtocolError(f"an output of shape {out['shape']} {out['dtype']} in {str(nbytes)[:40]} bytes (it needs {count * ITEMSIZE[out['dtype']]})")
        if count > output_cap(in_elements):
            return {**base, "kind": "bad-output", "problem": f"returned {count} elements for an input of {in_elements}", "mutated": mutated}, []
        if h.get("fd") is True:
            fd = r.take_fd()
            if len(body) or fd is None:
                raise ProtocolError(f"an output in a memory file without its descriptor, or with {len(body)} bytes inline")
            data = r.output(fd, nbytes)
        else:
            if len(body) != nbytes:
                raise ProtocolError(f"an output of {nbytes} bytes with {len(body)} bytes inline")
            data = body
        numpy_dtype = h.get("numpyDtype")
        if not isinstance(numpy_dtype, str) or not (0 < len(numpy_dtype) <= 40):
            raise ProtocolError(f"numpyDtype {json.dumps(numpy_dtype)[:60]}")
        chunks, offset = [], 0

        def add(buf, length):
            nonlocal offset
            desc = {"offset": offset, "nbytes": length}
            chunks.append(buf)
            offset += length
            if pad8(offset):
                chunks.append(b"\0" * pad8(offset))
                offset += pad8(offset)
            return desc

        result = {**base, "kind": "ok", "mutated": mutated, "numpyDtype": numpy_dtype,
                  "output": {"dtype": out["dtype"], "shape": out["shape"], **add(data, nbytes)}}
        if mutated:
            desc, after = input_after(arena, at, n, dtype, shape, h.get("view"))
            result["inputAfter"] = {**desc, **add(after, n)}
        return result, chunks


def main():
    fd_in, fd_out = move_protocol_fds()
    harden()
    spec = json.loads(sys.argv[1])
    bulk = open_bulk(sys.argv[2]) if len(sys.argv) > 2 else None
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # a dead runner's socket: EPIPE, read as its death
    b = Broker(spec, fd_in, fd_out, bulk)
    first = b.start_runner(at_start=True)
    if first["type"] == "ready":
        first["bulk"] = bulk is not None
        if getattr(b, "located", None):
            first["module"] = b.located
    write_frame(fd_out, first)
    if first["type"] != "ready":
        return
    try:
        b.serve()
    finally:
        if b.runner is not None:
            b.runner.close()
            if b.supervisor is not None:
                b.supervisor.ctrl.close()  # EOF: the supervisor ends the life and itself
            try:
                b.runner.proc.wait(1.0)
            except subprocess.TimeoutExpired:
                b.runner.kill()


if __name__ == "__main__":
    main()
