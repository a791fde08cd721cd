# Source: not in the thread as code; the thread argues for the frameworks' convention (normalise each row / the last
#   axis), which PyTorch spells torch.softmax(x, dim=-1).
# Framework-native: the harness hands a torch.Tensor of the input's dtype on the row's device (manifest "framework":
#   "torch", "device"), and takes a torch.Tensor back (harness/py/sc_framework.py). No NumPy wrapper here.
# The float16 and bfloat16 entry points judge torch in that dtype only: any other dtype is refused with a clear
#   TypeError, which the row's declared domain (dtypes) makes a rejection, not a failure.
import torch


def softmax(x):
    return torch.softmax(x, dim=-1)


def softmax_float16(x):
    if x.dtype != torch.float16:
        raise TypeError(f"this row judges torch.softmax in float16 only, not {x.dtype}")
    return torch.softmax(x, dim=-1)


def softmax_bfloat16(x):
    if x.dtype != torch.bfloat16:
        raise TypeError(f"this row judges torch.softmax in bfloat16 only, not {x.dtype}")
    return torch.softmax(x, dim=-1)
