"""Dense layers and friends: ``Linear``, ``Embedding``, ``Dropout``, ``Flatten``, ``Identity``."""

import math

import numpy as np

from . import functional as F
from . import init
from .module import Module, Parameter


class Linear(Module):
    """Fully connected layer ``y = x Wᵀ + b``.

    ``weight``: ``(out_features, in_features)``, ``bias``: ``(out_features,)``.
    PyTorch's initialisation: every entry ``U[-1/√d_in, 1/√d_in]``
    (``kaiming_uniform_`` with ``a = √5``).
    """

    def __init__(self, in_features, out_features, bias=True, dtype=np.float32):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if bias:
            bound = 1 / math.sqrt(in_features) if in_features > 0 else 0
            self.bias = Parameter(np.empty(out_features, dtype=dtype))
            init.uniform_(self.bias, -bound, bound)
        else:
            self.bias = None

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
        )


class Embedding(Module):
    """A lookup table: row ``i`` of ``weight`` ``(num_embeddings, embedding_dim)``
    is the vector of token ``i``; initialised ``N(0, 1)`` as PyTorch.

    Equivalent to multiplying a one-hot vector by ``weight``; only the rows
    that were looked up receive gradient. The ``padding_idx`` row starts at
    zero and never receives gradient.
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, dtype=np.float32):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = None if padding_idx is None else padding_idx % num_embeddings
        self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight.data[self.padding_idx] = 0

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx)

    def extra_repr(self):
        return f"{self.num_embeddings}, {self.embedding_dim}"


class Dropout(Module):
    """While training zero each unit with probability ``p`` and scale the rest
    by ``1/(1-p)``; the identity in ``eval()`` mode."""

    def __init__(self, p=0.5):
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}"


class Flatten(Module):
    """Joins dimensions ``start_dim..end_dim`` (by default all but the batch)."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        return x.flatten(self.start_dim, self.end_dim)


class Identity(Module):
    """Returns its input (a placeholder layer)."""

    def forward(self, x):
        return x
