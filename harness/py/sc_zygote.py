"""The runner's supervisor inside a sandbox: it forks one life of the runner after another, each after NumPy's import
(what a fresh interpreter spends most of its start-up on), so a candidate that crashes costs a fork, not a new
sandbox and a new interpreter. It runs no candidate code: each life imports the candidate itself.

Only used inside a sandbox of its own (bubblewrap: its own pid namespace and tmpfs folders). Between two lives it
makes the sandbox as a fresh one would be, or says it cannot (and the broker then starts a fresh sandbox):
  - every other process of the namespace is killed (a daemon the last life left cannot reach the next);
  - the sandbox's writable folders (TMPDIR, HOME, /dev/shm) are emptied;
  - System V IPC objects (which outlive their makers) must not exist.
It is not dumpable, so a life (same uid) cannot ptrace it or read its memory; a life that kills or stops it ends the
sandbox, which the broker sees and handles as the death of the runner.

Control channel (a Unix stream socket the broker passed as the runner's second argument), frames as the runner's:
  out: {"type": "supervising"} once, before the first life;
       {"type": "exit", "code": N, "clean": bool} when a life ends (N as Popen's returncode: -signal or the exit
       code; clean: the sandbox was made fresh again);
  in:  {"type": "fork"} with one descriptor attached: the next life's channel.
EOF on it: the broker is gone; the life is killed and this process exits.
"""

import ctypes
import json
import os
import select
import shutil
import signal
import socket
import struct

_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4
SWEEP_ROUNDS = 50


def _send(sock, header):
    raw = json.dumps(header).encode("utf-8")
    sock.sendall(struct.pack("<I", len(raw)) + raw)


def _recv_exact(sock, n, fds):
    buf = bytearray()
    while len(buf) < n:
        data, anc, _flags, _addr = sock.recvmsg(n - len(buf), socket.CMSG_SPACE(4 * 4))
        for level, kind, payload in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.extend(struct.unpack(f"{len(payload) // 4}i", payload[: len(payload) // 4 * 4]))
        if not data:
            return None
        buf += data
    return bytes(buf)


def _recv(sock):
    """(header, fds), or (None, fds) at EOF."""
    fds = []
    head = _recv_exact(sock, 4, fds)
    raw = _recv_exact(sock, struct.unpack("<I", head)[0], fds) if head is not None else None
    return (json.loads(raw.decode("utf-8")) if raw is not None else None), fds


def _wait_life(pid, ctrl):
    """The life's returncode (as Popen's), or None if the broker went away first (the life is then killed)."""
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd, ctrl], [], [])
    finally:
        os.close(pidfd)
    if pidfd not in ready:
        # The broker never writes while a life runs: this is its EOF (it is gone), or a breach of the protocol.
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return None
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _others():
    """Processes of this namespace but its init (1) and this one, zombies left out (they hold nothing)."""
    me, out = os.getpid(), []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in (1, me):
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != b"Z":
            out.append(int(name))
    return out


def _kill_others():
    for _ in range(SWEEP_ROUNDS):
        left = _others()
        if not left:
            return True
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass  # this process's own children (the lives); the others are init's
        except ChildProcessError:
            pass
        select.select([], [], [], 0.002)
    return not _others()


def _empty(folder):
    """Removes everything in folder (the life may have taken the permissions away first); True if it is empty."""
    try:
        os.chmod(folder, 0o700)
        names = os.listdir(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False

    def allow_and_retry(fn, path, _exc):
        try:
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
            fn(path)
        except OSError:
            pass

    for name in names:
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, onerror=allow_and_retry)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass
    try:
        return not os.listdir(folder)
    except OSError:
        return False


def _no_ipc_objects():
    for kind in ("shm", "sem", "msg"):
        try:
            with open(f"/proc/sysvipc/{kind}", "rb") as f:
                if len(f.read().splitlines()) > 1:  # a header line, then one line per object
                    return False
        except OSError:
            pass
    return True


def _fresh_again(folders):
    killed = _kill_others()
    emptied = all([_empty(f) for f in folders])  # all of them, not up to the first failure
    return killed and emptied and _no_ipc_objects()


def supported():
    """Linux 5.3+ (pidfd_open) and Python 3.9+: else the runner has one life, as before."""
    if not (hasattr(os, "pidfd_open") and hasattr(os, "waitstatus_to_exitcode")):
        return False
    try:
        os.close(os.pidfd_open(os.getpid()))
        return True
    except OSError:
        return False


def serve_lives(channel, ctrl_fd, folders):
    """Forks one life per request, the first at once on `channel`; returns only in a life, with its channel (a
    socket). The supervisor itself never returns: it exits when the broker closes the control channel."""
    ctrl = socket.socket(fileno=ctrl_fd)
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    _send(ctrl, {"type": "supervising"})
    while True:
        pid = os.fork()
        if pid == 0:
            ctrl.close()
            _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # as a runner started afresh
            _libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)  # fork cleared it: die with the supervisor
            return channel
        channel.close()
        code = _wait_life(pid, ctrl)
        if code is None:
            os._exit(0)
        clean = _fresh_again(folders)
        try:
            _send(ctrl, {"type": "exit", "code": code, "clean": clean})
            msg, fds = _recv(ctrl) if clean else (None, [])
        except OSError:
            os._exit(0)
        if msg is None or msg.get("type") != "fork" or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            os._exit(0)
        channel = socket.socket(fileno=fds[0])
