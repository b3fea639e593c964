"""n-gram language models by counting (course, section 3), word- or character-level.

A language model gives ``p(x_1..x_T) = Π_t p(x_t | x_<t)``; an n-gram model keeps only the
``n - 1`` previous tokens (the Markov assumption). Every sentence is padded with ``n - 1``
start markers ``<s>`` and ends with ``</s>``, which the model predicts like any token. With
``c(·)`` the counts in the training sentences, ``u`` the context (``n - 1`` tokens) and ``V`` the
tokens that can be predicted (every token seen, ``</s>`` and ``<unk>``; never ``<s>``):

- ``"none"`` (maximum likelihood): ``p(w | u) = c(u w) / c(u)``; 0 for an unseen ``u w`` (and for
  every ``w`` after an unseen ``u``): one unseen n-gram makes a sentence impossible.
- ``"add-k"`` (Laplace for k = 1): ``p(w | u) = (c(u w) + k) / (c(u) + k |V|)``.
- ``"kneser-ney"`` (interpolated, one discount ``D`` per order)::

      p(w | u) = max(a(u w) - D, 0) / a(u)  +  D · N₁₊(u •) / a(u) · p(w | u')

  where ``u'`` drops the oldest token of ``u``, ``a(u) = Σ_w a(u w)`` and ``N₁₊(u •)`` is the number
  of different tokens seen after ``u``. At the highest order ``a`` is the count ``c``; below it ``a(g)``
  is the continuation count ``N₁₊(• g)``, the number of different tokens seen just before ``g``
  (how many contexts ``w`` completes, not how often), except for n-grams that begin with ``<s>``,
  which have nothing before them and keep their count. After a context never seen, ``p(w | u) =
  p(w | u')``; below the unigrams ``p(w) = 1 / |V|``. Each level sums to 1 over ``V``, so every
  distribution does. ``D = n₁ / (n₁ + 2 n₂)`` (Ney's estimate, ``n_r`` = n-grams of that order
  with ``a = r``), or the ``discount`` given.

Counting uses NumPy (``np.unique`` over the n-gram rows); each context keeps its next tokens'
ids and counts, so a whole distribution ``p(· | u)`` costs ``n`` dictionary look-ups.
"""

from __future__ import annotations

import math

import numpy as np

from ..data.text import Vocab
from .reading import NGramReader, write

SMOOTHINGS = ("none", "add-k", "kneser-ney")
BOS, EOS, UNK = Vocab.BOS, Vocab.EOS, Vocab.UNK


class _Level:
    """The counts of one order ``m``: for each context (the ``m - 1`` ids before), the ids seen
    next and their counts ``a``, with ``a(u)`` and ``N₁₊(u •)`` precomputed."""

    def __init__(self, rows: np.ndarray, counts: np.ndarray):
        self.table = {}
        self.counts_of_counts = np.bincount(np.minimum(counts, 3), minlength=4)
        if len(rows) == 0:
            return
        contexts = rows[:, :-1]
        starts = np.flatnonzero(np.r_[True, (contexts[1:] != contexts[:-1]).any(axis=1)])
        ends = np.r_[starts[1:], len(rows)]
        for begin, end, context in zip(starts, ends, contexts[starts].tolist()):
            ids, a = rows[begin:end, -1], counts[begin:end].astype(np.float64)
            self.table[tuple(context)] = (ids, a, float(a.sum()))

    def ney_discount(self) -> float:
        n1, n2 = self.counts_of_counts[1], self.counts_of_counts[2]
        return float(n1 / (n1 + 2 * n2)) if n1 + n2 else 0.5


