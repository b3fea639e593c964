"""Count-based word vectors (course, section 1): co-occurrence counts, tf-idf, PPMI, truncated SVD.

``M[w, c]`` counts how often context word ``c`` appears within ``window`` positions of word
``w``. Raw counts are dominated by very frequent words ("the"); two fixes:

- tf-idf, with the terms as columns and the documents as rows (a word is the "document" of its
  contexts): ``tf(t,d) = f(t,d) / max_t' f(t',d)``, ``idf(t) = log(|D| / |{d : t ∈ d}|)``, so a
  context seen with every word gets ``idf = 0``;
- PMI ``log P(w,c) / (P(w) P(c))`` with ``P(w,c) = M[w,c] / Σ M``, ``P(w)`` and ``P(c)`` the
  row and column shares (optionally ``P_α(c) ∝ count(c)^α``, Levy et al. 2015); PPMI ``= max(PMI, 0)``.

Then a truncated SVD ``M ≈ U_d Σ_d V_dᵀ`` gives ``d``-dimensional word vectors ``W = U_d Σ_d^p``
(the rows of ``W``; ``p = 1`` scales by the singular values, ``p = 0`` does not).

Matrices are sparse (most word–context pairs never occur): :class:`Sparse` holds the non-zero
entries, and every weighting is computed on them alone.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

# The course's default example: rows are words, columns contexts.
COURSE_WORDS = ["baseball", "basketball", "democracy", "monarchy"]
COURSE_CONTEXTS = ["player", "field", "court", "Athenian", "king", "the"]
COURSE_COUNTS = np.array(
    [
        [475, 350, 5, 1, 115, 975],
        [485, 10, 410, 1, 45, 330],
        [1, 5, 2, 350, 10, 375],
        [35, 1, 4, 7, 276, 1053],
    ],
    dtype=np.float64,
)

WEIGHTINGS = ("raw", "tfidf", "ppmi")


class Sparse(NamedTuple):
    """A sparse matrix as its non-zero entries (coordinate format): ``M[row[n], col[n]] = value[n]``."""

    row: np.ndarray
    col: np.ndarray
    value: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def from_dense(cls, matrix) -> "Sparse":
        matrix = np.asarray(matrix, np.float64)
        row, col = np.nonzero(matrix)
        return cls(row, col, matrix[row, col], matrix.shape)

    def to_dense(self) -> np.ndarray:
        out = np.zeros(self.shape)
        np.add.at(out, (self.row, self.col), self.value)
        return out

    def with_values(self, value: np.ndarray) -> "Sparse":
        return Sparse(self.row, self.col, value, self.shape)

    @property
    def T(self) -> "Sparse":
        return Sparse(self.col, self.row, self.value, self.shape[::-1])

    def row_sums(self) -> np.ndarray:
        return np.bincount(self.row, self.value, minlength=self.shape[0])

    def col_sums(self) -> np.ndarray:
        return np.bincount(self.col, self.value, minlength=self.shape[1])

    def __matmul__(self, dense: np.ndarray) -> np.ndarray:
        """``M @ X`` for a dense ``X`` ``(shape[1], k)``: one weighted ``bincount`` per column."""
        dense = np.asarray(dense, np.float64)
        return np.stack(
            [
                np.bincount(self.row, self.value * dense[self.col, j], minlength=self.shape[0])
                for j in range(dense.shape[1])
            ],
            axis=1,
        )


def cooccurrence(ids: np.ndarray, vocab_size: int, window: int) -> Sparse:
    """``M[w, c]``: how often ``c`` occurs within ``window`` positions of ``w`` in the token ids
    (ids ``< 0`` or ``≥ vocab_size`` are skipped but still take their position)."""
    ids = np.asarray(ids, np.int64)
    pairs = []
    for d in range(1, window + 1):
        a, b = ids[:-d], ids[d:]
        keep = (a >= 0) & (b >= 0) & (a < vocab_size) & (b < vocab_size)
        pairs.append(a[keep] * vocab_size + b[keep])
    pairs = np.concatenate(pairs) if pairs else np.zeros(0, np.int64)
    # Each pair at distance d counts for both words: (a, b) and (b, a).
    pairs = np.concatenate([pairs, (pairs % vocab_size) * vocab_size + pairs // vocab_size])
    keys, counts = np.unique(pairs, return_counts=True)
    rows, cols = (
        (keys // vocab_size).astype(np.intp),
        (keys % vocab_size).astype(np.intp),
    )  # intp: bincount's index type
    return Sparse(rows, cols, counts.astype(np.float64), (vocab_size, vocab_size))


def tf_idf(counts: Sparse) -> Sparse:
    """The course's tf-idf with documents as rows and terms as columns:
    ``tf(t,d) = f(t,d) / max_t' f(t',d)``, ``idf(t) = log(|D| / |{d : t ∈ d}|)``, weight ``tf · idf``."""
    row_max = np.zeros(counts.shape[0])
    np.maximum.at(row_max, counts.row, counts.value)
    documents_with = np.bincount(counts.col, counts.value > 0, minlength=counts.shape[1])
    idf = np.log(counts.shape[0] / np.maximum(documents_with, 1))
    return counts.with_values(counts.value / row_max[counts.row] * idf[counts.col])


def ppmi(counts: Sparse, context_alpha: float = 1.0) -> Sparse:
    """``PPMI[w,c] = max(log P(w,c) / (P(w) P(c)), 0)`` on the non-zero counts (a zero count has
    PMI ``-∞``, so PPMI 0). ``context_alpha < 1`` smooths ``P(c) ∝ count(c)^α``."""
    total = counts.value.sum()
    p_word = counts.row_sums() / total
    context = counts.col_sums() ** context_alpha
    p_context = context / context.sum()
    pmi = np.log(counts.value / total / (p_word[counts.row] * p_context[counts.col]))
    return counts.with_values(np.maximum(pmi, 0.0))


def weigh(counts: Sparse, weighting: str, context_alpha: float = 1.0) -> Sparse:
    """``raw`` counts, ``tfidf`` or ``ppmi``."""
    if weighting == "raw":
        return counts
    if weighting == "tfidf":
        return tf_idf(counts)
    if weighting == "ppmi":
        return ppmi(counts, context_alpha)
    raise ValueError(f"weighting must be one of {WEIGHTINGS}")


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """``cos(a, b) = a·b / (|a| |b|)`` between every two rows (0 where a row is zero)."""
    vectors = np.asarray(vectors, np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return unit @ unit.T


def truncated_svd(
    matrix, dim: int, power: float = 1.0, *, iterations: int = 2, oversample: int = 20, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``W = U_d Σ_d^power`` and the singular values ``Σ_d`` of ``M ≈ U_d Σ_d V_dᵀ``.

    A dense matrix gets NumPy's exact SVD; a :class:`Sparse` one the randomised SVD of Halko,
    Martinsson and Tropp (2011): ``Q`` = an orthonormal basis of ``(M Mᵀ)^q M Ω`` for a random
    ``Ω`` with ``d + oversample`` columns, then the exact SVD of the small ``Qᵀ M``.
    """
    if not isinstance(matrix, Sparse):
        u, s, _ = np.linalg.svd(np.asarray(matrix, np.float64), full_matrices=False)
    else:
        k = min(dim + oversample, *matrix.shape)
        q, _ = np.linalg.qr(matrix @ np.random.default_rng(seed).standard_normal((matrix.shape[1], k)))
        for _ in range(iterations):
            q, _ = np.linalg.qr(matrix.T @ q)
            q, _ = np.linalg.qr(matrix @ q)
        small_u, s, _ = np.linalg.svd((matrix.T @ q).T, full_matrices=False)
        u = q @ small_u
    u, s = u[:, :dim], s[:dim]
    u = u * np.where(u[np.abs(u).argmax(axis=0), np.arange(u.shape[1])] < 0, -1, 1)  # one sign per column
    return u * s**power, s


