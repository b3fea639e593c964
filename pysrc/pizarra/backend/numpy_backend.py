"""The NumPy backend: the reference implementation of the kernel interface.

Convolution and pooling kernels live in :mod:`pizarra.backend.numpy_conv`;
they are imported on first use so that this module never depends on them at
import time.
"""

import sys

import numpy as np

# Pyodide's NumPy has no BLAS: np.matmul falls back to a plain loop, and np.einsum's own loops are
# often several times faster. Measured in Pyodide 0.27.7 under Node on this project's machine
# (float32, ms, matmul vs einsum): 1024×1024 @ 1024×1024: 7532 vs 448; 256×784 @ 784×256: 46.5 vs 19.7;
# 32×256 @ 256×1024: 10.1 vs 4.6; 256×32 @ 32×1024: 5.0 vs 3.0; 6×50176 @ 50176×25: 20.8 vs 4.6;
# 64×400 @ 400×120: 1.7 vs 1.4; but 50176×25 @ 25×6: 4.1 vs 10.7; 6400×150 @ 150×16: 7.6 vs 11.2;
# batched 8×64×64 @ 8×64×64: 1.0 vs 1.5. The rule below follows those measurements. It is a rule of
# shapes, not a timing taken at run time, so that the same inputs always give the same floats.
NO_BLAS = sys.platform == "emscripten"


def einsum_is_faster(a, b):
    """Where NumPy has no BLAS: einsum for a 2-D right factor with inner dim ≥ 32 and ≥ 24 columns."""
    return b.ndim == 2 and a.ndim >= 2 and b.shape[0] >= 32 and b.shape[1] >= 24


class NumpyBackend:
    """Array kernels on NumPy arrays (CPython and Pyodide alike)."""

    name = "numpy"
    no_blas = NO_BLAS  # a class default, so subclasses need no constructor of ours

    def matmul(self, a, b):
        """Matrix product with NumPy's batching and broadcasting rules."""
        if self.no_blas and einsum_is_faster(a, b):
            return np.einsum("...ij,jk->...ik", a, b)
        if b.ndim == 2 and a.ndim > 2:
            # A batch times one matrix: a single product of the stacked rows (NumPy would loop
            # over the batch, one small product each).
            return np.matmul(a.reshape(-1, a.shape[-1]), b).reshape(*a.shape[:-1], b.shape[-1])
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
