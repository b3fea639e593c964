"""A Spanish→English encoder–decoder with attention (course, section 4; Bahdanau et al. 2014,
Luong et al. 2015), in three variants that differ only in the context vector ``c_i``.

Encoder (bidirectional GRU over the source words ``x_1 … x_S``)::

    h→_j = GRU→(h→_{j-1}, E_s x_j)        h←_j = GRU←(h←_{j+1}, E_s x_j)
    h_j  = [h→_j ; h←_j]                  the annotation of source word j  (2·H)

Decoder (GRU over the target words so far, teacher forcing while training)::

    hd_0 = tanh(W_b [h→_S ; h←_1] + b_b)                  the sentence summary, the bottleneck
    hd_i = GRU(hd_{i-1}, E_t y_{i-1})
    s_ij = hd_i · h_j            (dot)    or   vᵀ tanh(W_q hd_i + W_k h_j)   (additive)
    w_ij = softmax_j(s_ij)                                 a soft alignment over the source
    c_i  = Σ_j w_ij h_j          (with attention)   or   c_i = [h→_S ; h←_1]  (the bottleneck)
    u_i  = [c_i ; hd_i]
    ŷ_i  = softmax(V tanh(W_u u_i + b_u) + c)              over the target vocabulary (pieces)

Without attention the decoder sees the source only through one fixed vector, the same
``c_i`` at every step: long sentences suffer. The backward GRU reads each sentence from its own
last word (as PyTorch's bidirectional GRU on packed sequences), so padding never enters a state.
"""

from __future__ import annotations

import numpy as np

from .. import nn
from ..nn import functional as F
from ..ops import cat
from ..tensor import tensor

VARIANTS = ("none", "dot", "additive")
PAD, UNK, BOS, EOS = 0, 1, 2, 3  # ids of <pad>, <unk>, <s>, </s> in both vocabularies
SOURCE_SPECIALS = ("<pad>", "<unk>")
TARGET_SPECIALS = ("<pad>", "<unk>", "<s>", "</s>")


