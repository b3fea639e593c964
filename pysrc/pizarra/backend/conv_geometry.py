"""The arithmetic of convolution and pooling windows, shared by the NumPy and the GPU kernels
(and by :mod:`pizarra.conv_ops`, which turns PyTorch's arguments into the kernels' plain ones)."""

import numpy as np


def pair(value):
    """PyTorch's int-or-pair arguments: ``3 -> (3, 3)``; ``(3, 2)`` stays, as ints."""
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    first, second = value
    return int(first), int(second)


def output_size(size, kernel, stride, padding):
    """Positions of a window along one dimension: ``(m + 2p - k) // s + 1``."""
    return (size + 2 * padding - kernel) // stride + 1
