"""Pooling stages of a convolutional layer (course, section 5): a summary of
each small window, which makes the output insensitive to small shifts."""

from ..conv_ops import avg_pool2d, max_pool2d
from .module import Module


class _Pool2d(Module):
    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool2d):
    """Max pooling, as ``torch.nn.MaxPool2d``::

        Z[c, j, k] = max_{0 ≤ m < kH, 0 ≤ n < kW} V[c, j·s + m, k·s + n]

    ``stride`` defaults to ``kernel_size`` (windows side by side); padding
    counts as ``-inf``. The gradient flows only to each window's maximum.
    """

    def forward(self, input):
        return max_pool2d(input, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_Pool2d):
    """Mean ("average") pooling, as ``torch.nn.AvgPool2d``::

        Z[c, j, k] = 1/(kH·kW) Σ_{m,n} V[c, j·s + m, k·s + n]

    ``stride`` defaults to ``kernel_size``; zero padding is counted in the
    mean (PyTorch's ``count_include_pad=True``).
    """

    def forward(self, input):
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding)


__all__ = ["MaxPool2d", "AvgPool2d"]
