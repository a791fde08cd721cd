# Source: the project's own fused row-softmax kernel in Triton (the shape of Triton's fused-softmax tutorial): one
#   program per row, the row in registers, max-subtracted exp, one sum, one division; the whole row read once.
# Claims: last (it normalises each row of the input seen as 2-D: every axis but the last is a batch axis).
# Framework-native: it takes and returns a torch.Tensor on a CUDA device (manifest "framework": "torch",
#   "device": "cuda"). Accumulates in float32 for 16-bit inputs and in float64 for float64 ones; integer inputs
#   become float64 first, as NumPy promotes them. Rows up to 2^20 elements (one Triton block).
import torch
import triton
import triton.language as tl


@triton.jit
def _softmax_rows(out_ptr, in_ptr, n_cols, BLOCK: tl.constexpr, ACC: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < n_cols
    x = tl.load(in_ptr + row * n_cols + cols, mask=mask, other=-float("inf")).to(ACC)
    z = x - tl.max(x, axis=0)
    e = tl.exp(z)
    e = tl.where(mask, e, 0.0)
    y = e / tl.sum(e, axis=0)
    tl.store(out_ptr + row * n_cols + cols, y.to(out_ptr.dtype.element_ty), mask=mask)


def softmax(x):
    if not x.is_floating_point():
        x = x.to(torch.float64)
    shape = x.shape
    n_cols = shape[-1] if x.dim() else 1
    x2 = x.reshape(-1, n_cols).contiguous()
    out = torch.empty_like(x2)
    if x2.numel() == 0:
        return out.reshape(shape)
    block = triton.next_power_of_2(n_cols)
    acc = tl.float64 if x.dtype == torch.float64 else tl.float32
    warps = 4 if block <= 2048 else 8 if block <= 8192 else 16
    _softmax_rows[(x2.shape[0],)](out, x2, n_cols, BLOCK=block, ACC=acc, num_warps=warps)
    return out.reshape(shape)
