"""Pizarra: the models of a neural-networks course in plain, readable NumPy.

The same code runs in CPython (training, tests) and in Pyodide (the site).
The API mirrors PyTorch's names, shapes and parameter layouts::

    import pizarra
    from pizarra import nn, optim

    x = pizarra.tensor([[0.2, 0.9]])
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())

How the package is laid out — the engine, the library, one package per page, and the JSON adapters
the site calls — is in the repository's ``docs/ARCHITECTURE.md``. Docstrings and comments are in
English (they are code); what students read on the site is in Spanish and English.
"""

__version__ = "0.1.0"

from . import metrics, nn, optim
from .gradcheck import gradcheck
from .graph import trace
from .ops import cat, maximum, minimum, stack, where
from .rng import manual_seed
from .tensor import Tensor, no_grad, ones, rand, randn, tensor, zeros

__all__ = [
    "Tensor",
    "tensor",
    "no_grad",
    "zeros",
    "ones",
    "randn",
    "rand",
    "maximum",
    "minimum",
    "cat",
    "stack",
    "where",
    "trace",
    "gradcheck",
    "manual_seed",
    "nn",
    "optim",
    "metrics",
]
