"""Subword units by byte-pair encoding (Sennrich et al. 2016), so that rare and inflected words are
pieces of known ones instead of ``<unk>``: "trabajamos" → ``▁trabaj`` ``amos``.

Learning starts from each word's characters, the first marked ``▁`` (a word starts here, as in
SentencePiece), and repeats ``merges`` times::

    (a, b) = the most frequent pair of adjacent symbols, counted over the training words
             (each word as often as it occurs; ties: the pair that sorts first)
    replace every adjacent a b by the new symbol ab

Encoding a word applies the learned merges in the order they were learned (the lowest-ranked pair
present first, as GPT-2's ``bpe()``), so the same code encodes in training and in the browser.
Characters never seen while learning become ``<unk>`` (``▁<unk>`` at a word's start). :func:`join` glues pieces back into words
and :func:`word_spans` says which pieces form each word (an attention map shown word by word).
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from typing import Iterable, Sequence

MARK = "▁"  # U+2581, the start of a word
UNK = "<unk>"


def _symbols(word: str) -> list[str]:
    return [MARK + word[0], *word[1:]] if word else []


class BPE:
    """A learned merge table: ``BPE(merges, alphabet)``; ``BPE.learn(word_counts, merges)``."""

    def __init__(self, merges: Sequence[Sequence[str]], alphabet: Iterable[str]):
        self.merges = [tuple(m) for m in merges]
        self.ranks = {pair: rank for rank, pair in enumerate(self.merges)}
        self.alphabet = set(alphabet)  # single characters
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def learn(cls, word_counts: dict[str, int], merges: int, min_count: int = 2) -> "BPE":
        """At most ``merges`` merges from ``{word: count}``; stops early when no pair occurs ``min_count`` times.
        The alphabet is every character seen at least ``min_count`` times (anywhere in a word)."""
        words = [(_symbols(w), c) for w, c in sorted(word_counts.items()) if w]
        alphabet_counts = Counter()
        for word, count in word_counts.items():
            for character in word:
                alphabet_counts[character] += count
        pairs: Counter = Counter()
        where: dict[tuple, set] = defaultdict(set)  # pair → the words it occurs in
        for index, (symbols, count) in enumerate(words):
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] += count
                where[pair].add(index)
        # The most frequent pair comes off a heap of (-count, pair); an entry whose count has changed
        # since it was pushed is stale and skipped (each change pushes the new count).
        heap = [(-c, p) for p, c in pairs.items()]
        heapq.heapify(heap)
        learned = []
        while len(learned) < merges and heap:
            negative, best = heapq.heappop(heap)
            if pairs.get(best) != -negative:
                continue
            if -negative < min_count:
                break
            learned.append(best)
            changed = set()
            merged = best[0] + best[1]
            for index in sorted(where.pop(best, ())):
                symbols, count = words[index]
                for pair in zip(symbols, symbols[1:]):  # forget the word's old pairs
                    pairs[pair] -= count
                    changed.add(pair)
                    if pairs[pair] <= 0:
                        del pairs[pair]
                new, i = [], 0
                while i < len(symbols):
                    if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                        new.append(merged)
                        i += 2
                    else:
                        new.append(symbols[i])
                        i += 1
                words[index] = (new, count)
                for pair in zip(new, new[1:]):  # and count its new ones
                    pairs[pair] += count
                    where[pair].add(index)
                    changed.add(pair)
            for pair in changed:
                if pairs.get(pair, 0) > 0:
                    heapq.heappush(heap, (-pairs[pair], pair))
        alphabet = {s for s, c in alphabet_counts.items() if c >= min_count}
        return cls(learned, alphabet)

    def encode_word(self, word: str) -> list[str]:
        """A word's pieces: its characters merged by rank; unseen characters as ``<unk>``."""
        if word not in self._cache:
            symbols = [
                s if s.removeprefix(MARK) in self.alphabet else (MARK + UNK if s.startswith(MARK) else UNK)
                for s in _symbols(word)
            ]
            while len(symbols) > 1:
                ranked = [
                    (self.ranks.get(pair, len(self.ranks)), i)
                    for i, pair in enumerate(zip(symbols, symbols[1:]))
                ]
                rank, i = min(ranked)
                if rank == len(self.ranks):
                    break
                symbols = symbols[:i] + [symbols[i] + symbols[i + 1]] + symbols[i + 2 :]
            self._cache[word] = symbols
        return self._cache[word]

    def encode(self, words: Iterable[str]) -> list[str]:
        """The pieces of a sequence of words, in order."""
        return [piece for word in words for piece in self.encode_word(word)]

    def vocabulary(self) -> list[str]:
        """Every piece the table can produce: each character alone or starting a word, each merge's
        result and ``<unk>`` (alone or starting a word), sorted."""
        singles = self.alphabet | {MARK + c for c in self.alphabet}
        return sorted(singles | {a + b for a, b in self.merges} | {UNK, MARK + UNK})

    def to_dict(self) -> dict:
        return {"merges": [list(m) for m in self.merges], "alphabet": sorted(self.alphabet)}

    @classmethod
    def from_dict(cls, data: dict) -> "BPE":
        return cls(data["merges"], data["alphabet"])


def word_spans(pieces: Sequence[str]) -> list[tuple[int, int]]:
    """``[(start, end), …]``: the pieces ``start … end - 1`` of each word (a word starts at a piece
    beginning with ``▁``; a piece without one, or ``<unk>``, continues the word before it)."""
    spans = []
    for i, piece in enumerate(pieces):
        if piece.startswith(MARK) or not spans:
            spans.append([i, i + 1])
        else:
            spans[-1][1] = i + 1
    return [tuple(s) for s in spans]


def join(pieces: Sequence[str]) -> list[str]:
    """The words the pieces spell (the ``▁`` marks removed)."""
    return ["".join(pieces[a:b]).replace(MARK, "") for a, b in word_spans(pieces)]