def count_vectors(
    ids: np.ndarray,
    vocab_size: int,
    *,
    window: int,
    weighting: str = "ppmi",
    dim: int = 100,
    power: float = 0.5,
    context_alpha: float = 1.0,
    seed: int = 0,
) -> np.ndarray:
    """The whole count pipeline: ``M`` within ``window`` → weighting → truncated SVD → ``W`` ``(V, dim)``."""
    weighted = weigh(cooccurrence(ids, vocab_size, window), weighting, context_alpha)
    return truncated_svd(weighted, min(dim, vocab_size), power, seed=seed)[0]


def course_table(
    weighting: str = "raw", include_the: bool = True, dim: int = 2, digits: int | None = 4
) -> dict:
    """The course's 4×6 table (optionally without the "the" column): the weighted matrix, the
    cosines between the four words, and the cosines after a truncated SVD to ``dim`` dimensions,
    rounded to ``digits`` decimals (None: every digit)."""
    keep = [j for j, c in enumerate(COURSE_CONTEXTS) if include_the or c != "the"]
    table = COURSE_COUNTS[:, keep]
    weighted = weigh(Sparse.from_dense(table), weighting).to_dense()
    reduced, singular = truncated_svd(weighted, min(dim, len(keep), len(table)))
    rounded = (lambda a: a) if digits is None else (lambda a: np.round(a, digits))  # noqa: E731
    return {
        "words": COURSE_WORDS,
        "contexts": [COURSE_CONTEXTS[j] for j in keep],
        "counts": table,
        "weighted": rounded(weighted),
        "cosine": rounded(cosine_matrix(weighted)),
        "svd_cosine": rounded(cosine_matrix(reduced)),
        "singular_values": rounded(singular),
    }
