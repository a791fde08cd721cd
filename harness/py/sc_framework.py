"""Framework-native calls: the canonical NumPy input as a torch / JAX / TensorFlow / CuPy tensor, and back.

setup(np, framework, device) -> (adapter, None) or (None, a start-failed header for the runner to send).
  framework: "numpy" (no adapter: the runner calls with the NumPy array, as always), "torch", "jax", "tensorflow",
  "cupy"; device: "cpu", "cuda" or "cuda:N". The framework is imported here, only when asked, before the candidate
  loads and before the memory cap is set (its own mappings are not the candidate's headroom).
An adapter:
  to_framework(x)     the input as the framework's tensor, same dtype (bfloat16 as the framework's own), on the device
  synchronize(out)    wait for the device, so that the call's time and its asynchronous errors belong to the call
  write_back(t, x)    a tensor the candidate changed in place (device memory) copied into x, for the mutation check
  to_numpy(out)       (ndarray, None) bit for bit, or (None, problem): a wrong type or a wrong device is a problem
  device_error(e)     None, or ("out-of-memory" | "device", text) for an error the device raised (CUDA OOM, asserts)
Only NumPy (and ml_dtypes for bfloat16) is needed to import this module; runner.py imports it from its own folder.
"""

import re
import sys

FRAMEWORKS = ("numpy", "torch", "jax", "tensorflow", "cupy")
PIP = {"torch": "pip install torch", "jax": "pip install jax", "tensorflow": "pip install tensorflow",
       "cupy": "pip install cupy-cuda12x"}
# Words the device's runtime puts in its errors. Matched on the message when the exception's type does not say.
OOM_TEXT = re.compile(r"CUDA out of memory|out of memory on device|RESOURCE_EXHAUSTED|cudaErrorMemoryAllocation|CUDA_ERROR_OUT_OF_MEMORY|OutOfMemory", re.I)
DEVICE_TEXT = re.compile(r"CUDA error|device-side assert|CUBLAS_STATUS|CUDNN_STATUS|cuDNN error|CUDA_ERROR|cudaError|an illegal memory access|unspecified launch failure", re.I)
OOM_TYPES = {"OutOfMemoryError", "ResourceExhaustedError"}
DEVICE_TYPES = {"AcceleratorError", "CUDARuntimeError", "CUDADriverError", "CUBLASError", "CUDNNError"}


class ConversionError(Exception):
    """The harness could not build the framework's tensor for this input (not the candidate's doing)."""


def parse_device(device):
    """("cpu", None) or ("cuda", N)."""
    if device in (None, "", "cpu"):
        return "cpu", None
    m = re.fullmatch(r"cuda(?::(\d+))?", device)
    if not m:
        raise ValueError(f"unknown device {device!r}: cpu, cuda or cuda:N")
    return "cuda", int(m.group(1) or 0)


def missing(framework, e):
    return {"type": "start-failed", "kind": "missing-library", "module": framework,
            "message": f"--framework {framework} needs {framework}, which {sys.executable} cannot import "
                       f"({type(e).__name__}: {e}); install it with `{PIP[framework]}`"}


def no_device(text):
    return {"type": "start-failed", "kind": "no-device", "message": f"no CUDA device: {text}"}


def setup(np, framework, device):
    if framework in (None, "", "numpy"):
        if parse_device(device)[0] != "cpu":
            return None, {"type": "start-failed", "kind": "missing-target", "message": "NumPy runs on the CPU only: choose --framework torch, jax, tensorflow or cupy for a CUDA device"}
        return None, None
    if framework not in PIP:
        return None, {"type": "start-failed", "kind": "missing-target", "message": f"unknown framework {framework!r}"}
    kind, index = parse_device(device)
    try:
        module = __import__(framework)
    except BaseException as e:  # ImportError, or a broken install that raises anything at import
        if kind == "cuda" and not has_nvidia():
            # On a machine without a GPU that is the reason the row cannot run, more than a missing torch.
            return None, no_device(f"this machine has no NVIDIA GPU or driver (no /dev/nvidia*, no /proc/driver/nvidia), and {framework} is not installed")
        return None, missing(framework, e)
    cls = {"torch": Torch, "jax": Jax, "tensorflow": TensorFlow, "cupy": CuPy}[framework]
    try:
        return cls(np, module, kind, index).start(), None
    except NoDevice as e:
        return None, no_device(str(e))


