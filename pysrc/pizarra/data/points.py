"""Two-class data sets in the plane, for watching a small network learn (course, section 2).

Every set has points ``x = (x₁, x₂)`` in about ``[-1, 1]²`` and labels
``y ∈ {0, 1}``; ``noise`` is the standard deviation of Gaussian jitter added
to the points after they are labelled, so classes overlap as it grows.

- ``rain``: the course's predicate — rain (``y = 1``) when ``x₁`` and ``x₂``
  are both large or both small, i.e. ``x₁ x₂ > 0`` with points uniform in the
  square. One layer cannot represent it; one hidden layer can.
- ``xor``: four clusters at ``(±½, ±½)``, ``y = 1`` where the signs differ.
- ``circles``: a disc of radius ½ (``y = 1``) inside a ring of radii ¾ to 1.
- ``spirals``: two interleaved spirals of 1¾ turns.
"""

from __future__ import annotations

import numpy as np

DATASETS = ("rain", "xor", "circles", "spirals")


def make(name: str, n: int, noise: float, generator: np.random.Generator):
    """``(x, y)``: ``n`` points ``(n, 2)`` float32 and labels ``(n,)`` float32 (half of each class
    for ``xor``, ``circles`` and ``spirals``)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(DATASETS)}")
    half = np.arange(n) % 2  # alternating labels: balanced classes
    if name == "rain":
        x = generator.uniform(-1, 1, (n, 2))
        y = (x[:, 0] * x[:, 1] > 0).astype(float)
    elif name == "xor":
        signs = np.stack([np.where(generator.random(n) < 0.5, -1, 1), np.where(half == 1, -1, 1)], axis=1)
        signs[:, 1] *= signs[:, 0]  # y = 1 exactly when the two signs differ
        x = 0.5 * signs + generator.normal(0, 0.12, (n, 2))
        y = (signs[:, 0] != signs[:, 1]).astype(float)
    elif name == "circles":
        radius = np.where(half == 1, 0.5 * np.sqrt(generator.random(n)), generator.uniform(0.75, 1.0, n))
        angle = generator.uniform(0, 2 * np.pi, n)
        x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
        y = half.astype(float)
    else:  # spirals
        t = generator.uniform(0.05, 1, n)
        angle = 1.75 * 2 * np.pi * t + np.pi * half
        x = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
        y = half.astype(float)
    x = x + generator.normal(0, noise, x.shape) if noise > 0 else x
    return x.astype(np.float32), y.astype(np.float32)


def split(x, y, validation: float, generator: np.random.Generator):
    """A random train/validation split: ``(x_train, y_train, x_val, y_val)`` with
    ``round(validation · n)`` validation points (at least one of each set)."""
    n = len(x)
    n_val = min(n - 1, max(1, round(validation * n)))
    order = generator.permutation(n)
    val, train = order[:n_val], order[n_val:]
    return x[train], y[train], x[val], y[val]
