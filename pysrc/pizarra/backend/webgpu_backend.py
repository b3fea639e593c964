"""The WebGPU backends: where operations on data still in main memory run.

Operations run where their data lives: an operand already on the GPU keeps the operation there
(copying back per operation is the trap the GPU backend avoids). The backend only decides where
data that is still in main memory goes: :class:`WebGPUBackend` (``?backend=webgpu``) moves every
float32 operand of a kernel to the GPU; :class:`AutoBackend` (the default) does so only for the
operation classes and sizes at which the calibration (:mod:`pizarra.backend.thresholds`) measured
the GPU to be faster, and keeps NumPy until that measurement exists.
"""

from __future__ import annotations

import numpy as np

from . import conv_launchers as conv
from . import launchers as K
from .gpu_array import BOOL, F32, GPUArray, dtype_of, to_host
from .numpy_backend import NumpyBackend


class WebGPUBackend(NumpyBackend):
    """Every float32 operand of a kernel goes to the GPU (``?backend=webgpu``)."""

    name = "webgpu"

    def on_gpu(self, op_class, size, *arrays):
        """Whether this operation runs on the GPU (its float32 operands moving there)."""
        return all(dtype_of(a) in (F32, BOOL) for a in arrays if a is not None)

    def matmul(self, a, b):
        if self.on_gpu("matmul", 2 * np.size(a) * (np.shape(b)[-1] if np.ndim(b) > 1 else 1), a, b):
            return K.matmul(a, b)
        return super().matmul(a, b)

    def sum(self, x, axis=None, keepdims=False):
        if self.on_gpu("reduction", np.size(x), x):
            return K.reduce("sum", x, axis, keepdims)
        return super().sum(x, axis, keepdims)

    def max(self, x, axis=None, keepdims=False):
        if self.on_gpu("reduction", np.size(x), x):
            return K.reduce("max", x, axis, keepdims)
        return super().max(x, axis, keepdims)

    def softmax(self, x, axis=-1):
        if self.on_gpu("reduction", np.size(x), x):
            return K.softmax(x, axis)
        return super().softmax(x, axis)

    def log_softmax(self, x, axis=-1):
        if self.on_gpu("reduction", np.size(x), x):
            return K.softmax(x, axis, log=True)
        return super().log_softmax(x, axis)

    def conv2d_forward(self, x, w, b, stride, padding):
        flops = 2 * np.size(x) * np.size(w) // max(1, np.shape(w)[1])
        if self.on_gpu("conv", flops, x, w, b):
            return conv.conv2d_forward(x, w, b, stride, padding)
        return super().conv2d_forward(x, w, b, stride, padding)

    def conv2d_backward(self, grad_out, cache):
        if isinstance(cache[1], GPUArray):  # the GPU's cache holds its im2col columns there
            return conv.conv2d_backward(grad_out, cache)
        return super().conv2d_backward(to_host(grad_out), cache)

    def max_pool2d_forward(self, x, kernel_size, stride=None, padding=0):
        if self.on_gpu("reduction", np.size(x), x):
            return conv.pool_forward("max", x, kernel_size, stride, padding)
        return super().max_pool2d_forward(x, kernel_size, stride, padding)

    def max_pool2d_backward(self, grad_out, cache):
        if isinstance(cache[0], str):  # the GPU's cache starts with its kind; NumPy's with an array
            return conv.pool_backward(grad_out, cache)
        return super().max_pool2d_backward(to_host(grad_out), cache)

    def avg_pool2d_forward(self, x, kernel_size, stride=None, padding=0):
        if self.on_gpu("reduction", np.size(x), x):
            return conv.pool_forward("avg", x, kernel_size, stride, padding)
        return super().avg_pool2d_forward(x, kernel_size, stride, padding)

    def avg_pool2d_backward(self, grad_out, cache):
        if isinstance(cache[0], str):
            return conv.pool_backward(grad_out, cache)
        return super().avg_pool2d_backward(to_host(grad_out), cache)


class AutoBackend(WebGPUBackend):
    """Data already on the GPU stays there; data in main memory moves only where the calibration
    measured the GPU to be faster for that class and size (NumPy until it has)."""

    name = "auto"

    def __init__(self, calibration=None):
        self.calibration = calibration

    def on_gpu(self, op_class, size, *arrays):
        if not super().on_gpu(op_class, size, *arrays):
            return False
        if any(isinstance(a, GPUArray) for a in arrays):
            return True
        return self.calibration is not None and self.calibration.prefers_gpu(op_class, size)
