"""Normalisation layers: ``BatchNorm1d``, ``BatchNorm2d``, ``LayerNorm``.

Both normalise ``x̂ = (x - μ) / √(σ² + ε)`` and then scale and shift with
learned ``γ`` (``weight``, starts at 1) and ``β`` (``bias``, starts at 0):
``y = γ x̂ + β``. Batch norm takes ``μ, σ²`` over the mini-batch (per
channel) while training and from running averages at test time; layer norm
takes them per example, over the features.
"""

import numpy as np

from . import functional as F
from .module import Module, Parameter


class _BatchNorm(Module):
    """Shared code of ``BatchNorm1d`` and ``BatchNorm2d`` (channels on axis 1).

    Buffers (PyTorch's names): ``running_mean`` (starts at 0),
    ``running_var`` (starts at 1), ``num_batches_tracked``; each training
    step moves the running statistics by ``momentum`` towards the batch's.
    """

    expected_ndim = ()

    def __init__(
        self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, dtype=np.float32
    ):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = Parameter(np.ones(num_features, dtype=dtype))
            self.bias = Parameter(np.zeros(num_features, dtype=dtype))
        else:
            self.weight = self.bias = None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        else:
            self.running_mean = self.running_var = None

    def forward(self, x):
        if x.ndim not in self.expected_ndim:
            raise ValueError(
                f"{type(self).__name__} expects {' or '.join(map(str, self.expected_ndim))}-D "
                f"input, got shape {x.shape}"
            )
        if self.training and self.track_running_stats:
            self.num_batches_tracked.data = self.num_batches_tracked.data + 1
        return F.batch_norm(
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            training=self.training or not self.track_running_stats,
            momentum=self.momentum,
            eps=self.eps,
        )

    def extra_repr(self):
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}"


class BatchNorm1d(_BatchNorm):
    """Batch norm of ``(N, C)`` or ``(N, C, L)`` inputs, per feature ``C``."""

    expected_ndim = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch norm of images ``(N, C, H, W)``, per channel ``C``."""

    expected_ndim = (4,)


class LayerNorm(Module):
    """Layer norm over the last dimensions ``normalized_shape`` of each example."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, dtype=np.float32):
        super().__init__()
        self.normalized_shape = (
            (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        )
        self.eps = eps
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=dtype))
            self.bias = Parameter(np.zeros(self.normalized_shape, dtype=dtype))
        else:
            self.weight = self.bias = None

    def forward(self, x):
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.normalized_shape}, eps={self.eps}"
