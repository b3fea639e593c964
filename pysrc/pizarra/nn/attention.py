"""Attention (course, section 4): ``MultiheadAttention`` (Vaswani et al. 2017)
and ``AdditiveAttention`` (Bahdanau et al. 2014).

Both compute, for every query ``i``, weights over the keys ``j`` and a
weighted sum of the values::

    w_ij = softmax_j(s_ij)          c_i = Σ_j w_ij v_j

and differ in the score ``s_ij``: a scaled dot product ``q_i·k_j / √d_k``,
or a small network ``vᵀ tanh(W_q q_i + W_k k_j)``. The single-head
dot-product form is ``nn.functional.scaled_dot_product_attention``.

Masks follow PyTorch: a boolean mask is ``True`` where attention is *not*
allowed; a float mask is added to the scores (``-inf`` forbids).
"""

import numpy as np

from ..tensor import Tensor
from . import functional as F
from . import init
from .linear import Linear
from .module import Module, Parameter


def _additive(mask, dtype):
    """A boolean or float mask (array or tensor) as an array added to scores."""
    mask = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
    if mask.dtype == bool:
        return np.where(mask, -np.inf, 0.0).astype(dtype)
    return mask.astype(dtype, copy=False)


class MultiheadAttention(Module):
    """Multi-head attention, as ``torch.nn.MultiheadAttention``::

        Q = X_q W^Q,  K = X_k W^K,  V = X_v W^V      (plus biases)
        Z_h = softmax(Q_h K_hᵀ / √d_k) V_h           for each head h, d_k = E / heads
        output = concat(Z_1, …, Z_heads) W^O + b^O

    Parameters in PyTorch's layout: ``in_proj_weight (3E, E)`` holds
    ``W^Q, W^K, W^V`` stacked (each as ``(out, in)``, so ``Q = X_q W^Qᵀ`` in
    code), ``in_proj_bias (3E,)``, and ``out_proj`` an ``nn.Linear(E, E)``.

    ``query (L, N, E)``, ``key``/``value (S, N, E)`` (``(N, L, E)`` with
    ``batch_first=True``; or ``(L, E)`` unbatched). ``key_padding_mask (N, S)``
    hides padded keys; ``attn_mask (L, S)`` or ``(N·heads, L, S)`` hides pairs
    (e.g. the future, for a decoder). Returns ``(output, weights)`` with
    ``weights (N, L, S)`` averaged over heads (``(N, heads, L, S)`` when
    ``average_attn_weights=False``; ``None`` when ``need_weights=False``).
    Dropout acts on the attention weights during training (the weights
    returned are those before dropout).
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, batch_first=False):
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.dropout, self.batch_first = dropout, batch_first
        # PyTorch's initialisation: Xavier-uniform projections, zero biases.
        self.in_proj_weight = init.xavier_uniform_(Parameter(np.empty((3 * embed_dim, embed_dim), "float32")))
        self.in_proj_bias = Parameter(np.zeros(3 * embed_dim, "float32")) if bias else None
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias)
        if bias:
            init.zeros_(self.out_proj.bias)

    def forward(
        self,
        query,
        key,
        value,
        key_padding_mask=None,
        need_weights=True,
        attn_mask=None,
        average_attn_weights=True,
    ):
        batched = query.ndim == 3
        if not batched:
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = _additive(key_padding_mask, query.dtype)[None]
        elif self.batch_first:
            query, key, value = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
        target, batch, embed = query.shape
        source = key.shape[0]
        heads, head_dim = self.num_heads, self.head_dim

        def project(x, k):
            """Rows ``k·E:(k+1)·E`` of the input projection (k = 0 Q, 1 K, 2 V)."""
            rows = slice(k * embed, (k + 1) * embed)
            out = x @ self.in_proj_weight[rows].T
            return out if self.in_proj_bias is None else out + self.in_proj_bias[rows]

        def split_heads(x):
            """``(T, N, E) -> (N, heads, T, d_k)``: head h holds features h·d_k … (h+1)·d_k."""
            return x.reshape(x.shape[0], batch, heads, head_dim).permute(1, 2, 0, 3)

        q, k, v = (split_heads(project(x, i)) for i, x in enumerate((query, key, value)))
        mask = np.zeros((1, 1, 1, 1), query.dtype)  # added to the scores (N, heads, L, S)
        if attn_mask is not None:
            extra = _additive(attn_mask, query.dtype)
            mask = mask + (extra if extra.ndim == 2 else extra.reshape(batch, heads, target, source))
        if key_padding_mask is not None:
            mask = mask + _additive(key_padding_mask, query.dtype)[:, None, None, :]
        z, weights = F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0, need_weights=True
        )
        z = z.permute(2, 0, 1, 3).reshape(target, batch, embed)  # heads concatenated
        output = self.out_proj(z)

        if batched and self.batch_first:
            output = output.transpose(0, 1)
        if not need_weights:
            weights = None
        elif average_attn_weights:
            weights = weights.mean(dim=1)
        if not batched:
            output = output.squeeze(1)
            weights = None if weights is None else weights.squeeze(0)
        return output, weights

    def extra_repr(self):
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"


class AdditiveAttention(Module):
    """Bahdanau (additive) attention, the course's encoder–decoder attention::

        s_ij = vᵀ tanh(W_q hd_i + W_k h_j)      = vᵀ tanh(W [hd_i; h_j]),  W = [W_q  W_k]
        w_ij = softmax_j(s_ij)
        c_i  = Σ_j w_ij h_j

    ``hd_i`` is the decoder state (the query), ``h_j`` the encoder states
    (the keys, and also the values unless ``values`` is given). Batch first:
    ``query (N, L, query_size)`` or a single step ``(N, query_size)``,
    ``keys (N, S, key_size)``, ``values (N, S, d_v)``; ``key_padding_mask (N, S)``
    is ``True`` at padding. Returns ``(context, weights)``: ``(N, L, d_v)`` and
    ``(N, L, S)`` (without the ``L`` axis for a single step). The weight
    matrix is the soft alignment between target and source words.
    """

    def __init__(self, query_size, key_size, hidden_size):
        super().__init__()
        self.W_q = Linear(query_size, hidden_size, bias=False)
        self.W_k = Linear(key_size, hidden_size, bias=False)
        self.v = Linear(hidden_size, 1, bias=False)

    def scores(self, query, keys):
        """The scores ``s_ij = vᵀ tanh(W_q hd_i + W_k h_j)``: ``(N, L, S)`` for ``query (N, L, ·)``."""
        # (N, L, 1, A) + (N, 1, S, A): every pair (i, j), then vᵀ tanh(·) -> (N, L, S)
        hidden = (self.W_q(query).unsqueeze(2) + self.W_k(keys).unsqueeze(1)).tanh()
        return self.v(hidden).squeeze(-1)

    def forward(self, query, keys, values=None, key_padding_mask=None):
        values = keys if values is None else values
        single_step = query.ndim == 2
        if single_step:
            query = query.unsqueeze(1)
        scores = self.scores(query, keys)
        if key_padding_mask is not None:
            scores = scores + _additive(key_padding_mask, scores.dtype)[:, None, :]
        weights = scores.softmax(dim=-1)
        context = weights @ values
        if single_step:
            return context.squeeze(1), weights.squeeze(1)
        return context, weights


__all__ = ["MultiheadAttention", "AdditiveAttention"]
