"""word2vec: skip-gram with negative sampling (SGNS) and CBOW, with the course's own gradients.

Both models hold two tables of word vectors with PyTorch's layout ``(vocabulary, dimension)``:
``in_embed.weight`` (the course's ``V``: row ``V_i`` is the vector of word ``i``, the one kept
as "the word vector") and ``out_embed.weight`` (``V'``: the vectors words have as contexts).

Training follows Mikolov et al. (2013) and the course, section 1: plain SGD on mini-batches of
pairs, each step touching only the rows it looked up (a sparse update, as the original C code
and gensim do), the learning rate decaying linearly over the run. The loss of one pair and its
gradients are written out by hand, forward next to backward, exactly as the course states them;
the unit tests check them against finite differences.
"""

from __future__ import annotations

import numpy as np

from .. import nn


def log_sigmoid(x: np.ndarray) -> np.ndarray:
    """``log σ(x) = min(x, 0) - log(1 + e^(-|x|))``: no overflow for large ``|x|``."""
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


class _TwoTables(nn.Module):
    """The two tables ``V`` (``in_embed``) and ``V'`` (``out_embed``), initialised as word2vec:
    ``V ~ U(-0.5/d, 0.5/d)``, ``V' = 0``."""

    def __init__(self, vocab_size: int, embedding_dim: int, generator: np.random.Generator):
        super().__init__()
        self.vocab_size, self.embedding_dim = int(vocab_size), int(embedding_dim)
        self.in_embed = nn.Embedding(vocab_size, embedding_dim)
        self.out_embed = nn.Embedding(vocab_size, embedding_dim)
        bound = 0.5 / embedding_dim
        self.in_embed.weight.data = generator.uniform(-bound, bound, (vocab_size, embedding_dim)).astype(
            np.float32
        )
        self.out_embed.weight.data = np.zeros((vocab_size, embedding_dim), np.float32)

    @property
    def vectors(self) -> np.ndarray:
        """The word vectors: the rows of ``V``."""
        return self.in_embed.weight.data

    def _scores(self, h: np.ndarray, targets: np.ndarray, negatives: np.ndarray):
        """The shared output layer of both models, forward and backward.

        Per example ``b`` with hidden vector ``h_b``, true word ``j`` and negatives ``k``::

            L_b = -log σ(V'_j·h_b) - Σ_k log σ(-V'_k·h_b)
            ∂L_b/∂h_b  = (σ(V'_j·h_b) - 1) V'_j + Σ_k σ(V'_k·h_b) V'_k
            ∂L_b/∂V'_j = (σ(V'_j·h_b) - 1) h_b,     ∂L_b/∂V'_k = σ(V'_k·h_b) h_b

        Returns the summed loss, ``∂L/∂h`` ``(B, d)``, and the rows of ``V'`` with their gradients.
        """
        rows = np.concatenate([targets[:, None], negatives], axis=1)  # (B, 1 + K)
        out = self.out_embed.weight.data[rows]  # (B, 1 + K, d)
        scores = np.einsum("bd,bkd->bk", h, out)
        sign = np.full(scores.shape, -1.0, scores.dtype)
        sign[:, 0] = 1.0  # +1 true word, -1 negatives
        log_right = log_sigmoid(sign * scores)  # log σ(V'_j·h), log σ(-V'_k·h)
        loss = -float(log_right.sum())
        coeff = sign * (np.exp(log_right) - 1)  # σ(s) - 1, and σ(s) for negatives (σ(-s) = 1 - σ(s))
        grad_h = np.einsum("bk,bkd->bd", coeff, out)
        # Free the gathered rows before making grad_out, the same size, so that it reuses their memory:
        # batch after batch then needs no new memory from the system (in CPython, large blocks handed
        # back to the system and faulted in again made training up to twice as slow).
        del out
        grad_out = np.einsum("bk,bd->bkd", coeff, h)
        return loss, grad_h, rows.ravel(), grad_out.reshape(-1, self.embedding_dim)