def _unique_rows(rows: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of an int array in lexicographic order, and how often each occurs (or the
    sum of the ``weights`` of its occurrences)."""
    if len(rows) == 0:
        return rows, np.zeros(0, np.int64)
    order = np.lexsort(rows.T[::-1])
    rows = rows[order]
    starts = np.flatnonzero(np.r_[True, (rows[1:] != rows[:-1]).any(axis=1)])
    if weights is None:
        return rows[starts], np.diff(np.r_[starts, len(rows)])
    return rows[starts], np.add.reduceat(weights[order], starts)


class NGramModel:
    """An n-gram language model: ``NGramModel(order, smoothing="none" | "add-k" | "kneser-ney", k=1.0)``.

    ``fit(sentences)`` counts lists of tokens (words or characters); ``prob(word, context)``,
    ``distribution(context)``, ``perplexity(sentences)`` and ``generate(...)`` use the counts.
    Tokens outside the vocabulary count as ``<unk>``.
    """

    def __init__(self, order: int, smoothing: str = "none", k: float = 1.0, discount: float | None = None):
        if int(order) != order or order < 1:
            raise ValueError(f"the order of an n-gram model is a whole number ≥ 1, got {order!r}")
        if smoothing not in SMOOTHINGS:
            raise ValueError(f"smoothing must be one of {', '.join(SMOOTHINGS)}, got {smoothing!r}")
        if smoothing == "add-k" and not k > 0:
            raise ValueError(f"add-k smoothing needs k > 0, got {k}")
        if discount is not None and not 0 < discount < 1:
            raise ValueError(f"the Kneser–Ney discount must be in (0, 1), got {discount}")
        self.order, self.smoothing, self.k, self._discount = int(order), smoothing, float(k), discount
        self.vocab: Vocab | None = None
        self.levels: list[_Level] = []
        self.discounts: list[float] = []

    def __repr__(self):
        extra = f", k={self.k}" if self.smoothing == "add-k" else ""
        return f"NGramModel({self.order}, smoothing={self.smoothing!r}{extra})"

    # ------------------------------------------------------------------ counting

    def fit(self, sentences, vocab: Vocab | None = None) -> "NGramModel":
        """Count the n-grams of ``sentences`` (lists of tokens), each padded as
        ``<s> … <s> x_1 … x_T </s>``. The vocabulary is every token seen (or ``vocab``, which must
        hold ``<s>``, ``</s>`` and ``<unk>``; tokens outside it count as ``<unk>``)."""
        sentences = [list(s) for s in sentences]
        if vocab is None:
            vocab = Vocab.build(sentences, specials=(BOS, EOS, UNK))
        missing = [t for t in (BOS, EOS, UNK) if t not in vocab]
        if missing:
            raise ValueError(f"the vocabulary lacks {', '.join(missing)}")
        self.vocab = vocab
        n = self.order
        windows = [self._windows(self._padded(sentence)) for sentence in sentences]
        rows = np.concatenate(windows) if windows else np.zeros((0, n), np.int64)
        top_rows, top_counts = _unique_rows(rows)
        levels = [_Level(top_rows, top_counts)]
        for m in range(n - 1, 0, -1):
            if self.smoothing == "kneser-ney":
                rows_m, counts_m = self._continuation(top_rows, top_counts)
            else:
                rows_m, counts_m = _unique_rows(rows[:, n - m:])
            levels.insert(0, _Level(rows_m, counts_m))
            top_rows, top_counts = rows_m, counts_m
        self.levels = levels
        self.discounts = [self._discount if self._discount is not None else level.ney_discount() for level in levels]
        return self

    def _padded(self, tokens) -> np.ndarray:
        ids = self.vocab.encode(tokens)
        pad = np.full(self.order - 1, self.vocab.stoi[BOS], np.int64)
        return np.concatenate([pad, ids, [self.vocab.stoi[EOS]]])

    def _windows(self, padded: np.ndarray) -> np.ndarray:
        """One row per predicted token: the ``n - 1`` ids before it and its id."""
        return np.lib.stride_tricks.sliding_window_view(padded, self.order)

    def _continuation(self, rows: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Order-``m`` counts for Kneser–Ney from the distinct ``(m+1)``-grams ``rows`` and their
        counts: how many different tokens precede each m-gram; an m-gram that begins with ``<s>``
        (whose only possible predecessor is ``<s>``) keeps its count."""
        tails = rows[:, 1:]
        weights = np.where(tails[:, 0] == self.vocab.stoi[BOS], counts, 1)
        return _unique_rows(tails, weights)

    def counts(self, m: int | None = None) -> dict:
        """``{(w_1, …, w_m): c}``: the order-``m`` counts used (continuation counts below the top
        order for Kneser–Ney), as tokens. Default: the model's order."""
        level = self.levels[(m or self.order) - 1]
        itos = self.vocab.itos
        return {tuple(itos[i] for i in context) + (itos[w],): int(a)
                for context, (ids, counts, _) in level.table.items() for w, a in zip(ids.tolist(), counts.tolist())}

    # ------------------------------------------------------------------ probabilities

    def _context_ids(self, context) -> tuple:
        """The last ``n - 1`` ids of ``<s> … <s> context`` (tokens outside the vocabulary → ``<unk>``)."""
        self._check_fitted()
        ids = [self.vocab.stoi[BOS]] * (self.order - 1) + self.vocab.encode(list(context)).tolist()
        return tuple(ids[len(ids) - (self.order - 1):]) if self.order > 1 else ()

    def distribution(self, context=()) -> np.ndarray:
        """``p(w | context)`` for every token ``w`` of ``vocab.itos`` (0 for ``<s>``)."""
        return self._distribution(self._context_ids(context))

    def _distribution(self, context: tuple) -> np.ndarray:
        size = len(self.vocab)
        predictable = np.ones(size)
        predictable[self.vocab.stoi[BOS]] = 0
        if self.smoothing != "kneser-ney":
            counts = np.zeros(size)
            ids, a, total = self.levels[-1].table.get(context, (None, None, 0.0))
            if ids is not None:
                counts[ids] = a
            if self.smoothing == "add-k":
                return predictable * (counts + self.k) / (total + self.k * (size - 1))
            return counts / total if total else counts
        p = predictable / (size - 1)
        for m, (level, discount) in enumerate(zip(self.levels, self.discounts), start=1):
            entry = level.table.get(context[len(context) - (m - 1):] if m > 1 else ())
            if entry is None:
                continue
            ids, a, total = entry
            lower = p
            p = lower * (discount * len(ids) / total)
            p[ids] += np.maximum(a - discount, 0) / total
        return p

    def prob(self, word, context=()) -> float:
        """``p(word | context)``: ``context`` is the tokens before ``word`` (only the last ``n - 1``
        matter; fewer means the sentence's start)."""
        dist = self.distribution(context)
        return float(dist[self.vocab.encode([word])[0]])

    def log_likelihood(self, sentences) -> tuple[float, int]:
        """``(Σ log p(x_t | x_<t), number of predicted tokens)`` over ``sentences``, ``</s>`` included."""
        self._check_fitted()
        total, count, cache = 0.0, 0, {}
        for sentence in sentences:
            for row in self._windows(self._padded(list(sentence))).tolist():
                context = tuple(row[:-1])
                if context not in cache:
                    cache[context] = self._distribution(context)
                p = cache[context][row[-1]]
                total += math.log(p) if p > 0 else -math.inf
                count += 1
        return total, count

    def perplexity(self, sentences) -> float:
        """``exp(-(1/N) Σ log p(x_t | x_<t))`` over the ``N`` predicted tokens (``inf`` when one has p = 0)."""
        total, count = self.log_likelihood(sentences)
        if count == 0:
            raise ValueError("perplexity of no tokens")
        return math.exp(-total / count)

    # ------------------------------------------------------------------ generation

    def generate(self, context=(), max_tokens: int = 20, temperature: float = 1.0, top_k: int | None = None,
                 generator: np.random.Generator | None = None, stop_at_end: bool = True) -> list[str]:
        """Sample up to ``max_tokens`` tokens after ``context`` (see :func:`pizarra.lm.sampling.sample`),
        stopping after ``</s>`` unless ``stop_at_end`` is false (then the next sentence starts)."""
        self._check_fitted()
        out = []
        for token, *_ in write(NGramReader(self, context), max_tokens, temperature, top_k, generator):
            out.append(self.vocab.itos[token])
            if stop_at_end and token == self.vocab.stoi[EOS]:
                break
        return out

    def _check_fitted(self):
        if self.vocab is None:
            raise RuntimeError("fit the model on sentences first")


def bigram_table(sentences, max_tokens: int = 14) -> dict:
    """The course's counting table of a corpus: bigram counts ``c(prev, w)`` and ``p(w | prev) =
    c(prev, w) / c(prev)`` with rows ``<s>`` and the tokens, columns the tokens and ``</s>`` — at most
    the ``max_tokens`` most frequent tokens, in the order they first appear."""
    model = NGramModel(2).fit(sentences)
    vocab = model.vocab
    tokens = [t for t in vocab.itos if t not in (BOS, EOS, UNK) and vocab.counts[vocab.stoi[t]] > 0]
    first_seen = {t: i for i, t in reversed(list(enumerate(t for s in sentences for t in s)))}
    shown = sorted(tokens[:max_tokens], key=first_seen.get)
    rows, columns = [BOS] + shown, shown + [EOS]
    counts = model.counts()
    return {"rows": rows, "columns": columns,
            "counts": [[counts.get((r, c), 0) for c in columns] for r in rows],
            "probabilities": [[float(model.distribution([r])[vocab.stoi[c]]) for c in columns] for r in rows],
            "row_totals": [int(model.levels[-1].table.get((vocab.stoi[r],), (None, None, 0))[2]) for r in rows],
            "tokens": len(tokens), "shown": len(shown), "sentences": len(sentences)}
