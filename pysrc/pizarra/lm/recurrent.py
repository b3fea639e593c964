"""Recurrent language models (course, section 3): RNN, LSTM or GRU from ``pizarra.nn``, over
characters or words.

For the token ``x_t`` (a character or a word, or the boundary ``</s>``)::

    e_t = E[x_t]                              the one-hot x_t times E: nn.Embedding
    h_t = cell(h_{t-1}, e_t)                  RNN: h_t = tanh(b + W h_{t-1} + U e_t)
                                              LSTM (gates f, i, C̃, o and cell C_t) or GRU: pizarra.nn
                                              (with several layers, layer l reads layer l-1's h_t)
    o_t = c + V h_t                           nn.Linear (V = E with tied embeddings)
    ŷ_t = softmax(o_t) = p(x_{t+1} | x_≤t)

The loss is the mean of the per-step losses ``-log ŷ_t[x_{t+1}]`` (teacher forcing: the true
``x_{t+1}`` is the next input whatever the model predicted). Training by truncated
backpropagation through time: the text is cut into ``B`` parallel streams, each read in chunks of
``L`` steps; the state flows from one chunk to the next, the gradient does not (it is detached),
so each update backpropagates through at most ``L`` steps.
"""

from __future__ import annotations

import math

import numpy as np

import pizarra

from .. import nn, optim
from ..nn import functional as F
from ..nn import init
from ..training import Trainer

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
OPTIMIZERS = {"adam": optim.Adam, "sgd": optim.SGD}
IGNORE = -100


class RecurrentLM(nn.Module):
    """``RecurrentLM(vocab_size, cell="lstm", embedding_dim=32, hidden_size=128, num_layers=1,
    dropout=0.0, tie_weights=False)``: embedding → ``num_layers`` recurrent layers (``cell`` =
    ``"rnn"``, ``"lstm"`` or ``"gru"``, batch first) → linear decoder, as PyTorch's
    ``word_language_model`` example.

    ``dropout`` zeroes units of the embeddings, between layers and before the decoder while
    training. ``tie_weights`` makes the decoder's ``V`` the embedding table ``E`` itself (one
    parameter: a word's input and output vectors are the same; Press & Wolf 2017), which needs
    ``embedding_dim == hidden_size``.

    ``forward(ids, state=None)``: ``ids`` ``(N, T)`` int → scores ``o`` ``(N, T, V)`` and the last state
    (``h_n``, or ``(h_n, c_n)`` for the LSTM; each ``(num_layers, N, H)``), to pass to the next chunk.
    """

    def __init__(
        self,
        vocab_size: int,
        cell: str = "lstm",
        embedding_dim: int = 32,
        hidden_size: int = 128,
        num_layers: int = 1,
        dropout: float = 0.0,
        tie_weights: bool = False,
    ):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {', '.join(CELLS)}, got {cell!r}")
        if tie_weights and embedding_dim != hidden_size:
            raise ValueError("tied embeddings need embedding_dim == hidden_size")
        self.cell, self.vocab_size, self.tie_weights = cell, vocab_size, tie_weights
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.drop = nn.Dropout(dropout)
        self.rnn = CELLS[cell](
            embedding_dim, hidden_size, num_layers=num_layers, dropout=dropout, batch_first=True
        )
        self.decoder = nn.Linear(hidden_size, vocab_size)
        if tie_weights:
            # The table is both E and V: started as PyTorch's word_language_model starts it, small
            # (U(-0.1, 0.1), output bias 0), since N(0, 1) rows make the first outputs' logits huge.
            self.decoder.weight = self.embedding.weight
            init.uniform_(self.embedding.weight, -0.1, 0.1)
            init.zeros_(self.decoder.bias)

    @property
    def hidden_size(self) -> int:
        return self.rnn.hidden_size

    def forward(self, ids, state=None):
        output, state = self.rnn(self.drop(self.embedding(ids)), state)
        return self.decoder(self.drop(output)), state

    def config(self) -> dict:
        """The constructor's arguments (saved next to the weights)."""
        return {
            "vocab_size": self.vocab_size,
            "cell": self.cell,
            "embedding_dim": self.embedding.embedding_dim,
            "hidden_size": self.hidden_size,
            "num_layers": self.rnn.num_layers,
            "dropout": self.drop.p,
            "tie_weights": self.tie_weights,
        }


