"""Pizarra: the models of a neural-networks course in plain, readable NumPy.

The same code runs in CPython (training, tests) and in Pyodide (the site).
The API mirrors PyTorch's names, shapes and parameter layouts::

    import pizarra
    from pizarra import nn, optim

    x = pizarra.tensor([[0.2, 0.9]])
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
"""

__version__ = "0.1.0"

from .tensor import Tensor, tensor, no_grad, zeros, ones, randn, rand
from .ops import maximum, minimum, cat, stack, where
from .graph import trace
from .gradcheck import gradcheck
from .rng import manual_seed
from . import metrics, nn, optim

__all__ = ["Tensor", "tensor", "no_grad", "zeros", "ones", "randn", "rand",
           "maximum", "minimum", "cat", "stack", "where", "trace", "gradcheck",
           "manual_seed", "nn", "optim", "metrics"]