def reversed_within_length(lengths: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays ``(rows, columns)`` that reverse each row's first ``lengths[n]`` positions and
    leave the padding where it is; applying them twice restores the order."""
    positions = np.arange(width)[None, :]
    lengths = np.asarray(lengths)[:, None]
    columns = np.where(positions < lengths, lengths - 1 - positions, positions)
    return np.arange(len(lengths))[:, None], columns


class Encoder(nn.Module):
    """``h_j = [h→_j ; h←_j]`` for every source word, and the summary ``[h→_S ; h←_1]``."""

    def __init__(self, vocab_size: int, embedding_dim: int, hidden_size: int, dropout: float = 0.0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=PAD)
        self.dropout = nn.Dropout(dropout)
        self.rnn = nn.GRU(embedding_dim, hidden_size, batch_first=True)
        self.rnn_reverse = nn.GRU(embedding_dim, hidden_size, batch_first=True)

    def forward(self, source, lengths):
        """``source (N, S)`` ids (right-padded), ``lengths (N,)`` → ``states (N, S, 2H)``, ``summary (N, 2H)``."""
        lengths = np.asarray(lengths)
        x = self.dropout(self.embedding(source))
        forward, _ = self.rnn(x)
        rows, columns = reversed_within_length(lengths, x.shape[1])
        backward, _ = self.rnn_reverse(x[rows, columns])
        backward = backward[rows, columns]
        states = cat([forward, backward], dim=2)
        summary = cat([forward[np.arange(len(lengths)), lengths - 1], backward[:, 0]], dim=1)
        return states, summary


class Decoder(nn.Module):
    """One or many decoder steps: ``hd_i``, the attention ``s_ij, w_ij, c_i``, and the logits ``o_i``."""

    def __init__(
        self,
        vocab_size: int,
        embedding_dim: int,
        hidden_size: int,
        memory_size: int,
        attention: str = "additive",
        attention_size: int = 64,
        dropout: float = 0.0,
        output_size: int | None = None,
    ):
        super().__init__()
        if attention not in VARIANTS:
            raise ValueError(f"attention must be one of {VARIANTS}, not {attention!r}")
        self.kind = attention
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=PAD)
        self.dropout = nn.Dropout(dropout)
        self.bridge = nn.Linear(memory_size, hidden_size)
        self.rnn = nn.GRU(embedding_dim, hidden_size, batch_first=True)
        if attention == "additive":
            self.attention = nn.AdditiveAttention(hidden_size, memory_size, attention_size)
        self.combine = nn.Linear(memory_size + hidden_size, output_size or hidden_size)
        self.out = nn.Linear(output_size or hidden_size, vocab_size)

    def initial_state(self, summary):
        """``hd_0 = tanh(W_b summary + b_b)`` as GRU's ``(1, N, H)``."""
        return self.bridge(summary).tanh().unsqueeze(0)

    def attend(self, hd, memory, summary, padding):
        """Scores ``(N, L, S)``, weights ``(N, L, S)`` and contexts ``(N, L, 2H)`` for decoder states
        ``hd (N, L, H)``; scores and weights are ``None`` without attention."""
        if self.kind == "none":
            return None, None, summary.unsqueeze(1).expand(hd.shape[0], hd.shape[1], summary.shape[1])
        scores = hd @ memory.mT if self.kind == "dot" else self.attention.scores(hd, memory)
        scores = scores.masked_fill(padding[:, None, :], -np.inf)
        weights = F.softmax(scores, dim=-1)
        return scores, weights, weights @ memory

    def forward(self, previous, state, memory, summary, padding):
        """``previous (N, L)`` target ids ``y_{i-1}``, ``state (1, N, H)`` = ``hd_{i-1}`` →
        a dict of ``logits (N, L, V)``, ``state``, and the step's ``hd, scores, weights, context``."""
        hd, state = self.rnn(self.dropout(self.embedding(previous)), state)
        scores, weights, context = self.attend(hd, memory, summary, padding)
        u = cat([context, hd], dim=2)
        logits = self.out(self.dropout(self.combine(u).tanh()))
        return {
            "logits": logits,
            "state": state,
            "hd": hd,
            "scores": scores,
            "weights": weights,
            "context": context,
        }


class Translator(nn.Module):
    """The encoder–decoder; ``attention`` is ``"none"`` (the bottleneck), ``"dot"`` or ``"additive"``.
    ``output_size`` is the width of ``tanh(W_u u_i + b_u)`` (default: the decoder's, ``2 · hidden_size``)."""

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        attention: str = "additive",
        embedding_dim: int = 64,
        hidden_size: int = 64,
        attention_size: int = 64,
        dropout: float = 0.0,
        output_size: int | None = None,
    ):
        super().__init__()
        self.attention = attention
        self.encoder = Encoder(source_vocab_size, embedding_dim, hidden_size, dropout)
        self.decoder = Decoder(
            target_vocab_size,
            embedding_dim,
            2 * hidden_size,
            2 * hidden_size,
            attention,
            attention_size,
            dropout,
            output_size,
        )

    def encode(self, source, lengths):
        """``(memory, summary, padding, hd_0)`` for a batch of right-padded sources."""
        memory, summary = self.encoder(source, lengths)
        padding = np.arange(memory.shape[1])[None, :] >= np.asarray(lengths)[:, None]
        return memory, summary, padding, self.decoder.initial_state(summary)

    def forward(self, source, lengths, previous):
        """Teacher forcing: logits ``(N, T, V)`` for every target position, and the weights."""
        memory, summary, padding, state = self.encode(source, lengths)
        step = self.decoder(previous, state, memory, summary, padding)
        return step["logits"], step["weights"]

    def session(self, sources: np.ndarray, lengths) -> "RecurrentSession":
        return RecurrentSession(self, sources, lengths)


class RecurrentSession:
    """Decoding one word (piece) at a time (see :mod:`.decoding`): the source encoded once, then the
    decoder's state carried from step to step."""

    def __init__(self, model: Translator, sources: np.ndarray, lengths):
        self.model = model
        self.memory, self.summary, self.padding, self.state = model.encode(tensor(sources), lengths)

    def step(self, previous: np.ndarray) -> dict:
        """Feed ``previous (B,)``: the logits of the next piece ``(B, V)``, the attention ``w_ij``
        over the source ``(B, S)`` (``None`` without attention), and the step's ``scores``,
        ``context`` and ``hd`` (the page's step-through)."""
        step = self.model.decoder(
            np.asarray(previous, np.int64)[:, None], self.state, self.memory, self.summary, self.padding
        )
        self.state = step["state"]
        first = {
            k: None if step[k] is None else step[k].numpy()[:, 0]
            for k in ("scores", "weights", "context", "hd")
        }
        return {"logits": step["logits"].numpy()[:, 0], "attention": first.pop("weights"), **first}

    def reorder(self, rows: np.ndarray) -> None:
        """Keep (and repeat) the given rows: the partial translations a beam goes on with."""
        self.state = tensor(self.state.numpy()[:, rows])
        self.memory, self.summary = tensor(self.memory.numpy()[rows]), tensor(self.summary.numpy()[rows])
        self.padding = self.padding[rows]


def loss(model, source, lengths, target):
    """(Either kind of translator.) Mean cross-entropy ``-log ŷ_i[y_i]`` over the real target words (and ``</s>``) of a batch;
    ``target (N, T+1)`` is ``<s> y_1 … y_T </s>`` right-padded with ``<pad>``."""
    target = np.asarray(target)
    logits, _ = model(source, lengths, target[:, :-1])
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target[:, 1:].reshape(-1), ignore_index=PAD)