def detach(state):
    """The state without its graph: the next chunk starts from its values, and the gradient stops here."""
    if state is None:
        return None
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def bptt_batches(ids: np.ndarray, batch_size: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    """A token stream as ``B = batch_size`` parallel streams cut into chunks of ``L = length`` steps.

    Returns ``inputs`` and ``targets`` ``(chunks, B, L)``, ``targets`` one step ahead of ``inputs``:
    chunk ``j`` of stream ``b`` continues chunk ``j - 1`` of the same stream. The stream is cut into
    ``B`` equal rows of ``chunks · L + 1`` tokens (the few left over are dropped).
    """
    ids = np.asarray(ids, dtype=np.int64)
    if batch_size < 1 or length < 1:
        raise ValueError("batch size and BPTT length must be ≥ 1")
    chunks = (len(ids) // batch_size - 1) // length
    if chunks < 1:
        raise ValueError(f"{len(ids)} tokens are too few for {batch_size} streams of {length + 1} tokens")
    rows = ids[: batch_size * (chunks * length + 1)].reshape(batch_size, chunks * length + 1)
    inputs = rows[:, :-1].reshape(batch_size, chunks, length).transpose(1, 0, 2)
    targets = rows[:, 1:].reshape(batch_size, chunks, length).transpose(1, 0, 2)
    return np.ascontiguousarray(inputs), np.ascontiguousarray(targets)


class TruncatedBPTT:
    """One training run of a :class:`RecurrentLM` on a token stream, advanced by :meth:`step`.

    ``optimizer="adam"`` (learning rate ``lr``) or ``"sgd"`` (plain SGD, as PyTorch's
    ``word_language_model`` recipe, which lowers ``lr`` by hand between epochs); the gradient norm
    ``‖∂L/∂θ‖`` is clipped to ``clip_norm`` (``None``: not clipped; it is measured either way and
    returned as ``"grad_norm"``). The state returns to zero at each epoch's start. Built on
    :class:`pizarra.training.Trainer` (chunks in order), so a run gives the same result however its
    steps are split, and :meth:`state_dict` resumes it exactly.
    """

    def __init__(
        self,
        model: RecurrentLM,
        ids: np.ndarray,
        *,
        batch_size: int = 32,
        bptt: int = 64,
        lr: float = 3e-3,
        clip_norm: float | None = 1.0,
        epochs: int | None = None,
        seed: int = 0,
        schedule=None,
        optimizer: str = "adam",
    ):
        inputs, targets = bptt_batches(ids, batch_size, bptt)
        self.model, self.state = model, None
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {optimizer!r}")
        self.trainer = Trainer(
            model,
            OPTIMIZERS[optimizer](model.parameters(), lr=lr),
            self._loss,
            [inputs, targets],
            batch_size=1,
            epochs=epochs,
            seed=seed,
            shuffle=False,
            schedule=schedule,
            clip_norm=math.inf if clip_norm is None else clip_norm,
        )

    def _loss(self, batch):
        inputs, targets = batch[0][0], batch[1][0]
        if self.trainer.steps % self.trainer.steps_per_epoch == 0:
            self.state = None
        scores, state = self.model(pizarra.tensor(inputs), self.state)
        self.state = detach(state)
        return F.cross_entropy(scores.reshape(-1, self.model.vocab_size), pizarra.tensor(targets.reshape(-1)))

    def step(self) -> dict:
        """One update: ``{"loss": mean -log ŷ[x_{t+1}] of the chunk (nats), "grad_norm": ‖∂L/∂θ‖ before clipping}``."""
        return self.trainer.step()

    @property
    def steps(self) -> int:
        return self.trainer.steps

    def state_dict(self) -> dict:
        """The trainer's state and the state carried into the next chunk."""
        carried = (
            None
            if self.state is None
            else [s.numpy().copy() for s in (self.state if isinstance(self.state, tuple) else (self.state,))]
        )
        return {**self.trainer.state_dict(), "carried": carried}

    def load_state_dict(self, state: dict) -> None:
        self.trainer.load_state_dict(state)
        carried = state["carried"]
        self.state = (
            None
            if carried is None
            else tuple(pizarra.tensor(s) for s in carried)
            if len(carried) == 2
            else pizarra.tensor(carried[0])
        )


def paragraph_groups(
    paragraphs: list[np.ndarray], groups: int, boundary: int
) -> tuple[np.ndarray, np.ndarray]:
    """Paragraphs (id arrays) as ``groups`` streams ``</s> p_i </s> p_{i+1} … </s>`` of consecutive
    paragraphs, for evaluation in parallel: ``inputs`` ``(groups, T)`` and ``targets`` (the next
    token, ``IGNORE`` past a stream's end). Every token of every paragraph and each paragraph's
    ``</s>`` is a target exactly once, as for an n-gram model."""
    bounds = np.linspace(0, len(paragraphs), min(groups, len(paragraphs)) + 1).round().astype(int)
    streams = []
    for begin, end in zip(bounds[:-1], bounds[1:]):
        parts = [[boundary]]
        for p in paragraphs[begin:end]:
            parts += [p, [boundary]]
        streams.append(np.concatenate(parts).astype(np.int64))
    width = max(len(s) for s in streams) - 1
    inputs = np.zeros((len(streams), width), np.int64)
    targets = np.full((len(streams), width), IGNORE, np.int64)
    for row, s in enumerate(streams):
        inputs[row, : len(s) - 1], targets[row, : len(s) - 1] = s[:-1], s[1:]
    return inputs, targets


def target_log_probs(
    model: RecurrentLM, inputs: np.ndarray, targets: np.ndarray, chunk: int = 256
) -> np.ndarray:
    """``log ŷ_t[target_t]`` ``(N, T)`` (float64; NaN where the target is ``IGNORE``) over streams
    ``(N, T)`` read in chunks of ``chunk`` steps, the state carried along."""
    model.eval()
    out, state = np.full(targets.shape, np.nan), None
    with pizarra.no_grad():
        for start in range(0, inputs.shape[1], chunk):
            x, y = inputs[:, start : start + chunk], targets[:, start : start + chunk]
            scores, state = model(pizarra.tensor(x), state)
            log_p = F.log_softmax(scores, dim=-1).numpy()
            picked = np.take_along_axis(log_p, np.where(y != IGNORE, y, 0)[..., None], axis=-1)[..., 0]
            out[:, start : start + chunk] = np.where(y != IGNORE, picked.astype(np.float64), np.nan)
    return out


def negative_log_likelihood(
    model: RecurrentLM, inputs: np.ndarray, targets: np.ndarray, chunk: int = 256
) -> tuple[float, int]:
    """``(Σ -log ŷ_t[target_t], number of targets)`` over streams ``(N, T)`` read in chunks, the
    state carried along (targets equal to ``IGNORE`` do not count)."""
    log_p = target_log_probs(model, inputs, targets, chunk)
    return -float(log_p[targets != IGNORE].sum()), int((targets != IGNORE).sum())


def document_log_probs(
    model: RecurrentLM, documents: list[np.ndarray], boundary: int, chunk: int = 64
) -> np.ndarray:
    """``log ŷ`` of every token of every document and each document's closing ``boundary``, in order,
    each document read from a zero state after the boundary ``</s>`` (as an n-gram model reads each
    of its sentences from ``<s>``): the same tokens, in the same order, as
    :meth:`pizarra.lm.NGramModel.log_probs` of the documents."""
    inputs, targets = paragraph_groups(documents, len(documents), boundary)
    log_p = target_log_probs(model, inputs, targets, chunk)
    return log_p[targets != IGNORE]


def perplexity(
    model: RecurrentLM,
    paragraphs: list[np.ndarray],
    boundary: int,
    groups: int = 128,
    first: int | None = None,
) -> float:
    """Per-token perplexity ``exp(-(1/N) Σ log ŷ_t[x_{t+1}])`` on paragraphs read as ``groups``
    streams of consecutive paragraphs, each from a zero state (see :func:`paragraph_groups`);
    ``first``: only the first streams (a quick check of the same computation)."""
    inputs, targets = paragraph_groups(paragraphs, groups, boundary)
    total, count = negative_log_likelihood(model, inputs[:first], targets[:first])
    return math.exp(total / count)
