"""Activations, losses and layer functions, as ``torch.nn.functional`` (``F``).

Notation of the course: ``x`` input, ``o`` output scores (logits),
``ŷ = softmax(o)``, ``σ`` the logistic sigmoid, ``y`` the target.

Activations
    sigmoid ``σ(x) = 1/(1+e^(-x))``, tanh, relu ``max(0, x)``,
    leaky_relu ``x`` or ``0.01·x``, elu ``x`` or ``α(e^x - 1)``,
    softmax ``e^(o_i) / Σ_j e^(o_j)``, log_softmax, softplus ``log(1 + e^x)``
Losses (``reduction`` = ``"mean"`` | ``"sum"`` | ``"none"``)
    mse_loss ``mean (ŷ - y)²``
    binary_cross_entropy ``-[y log ŷ + (1-y) log(1-ŷ)]`` on probabilities ``ŷ = σ(o)``
    binary_cross_entropy_with_logits, the same on logits ``o`` (stable; one
    sigmoid per label, so it is also the multi-label loss)
    nll_loss ``-log ŷ[y]`` on log-probabilities
    cross_entropy ``-log softmax(o)[y]`` = nll_loss(log_softmax(o))
Layers
    linear ``x Wᵀ + b``, dropout, batch_norm, layer_norm, embedding,
    scaled_dot_product_attention ``softmax(Q Kᵀ/√d_k) V``; ``conv2d``,
    ``max_pool2d``, ``avg_pool2d`` come from :mod:`pizarra.conv_ops`.
"""

import math

import numpy as np

from .. import ops, rng
from ..conv_ops import avg_pool2d, conv2d, max_pool2d  # noqa: F401  (re-exported)
from ..tensor import Tensor

# --- activations ------------------------------------------------------------------------


def sigmoid(input):
    """``σ(x) = 1 / (1 + e^(-x))``; ``σ' = σ(1 - σ)``."""
    return ops.Sigmoid.apply(input)


def tanh(input):
    """``tanh(x)``; ``tanh' = 1 - tanh²``."""
    return ops.Tanh.apply(input)


def relu(input):
    """``max(0, x)``."""
    return ops.ReLU.apply(input)


def leaky_relu(input, negative_slope=0.01):
    """``x`` if ``x > 0`` else ``negative_slope · x``."""
    return ops.LeakyReLU.apply(input, negative_slope=negative_slope)


def elu(input, alpha=1.0):
    """``x`` if ``x > 0`` else ``α (e^x - 1)``."""
    return ops.ELU.apply(input, alpha=alpha)


def softplus(input):
    """``log(1 + e^x)``, a smooth ReLU; its derivative is ``σ(x)``."""
    return ops.Softplus.apply(input)


def softmax(input, dim=-1):
    """``ŷ_i = e^(o_i) / Σ_j e^(o_j)`` along ``dim``: positive, sums to 1."""
    return ops.Softmax.apply(input, dim=dim)


def log_softmax(input, dim=-1):
    """``o_i - log Σ_j e^(o_j)`` along ``dim`` (log-sum-exp, stable)."""
    return ops.LogSoftmax.apply(input, dim=dim)


# --- losses ---------------------------------------------------------------------------------


def _reduce(losses, reduction):
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', not {reduction!r}")


def _values(target, like):
    """Targets as arrays of the input's floating dtype (they need no gradient)."""
    if isinstance(target, Tensor):
        return target if target.dtype == like.dtype else target.detach().data.astype(like.dtype)
    return np.asarray(target, dtype=like.dtype)


