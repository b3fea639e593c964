"""A set of word vectors: nearest neighbours and analogies by cosine (course, section 1).

``cos(a, b) = a·b / (|a| |b|)``. Analogies ``a : b :: c : ?`` exclude the three query words:

- 3CosAdd: ``argmax_v cos(v, b - a + c)`` (on unit vectors, as in Mikolov et al. 2013);
- 3CosMul: ``argmax_v cos'(v,b) cos'(v,c) / (cos'(v,a) + ε)`` with cosines shifted to [0, 1],
  ``cos' = (cos + 1) / 2``, ``ε = 0.001`` (Levy and Goldberg 2014).
"""

from __future__ import annotations

import difflib
from typing import Sequence

import numpy as np

EPSILON = 1e-3


class UnknownWord(KeyError):
    """A query word outside the vocabulary; ``suggestions`` are the closest words by spelling."""

    def __init__(self, word: str, suggestions: list[str]):
        super().__init__(word)
        self.word, self.suggestions = word, suggestions


class VectorSet:
    """Words and their vectors ``(n, d)``; ``unit`` holds the rows scaled to length 1 (a zero
    row stays zero)."""

    def __init__(self, words: Sequence[str], vectors: np.ndarray):
        self.words = list(words)
        self.vectors = np.asarray(vectors, np.float32)
        if self.vectors.ndim != 2 or len(self.words) != len(self.vectors):
            raise ValueError("a vector set needs one vector (a row) per word")
        self.index = {w: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):
            raise ValueError("a vector set cannot list a word twice")
        norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
        self.unit = np.divide(self.vectors, norms, out=np.zeros_like(self.vectors), where=norms > 0)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    def closest_spellings(self, word: str, n: int = 5) -> list[str]:
        """Vocabulary words spelled most like ``word`` (difflib's ratio, among words of a similar
        length, most frequent first on ties)."""
        near = [w for w in self.words if abs(len(w) - len(word)) <= 2]
        return difflib.get_close_matches(word, near, n=n, cutoff=0.6)

    def find(self, word: str) -> int | None:
        """The row of ``word`` (exact, then lower-cased), or None."""
        for form in (word, word.lower()):
            if form in self.index:
                return self.index[form]
        return None

    def id(self, word: str) -> int:
        """The row of ``word`` (exact, then lower-cased), or :class:`UnknownWord`."""
        i = self.find(word)
        if i is None:
            raise UnknownWord(word, self.closest_spellings(word.lower()))
        return i

    def cosine(self, a: str, b: str) -> float:
        return float(self.unit[self.id(a)] @ self.unit[self.id(b)])

    def _top(self, scores: np.ndarray, k: int, exclude: Sequence[int]) -> list[tuple[str, float]]:
        scores = scores.astype(np.float64, copy=True)
        scores[list(exclude)] = -np.inf
        k = min(k, len(scores) - len(set(exclude)))
        best = np.argpartition(-scores, k - 1)[:k] if k > 0 else np.array([], np.int64)
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.words[i], float(scores[i])) for i in best]

    def neighbours(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` words of highest cosine with ``word`` (itself excluded)."""
        i = self.id(word)
        return self._top(self.unit @ self.unit[i], k, [i])

    def analogy_scores(self, a: np.ndarray, b: np.ndarray, c: np.ndarray, method: str = "add") -> np.ndarray:
        """Scores of every word as the answer to the analogies ``a[q] : b[q] :: c[q] : ?`` (rows
        of ids): ``(Q, n)``, the query words' own scores set to ``-inf``."""
        ua, ub, uc = self.unit[a], self.unit[b], self.unit[c]
        if method == "add":
            target = ub - ua + uc  # cos(v, t) = v̂ · t / |t|
            norm = np.linalg.norm(target, axis=1, keepdims=True)
            scores = (target / np.where(norm > 0, norm, 1)) @ self.unit.T
        elif method == "mul":
            shift = lambda u: (self.unit @ u.T).T * 0.5 + 0.5  # noqa: E731  cos' ∈ [0, 1]
            scores = shift(ub) * shift(uc) / (shift(ua) + EPSILON)
        else:
            raise ValueError("method is 'add' (3CosAdd) or 'mul' (3CosMul)")
        rows = np.arange(len(a))
        for query in (a, b, c):
            scores[rows, query] = -np.inf
        return scores

    def analogy(self, a: str, b: str, c: str, k: int = 5, method: str = "add") -> list[tuple[str, float]]:
        """``a : b :: c : ?``: the ``k`` best answers and their scores."""
        ids = [np.array([self.id(w)]) for w in (a, b, c)]
        scores = self.analogy_scores(*ids, method=method)[0]
        return self._top(scores, k, [int(i[0]) for i in ids])
