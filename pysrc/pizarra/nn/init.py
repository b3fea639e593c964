"""Weight initialisation, in place, with PyTorch's names and formulas.

With ``fan_in = d_in`` and ``fan_out = d_out`` (for a convolution weight
``(C_out, C_in, kH, kW)``: ``fan_in = C_in·kH·kW``, ``fan_out = C_out·kH·kW``):

- Xavier/Glorot uniform: ``U[-a, a]``, ``a = gain · √6 / √(d_in + d_out)``
- Xavier/Glorot normal: ``N(0, std²)``, ``std = gain · √2 / √(d_in + d_out)``
- He/Kaiming normal: ``N(0, std²)``, ``std = gain / √fan`` (``gain = √2`` for
  ReLU gives the course's ``N(0, 2/d_in)``)
- He/Kaiming uniform: ``U[-b, b]``, ``b = gain · √3 / √fan``

Random draws come from the shared generator (``pizarra.manual_seed``). Inside :func:`skip_init`
nothing is drawn (PyTorch's ``torch.nn.utils.skip_init``): for modules whose weights are loaded next.
"""

import contextlib
import math

import numpy as np

from .. import rng


def calculate_gain(nonlinearity, param=None):
    """PyTorch's recommended gains: 1 (linear, sigmoid), 5/3 (tanh), √2 (relu),
    √(2 / (1 + slope²)) (leaky_relu, default slope 0.01)."""
    if nonlinearity in ("linear", "identity", "sigmoid", "conv1d", "conv2d"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    raise ValueError(f"unsupported nonlinearity {nonlinearity!r}")


def _calculate_fan_in_and_fan_out(tensor):
    if tensor.ndim < 2:
        raise ValueError("fan in and fan out need a tensor with at least 2 dimensions")
    receptive_field = int(np.prod(tensor.shape[2:]))
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


_skipping = []  # non-empty inside skip_init()


@contextlib.contextmanager
def skip_init():
    """Modules built inside draw no initial values (their parameters hold zeros) and leave the shared
    generator as it was: for weights loaded right after, where the draws would cost more than the
    load (a 10 000-word model's embedding and decoder)."""
    _skipping.append(True)
    try:
        yield
    finally:
        _skipping.pop()


def _fill(tensor, values):
    tensor.data = np.asarray(values, dtype=tensor.dtype).reshape(tensor.shape)
    return tensor


def _draw(tensor, draw):
    return _fill(tensor, np.zeros(tensor.shape, tensor.dtype) if _skipping else draw(rng.generator()))


def uniform_(tensor, a=0.0, b=1.0):
    """``U[a, b]``."""
    return _draw(tensor, lambda generator: generator.uniform(a, b, tensor.shape))


def normal_(tensor, mean=0.0, std=1.0):
    """``N(mean, std²)``."""
    return _draw(tensor, lambda generator: generator.normal(mean, std, tensor.shape))


def constant_(tensor, value):
    return _fill(tensor, np.full(tensor.shape, value))


def zeros_(tensor):
    return constant_(tensor, 0.0)


def ones_(tensor):
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor, gain=1.0):
    """``U[-a, a]`` with ``a = gain · √6 / √(d_in + d_out)``."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound)


def xavier_normal_(tensor, gain=1.0):
    """``N(0, std²)`` with ``std = gain · √2 / √(d_in + d_out)``."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def _kaiming_std(tensor, a, mode, nonlinearity):
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    """``N(0, std²)``, ``std = gain / √fan``; with the defaults (``a = 0``)
    ``gain = √2``: He's ``N(0, 2/d_in)``."""
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity))


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    """``U[-b, b]``, ``b = √3 · gain / √fan`` (same variance as kaiming_normal_)."""
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound)
