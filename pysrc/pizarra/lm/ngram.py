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

      p(w | u) = max(a(u w) - D, 0) / a(u)  +  γ(u) · p(w | u'),   γ(u) = D · N₁₊(u •) / a(u)

  where ``u'`` drops the oldest token of ``u``, ``a(u) = Σ_w a(u w)`` and ``N₁₊(u •)`` is the number
  of different tokens seen after ``u``. At the highest order ``a`` is the count ``c``; below it ``a(g)``
  is the continuation count ``N₁₊(• g)``, the number of different tokens seen just before ``g``
  (how many contexts ``w`` completes, not how often), except for n-grams that begin with ``<s>``,
  which have nothing before them and keep their count. After a context never seen, ``p(w | u) =
  p(w | u')``; below the unigrams ``p(w) = 1 / |V|``. Each level sums to 1 over ``V``, so every
  distribution does. ``D = n₁ / (n₁ + 2 n₂)`` (Ney's estimate, ``n_r`` = n-grams of that order
  with ``a = r``), or the ``discount`` given.

  ``prune=r`` drops the n-grams of order 3 and up whose ``a`` is at most ``r`` (most of a large
  model's n-grams are seen once), as SRILM's and KenLM's pruning do. Their share of ``p`` goes to
  the lower order: ``γ(u) = 1 - Σ_{w kept} max(a(u w) - D, 0) / a(u)`` (which is ``D · N₁₊(u •) / a(u)``
  when nothing is dropped), so every distribution still sums to 1.

Counts are NumPy arrays (one level per order, sorted by context): a context is found by binary
search, so a whole distribution costs ``n`` searches, and the log-probabilities of a whole text
are computed at once. :meth:`NGramModel.save` writes them to one ``.npz``; :meth:`NGramModel.load`
reads them back without counting again.
"""

from __future__ import annotations

import json
import math

import numpy as np

from ..data.text import Vocab
from .reading import NGramReader, write

SMOOTHINGS = ("none", "add-k", "kneser-ney")
BOS, EOS, UNK = Vocab.BOS, Vocab.EOS, Vocab.UNK
_BITS = 16  # a context's ids are packed into one uint64 key, 16 bits each
MAX_VOCABULARY = 1 << _BITS
MAX_ORDER = 64 // _BITS + 1


def context_keys(contexts: np.ndarray) -> np.ndarray:
    """One uint64 per row of ids (``(N, m)``): the ids side by side, 16 bits each, so keys sort
    as the rows do. No columns: all zeros (the unigrams' one empty context)."""
    contexts = np.asarray(contexts, dtype=np.uint64).reshape(len(contexts), -1)
    keys = np.zeros(len(contexts), np.uint64)
    for column in range(contexts.shape[1]):
        keys = (keys << np.uint64(_BITS)) | contexts[:, column]
    return keys


class _Level:
    """The counts of one order ``m`` as sorted arrays: the contexts (the ``m - 1`` ids before) by
    key, and for each, the ids seen next (ascending) and their counts ``a``; ``totals`` is ``a(u)``
    and ``backoff`` is ``γ(u)``, both counted before pruning."""

    def __init__(self, keys, sizes, ids, a, totals, discount):
        self.keys = np.asarray(keys, np.uint64)
        self.sizes = np.asarray(sizes, np.int64)
        self.ids = np.asarray(ids, np.int64)
        self.a = np.asarray(a, np.float64)
        self.totals = np.asarray(totals, np.float64)
        self.discount = float(discount)
        # index arrays as NumPy's intp: int32 in Pyodide (wasm32), where repeat refuses int64 counts
        self.starts = np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.intp)
        owner = np.repeat(np.arange(len(self.keys), dtype=np.uint64), self.sizes.astype(np.intp))
        self.entry_keys = (owner << np.uint64(32)) | self.ids.astype(np.uint64)
        kept = np.maximum(self.a - self.discount, 0)
        kept_share = np.add.reduceat(kept, self.starts[:-1]) if len(kept) else np.zeros(0)
        self.backoff = 1 - kept_share / np.where(self.totals > 0, self.totals, 1)

    @classmethod
    def count(cls, rows: np.ndarray, counts: np.ndarray, discount: float | None, prune: int):
        """A level from distinct n-gram ``rows`` (lexicographic order) and their counts ``a``:
        the discount (Ney's, unless given) and ``a(u)`` from every row, then pruning."""
        counts = np.asarray(counts, np.int64)
        n1, n2 = int((counts == 1).sum()), int((counts == 2).sum())
        if discount is None:
            discount = n1 / (n1 + 2 * n2) if n1 + n2 else 0.5
        keys = context_keys(rows[:, :-1])
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
        totals = np.add.reduceat(counts, starts) if len(keys) else np.zeros(0, np.int64)
        keep = counts > prune
        kept_sizes = np.add.reduceat(keep.astype(np.int64), starts) if len(keys) else np.zeros(0, np.int64)
        has_entries = kept_sizes > 0
        return cls(
            keys[starts][has_entries],
            kept_sizes[has_entries],
            rows[keep, -1],
            counts[keep],
            totals[has_entries],
            discount,
        )

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each context key: its index here and whether it was seen."""
        j = np.searchsorted(self.keys, keys)
        found = j < len(self.keys)
        found[found] = self.keys[j[found]] == keys[found]
        return np.where(found, j, 0), found

    def counts_of(self, j: np.ndarray, found: np.ndarray, words: np.ndarray) -> np.ndarray:
        """``a(u w)`` for contexts ``j`` (where ``found``) and next tokens ``words`` (0 if unseen)."""
        wanted = (j.astype(np.uint64) << np.uint64(32)) | words.astype(np.uint64)
        e = np.searchsorted(self.entry_keys, wanted)
        hit = found & (e < len(self.entry_keys))
        hit[hit] = self.entry_keys[e[hit]] == wanted[hit]
        if not len(self.a):
            return np.zeros(len(words))
        return np.where(hit, self.a[np.minimum(e, len(self.a) - 1)], 0.0)

    def entries(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """The ids seen after context ``j`` and their counts."""
        return self.ids[self.starts[j] : self.starts[j + 1]], self.a[self.starts[j] : self.starts[j + 1]]

    def arrays(self, m: int) -> dict:
        """What :meth:`NGramModel.save` writes for this level (order ``m``)."""
        return {
            f"keys_{m}": self.keys,
            f"sizes_{m}": self.sizes.astype(np.uint32),
            f"ids_{m}": self.ids.astype(np.uint16),
            f"a_{m}": self.a.astype(np.uint32),
            f"totals_{m}": self.totals.astype(np.uint32),
        }


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
    """An n-gram language model: ``NGramModel(order, smoothing="none" | "add-k" | "kneser-ney",
    k=1.0, discount=None, prune=0)``.

    ``fit(sentences)`` counts lists of tokens (words or characters); ``prob(word, context)``,
    ``distribution(context)``, ``log_probs(sentences)``, ``perplexity(sentences)`` and
    ``generate(...)`` use the counts. Tokens outside the vocabulary count as ``<unk>``.
    """

    def __init__(
        self,
        order: int,
        smoothing: str = "none",
        k: float = 1.0,
        discount: float | None = None,
        prune: int = 0,
    ):
        if int(order) != order or not 1 <= order <= MAX_ORDER:
            raise ValueError(
                f"the order of an n-gram model is a whole number in [1, {MAX_ORDER}], got {order!r}"
            )
        if smoothing not in SMOOTHINGS:
            raise ValueError(f"smoothing must be one of {', '.join(SMOOTHINGS)}, got {smoothing!r}")
        if smoothing == "add-k" and not k > 0:
            raise ValueError(f"add-k smoothing needs k > 0, got {k}")
        if discount is not None and not 0 < discount < 1:
            raise ValueError(f"the Kneser–Ney discount must be in (0, 1), got {discount}")
        if prune and smoothing != "kneser-ney":
            raise ValueError(
                "only a Kneser–Ney model can be pruned (its lower orders take the dropped share)"
            )
        self.order, self.smoothing, self.k, self._discount = int(order), smoothing, float(k), discount
        self.prune = int(prune)
        self.vocab: Vocab | None = None
        self.levels: list[_Level] = []

    def __repr__(self):
        extra = (
            f", k={self.k}" if self.smoothing == "add-k" else f", prune={self.prune}" if self.prune else ""
        )
        return f"NGramModel({self.order}, smoothing={self.smoothing!r}{extra})"

    @property
    def discounts(self) -> list[float]:
        return [level.discount for level in self.levels]

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
        if len(vocab) > MAX_VOCABULARY:
            raise ValueError(f"an n-gram model counts at most {MAX_VOCABULARY} different tokens")
        self.vocab = vocab
        n = self.order
        windows = [self._windows(self._padded(sentence)) for sentence in sentences]
        rows = np.concatenate(windows) if windows else np.zeros((0, n), np.int64)
        top_rows, top_counts = _unique_rows(rows)
        levels = [(top_rows, top_counts)]
        for m in range(n - 1, 0, -1):
            if self.smoothing == "kneser-ney":
                top_rows, top_counts = self._continuation(top_rows, top_counts)
            else:
                top_rows, top_counts = _unique_rows(rows[:, n - m :])
            levels.insert(0, (top_rows, top_counts))
        self.levels = [
            _Level.count(r, c, self._discount, self.prune if m >= 3 else 0)
            for m, (r, c) in enumerate(levels, start=1)
        ]
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
        """``{(w_1, …, w_m): a}``: the order-``m`` counts kept (continuation counts below the top
        order for Kneser–Ney), as tokens. Default: the model's order."""
        m = m or self.order
        level, itos = self.levels[m - 1], self.vocab.itos
        out = {}
        for j, key in enumerate(level.keys.tolist()):
            context = tuple(itos[(key >> (_BITS * (m - 2 - i))) & (MAX_VOCABULARY - 1)] for i in range(m - 1))
            ids, a = level.entries(j)
            out.update({context + (itos[w],): int(c) for w, c in zip(ids.tolist(), a.tolist())})
        return out

    def context_total(self, context=()) -> int:
        """``a(u)`` of the top order for ``context`` (its count ``c(u)`` for an unsmoothed model; 0 unseen)."""
        level = self.levels[-1]
        j, found = level.find(context_keys(np.array([self._context_ids(context)], np.int64)))
        return int(level.totals[j[0]]) if found[0] else 0

    # ------------------------------------------------------------------ probabilities

    def _context_ids(self, context) -> tuple:
        """The last ``n - 1`` ids of ``<s> … <s> context`` (tokens outside the vocabulary → ``<unk>``)."""
        self._check_fitted()
        ids = [self.vocab.stoi[BOS]] * (self.order - 1) + self.vocab.encode(list(context)).tolist()
        return tuple(ids[len(ids) - (self.order - 1) :]) if self.order > 1 else ()

    def distribution(self, context=()) -> np.ndarray:
        """``p(w | context)`` for every token ``w`` of ``vocab.itos`` (0 for ``<s>``)."""
        return self._distribution(self._context_ids(context))

    def _distribution(self, context: tuple) -> np.ndarray:
        size = len(self.vocab)
        predictable = np.ones(size)
        predictable[self.vocab.stoi[BOS]] = 0
        p = predictable / (size - 1)
        for m in self._orders_used():
            level = self.levels[m - 1]
            j, found = level.find(
                context_keys(np.array([context[len(context) - (m - 1) :] if m > 1 else ()]))
            )
            ids, a = level.entries(int(j[0])) if found[0] else (np.zeros(0, np.int64), np.zeros(0))
            total = float(level.totals[j[0]]) if found[0] else 0.0
            if self.smoothing != "kneser-ney":
                counts = np.zeros(size)
                counts[ids] = a
                if self.smoothing == "add-k":
                    return predictable * (counts + self.k) / (total + self.k * (size - 1))
                return counts / total if total else counts
            if found[0]:
                p = p * level.backoff[j[0]]
                p[ids] += np.maximum(a - level.discount, 0) / total
        return p

    def _orders_used(self) -> range:
        """The orders a probability reads: all of them for Kneser–Ney, else only the top one."""
        return (
            range(1, self.order + 1) if self.smoothing == "kneser-ney" else range(self.order, self.order + 1)
        )

    def prob(self, word, context=()) -> float:
        """``p(word | context)``: ``context`` is the tokens before ``word`` (only the last ``n - 1``
        matter; fewer means the sentence's start)."""
        dist = self.distribution(context)
        return float(dist[self.vocab.encode([word])[0]])

    def window_probs(self, windows: np.ndarray) -> np.ndarray:
        """``p(w | u)`` for every row ``(u_1 … u_{n-1}, w)`` of ``windows`` at once."""
        self._check_fitted()
        windows = np.asarray(windows, np.int64).reshape(-1, self.order)
        words = windows[:, -1]
        size = len(self.vocab)
        p = np.full(len(windows), 1 / (size - 1))
        for m in self._orders_used():
            level = self.levels[m - 1]
            j, found = level.find(context_keys(windows[:, self.order - m : self.order - 1]))
            a = level.counts_of(j, found, words)
            total = np.where(found, level.totals[j] if len(level.totals) else 0.0, 0.0)
            if self.smoothing == "none":
                return np.divide(a, total, out=np.zeros_like(a), where=total > 0)
            if self.smoothing == "add-k":
                return (a + self.k) / (total + self.k * (size - 1))
            kept = np.maximum(a - level.discount, 0) / np.where(found, total, 1)
            if len(level.backoff):
                p = np.where(found, kept + level.backoff[j] * p, p)
        return p

    def log_probs(self, sentences) -> np.ndarray:
        """``log p(x_t | x_<t)`` of every predicted token of ``sentences`` in order, ``</s>`` included
        (``-inf`` where ``p = 0``)."""
        self._check_fitted()
        windows = [self._windows(self._padded(list(s))) for s in sentences]
        if not windows:
            return np.zeros(0)
        with np.errstate(divide="ignore"):
            return np.log(self.window_probs(np.concatenate(windows)))

    def log_likelihood(self, sentences) -> tuple[float, int]:
        """``(Σ log p(x_t | x_<t), number of predicted tokens)`` over ``sentences``, ``</s>`` included."""
        log_p = self.log_probs(sentences)
        return float(log_p.sum()), len(log_p)

    def perplexity(self, sentences) -> float:
        """``exp(-(1/N) Σ log p(x_t | x_<t))`` over the ``N`` predicted tokens (``inf`` when one has p = 0)."""
        total, count = self.log_likelihood(sentences)
        if count == 0:
            raise ValueError("perplexity of no tokens")
        return math.exp(-total / count)

    # ------------------------------------------------------------------ generation

    def generate(
        self,
        context=(),
        max_tokens: int = 20,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: np.random.Generator | None = None,
        stop_at_end: bool = True,
    ) -> list[str]:
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

    # ------------------------------------------------------------------ files

    def save(self, file) -> None:
        """The counts, settings and vocabulary as one compressed ``.npz`` (a path or a binary file)."""
        self._check_fitted()
        meta = {
            "order": self.order,
            "smoothing": self.smoothing,
            "k": self.k,
            "prune": self.prune,
            "discounts": self.discounts,
        }
        arrays = {
            name: value
            for m, level in enumerate(self.levels, start=1)
            for name, value in level.arrays(m).items()
        }
        np.savez_compressed(file, meta=np.array(json.dumps(meta)), itos=np.array(self.vocab.itos), **arrays)

    @classmethod
    def load(cls, file) -> "NGramModel":
        """A model written by :meth:`save`."""
        with np.load(file) as data:
            meta = json.loads(str(data["meta"]))
            model = cls(meta["order"], meta["smoothing"], k=meta["k"], prune=meta["prune"])
            model.vocab = Vocab(data["itos"].tolist())
            model.levels = [
                _Level(
                    data[f"keys_{m}"],
                    data[f"sizes_{m}"],
                    data[f"ids_{m}"],
                    data[f"a_{m}"],
                    data[f"totals_{m}"],
                    discount,
                )
                for m, discount in enumerate(meta["discounts"], start=1)
            ]
        return model


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
    return {
        "rows": rows,
        "columns": columns,
        "counts": [[counts.get((r, c), 0) for c in columns] for r in rows],
        "probabilities": [[float(model.distribution([r])[vocab.stoi[c]]) for c in columns] for r in rows],
        "row_totals": [model.context_total([r]) for r in rows],
        "tokens": len(tokens),
        "shown": len(shown),
        "sentences": len(sentences),
    }