def has_nvidia():
    import os

    try:
        nodes = [n for n in os.listdir("/dev") if n.startswith("nvidia")]
    except OSError:
        nodes = []
    return bool(nodes) or os.path.isdir("/proc/driver/nvidia")


class NoDevice(Exception):
    pass


class Adapter:
    name = ""

    def __init__(self, np, module, kind, index):
        self.np, self.m, self.kind, self.index = np, module, kind, index
        self.label = "cpu" if kind == "cpu" else f"cuda:{index}"

    def start(self):
        return self

    def synchronize(self, out):
        pass

    def write_back(self, t, x):
        pass

    def wrong_type(self, out):
        t = type(out)
        return f"returned a {t.__module__}.{t.__qualname__}, not a {self.tensor_name} (--framework {self.name})"

    def wrong_device(self, where):
        return f"returned a {self.tensor_name} on {where}, not on {self.label}, the input's device (--device {self.label})"

    def bf16(self):
        import ml_dtypes

        return self.np.dtype(ml_dtypes.bfloat16)

    def device_error(self, e):
        """None, or (what, text): the device's own error, by the exception's type or its message."""
        names = {c.__name__ for c in type(e).__mro__}
        text = f"{type(e).__name__}: {safe_str(e)}"
        if names & OOM_TYPES or (OOM_TEXT.search(text) and self.kind == "cuda"):
            return "out-of-memory", f"{self.label} ran out of device memory ({first_line(text)})"
        if names & DEVICE_TYPES or DEVICE_TEXT.search(text):
            return "device", f"a device error on {self.label} ({first_line(text)})"
        return None


class Torch(Adapter):
    name, tensor_name = "torch", "torch.Tensor"

    def start(self):
        torch = self.m
        if self.kind == "cuda":
            if not torch.cuda.is_available():
                raise NoDevice(f"torch {torch.__version__} sees none (torch.cuda.is_available() is False)")
            if self.index >= torch.cuda.device_count():
                raise NoDevice(f"cuda:{self.index} does not exist (torch sees {torch.cuda.device_count()})")
            torch.zeros(1, device=self.label)  # the CUDA context now, not in the first call's time
        self.device = torch.device(self.label)
        return self

    def to_framework(self, x):
        torch, np = self.m, self.np
        if x.dtype == self.bf16():
            t = torch.from_numpy(as_torchable(np, x.view(np.int16))).view(torch.bfloat16)
        else:
            t = torch.from_numpy(as_torchable(np, x))
        # On the CPU the tensor shares the input's memory, so an in-place write reaches the mutation check.
        return t if self.kind == "cpu" else t.to(self.device)

    def synchronize(self, out):
        if self.kind == "cuda":
            self.m.cuda.synchronize(self.device)

    def write_back(self, t, x):
        if self.kind == "cuda" or t.data_ptr() != x.ctypes.data:
            back = self.to_numpy(t)[0]
            if back is not None and back.tobytes() != x.tobytes() and x.flags.writeable:
                self.np.copyto(x, back)

    def to_numpy(self, out):
        torch, np = self.m, self.np
        if not isinstance(out, torch.Tensor):
            return None, self.wrong_type(out)
        if out.device != self.device:
            return None, self.wrong_device(str(out.device))
        t = out.detach().cpu().resolve_conj().resolve_neg()
        if t.layout != torch.strided:
            return None, f"returned a {t.layout} torch.Tensor, not a dense (strided) one"
        if t.dtype == torch.bfloat16:
            return t.contiguous().view(torch.int16).numpy().view(self.bf16()), None
        try:
            return t.numpy(), None
        except (TypeError, RuntimeError) as e:
            return None, f"returned a torch.Tensor of dtype {t.dtype}, which has no NumPy dtype ({safe_str(e)})"


def as_torchable(np, x):
    """torch.from_numpy takes neither negative strides nor misaligned or read-only buffers: those get a copy."""
    if any(s < 0 for s in x.strides) or not x.flags.aligned or not x.flags.writeable:
        return np.array(x, order="K")
    return x