class SkipGram(_TwoTables):
    """Skip-gram with negative sampling (SGNS). For a centre word ``i``, a context word ``j``
    within the window and ``K`` negatives ``k`` drawn from ``P(w) ∝ count(w)^α``::

        L = -log σ(V_i·V'_j) - Σ_k log σ(-V_i·V'_k)

    ``∂L/∂V_i = (σ(V'_j·V_i) - 1) V'_j + Σ_k σ(V'_k·V_i) V'_k``,
    ``∂L/∂V'_j = (σ(V'_j·V_i) - 1) V_i``, ``∂L/∂V'_k = σ(V'_k·V_i) V_i``.
    """

    def loss_and_gradients(self, centres, contexts, negatives):
        """The summed loss of a batch of pairs ``(centres[b], contexts[b])`` with ``negatives[b]``
        ``(B, K)``, and the sparse gradients ``{name: (rows, gradient rows)}`` (rows may repeat:
        their gradients add up)."""
        h = self.in_embed.weight.data[centres]
        loss, grad_h, out_rows, grad_out = self._scores(h, contexts, negatives)
        return loss, {
            "in_embed.weight": (np.asarray(centres), grad_h),
            "out_embed.weight": (out_rows, grad_out),
        }


class CBOW(_TwoTables):
    """Continuous bag of words with negative sampling. The context ``C_i`` of word ``i`` (the
    words within the window, ``-1`` marking padding) is averaged, ``h = mean(V_w for w in C_i)``,
    and predicts ``i`` against ``K`` negatives::

        L = -log σ(V'_i·h) - Σ_k log σ(-V'_k·h)

    with the skip-gram's gradients for ``V'`` (``h`` in place of ``V_i``) and, for each context
    word, ``∂L/∂V_w = ∂L/∂h / |C_i|``.
    """

    def loss_and_gradients(self, contexts, centres, negatives):
        """``contexts`` ``(B, 2c)`` (``-1`` = no word), ``centres`` ``(B,)``, ``negatives``
        ``(B, K)``: the summed loss and sparse gradients as :meth:`SkipGram.loss_and_gradients`."""
        contexts = np.asarray(contexts)
        present = contexts >= 0
        sizes = present.sum(axis=1, keepdims=True).astype(self.in_embed.weight.data.dtype)
        if (sizes == 0).any():
            raise ValueError("every CBOW example needs at least one context word")
        vectors = self.in_embed.weight.data[np.where(present, contexts, 0)] * present[:, :, None]
        h = vectors.sum(axis=1) / sizes
        loss, grad_h, out_rows, grad_out = self._scores(h, centres, negatives)
        grad_each = np.broadcast_to((grad_h / sizes)[:, None, :], vectors.shape)[present]
        return loss, {
            "in_embed.weight": (contexts[present], grad_each),
            "out_embed.weight": (out_rows, grad_out),
        }


def sgd_update(model: _TwoTables, gradients: dict, lr: float) -> None:
    """``θ_r ← θ_r - lr · Σ ∂L/∂θ_r`` for each row ``r`` a batch touched (the other rows keep
    their values: a sparse step; repeated rows add up, through NumPy's ``add.at``). The gradient
    arrays, this step's own, are scaled by ``-lr`` in place.

    ``add.at`` is fastest on a flat array with a flat index, one entry per number it adds; seeing
    each two neighbouring numbers of a row as one complex number halves the entries (see
    :func:`as_complex_pairs`)."""
    tables = {"in_embed.weight": model.in_embed.weight, "out_embed.weight": model.out_embed.weight}
    for name, (rows, grads) in gradients.items():
        grads *= -lr
        table, step = as_complex_pairs(tables[name].data), as_complex_pairs(grads)
        width = table.shape[1]
        index_type = np.int32 if table.size < 2**31 else np.intp  # int32: half the bytes to write
        flat = np.asarray(rows, index_type)[:, None] * width + np.arange(width, dtype=index_type)
        np.add.at(table.reshape(-1), flat.ravel(), step.reshape(-1))  # entry c of row r: r·width + c


def as_complex_pairs(rows: np.ndarray) -> np.ndarray:
    """The same memory with each two neighbouring real numbers of a row seen as one complex number
    ``a + bi``, so a row of length ``d`` has ``d/2`` entries. Adding complex numbers adds their real
    parts and their imaginary parts, each exactly as a real addition, so sums are unchanged. Rows of
    odd length are returned as they are."""
    if rows.shape[-1] % 2:
        return rows
    return rows.view(np.result_type(rows.dtype, np.complex64))
