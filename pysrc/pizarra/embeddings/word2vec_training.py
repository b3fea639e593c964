"""A word2vec training run over a token stream, advanced a chunk of text at a time.

Per chunk of ``chunk_words`` tokens of the corpus (course, section 1):

1. Subsampling: each token ``w`` is dropped with probability ``1 - sqrt(t / f(w))`` (kept
   always when ``f(w) ≤ t``), ``f(w)`` its share of the corpus.
2. Windows: each remaining position ``i`` draws its window ``b ∈ {1, …, c}`` (nearer words count
   more, as in word2vec) and pairs with the positions ``0 < |i - j| ≤ b``.
3. Negatives: ``K`` per example, drawn from ``P(w) ∝ count(w)^α`` (``α = 3/4``).
4. SGD on mini-batches of ``batch_size`` examples with ``lr`` decaying linearly over the whole
   run from ``lr`` to ``lr · 1e-4``.

Like :class:`pizarra.training.Trainer`, a run owns its random generator, so it gives the same
vectors however its chunks are split across calls. (``Trainer`` itself takes dense gradients
of every parameter through autograd; word2vec touches a few rows of a large table per step,
so its run applies sparse updates instead.) A chunk is drawn whole and trained one mini-batch at
a time, each whole or not at all (:func:`pizarra.training.uninterrupted`): a page's Stop lands
between two mini-batches, and the next :meth:`~Word2VecRun.step` goes on from there, so the
vectors are the same as a run's that was never stopped.
"""

from __future__ import annotations

import math

import numpy as np

from ..training import uninterrupted
from .word2vec import CBOW, SkipGram, sgd_update

MODELS = {"sgns": SkipGram, "cbow": CBOW}


def noise_distribution(counts: np.ndarray, alpha: float = 0.75) -> np.ndarray:
    """``P(w) = count(w)^α / Σ_w' count(w')^α``: the distribution negatives are drawn from."""
    weights = np.asarray(counts, np.float64) ** alpha
    return weights / weights.sum()


def unigram_table(probabilities: np.ndarray, size: int = 1_000_000) -> np.ndarray:
    """word2vec's table for drawing from ``P``: word ``w`` fills about ``P(w) · size`` slots (at
    least one), so a uniform slot is a draw from ``P`` (to ``1/size``)."""
    slots = np.maximum(1, np.round(np.asarray(probabilities) * size)).astype(np.intp)
    return np.repeat(np.arange(len(slots), dtype=np.int32), slots)


def keep_probability(counts: np.ndarray, t: float) -> np.ndarray:
    """Probability of keeping each word at subsampling: ``min(1, sqrt(t / f(w)))`` (``t = 0``:
    keep every word)."""
    counts = np.asarray(counts, np.float64)
    if t <= 0:
        return np.ones(len(counts))
    freq = counts / counts.sum()
    with np.errstate(divide="ignore"):
        return np.minimum(1.0, np.sqrt(t / freq))


def random_windows(n: int, window: int, generator: np.random.Generator):
    """For ``n`` positions, each with its window ``b_i ∈ {1…window}`` drawn at random: the
    ``(n, 2·window)`` positions ``i-window … i-1, i+1 … i+window`` and which of them are inside
    both ``b_i`` and the sequence."""
    reach = generator.integers(1, window + 1, n)
    offsets = np.array([d for d in range(-window, window + 1) if d != 0])
    position = np.arange(n)[:, None] + offsets[None, :]
    valid = (np.abs(offsets)[None, :] <= reach[:, None]) & (position >= 0) & (position < n)
    return position, valid


def window_pairs(ids: np.ndarray, window: int, generator: np.random.Generator):
    """Skip-gram pairs within random windows: arrays of centre and context ids, ordered by
    centre position."""
    position, valid = random_windows(len(ids), window, generator)
    centres = np.broadcast_to(ids[:, None], valid.shape)[valid]
    return centres, ids[position[valid]]


def window_contexts(ids: np.ndarray, window: int, generator: np.random.Generator) -> np.ndarray:
    """CBOW contexts: ``(n, 2·window)`` ids of the positions within each centre's random window,
    ``-1`` elsewhere."""
    position, valid = random_windows(len(ids), window, generator)
    return np.where(valid, ids[np.clip(position, 0, len(ids) - 1)], -1)