class Jax(Adapter):
    name, tensor_name = "jax", "jax.Array"

    def start(self):
        jax = self.m
        # The input keeps its dtype: without x64, JAX would make a float64 input float32.
        jax.config.update("jax_enable_x64", True)
        if self.kind == "cuda":
            try:
                gpus = jax.devices("gpu")
            except RuntimeError as e:
                raise NoDevice(f"jax {jax.__version__} sees none ({safe_str(e).splitlines()[0] if safe_str(e) else 'no gpu backend'})")
            if self.index >= len(gpus):
                raise NoDevice(f"cuda:{self.index} does not exist (jax sees {len(gpus)})")
            self.device = gpus[self.index]
            jax.device_put(0.0, self.device).block_until_ready()  # the device's context now, before the memory cap
        else:
            self.device = jax.devices("cpu")[0]
        return self

    def to_framework(self, x):
        return self.m.device_put(self.np.ascontiguousarray(x), self.device)

    def synchronize(self, out):
        if isinstance(out, self.m.Array):
            out.block_until_ready()

    def to_numpy(self, out):
        if not isinstance(out, self.m.Array):
            return None, self.wrong_type(out)
        where = out.devices()
        if where != {self.device}:
            return None, self.wrong_device(", ".join(sorted(str(d) for d in where)))
        return self.np.asarray(out), None  # ml_dtypes' bfloat16 when the array is bfloat16


class TensorFlow(Adapter):
    name, tensor_name = "tensorflow", "tf.Tensor"

    def start(self):
        tf = self.m
        self.spec = "CPU:0" if self.kind == "cpu" else f"GPU:{self.index}"
        if self.kind == "cuda":
            gpus = tf.config.list_physical_devices("GPU")
            if self.index >= len(gpus):
                raise NoDevice(f"tensorflow {tf.__version__} sees {len(gpus)} GPU(s)")
            with tf.device(self.spec):
                tf.zeros(1).numpy()  # the device's context now, before the memory cap
        return self

    def to_framework(self, x):
        with self.m.device(self.spec):
            return self.m.identity(self.m.convert_to_tensor(self.np.ascontiguousarray(x)))

    def to_numpy(self, out):
        tf = self.m
        if not isinstance(out, tf.Tensor) or isinstance(out, tf.SparseTensor):
            return None, self.wrong_type(out)
        if not out.device.endswith("device:" + self.spec):
            return None, self.wrong_device(out.device)
        return self.np.asarray(out.numpy()), None


class CuPy(Adapter):
    name, tensor_name = "cupy", "cupy.ndarray"

    def start(self):
        cp = self.m
        if self.kind != "cuda":
            raise NoDevice("CuPy runs on CUDA devices only (--device cuda)")
        try:
            count = cp.cuda.runtime.getDeviceCount()
        except BaseException as e:
            raise NoDevice(f"CuPy sees none ({type(e).__name__}: {safe_str(e)})")
        if self.index >= count:
            raise NoDevice(f"cuda:{self.index} does not exist (CuPy sees {count})")
        self.dev = cp.cuda.Device(self.index)
        with self.dev:
            cp.zeros(1).get()  # the device's context now, before the memory cap
        return self

    def to_framework(self, x):
        if x.dtype.kind == "V":
            raise ConversionError("CuPy has no bfloat16")
        with self.dev:
            return self.m.asarray(x)

    def synchronize(self, out):
        self.dev.synchronize()

    def write_back(self, t, x):
        back = self.m.asnumpy(t)
        if back.tobytes() != x.tobytes() and x.flags.writeable:
            self.np.copyto(x, back)

    def to_numpy(self, out):
        if not isinstance(out, self.m.ndarray):
            return None, self.wrong_type(out)
        if out.device.id != self.index:
            return None, self.wrong_device(f"cuda:{out.device.id}")
        return self.m.asnumpy(out), None


def safe_str(e):
    try:
        return str(e)
    except BaseException:
        return f"<{type(e).__name__} whose str() failed>"


def first_line(s):
    line = next((l for l in s.splitlines() if l.strip()), "")
    return line if len(line) <= 300 else line[:300] + "..."
