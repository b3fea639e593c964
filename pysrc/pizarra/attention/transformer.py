"""A small Transformer encoder–decoder translator (course, section 4; Vaswani et al. 2017), the
fourth variant beside the recurrent ones: no recurrence, attention everywhere.

Source pieces ``x_1 … x_S`` and target pieces so far ``y_0 = <s>, y_1 … y_{i-1}``::

    X_0[j] = √d · E_s[x_j] + P_s[j]                  token embedding (scaled) + learned position
    X_l    = EncoderLayer_l(X_{l-1})                  self-attention over the whole source, then FFN
    M      = X_L                                      the memory: one vector per source piece
    Y_0[i] = √d · E_t[y_i] + P_t[i]
    Y_l    = DecoderLayer_l(Y_{l-1}, M)               masked self-attention (position i sees 0 … i),
                                                      cross-attention Q = Y W^Q, K = M W^K, V = M W^V:
                                                      w_ij = softmax_j(q_i · k_j / √d_k) per head,
                                                      then FFN — each with a residual and layer norm
    ŷ_i    = softmax(W_o Y_L[i] + b_o)               the next target piece

The cross-attention weights ``w_ij`` of every layer and head are the soft alignment the page
draws, as the recurrent variants' ``w_ij``.
"""

from __future__ import annotations

import math

import numpy as np

from .. import nn
from ..ops import stack
from ..tensor import tensor
from .translator import PAD


class TransformerTranslator(nn.Module):
    """``TransformerTranslator(source_vocab_size, target_vocab_size, d_model=128, nhead=4,
    num_layers=2, dim_feedforward=512, dropout=0.1, max_length=64)``: ``num_layers`` encoder and
    ``num_layers`` decoder layers (:class:`pizarra.nn.TransformerEncoderLayer`,
    :class:`pizarra.nn.TransformerDecoderLayer`, post-norm, batch first)."""

    attention = "transformer"

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        d_model: int = 128,
        nhead: int = 4,
        num_layers: int = 2,
        dim_feedforward: int = 512,
        dropout: float = 0.1,
        max_length: int = 64,
    ):
        super().__init__()
        self.d_model, self.max_length = d_model, max_length
        self.source_embedding = nn.Embedding(source_vocab_size, d_model, padding_idx=PAD)
        self.target_embedding = nn.Embedding(target_vocab_size, d_model, padding_idx=PAD)
        self.source_position = nn.Embedding(max_length, d_model)
        self.target_position = nn.Embedding(max_length, d_model)
        self.dropout = nn.Dropout(dropout)
        self.encoder_layers = nn.ModuleList(
            [
                nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, batch_first=True)
                for _ in range(num_layers)
            ]
        )
        self.decoder_layers = nn.ModuleList(
            [
                nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout, batch_first=True)
                for _ in range(num_layers)
            ]
        )
        self.out = nn.Linear(d_model, target_vocab_size)

    def _embed(self, embedding, position, ids):
        ids = np.asarray(ids)
        if ids.shape[1] > self.max_length:
            raise ValueError(f"at most {self.max_length} pieces, got {ids.shape[1]}")
        return self.dropout(embedding(ids) * math.sqrt(self.d_model) + position(np.arange(ids.shape[1])))

    def encode(self, source, lengths):
        """``(memory (N, S, d), padding (N, S))`` for right-padded source ids."""
        source = source.numpy() if hasattr(source, "numpy") else np.asarray(source)
        padding = np.arange(source.shape[1])[None, :] >= np.asarray(lengths)[:, None]
        x = self._embed(self.source_embedding, self.source_position, source)
        for layer in self.encoder_layers:
            x = layer(x, src_key_padding_mask=padding)
        return x, padding

    def decode(self, previous, memory, padding):
        """Logits ``(N, L, V)`` for target prefixes ``previous (N, L)`` and the cross-attention
        weights ``(layers, N, heads, L, S)``."""
        y = self._embed(self.target_embedding, self.target_position, previous)
        mask = nn.causal_mask(y.shape[1])
        weights = []
        for layer in self.decoder_layers:
            y, w = layer.forward_with_weights(y, memory, tgt_mask=mask, memory_key_padding_mask=padding)
            weights.append(w)
        return self.out(y), stack(weights, dim=0)

    def forward(self, source, lengths, previous):
        """Teacher forcing: logits ``(N, T, V)`` for every target position, and the cross-attention weights."""
        memory, padding = self.encode(source, lengths)
        return self.decode(previous, memory, padding)

    def session(self, sources: np.ndarray, lengths) -> "TransformerSession":
        return TransformerSession(self, sources, lengths)


class TransformerSession:
    """Decoding one piece at a time (see :mod:`.decoding`): the memory once, then each step runs
    the decoder over the whole prefix (short sentences: simpler than caching keys and values)."""

    def __init__(self, model: TransformerTranslator, sources: np.ndarray, lengths):
        self.model = model
        self.memory, self.padding = model.encode(tensor(sources), lengths)
        self.prefix = np.zeros((len(sources), 0), np.int64)

    def step(self, previous: np.ndarray) -> dict:
        """Feed ``previous (B,)``: the log-probabilities of the next piece ``(B, V)``, the attention
        over the source ``(B, S)`` (the last layer's, averaged over heads: what coverage counts)
        and every layer's and head's ``(B, layers, heads, S)``."""
        self.prefix = np.concatenate([self.prefix, np.asarray(previous, np.int64)[:, None]], axis=1)
        logits, weights = self.model.decode(self.prefix, self.memory, self.padding)
        heads = weights.numpy()[:, :, :, -1].transpose(1, 0, 2, 3)  # (B, layers, heads, S)
        return {"logits": logits.numpy()[:, -1], "attention": heads[:, -1].mean(axis=1), "heads": heads}

    def reorder(self, rows: np.ndarray) -> None:
        """Keep (and repeat) the given rows: the partial translations a beam goes on with."""
        self.prefix = self.prefix[rows]
        self.memory = tensor(self.memory.numpy()[rows])
        self.padding = self.padding[rows]
