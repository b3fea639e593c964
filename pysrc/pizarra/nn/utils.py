"""Gradient utilities: ``clip_grad_norm_`` (the remedy for exploding gradients)."""

import numpy as np

from ..tensor import Tensor


def clip_grad_norm_(parameters, max_norm, norm_type=2.0):
    """Rescale all gradients together so that their joint norm is at most ``max_norm``.

    ``‖g‖ = (Σ_θ Σ_i |g_i|^p)^(1/p)`` over every parameter's gradient; when
    ``‖g‖ > max_norm`` each gradient becomes ``g · max_norm / (‖g‖ + 1e-6)``
    (the direction is kept). Returns the norm before clipping, as PyTorch.
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p for p in parameters if p.grad is not None]
    if norm_type == np.inf:
        total = max((float(np.max(np.abs(p.grad))) for p in grads), default=0.0)
    else:
        total = sum(float(np.sum(np.abs(p.grad) ** norm_type)) for p in grads) ** (1.0 / norm_type)
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        for p in grads:
            p.grad = p.grad * np.asarray(coef, dtype=p.grad.dtype)
    return Tensor(np.float32(total))
