"""A small BERT-style transformer encoder trained by masked language modelling (course, section 4).

Input and layers (post-norm, as the original transformer and BERT)::

    X_0[t] = LayerNorm(E[w_t] + P[t])                   token + position embeddings
    X_l    = TransformerEncoderLayer_l(X_{l-1})          for l = 1 … layers, each with
             Q = X W^Q, K = X W^K, V = X W^V,  Z_h = softmax(Q_h K_hᵀ / √d_k) V_h  per head h,
             X = LayerNorm(X + concat(Z_1 … Z_heads) W^O),  X = LayerNorm(X + FFN(X))
    ŷ_t    = softmax(W_o X_layers[t] + b_o)              a guess for the word at position t

Training (Devlin et al. 2019): 15% of the words of each sentence are chosen; of those, 80%
become ``[MASK]``, 10% a random word, 10% stay; the loss is the mean ``-log ŷ_t[w_t]`` over the
chosen positions only. Every position attends to every other (no causal mask): the model reads
both sides of a gap. Next-sentence prediction and segment embeddings are left out.
"""

from __future__ import annotations

import math

import numpy as np

from .. import nn
from ..nn import functional as F
from ..tensor import no_grad, tensor

PAD, UNK, MASK = 0, 1, 2
SPECIALS = ("<pad>", "<unk>", "[MASK]")
MASK_SHARE = 0.15


class MaskedLanguageModel(nn.Module):
    """Token and position embeddings, ``num_layers`` :class:`~pizarra.nn.TransformerEncoderLayer`
    (batch first), and a linear layer to the vocabulary."""

    def __init__(
        self,
        vocab_size: int,
        d_model: int = 64,
        nhead: int = 4,
        num_layers: int = 2,
        dim_feedforward: int = 128,
        max_length: int = 32,
        dropout: float = 0.1,
    ):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.position = nn.Embedding(max_length, d_model)
        self.norm = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(
            [
                nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, batch_first=True)
                for _ in range(num_layers)
            ]
        )
        self.out = nn.Linear(d_model, vocab_size)
        self.max_length = max_length

    def embed(self, ids):
        """``X_0 = LayerNorm(E[w] + P[t])`` for ids ``(N, T)``."""
        ids = np.asarray(ids)
        return self.dropout(self.norm(self.embedding(ids) + self.position(np.arange(ids.shape[1]))))

    def forward(self, ids):
        """Hidden states ``(N, T, d_model)`` of the last layer; padding is hidden from attention."""
        padding = np.asarray(ids) == PAD
        x = self.embed(ids)
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=padding)
        return x


def choose_masks(ids: np.ndarray, generator: np.random.Generator, vocab_size: int, share: float = MASK_SHARE):
    """BERT's corruption of a batch ``ids (N, T)``: returns ``(inputs, targets)`` where ``targets``
    is ``PAD`` except at the chosen positions (``share`` of each sentence's words, at least one;
    never ``<unk>``), and ``inputs`` has those positions 80% ``[MASK]``, 10% random, 10% unchanged."""
    ids = np.asarray(ids)
    candidates = (ids != PAD) & (ids != UNK)
    keys = np.where(candidates, generator.random(ids.shape), np.inf)
    count = np.maximum(1, np.round(share * candidates.sum(axis=1))).astype(np.int64)
    rank = np.argsort(np.argsort(keys, axis=1), axis=1)
    chosen = candidates & (rank < count[:, None])
    targets = np.where(chosen, ids, PAD)
    roll = generator.random(ids.shape)
    inputs = ids.copy()
    inputs[chosen & (roll < 0.8)] = MASK
    random_words = chosen & (roll >= 0.8) & (roll < 0.9)
    inputs[random_words] = generator.integers(len(SPECIALS), vocab_size, size=int(random_words.sum()))
    return inputs, targets


def loss(model: MaskedLanguageModel, inputs, targets):
    """Mean cross-entropy over the masked positions only (the output layer runs only there)."""
    hidden = model(inputs)
    rows, cols = np.nonzero(np.asarray(targets) != PAD)
    logits = model.out(hidden[rows, cols])
    return F.cross_entropy(logits, np.asarray(targets)[rows, cols])


@no_grad()
def predict(model: MaskedLanguageModel, ids: np.ndarray) -> np.ndarray:
    """``ŷ_t`` ``(N, T, V)``: the probability of every word at every position."""
    model.eval()
    return F.softmax(model.out(model(tensor(np.asarray(ids)))), dim=-1).numpy()


@no_grad()
def attention_details(model: MaskedLanguageModel, ids: np.ndarray) -> list[dict]:
    """Per layer, for one sentence ``ids (T,)``: the layer's input ``X`` and per head ``Q, K, V``
    ``(heads, T, d_k)``, ``scores = Q Kᵀ / √d_k`` and ``weights = softmax(scores)`` ``(heads, T, T)``,
    computed from the layer's parameters by the formulas; ``Z`` ``(T, d_model)`` is
    ``concat(Z_h) W^O + b^O``, the attention's output."""
    model.eval()
    x = model.embed(np.asarray(ids)[None])
    layers = []
    for layer in model.layers:
        attention = layer.self_attn
        X = x.numpy()[0]
        E, heads = attention.embed_dim, attention.num_heads
        d_k = E // heads
        W, b = attention.in_proj_weight.numpy(), attention.in_proj_bias.numpy()
        Q, K, V = (
            (X @ W[k * E : (k + 1) * E].T + b[k * E : (k + 1) * E]).reshape(-1, heads, d_k).transpose(1, 0, 2)
            for k in range(3)
        )
        scores = Q @ K.transpose(0, 2, 1) / math.sqrt(d_k)
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights /= weights.sum(axis=-1, keepdims=True)
        Z = (weights @ V).transpose(1, 0, 2).reshape(
            -1, E
        ) @ attention.out_proj.weight.numpy().T + attention.out_proj.bias.numpy()
        layers.append({"X": X, "Q": Q, "K": K, "V": V, "scores": scores, "weights": weights, "Z": Z})
        x = layer(x)
    return layers
