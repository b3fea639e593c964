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
    np.savez_compressed(path, codes=codes, scales=scales,
                        words=np.frombuffer("\n".join(words).encode("utf-8"), np.uint8),
                        meta=np.frombuffer(json.dumps(meta).encode("utf-8"), np.uint8))


def load(path: Path) -> tuple[VectorSet, dict]:
    """The vector set in a served file and its description."""
    with np.load(path) as data:
        words = bytes(data["words"]).decode("utf-8").split("\n")
        vectors = data["codes"].astype(np.float32) * data["scales"][:, None]
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
    return VectorSet(words, vectors), meta


class FormatError(ValueError):
    """A vectors text file that cannot be read; ``line`` is 1-based (0: the file as a whole)."""

    def __init__(self, reason: str, line: int = 0):
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.reason, self.line = reason, line


def parse_text(text: str, max_words: int | None = None) -> VectorSet:
    """Vectors in the word2vec/GloVe text format: an optional header ``count dimension``, then one
    line per word, ``word x_1 … x_d``. Every line must have the same ``d``; a repeated word keeps
    its first vector; at most ``max_words`` words are read."""
    lines = [line for line in io.StringIO(text).read().splitlines() if line.strip()]
    if not lines:
        raise FormatError("the file is empty")
    first = lines[0].split()
    start = 1 if len(first) == 2 and all(part.isdigit() for part in first) else 0
    words, rows, line_numbers, dim = [], [], [], None
    seen = set()
    for number, line in enumerate(lines[start:], start=start + 1):
        word, _, rest = line.strip().partition(" ")
        values = rest.split()
        if dim is None:
            dim = len(values)
            if dim == 0:
                raise FormatError("a line needs a word and its numbers", number)
        if len(values) != dim:
            raise FormatError(f"expected {dim} numbers, found {len(values)}", number)
        if word in seen:
            continue
        seen.add(word)
        words.append(word)
        rows.append(values)
        line_numbers.append(number)
        if max_words is not None and len(words) >= max_words:
            break
    try:
        vectors = np.array(rows, dtype=np.float32)
    except ValueError:
        bad = next(i for i, row in enumerate(rows) if not _numbers(row))
        raise FormatError("a value is not a number", line_numbers[bad]) from None
    if not np.isfinite(vectors).all():
        raise FormatError("the vectors hold infinite or undefined values")
    return VectorSet(words, vectors)


def _numbers(values: list[str]) -> bool:
    try:
        np.array(values, dtype=np.float32)
    except ValueError:
        return False
    return True
