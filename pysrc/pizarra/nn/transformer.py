"""The transformer encoder layer (course, section 4; Vaswani et al. 2017)."""

from . import functional as F
from .attention import MultiheadAttention
from .linear import Dropout, Linear
from .module import Module
from .normalization import LayerNorm


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

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                            batch_first=batch_first)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        if isinstance(activation, str):
            if not hasattr(F, activation):
                raise ValueError(f"unknown activation {activation!r}")
            activation = getattr(F, activation)
        self.activation = activation

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
        z, _ = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                              need_weights=False)
        return self.dropout1(z)

    def _feed_forward(self, x):
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))


__all__ = ["TransformerEncoderLayer"]
