# Source: not in the thread as code; the thread argues for the frameworks' convention (normalise each row /
#   the last axis), which PyTorch spells torch.softmax(x, dim=-1).
# Claims: the PyTorch docs: "Softmax is defined as exp(x_i) / sum_j exp(x_j). It is applied to all slices
#   along dim, and will re-scale them so that the elements lie in the range [0, 1] and sum to 1."
# Library wrapper, thin: torch.softmax(torch.from_numpy(x), dim=axis), back to NumPy with .numpy()
#   (from_numpy shares memory with x; softmax is not in place, so x is untouched).
import numpy as np
import torch


def softmax(x, axis=-1):
    return torch.softmax(torch.from_numpy(x), dim=axis).numpy()
