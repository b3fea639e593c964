"""Spanish word vectors made from English ones through a bilingual dictionary: no Spanish text is
learned from; the rows of the English table are given Spanish names.

The dictionary (``embeddings_dictionary_es_en.tsv``, :mod:`pizarra.embeddings.apertium`) lists
Spanish word forms with their English translations, Apertium's default first:

1. A form takes the unit vector of its first English translation among the English set's
   :data:`COMMON` most frequent words (else its first one the set has at all: Apertium's default
   can be a rare word, ``amor`` → "amour" before "love"); a form read several ways (``vino``: the noun "wine", the verb form "came") keeps the readings
   of its best rank in :data:`RANK` and takes the mean of their vectors.
2. Forms with the same translations get the same vector, cosine 1: English does not tell them
   apart. A set of such twins keeps its base forms (infinitives, singular nouns, adjectives,
   names…: ``trabajar`` and ``trabajo`` are both "work") and, of its inflected forms, only those
   of the best rank among the twins (``caminó`` and ``caminado`` are both "walked": the preterite
   stays, the participle goes). Past the first, a twin stays only if the Spanish corpus uses it
   (a rare synonym would only repeat its twin's neighbours).
3. Words are ordered by their count in the Spanish corpus (most frequent first), then by their
   English translation's rank in the English set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import numpy as np

from .vectors import VectorSet

# The rank of each kind of reading (lower: preferred when a form is read several ways).
RANK = {
    "v.inf": 0,
    "n.sg": 1,
    "adj": 1,
    "adv": 1,
    "pr": 1,
    "num": 1,
    "det": 1,
    "prn": 1,
    "cnjcoo": 1,
    "cnjsub": 1,
    "cnjadv": 1,
    "ij": 1,
    "np.loc": 2,
    "np.al": 2,
    "n.pl": 3,
    "v.pres.3sg": 4,
    "v.past.3sg": 4,
    "v.ger": 5,
    "v.part": 6,
}
BASE_RANK = 2  # ranks up to this are base forms: kept even when they have twins
COMMON = 30_000  # a translation among the English set's first COMMON words is preferred


def read_dictionary(path: Path) -> list[tuple[str, str, str, list[str]]]:
    """``(spanish, lemma, form, [english, …])`` per line of the dictionary file (``#``: comments)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            spanish, lemma, form, english = line.split("\t")
            rows.append((spanish, lemma, form, english.split("|")))
    return rows


def mapped_vectors(
    rows, english: VectorSet, counts: Mapping[str, int], keep=lambda word: True
) -> tuple[list[str], np.ndarray]:
    """The Spanish words of ``rows`` (lower-cased, those ``keep`` accepts) that have an English
    translation in ``english``, and their vectors ``(n, english.dim)``, following the module's
    rules; ``counts`` are the words' counts in a Spanish corpus."""
    readings: dict[str, list[tuple[int, str]]] = {}
    for spanish, _, form, translations in rows:
        word = spanish.lower()
        found = [t.lower() for t in translations if english.find(t.lower()) is not None]
        found.sort(key=lambda t: english.index[t] >= COMMON)  # stable: the dictionary's order otherwise
        if found and keep(word):
            readings.setdefault(word, []).append((RANK[form], found[0]))
    words = sorted(readings)
    rank = {w: min(r for r, _ in readings[w]) for w in words}
    meaning = {w: tuple(sorted({t for r, t in readings[w] if r == rank[w]})) for w in words}
    english_rank = {w: min(english.index[t] for t in meaning[w]) for w in words}
    words.sort(key=lambda w: (-counts.get(w, 0), english_rank[w], w))
    twins: dict[tuple, list[str]] = {}
    for word in words:
        twins.setdefault(meaning[word], []).append(word)
    kept = set()
    for group in twins.values():
        best = min(rank[w] for w in group)
        allowed = [
            w for w in group if rank[w] <= max(best, BASE_RANK) and (rank[w] <= BASE_RANK or rank[w] == best)
        ]
        kept.update(w for i, w in enumerate(allowed) if i == 0 or counts.get(w, 0) > 0)
    words = [w for w in words if w in kept]
    vectors = np.array(
        [english.unit[[english.index[t] for t in meaning[w]]].mean(axis=0) for w in words], np.float32
    )
    return words, vectors.reshape(len(words), english.dim)