def mse_loss(input, target, reduction="mean"):
    """Mean squared error ``(1/n) Σ (ŷ - y)²`` (regression)."""
    return _reduce((input - _values(target, input)) ** 2, reduction)


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """``-[y log ŷ + (1-y) log(1-ŷ)]`` for probabilities ``ŷ`` (after a sigmoid).

    As in PyTorch each log is clamped at ``-100``, so ``ŷ = 0`` or ``1`` give
    a finite loss. Prefer :func:`binary_cross_entropy_with_logits` for training.
    """
    losses = ops.BinaryCrossEntropy.apply(input, _values(target, input))
    return _reduce(losses if weight is None else losses * weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean"):
    """Binary cross-entropy of ``ŷ = σ(o)`` computed from the logits ``o``.

    ``-[y log σ(o) + (1-y) log(1-σ(o))] = softplus(o) - y·o``, finite for any
    ``o``. Applied element-wise: with one column per label it is the
    multi-label loss (one sigmoid and one binary CE per label).
    """
    losses = softplus(input) - _values(target, input) * input
    return _reduce(losses if weight is None else losses * weight, reduction)


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood ``-log ŷ[y]`` of the target classes.

    ``input``: log-probabilities ``(N, C)`` or ``(N, C, d1, ...)`` (classes on
    axis 1, as PyTorch); ``target``: class indices ``(N)`` or ``(N, d1, ...)``.
    Targets equal to ``ignore_index`` (e.g. padding) contribute nothing.
    With class weights ``w``, ``"mean"`` is ``Σ w[y_i] ℓ_i / Σ w[y_i]``, as in PyTorch.
    """
    target = np.asarray(target.data if isinstance(target, Tensor) else target)
    n_classes = input.shape[1]
    if input.ndim > 2:  # classes last, then one row per prediction
        input = input.permute([0, *range(2, input.ndim), 1]).reshape(-1, n_classes)
    flat = target.reshape(-1)
    keep = flat != ignore_index
    picked = input[np.arange(flat.size), np.where(keep, flat, 0)]
    w = keep.astype(input.dtype)
    if weight is not None:
        w = w * np.asarray(weight.data if isinstance(weight, Tensor) else weight)[np.where(keep, flat, 0)]
    losses = -picked * w
    if reduction == "mean":
        return losses.sum() / w.sum()
    return _reduce(losses.reshape(target.shape), reduction)


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Multi-class cross-entropy of ``ŷ = softmax(o)``: ``-log ŷ[y] = -o_y + log Σ_j e^(o_j)``.

    Equals ``nll_loss(log_softmax(o, dim=1), y)``. ``target`` holds class
    indices (see :func:`nll_loss` for shapes, ``weight`` and ``ignore_index``)
    or, with the same shape as ``input``, class probabilities ``p``: then the
    loss is ``-Σ_c p_c log ŷ_c`` (equal to KL(p‖ŷ) plus the entropy of ``p``,
    so equal to KL for one-hot ``p``).
    """
    log_p = log_softmax(input, dim=1)
    if np.shape(target) == input.shape and np.asarray(target).dtype.kind == "f":
        return _reduce(-(log_p * _values(target, input)).sum(dim=1), reduction)
    return nll_loss(log_p, target, weight=weight, ignore_index=ignore_index, reduction=reduction)


# --- layers ----------------------------------------------------------------------------------


def linear(input, weight, bias=None):
    """``x Wᵀ + b`` with ``W`` of shape ``(out_features, in_features)``."""
    out = input @ weight.T
    return out if bias is None else out + bias


def dropout(input, p=0.5, training=True):
    """While training, zero each unit with probability ``p`` and scale the
    survivors by ``1/(1-p)`` (so the expected value is unchanged); the
    identity otherwise."""
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    keep = rng.generator().random(input.shape) >= p
    return input * (keep / (1 - p)).astype(input.dtype)


def embedding(input, weight, padding_idx=None):
    """Rows of ``weight`` picked by the integer indices ``input`` (any shape);
    positions equal to ``padding_idx`` give zeros and send no gradient."""
    index = np.asarray(input.data if isinstance(input, Tensor) else input)
    out = weight[index]
    if padding_idx is None:
        return out
    return out.masked_fill((index == padding_idx)[..., None], 0.0)


def batch_norm(
    input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5
):
    """Batch normalisation over every axis except the channels (axis 1)::

        x̂ = (x - μ_B) / √(σ²_B + ε),   y = γ x̂ + β

    While training ``μ_B``, ``σ²_B`` are the mini-batch mean and (biased)
    variance, and the running statistics (tensors, updated in place) move
    towards them: ``r ← (1 - momentum) r + momentum · stat`` (the running
    variance uses the unbiased batch variance, as PyTorch). In evaluation the
    running statistics replace the batch ones.
    """
    axes = (0, *range(2, input.ndim))
    shape = [1] * input.ndim
    shape[1] = input.shape[1]
    if training:
        mean = input.mean(axis=axes, keepdims=True)
        var = ((input - mean) ** 2).mean(axis=axes, keepdims=True)
        if running_mean is not None:
            n = input.data.size // input.shape[1]
            running_mean.data = (
                (1 - momentum) * running_mean.data + momentum * mean.data.reshape(-1)
            ).astype(running_mean.dtype)
            running_var.data = (
                (1 - momentum) * running_var.data + momentum * var.data.reshape(-1) * n / max(n - 1, 1)
            ).astype(running_var.dtype)
    else:
        mean = running_mean.data.reshape(shape).astype(input.dtype)
        var = running_var.data.reshape(shape).astype(input.dtype)
    out = (input - mean) / (var + eps) ** 0.5
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalisation: per example, over the last ``len(normalized_shape)`` axes::

    x̂ = (x - μ) / √(σ² + ε),   y = γ x̂ + β
    """
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    axes = tuple(range(input.ndim - len(normalized_shape), input.ndim))
    mean = input.mean(axis=axes, keepdims=True)
    var = ((input - mean) ** 2).mean(axis=axes, keepdims=True)
    out = (input - mean) / (var + eps) ** 0.5
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def scaled_dot_product_attention(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, need_weights=False
):
    """Attention of the transformer: ``Z = softmax(Q Kᵀ / √d_k) V``.

    ``query (..., L, d_k)``, ``key (..., S, d_k)``, ``value (..., S, d_v)``
    → ``(..., L, d_v)``. ``attn_mask`` is boolean (``True`` = may attend, as
    PyTorch) or a float tensor added to the scores; ``is_causal`` lets
    position ``i`` attend only to ``j ≤ i``. With ``need_weights=True``
    (Pizarra's addition, for drawing) returns ``(Z, weights)``.
    """
    d_k = query.shape[-1]
    scores = (query @ key.mT) * (1 / math.sqrt(d_k) if scale is None else scale)
    if is_causal:
        allowed = np.tril(np.ones((query.shape[-2], key.shape[-2]), dtype=bool))
        scores = scores.masked_fill(~allowed, -np.inf)
    if attn_mask is not None:
        mask = attn_mask.data if isinstance(attn_mask, Tensor) else np.asarray(attn_mask)
        scores = scores.masked_fill(~mask, -np.inf) if mask.dtype == bool else scores + mask
    weights = softmax(scores, dim=-1)
    out = dropout(weights, dropout_p, training=dropout_p > 0) @ value
    return (out, weights) if need_weights else out
