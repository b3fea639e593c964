"""An n-gram model's counts as sorted NumPy arrays (:mod:`.ngram` smooths them).

Each order ``m`` is one :class:`CountLevel`: the contexts (the ``m - 1`` ids before a token),
each packed into one uint64 key (:func:`context_keys`) and sorted, so a context is found by binary
search; for each context the ids seen next and their counts ``a``.

For the trigrams of "the cat sat" (ids <s> 0, </s> 1, <unk> 2, cat 3, sat 4, the 5), one level
holds::

    keys    [key(<s> <s>), key(<s> the), key(cat sat), key(the cat)]   one per context, sorted
    sizes   [1, 1, 1, 1]                                                tokens seen after each
    ids     [the, cat, </s>, sat]                                       those tokens, by context
    a       [1, 1, 1, 1]                                                their counts a(u w)
    totals  [1, 1, 1, 1]                                                a(u), before pruning

A key puts the context's ids side by side, 16 bits each (so ids stay below 65,536 and a context
has at most four of them), which makes keys sort as the contexts do.
"""

from __future__ import annotations

import numpy as np

KEY_BITS = 16  # a context's ids are packed into one uint64 key, 16 bits each


def context_keys(contexts: np.ndarray) -> np.ndarray:
    """One uint64 per row of ids (``(N, m)``): the ids side by side, 16 bits each, so keys sort
    as the rows do. No columns: all zeros (the unigrams' one empty context)."""
    contexts = np.asarray(contexts, dtype=np.uint64).reshape(len(contexts), -1)
    keys = np.zeros(len(contexts), np.uint64)
    for column in range(contexts.shape[1]):
        keys = (keys << np.uint64(KEY_BITS)) | contexts[:, column]
    return keys


class CountLevel:
    """The counts of one order ``m`` as sorted arrays: the contexts (the ``m - 1`` ids before) by
    key, and for each, the ids seen next (ascending) and their counts ``a``; ``totals`` is ``a(u)``
    and ``backoff`` is ``γ(u)``, both counted before pruning."""

    def __init__(self, keys, sizes, ids, a, totals, discount):
        self.keys = np.asarray(keys, np.uint64)
        self.sizes = np.asarray(sizes, np.intp)  # counts of entries index arrays: intp (32 bits in Pyodide)
        self.ids = np.asarray(ids, np.int64)
        self.a = np.asarray(a, np.float64)
        self.totals = np.asarray(totals, np.float64)
        self.discount = float(discount)
        self.starts = np.concatenate([[0], np.cumsum(self.sizes)])
        owner = np.repeat(np.arange(len(self.keys), dtype=np.uint64), self.sizes)
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


def unique_rows(rows: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
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
