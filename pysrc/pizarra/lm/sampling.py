"""Choosing the next token from a model's distribution (course, section 3: temperature, greedy, top-k).

Both kinds of model on the page hand over ``p(· | x_<t)``; the same rule turns it into a token::

    q_i ∝ p_i^(1/τ)  = softmax(log p / τ)     temperature τ: < 1 sharper, > 1 flatter
    top-k: keep the k largest q_i (ties: the lower id), set the rest to 0, renormalise
    τ = 0: greedy, the most probable token (the lowest id among ties)

A token is then drawn by inverting the cumulative distribution at one uniform number
``u ~ U[0, 1)`` from the run's generator, so the same seed gives the same text on every NumPy.
"""

from __future__ import annotations

import numpy as np

MAX_TEMPERATURE = 5.0


def most_probable(probabilities, k: int) -> np.ndarray:
    """The ids of the ``k`` largest values, largest first, ties by the lower id: the same as
    ``np.argsort(-p, kind="stable")[:k]``, in linear time (a step of a 10 000-word model sorts no
    more than its candidates)."""
    p = np.asarray(probabilities)
    if k >= len(p):
        return np.argsort(-p, kind="stable")[:k]
    if k <= 0:
        return np.zeros(0, np.int64)
    threshold = np.partition(p, len(p) - k)[len(p) - k]  # the k-th largest value
    candidates = np.flatnonzero(p >= threshold)  # ascending ids, ties included
    return candidates[np.argsort(-p[candidates], kind="stable")][:k]


def reweight(probabilities, temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
    """The distribution actually sampled from: ``p`` sharpened or flattened by ``temperature``
    and cut to its ``top_k`` most probable tokens (``None`` or 0: all)."""
    p = np.asarray(probabilities, dtype=np.float64)
    if not 0 <= temperature <= MAX_TEMPERATURE:
        raise ValueError(f"temperature must be in [0, {MAX_TEMPERATURE:g}], got {temperature}")
    if top_k is not None and top_k < 0:
        raise ValueError(f"top-k must be ≥ 0, got {top_k}")
    if not p.sum() > 0:
        raise ValueError("the distribution is all zeros")
    if temperature == 0:
        q = np.zeros_like(p)
        q[int(np.argmax(p))] = 1.0
        return q
    with np.errstate(divide="ignore"):
        logits = np.log(p) / temperature
    q = np.exp(logits - logits.max())
    if top_k:
        keep = most_probable(q, top_k)
        cut = np.zeros_like(q)
        cut[keep] = q[keep]
        q = cut
    return q / q.sum()


def sample(
    probabilities,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: np.random.Generator | None = None,
) -> int:
    """One token id drawn from :func:`reweight` ``(p, temperature, top_k)`` with ``generator``."""
    q = reweight(probabilities, temperature, top_k)
    generator = np.random.default_rng(0) if generator is None else generator
    u = generator.random()
    index = int(np.searchsorted(np.cumsum(q), u * q.sum(), side="right"))
    return min(index, int(np.flatnonzero(q)[-1]))  # u·Σq may round up to the total
