"""Activation modules (see :mod:`pizarra.nn.functional` for the formulas)."""

from . import functional as F
from .module import Module


class ReLU(Module):
    """``max(0, x)``."""

    def forward(self, x):
        return F.relu(x)


class Tanh(Module):
    """``tanh(x)``."""

    def forward(self, x):
        return F.tanh(x)


class Sigmoid(Module):
    """``σ(x) = 1 / (1 + e^(-x))``."""

    def forward(self, x):
        return F.sigmoid(x)


class LeakyReLU(Module):
    """``x`` if ``x > 0`` else ``negative_slope · x`` (default 0.01)."""

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class ELU(Module):
    """``x`` if ``x > 0`` else ``α (e^x - 1)``."""

    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, x):
        return F.elu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class Softmax(Module):
    """``ŷ = softmax(o)`` along ``dim``."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.softmax(x, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """``log softmax(o)`` along ``dim`` (pair it with ``NLLLoss``)."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.log_softmax(x, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"
