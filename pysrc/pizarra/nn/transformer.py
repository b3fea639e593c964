"""The transformer's encoder and decoder layers (course, section 4; Vaswani et al. 2017)."""

import numpy as np

from . import functional as F
from .attention import MultiheadAttention
from .linear import Dropout, Linear
from .module import Module
from .normalization import LayerNorm


def activation_function(activation):
    """The feed-forward network's activation: a function, or the name of one in
    :mod:`pizarra.nn.functional` (``"relu"``, ``"gelu"``, …), as PyTorch's layers take it."""
    if not isinstance(activation, str):
        return activation
    if not hasattr(F, activation):
        raise ValueError(f"unknown activation {activation!r}")
    return getattr(F, activation)


class TransformerEncoderLayer(Module):
    """Self-attention and a position-wise feed-forward network, each wrapped
    in a residual connection and layer norm, as ``torch.nn.TransformerEncoderLayer``::

        Z = MultiheadAttention(X, X, X)          softmax(Q Kᵀ / √d_k) V per head
        X = LayerNorm(X + Z)                     norm1
        X = LayerNorm(X + W_2 relu(W_1 X + b_1) + b_2)    norm2; W_1 = linear1, W_2 = linear2

    With ``norm_first=True`` (the "pre-norm" variant) the norms move inside
    the residual branches: ``X = X + Z(LayerNorm(X))`` and likewise for the
    feed-forward part. Dropout (rate ``dropout``) is applied to the attention
    weights, after the activation and on each branch before it is added.

    ``src (S, N, d_model)``, or ``(N, S, d_model)`` with ``batch_first=True``;
    ``src_mask (S, S)`` and ``src_key_padding_mask (N, S)`` as in
    :class:`MultiheadAttention`. Submodule names are PyTorch's, so a
    ``state_dict`` moves between the two.
    """

    def __init__(
        self,
        d_model,
        nhead,
        dim_feedforward=2048,
        dropout=0.1,
        activation="relu",
        layer_norm_eps=1e-5,
        batch_first=False,
        norm_first=False,
        bias=True,
    ):
        super().__init__()
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.activation = activation_function(activation)

    def forward(self, src, src_mask=None, src_key_padding_mask=None):
        x = src
        if self.norm_first:
            x = x + self._self_attention(self.norm1(x), src_mask, src_key_padding_mask)
            x = x + self._feed_forward(self.norm2(x))
        else:
            x = self.norm1(x + self._self_attention(x, src_mask, src_key_padding_mask))
            x = self.norm2(x + self._feed_forward(x))
        return x

    def _self_attention(self, x, attn_mask, key_padding_mask):
        z, _ = self.self_attn(
            x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False
        )
        return self.dropout1(z)

    def _feed_forward(self, x):
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerDecoderLayer(Module):
    """Masked self-attention over the target so far, attention over the encoder's output (the
    "cross-attention" that aligns target and source words) and a feed-forward network, each in a
    residual connection with layer norm, as ``torch.nn.TransformerDecoderLayer``::

        X = LayerNorm(X + SelfAttention(X, X, X, causal mask))        norm1: position i sees 1 … i
        X = LayerNorm(X + CrossAttention(X, M, M))                     norm2: Q from the target,
                                                                       K and V from the memory M
        X = LayerNorm(X + W_2 relu(W_1 X + b_1) + b_2)                 norm3

    (``norm_first=True`` moves each norm inside its branch, as in the encoder layer.)
    ``tgt (N, L, d_model)`` and ``memory (N, S, d_model)`` with ``batch_first=True``; the masks as
    in :class:`MultiheadAttention`. :meth:`forward` returns the new ``X``;
    :meth:`forward_with_weights` also returns the cross-attention weights of every head
    ``(N, heads, L, S)``, which PyTorch's layer does not expose.
    """

    def __init__(
        self,
        d_model,
        nhead,
        dim_feedforward=2048,
        dropout=0.1,
        activation="relu",
        layer_norm_eps=1e-5,
        batch_first=False,
        norm_first=False,
        bias=True,
    ):
        super().__init__()
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first
        )
        self.multihead_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.dropout3 = Dropout(dropout)
        self.activation = activation_function(activation)

    def forward(
        self,
        tgt,
        memory,
        tgt_mask=None,
        memory_mask=None,
        tgt_key_padding_mask=None,
        memory_key_padding_mask=None,
    ):
        return self.forward_with_weights(
            tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask
        )[0]

    def forward_with_weights(
        self,
        tgt,
        memory,
        tgt_mask=None,
        memory_mask=None,
        tgt_key_padding_mask=None,
        memory_key_padding_mask=None,
    ):
        x = tgt
        if self.norm_first:
            x = x + self._self_attention(self.norm1(x), tgt_mask, tgt_key_padding_mask)
            z, weights = self._cross_attention(self.norm2(x), memory, memory_mask, memory_key_padding_mask)
            x = x + z
            x = x + self._feed_forward(self.norm3(x))
        else:
            x = self.norm1(x + self._self_attention(x, tgt_mask, tgt_key_padding_mask))
            z, weights = self._cross_attention(x, memory, memory_mask, memory_key_padding_mask)
            x = self.norm2(x + z)
            x = self.norm3(x + self._feed_forward(x))
        return x, weights

    def _self_attention(self, x, attn_mask, key_padding_mask):
        z, _ = self.self_attn(
            x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False
        )
        return self.dropout1(z)

    def _cross_attention(self, x, memory, attn_mask, key_padding_mask):
        z, weights = self.multihead_attn(
            x,
            memory,
            memory,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            average_attn_weights=False,
        )
        return self.dropout2(z), weights

    def _feed_forward(self, x):
        return self.dropout3(self.linear2(self.dropout(self.activation(self.linear1(x)))))


def causal_mask(length: int):
    """``(L, L)`` boolean mask, ``True`` above the diagonal: position ``i`` may attend to ``j ≤ i``
    only (``torch.nn.Transformer.generate_square_subsequent_mask``, as booleans)."""
    return np.triu(np.ones((length, length), dtype=bool), k=1)


__all__ = ["TransformerEncoderLayer", "TransformerDecoderLayer", "causal_mask"]