class Word2VecRun:
    """Train ``model`` (``"sgns"`` or ``"cbow"``) on the token ids ``ids`` of a vocabulary with
    ``counts``. :meth:`step` trains on the next chunk and returns ``{"loss", "words", "examples",
    "lr"}`` (loss: mean over the chunk's examples)."""

    def __init__(
        self,
        ids,
        counts,
        *,
        model: str = "sgns",
        dim: int = 100,
        window: int = 5,
        negatives: int = 5,
        alpha: float = 0.75,
        sample: float = 1e-3,
        lr: float = 0.025,
        epochs: int = 5,
        seed: int = 0,
        batch_size: int = 512,
        chunk_words: int = 10_000,
    ):
        if model not in MODELS:
            raise ValueError(f"model must be one of {sorted(MODELS)}")
        self.ids = np.asarray(ids, np.int64)
        if len(self.ids) < 2:
            raise ValueError("training needs at least two tokens")
        counts = np.asarray(counts, np.float64)
        self.kind, self.window, self.negatives, self.lr0 = model, int(window), int(negatives), float(lr)
        self.epochs, self.batch_size, self.chunk_words = int(epochs), int(batch_size), int(chunk_words)
        self.generator = np.random.default_rng(seed)
        self.model = MODELS[model](len(counts), dim, self.generator)
        self.noise_table = unigram_table(noise_distribution(counts, alpha))
        self.keep = keep_probability(counts, sample)
        self.chunks_per_epoch = math.ceil(len(self.ids) / self.chunk_words)
        self.total_chunks = self.epochs * self.chunks_per_epoch
        self.chunks = 0
        self._chunk = None  # the chunk under way: its examples, next mini-batch, loss so far

    @property
    def done(self) -> bool:
        return self.chunks >= self.total_chunks

    @property
    def words_done(self) -> int:
        """Corpus tokens read so far (before subsampling), over all epochs."""
        full, part = divmod(self.chunks, self.chunks_per_epoch)
        return full * len(self.ids) + min(part * self.chunk_words, len(self.ids))

    @property
    def progress(self) -> float:
        return self.chunks / self.total_chunks

    def learning_rate(self) -> float:
        return self.lr0 * max(1e-4, 1 - self.progress)

    def draw_negatives(self, size: int) -> np.ndarray:
        """``(size, K)`` negatives drawn from ``P(w) ∝ count(w)^α`` (through the unigram table)."""
        return self.noise_table[self.generator.integers(0, len(self.noise_table), (size, self.negatives))]

    def examples(self, chunk: np.ndarray):
        """The chunk's training examples after subsampling: ``(inputs, outputs)`` — skip-gram:
        centres and contexts; CBOW: context windows and centres."""
        kept = chunk[self.generator.random(len(chunk)) < self.keep[chunk]]
        if self.kind == "sgns":
            return window_pairs(kept, self.window, self.generator)
        contexts = window_contexts(kept, self.window, self.generator)
        has_context = (contexts >= 0).any(axis=1)
        return contexts[has_context], kept[has_context]

    def step(self) -> dict:
        """Train on the next chunk of the corpus (or the rest of one a Stop interrupted)."""
        if self.done:
            raise RuntimeError("the run is finished")
        with uninterrupted():
            if self._chunk is None:
                start = (self.chunks % self.chunks_per_epoch) * self.chunk_words
                chunk = self.ids[start : start + self.chunk_words]
                inputs, outputs = self.examples(chunk)
                self._chunk = {
                    "inputs": inputs,
                    "outputs": outputs,
                    "words": len(chunk),
                    "next": 0,
                    "loss": 0.0,
                    "lr": self.learning_rate(),
                }
        part = self._chunk
        inputs, outputs, lr = part["inputs"], part["outputs"], part["lr"]
        while part["next"] < len(outputs):
            with uninterrupted():
                batch = slice(part["next"], part["next"] + self.batch_size)
                loss, gradients = self.model.loss_and_gradients(
                    inputs[batch], outputs[batch], self.draw_negatives(len(outputs[batch]))
                )
                sgd_update(self.model, gradients, lr)
                part["loss"] += loss
                part["next"] += self.batch_size
        with uninterrupted():
            self._chunk = None
            self.chunks += 1
        return {
            "loss": part["loss"] / max(1, len(outputs)),
            "words": part["words"],
            "examples": len(outputs),
            "lr": lr,
        }

    def run(self, steps: int) -> list[dict]:
        """Up to ``steps`` chunks (fewer at the end of the run): their results."""
        return [self.step() for _ in range(min(steps, self.total_chunks - self.chunks))]
