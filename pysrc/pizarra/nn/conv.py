"""``Conv2d``: the convolution stage of a convolutional layer (course, section 5)."""

import math

import numpy as np

from ..backend.conv_geometry import pair
from ..conv_ops import conv2d
from . import init
from .module import Module, Parameter


class Conv2d(Module):
    """2-D convolution (a cross-correlation), as ``torch.nn.Conv2d``::

        Z[i, j, k] = b[i] + Σ_{l,m,n} V[l, j·s + m, k·s + n] K[i, l, m, n]

    ``V`` is the input ``(N, in_channels, H, W)``, ``K = weight`` is
    ``(out_channels, in_channels, kH, kW)``, ``b = bias`` is ``(out_channels,)``,
    ``s`` the stride. Each filter ``K[i]`` is shared by every position, so the
    layer has ``out·(in·kH·kW + 1)`` parameters whatever the image size, and
    shifting the input shifts the output (translation equivariance).

    ``padding``: an int, a pair, ``"valid"`` (none: size ``m - k + 1``) or
    ``"same"`` (stride 1, output as large as the input). Output size per
    dimension: ``(m + 2p - k) // s + 1``.

    Initialisation as PyTorch: weight and bias ~ ``U(-1/√fan_in, 1/√fan_in)``
    with ``fan_in = in_channels·kH·kW``.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = pair(kernel_size), pair(stride)
        self.padding = padding if isinstance(padding, str) else pair(padding)
        shape = (out_channels, in_channels) + self.kernel_size
        # PyTorch's reset_parameters: kaiming_uniform_(a=√5) is U(-1/√fan_in, 1/√fan_in).
        self.weight = init.kaiming_uniform_(Parameter(np.empty(shape, "float32")), a=math.sqrt(5))
        bound = 1 / math.sqrt(in_channels * self.kernel_size[0] * self.kernel_size[1])
        self.bias = (
            init.uniform_(Parameter(np.empty(out_channels, "float32")), -bound, bound) if bias else None
        )

    def forward(self, input):
        return conv2d(input, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self):
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        )
        if self.padding not in ((0, 0), "valid"):
            text += f", padding={self.padding!r}"
        return text + ("" if self.bias is not None else ", bias=False")


__all__ = ["Conv2d"]
