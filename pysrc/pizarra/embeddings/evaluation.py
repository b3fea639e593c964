"""Evaluating word vectors (course, section 1): similarity judgements and analogies.

- Similarity: Spearman's rank correlation between the humans' scores of word pairs and the
  cosines of their vectors, over the pairs whose two words are in the vocabulary (the
  *coverage*), with ``pizarra.metrics.spearman`` (Pearson's correlation of the ranks).
- Analogies: the share of questions ``a : b :: c : d`` whose best answer (3CosAdd or 3CosMul,
  query words excluded) is ``d``, over the questions whose four words are in the vocabulary.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..metrics import spearman
from .vectors import VectorSet


def similarity(vectors: VectorSet, pairs: Sequence[tuple[str, str, float]]) -> dict:
    """``{"spearman", "covered", "total"}`` of a similarity set of ``(word1, word2, score)``."""
    found = [(vectors.find(a), vectors.find(b), s) for a, b, s in pairs]
    found = [(i, j, s) for i, j, s in found if i is not None and j is not None]
    result = {"spearman": None, "covered": len(found), "total": len(pairs)}
    if len(found) >= 2:
        i, j, human = map(np.array, zip(*found))
        cosines = np.einsum("nd,nd->n", vectors.unit[i], vectors.unit[j])
        result["spearman"] = spearman(human, cosines)
    return result


SCORES_AT_ONCE = 400_000  # entries of a batch's (questions × vocabulary) score matrix


def analogies(
    vectors: VectorSet,
    questions: Sequence[tuple[str, str, str, str]],
    method: str = "add",
    batch: int | None = None,
) -> dict:
    """``{"accuracy", "correct", "covered", "total"}`` of analogy questions ``(a, b, c, d)``, scored
    ``batch`` questions at a time: by default as many as keep a batch's scores near
    ``SCORES_AT_ONCE``, so that no single NumPy call runs long (a page's Stop lands between two)."""
    found = [tuple(vectors.find(w) for w in q) for q in questions]
    found = np.array([q for q in found if None not in q], np.int64).reshape(-1, 4)
    batch = batch or max(8, min(256, SCORES_AT_ONCE // max(1, len(vectors))))
    correct = 0
    for start in range(0, len(found), batch):
        a, b, c, d = found[start : start + batch].T
        correct += int((vectors.analogy_scores(a, b, c, method).argmax(axis=1) == d).sum())
    return {
        "accuracy": correct / len(found) if len(found) else None,
        "correct": correct,
        "covered": len(found),
        "total": len(questions),
    }


def pair_questions(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """Analogies from word pairs of one relation: ``a₁ : b₁ :: a₂ : b₂`` for every two distinct
    pairs (as Google's capital–country questions)."""
    return [(a1, b1, a2, b2) for a1, b1 in pairs for a2, b2 in pairs if a1 != a2]


def evaluate(vectors: VectorSet, benchmarks: dict, language: str) -> dict:
    """Every benchmark of ``language`` in ``benchmarks`` (``{"similarity": {name: {"language",
    "pairs"}}, "analogy": {name: {"language", "questions"} or {"language", "pairs"}}}``, the
    latter expanded by :func:`pair_questions`): ``{name: result}``, analogies with both 3CosAdd
    (``name``) and 3CosMul (``name/mul``)."""
    results = {}
    for name, item in benchmarks["similarity"].items():
        if item["language"] == language:
            results[name] = similarity(vectors, item["pairs"])
    for name, item in benchmarks["analogy"].items():
        if item["language"] == language:
            questions = item["questions"] if "questions" in item else pair_questions(item["pairs"])
            results[name] = analogies(vectors, questions, "add")
            results[name + "/mul"] = analogies(vectors, questions, "mul")
    return results
