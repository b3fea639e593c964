"""The NumPy backend: the reference implementation of the kernel interface.

Convolution and pooling kernels live in :mod:`pizarra.backend.numpy_conv`;
they are imported on first use so that this module never depends on them at
import time.
"""

import numpy as np


class NumpyBackend:
    """Array kernels on NumPy arrays (CPython and Pyodide alike)."""

    name = "numpy"

    def matmul(self, a, b):
        """Matrix product with NumPy's batching and broadcasting rules."""
        return np.matmul(a, b)

    def sum(self, x, axis=None, keepdims=False):
        return np.sum(x, axis=axis, keepdims=keepdims)

    def max(self, x, axis=None, keepdims=False):
        return np.max(x, axis=axis, keepdims=keepdims)

    def softmax(self, x, axis=-1):
        """``e^(x_i - max) / Σ_j e^(x_j - max)`` along ``axis``."""
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)

    def log_softmax(self, x, axis=-1):
        """``x_i - max - log Σ_j e^(x_j - max)`` along ``axis`` (finite for logits of ±1000)."""
        shifted = x - np.max(x, axis=axis, keepdims=True)
        return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))

    # --- convolution and pooling: delegated to numpy_conv ----------------------

    def conv2d_forward(self, x, w, b, stride, padding):
        from . import numpy_conv
        return numpy_conv.conv2d_forward(x, w, b, stride, padding)

    def conv2d_backward(self, grad_out, cache):
        from . import numpy_conv
        return numpy_conv.conv2d_backward(grad_out, cache)

    def max_pool2d_forward(self, x, kernel_size, stride=None, padding=0):
        from . import numpy_conv
        return numpy_conv.max_pool2d_forward(x, kernel_size, stride, padding)

    def max_pool2d_backward(self, grad_out, cache):
        from . import numpy_conv
        return numpy_conv.max_pool2d_backward(grad_out, cache)

    def avg_pool2d_forward(self, x, kernel_size, stride=None, padding=0):
        from . import numpy_conv
        return numpy_conv.avg_pool2d_forward(x, kernel_size, stride, padding)

    def avg_pool2d_backward(self, grad_out, cache):
        from . import numpy_conv
        return numpy_conv.avg_pool2d_backward(grad_out, cache)
