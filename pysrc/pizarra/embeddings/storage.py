"""Vector sets on disk: the compact file the site serves, and the word2vec/GloVe text format.

The served file (``.npz``) holds each vector as 8-bit integers and one scale per word,
``v ≈ scale · q`` with ``q = round(127 · v / max|v|)`` — a cosine changes by well under 0.01 —
the words as UTF-8 lines, and the set's description (corpus, model, settings) as JSON.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from .vectors import VectorSet


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(codes int8 (n, d), scales float32 (n,))`` with ``vectors ≈ scales[:, None] · codes``."""
    vectors = np.asarray(vectors, np.float32)
    scales = np.abs(vectors).max(axis=1) / 127
    codes = np.round(vectors / np.where(scales > 0, scales, 1)[:, None])
    return codes.astype(np.int8), scales.astype(np.float32)


def save(path: Path, words: list[str], vectors: np.ndarray, meta: dict) -> None:
    codes, scales = quantise(vectors)
    np.savez_compressed(
        path,
        codes=codes,
        scales=scales,
        words=np.frombuffer("\n".join(words).encode("utf-8"), np.uint8),
        meta=np.frombuffer(json.dumps(meta).encode("utf-8"), np.uint8),
    )


def load(path: Path) -> tuple[VectorSet, dict]:
    """The vector set in a served file and its description."""
    with np.load(path) as data:
        words = bytes(data["words"]).decode("utf-8").split("\n")
        vectors = data["codes"].astype(np.float32) * data["scales"][:, None]
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
    return VectorSet(words, vectors), meta


MAX_DIM = 1000  # dimensions of a vectors file: the published sets have 50 to 300
MAX_VALUES = (
    20_000_000  # numbers of a vectors file (80 MB as float32): with d dimensions, at most this // d words
)


class FormatError(ValueError):
    """A vectors text file that cannot be read: ``code`` says why, ``line`` where (1-based; 0: the
    file as a whole), ``details`` the numbers the page words it with:

    ``empty`` (no lines), ``no-numbers`` (a word without its numbers), ``dimensions`` (``expected``
    numbers, ``found`` others), ``not-a-number``, ``not-finite``, ``header-words`` (the header
    ``declared`` a number of words, the file holds ``found``), ``too-many-dimensions``
    (``dim`` over ``limit``), ``too-many-words`` (over ``limit`` words of ``dim`` dimensions)."""

    def __init__(self, code: str, line: int = 0, **details):
        super().__init__(f"line {line}: {code} {details}" if line else f"{code} {details}")
        self.code, self.line, self.details = code, line, details


def max_words(dim: int, max_words: int | None = None) -> int:
    """The most words of ``dim`` dimensions a file may hold."""
    most = MAX_VALUES // max(dim, 1)
    return most if max_words is None else min(most, max_words)


def parse_text(text: str, max_words_read: int | None = None) -> tuple[VectorSet, int]:
    """Vectors in the word2vec/GloVe text format, and how many repeated words were dropped: an
    optional header ``count dimension``, then one line per word, ``word x_1 … x_d``. The header,
    when there is one, must tell the truth (``count`` lines of ``dimension`` numbers); every line
    has the same ``d``, at most :data:`MAX_DIM`; a repeated word keeps its first vector; at most
    :func:`max_words` words (``max_words_read`` at most). Anything else raises :class:`FormatError`."""
    lines = [line for line in io.StringIO(text).read().splitlines() if line.strip()]
    if not lines:
        raise FormatError("empty")
    first = lines[0].split()
    header = len(first) == 2 and all(part.isdigit() for part in first)
    declared, dim = (int(first[0]), int(first[1])) if header else (None, None)
    if dim is not None:
        if not 1 <= dim <= MAX_DIM:
            raise FormatError("too-many-dimensions", 1, dim=dim, limit=MAX_DIM)
        if declared > max_words(dim, max_words_read):
            raise FormatError(
                "too-many-words", 1, words=declared, dim=dim, limit=max_words(dim, max_words_read)
            )
    start = 1 if header else 0
    words, rows, line_numbers = [], [], []
    seen, repeated = set(), 0
    for number, line in enumerate(lines[start:], start=start + 1):
        word, _, rest = line.strip().partition(" ")
        values = rest.split()
        if dim is None:
            dim = len(values)
            if dim == 0:
                raise FormatError("no-numbers", number)
            if dim > MAX_DIM:
                raise FormatError("too-many-dimensions", number, dim=dim, limit=MAX_DIM)
        if len(values) != dim:
            raise FormatError("dimensions", number, expected=dim, found=len(values))
        if word in seen:
            repeated += 1
            continue
        seen.add(word)
        words.append(word)
        rows.append(values)
        line_numbers.append(number)
        if len(words) > max_words(dim, max_words_read):
            raise FormatError(
                "too-many-words", number, words=len(words), dim=dim, limit=max_words(dim, max_words_read)
            )
    if declared is not None and declared != len(lines) - 1:
        raise FormatError("header-words", 1, declared=declared, found=len(lines) - 1)
    try:
        vectors = np.array(rows, dtype=np.float32)
    except ValueError:
        bad = next(i for i, row in enumerate(rows) if not _numbers(row))
        raise FormatError("not-a-number", line_numbers[bad]) from None
    if not np.isfinite(vectors).all():
        raise FormatError("not-finite")
    return VectorSet(words, vectors), repeated


def _numbers(values: list[str]) -> bool:
    try:
        np.array(values, dtype=np.float32)
    except ValueError:
        return False
    return True
