"""Differentiable convolution and pooling (course, section 5), PyTorch's API.

The array work is done by the active backend's kernels (see
:mod:`pizarra.backend.numpy_conv`); this module links them to autograd and
turns PyTorch's arguments (``"same"``, ``"valid"``, unbatched inputs, a
default pooling stride) into the kernels' plain ones.

``conv2d`` computes, for every output channel ``i`` and position ``(j, k)``,
the cross-correlation of the course (0-based indices, stride ``s``)::

    Z[i, j, k] = b[i] + Σ_{l,m,n} V[l, j·s + m, k·s + n] K[i, l, m, n]

Output size per dimension: ``(m + 2p - k) // s + 1``, so "valid" (``p = 0``)
gives ``m - k + 1`` and "same" (stride 1) keeps ``m``.
"""

import numpy as np

from . import backend
from .backend.conv_geometry import pair
from .tensor import Function


class Conv2d(Function):
    """``conv2d`` node. ``padding`` is ``((top, bottom), (left, right))``: the
    kernel pads symmetrically, and the extra row / column that "same" needs
    for an even kernel is added here, on the bottom / right as in PyTorch."""

    def forward(self, x, weight, bias=None, stride=(1, 1), padding=((0, 0), (0, 0))):
        (top, bottom), (left, right) = padding
        self.extra = (bottom - top, right - left)
        if any(self.extra):
            x = np.pad(x, ((0, 0), (0, 0), (0, self.extra[0]), (0, self.extra[1])))
        out, self.cache = backend.current().conv2d_forward(x, weight, bias, stride, (top, left))
        return out

    def backward(self, grad):
        dx, dw, db = backend.current().conv2d_backward(grad, self.cache)
        dx = dx[:, :, : dx.shape[2] - self.extra[0], : dx.shape[3] - self.extra[1]]
        return dx, dw, db


class MaxPool2d(Function):
    """``max_pool2d`` node: the gradient goes to each window's arg-max."""

    def forward(self, x, kernel_size, stride, padding):
        out, self.cache = backend.current().max_pool2d_forward(x, kernel_size, stride, padding)
        return out

    def backward(self, grad):
        return backend.current().max_pool2d_backward(grad, self.cache)


class AvgPool2d(Function):
    """``avg_pool2d`` node: each window's gradient is shared equally by its entries."""

    def forward(self, x, kernel_size, stride, padding):
        out, self.cache = backend.current().avg_pool2d_forward(x, kernel_size, stride, padding)
        return out

    def backward(self, grad):
        return backend.current().avg_pool2d_backward(grad, self.cache)


def _conv_padding(padding, kernel, stride):
    """PyTorch's ``padding`` argument as ``((top, bottom), (left, right))``."""
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        if stride != (1, 1):
            raise ValueError("padding='same' is not supported for strided convolutions")
        # Total padding k - 1 keeps the size; an odd total puts the extra on the far side.
        return tuple(((k - 1) // 2, k - 1 - (k - 1) // 2) for k in kernel)
    if isinstance(padding, str):
        raise ValueError(f"padding must be 'valid', 'same', an int or a pair, not {padding!r}")
    ph, pw = pair(padding)
    return (ph, ph), (pw, pw)


def _batched(function, input, *args, **kwargs):
    """Apply ``function`` to ``(N, C, H, W)``; a single ``(C, H, W)`` image
    gets a batch of one, removed again from the result."""
    if input.ndim == 3:
        return function(input.unsqueeze(0), *args, **kwargs).squeeze(0)
    if input.ndim != 4:
        raise ValueError(f"expected a (N, C, H, W) or (C, H, W) input, got shape {tuple(input.shape)}")
    return function(input, *args, **kwargs)


def conv2d(input, weight, bias=None, stride=1, padding=0):
    """2-D convolution (cross-correlation) as ``torch.nn.functional.conv2d``.

    ``input (N, C_in, H, W)``, ``weight (C_out, C_in, kH, kW)``, ``bias (C_out,)``;
    ``stride`` an int or pair; ``padding`` an int, a pair, ``"valid"`` or ``"same"``.
    """
    stride = pair(stride)
    padding = _conv_padding(padding, weight.shape[2:], stride)
    tensors = (weight,) if bias is None else (weight, bias)
    return _batched(lambda x: Conv2d.apply(x, *tensors, stride=stride, padding=padding), input)


def _pool_arguments(kernel_size, stride, padding):
    kernel = pair(kernel_size)
    stride = kernel if stride is None else pair(stride)
    padding = pair(padding)
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(
            f"pad should be at most half of kernel size, got padding={padding}, kernel_size={kernel}"
        )
    return dict(kernel_size=kernel, stride=stride, padding=padding)


def max_pool2d(input, kernel_size, stride=None, padding=0):
    """Max pooling as ``torch.nn.functional.max_pool2d``: the largest value of
    each ``kH×kW`` window (``stride`` defaults to ``kernel_size``; padding is ``-inf``)."""
    arguments = _pool_arguments(kernel_size, stride, padding)
    return _batched(lambda x: MaxPool2d.apply(x, **arguments), input)


def avg_pool2d(input, kernel_size, stride=None, padding=0):
    """Mean pooling as ``torch.nn.functional.avg_pool2d``: the mean of each
    window, zero padding included in the count (``count_include_pad=True``)."""
    arguments = _pool_arguments(kernel_size, stride, padding)
    return _batched(lambda x: AvgPool2d.apply(x, **arguments), input)
