"""Text as numbers: tokens, a vocabulary, context windows and padding (course sections 1, 3 and 4).

The pages on word vectors, language models and attention all start here::

    tokens = words("El perro ladra. The dog barks!")   # ['el', 'perro', 'ladra', '.', 'the', …]
    vocab = Vocab.build([tokens], min_count=1)
    ids = vocab.encode(tokens)                          # int64 array; unknown tokens → <unk>
    centres, contexts = context_pairs(ids, window=2)    # every (w_i, w_j) with 0 < |i - j| ≤ c
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable, Sequence

import numpy as np

# A word is a run of letters or digits, with inner apostrophes ("don't", "l'eau"); any other
# visible character is a token of its own (punctuation). Accented letters and ñ are letters.
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]", re.UNICODE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def normalize(text: str) -> str:
    """NFC Unicode (one code point per accented letter) with runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def words(text: str, lower: bool = True) -> list[str]:
    """The word and punctuation tokens of ``text`` (lower-cased unless ``lower=False``)."""
    text = normalize(text)
    return TOKEN.findall(text.lower() if lower else text)


def sentences(text: str) -> list[str]:
    """``text`` split after ``.``, ``!`` or ``?`` followed by white space."""
    return [s for s in SENTENCE_END.split(normalize(text)) if s]


class Vocab:
    """The vocabulary: token ↔ id, ``itos[id]`` and ``stoi[token]`` as in torchtext.

    Special tokens come first, in the order given; ``<unk>`` stands for every token outside the
    vocabulary (when it is one of the specials, else :meth:`encode` refuses unknown tokens).
    """

    PAD, UNK, BOS, EOS, MASK = "<pad>", "<unk>", "<s>", "</s>", "[MASK]"

    def __init__(self, itos: Sequence[str], counts: Sequence[int] | None = None):
        self.itos = list(itos)
        self.stoi = {token: i for i, token in enumerate(self.itos)}
        if len(self.stoi) != len(self.itos):
            raise ValueError("a vocabulary cannot list a token twice")
        self.counts = np.zeros(len(self.itos), np.int64) if counts is None else np.asarray(counts, np.int64)

    @classmethod
    def build(
        cls,
        token_lists: Iterable[Iterable[str]],
        *,
        min_count: int = 1,
        max_size: int | None = None,
        specials: Sequence[str] = ("<unk>",),
    ) -> "Vocab":
        """The tokens seen at least ``min_count`` times, most frequent first (ties alphabetical),
        at most ``max_size`` of them (specials included), after the ``specials``."""
        counter = Counter(token for tokens in token_lists for token in tokens)
        kept = sorted(
            (t for t, c in counter.items() if c >= min_count and t not in specials),
            key=lambda t: (-counter[t], t),
        )
        if max_size is not None:
            kept = kept[: max(0, max_size - len(specials))]
        itos = list(specials) + kept
        return cls(itos, [counter.get(t, 0) for t in itos])

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, token: str) -> bool:
        return token in self.stoi

    @property
    def unk_index(self) -> int | None:
        return self.stoi.get(self.UNK)

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """The ids of ``tokens`` (int64); unknown tokens get ``<unk>``'s id."""
        unk = self.unk_index
        ids = []
        for token in tokens:
            i = self.stoi.get(token, unk)
            if i is None:
                raise KeyError(f"{token!r} is not in the vocabulary (which has no <unk>)")
            ids.append(i)
        return np.array(ids, dtype=np.int64)

    def decode(self, ids: Iterable[int]) -> list[str]:
        return [self.itos[int(i)] for i in ids]

    def frequencies(self) -> np.ndarray:
        """Each token's share of all counted tokens, ``f(w) = count(w) / Σ count``."""
        total = self.counts.sum()
        return self.counts / total if total else np.zeros(len(self), np.float64)

    def to_dict(self) -> dict:
        return {"itos": self.itos, "counts": self.counts.tolist()}

    @classmethod
    def from_dict(cls, data: dict) -> "Vocab":
        return cls(data["itos"], data.get("counts"))


def context_pairs(ids: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (centre, context) pair of a token sequence: ``(w_i, w_j)`` for ``0 < |i - j| ≤ window``,
    ordered by ``i`` then by offset ``j - i`` from ``-window`` to ``window``."""
    ids = np.asarray(ids, dtype=np.int64)
    n = len(ids)
    offsets = [d for d in range(-window, window + 1) if d != 0]
    i = np.repeat(np.arange(n), len(offsets))
    j = i + np.tile(offsets, n)
    inside = (j >= 0) & (j < n)
    return ids[i[inside]], ids[j[inside]]


def context_windows(ids: np.ndarray, window: int, pad_id: int = -1) -> np.ndarray:
    """``(n, 2·window)`` array: row ``i`` holds the ids at ``i-window … i-1, i+1 … i+window``,
    ``pad_id`` past either end of the sequence (CBOW's context ``C_i`` of ``w_i``)."""
    ids = np.asarray(ids, dtype=np.int64)
    padded = np.concatenate([np.full(window, pad_id), ids, np.full(window, pad_id)])
    offsets = [d for d in range(-window, window + 1) if d != 0]
    return np.stack([padded[window + d : window + d + len(ids)] for d in offsets], axis=1)


def pad(
    sequences: Sequence[Sequence[int]], value: int = 0, max_length: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Sequences of ids as one ``(B, T)`` int64 array, shorter ones filled with ``value`` on the
    right (longer ones cut at ``max_length``), and their lengths ``(B,)``."""
    lengths = np.array(
        [len(s) if max_length is None else min(len(s), max_length) for s in sequences], dtype=np.int64
    )
    out = np.full((len(sequences), int(lengths.max(initial=0))), value, dtype=np.int64)
    for row, (s, n) in enumerate(zip(sequences, lengths)):
        out[row, :n] = np.asarray(s[:n], dtype=np.int64)
    return out, lengths
