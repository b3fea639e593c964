"""Word vectors seen in 2-D: PCA and t-SNE.

- PCA: the centred vectors ``X - mean`` projected on their first two principal directions
  (the top right singular vectors of the centred matrix); each axis's sign is fixed so that
  its largest coordinate is positive, so the picture does not flip between runs.
- t-SNE (van der Maaten and Hinton 2008), exact, for a few hundred words: input affinities
  ``p_{j|i} ∝ exp(-|x_i - x_j|² / 2σ_i²)`` with ``σ_i`` set by binary search so each row has the
  chosen perplexity ``2^H(P_i)``, symmetrised ``p_ij = (p_{j|i} + p_{i|j}) / 2n``; output
  affinities ``q_ij ∝ (1 + |y_i - y_j|²)^-1``; gradient descent on ``KL(P‖Q)`` with
  ``∂KL/∂y_i = 4 Σ_j (p_ij - q_ij)(y_i - y_j)(1 + |y_i - y_j|²)^-1``, early exaggeration,
  momentum and per-coordinate gains. Input distances are cosine-based (``|x̂_i - x̂_j|²`` on unit vectors).
"""

from __future__ import annotations

import numpy as np


def pca(vectors: np.ndarray, dims: int = 2) -> np.ndarray:
    x = np.asarray(vectors, np.float64)
    x = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    y = x @ vt[:dims].T
    signs = np.sign(y[np.abs(y).argmax(axis=0), np.arange(y.shape[1])])
    return y * np.where(signs == 0, 1, signs)


def _conditional_affinities(sq_distances: np.ndarray, perplexity: float, iterations: int = 60) -> np.ndarray:
    """Rows ``p_{j|i}`` whose entropy is ``log2 perplexity``, by bisection on ``β_i = 1/2σ_i²``."""
    n = len(sq_distances)
    target = np.log(perplexity)
    low, high = np.zeros(n), np.full(n, np.inf)
    beta = np.ones(n)
    off_diagonal = ~np.eye(n, dtype=bool)
    for _ in range(iterations):
        logits = -sq_distances * beta[:, None]
        logits[~off_diagonal] = -np.inf
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        entropy = -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0), axis=1)
        too_flat = entropy > target  # entropy too high: σ too wide, raise β
        low = np.where(too_flat, beta, low)
        high = np.where(too_flat, high, beta)
        beta = np.where(np.isinf(high), beta * 2, (low + high) / 2)
    return p


def tsne(
    vectors: np.ndarray,
    perplexity: float = 15.0,
    iterations: int = 500,
    seed: int = 0,
    learning_rate: float = 50.0,
) -> np.ndarray:
    """2-D t-SNE coordinates ``(n, 2)`` of the rows of ``vectors`` (``n ≥ 2``)."""
    x = np.asarray(vectors, np.float64)
    n = len(x)
    if n < 2:
        return np.zeros((n, 2))
    unit = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    sq = np.maximum(2 - 2 * unit @ unit.T, 0)
    p = _conditional_affinities(sq, min(perplexity, (n - 1) / 3))
    p = np.maximum((p + p.T) / (2 * n), 1e-12)
    y = np.random.default_rng(seed).normal(0, 1e-4, (n, 2))
    velocity, gains = np.zeros_like(y), np.ones_like(y)
    for step in range(iterations):
        exaggeration = 12.0 if step < 100 else 1.0
        momentum = 0.5 if step < 100 else 0.8
        diff = y[:, None, :] - y[None, :, :]
        kernel = 1 / (1 + np.sum(diff**2, axis=2))
        np.fill_diagonal(kernel, 0)
        q = np.maximum(kernel / kernel.sum(), 1e-12)
        grad = 4 * np.einsum("ij,ijk->ik", (exaggeration * p - q) * kernel, diff)
        # per-coordinate step sizes ("gains", as in van der Maaten's code): grow while the gradient
        # keeps pushing the same way as the velocity, shrink when it turns
        gains = np.where(np.sign(grad) != np.sign(velocity), gains + 0.2, gains * 0.8).clip(0.01)
        velocity = momentum * velocity - learning_rate * gains * grad
        y = y + velocity
        y -= y.mean(axis=0)
    return y


def project(vectors: np.ndarray, method: str = "pca", seed: int = 0) -> np.ndarray:
    if method == "pca":
        return pca(vectors)
    if method == "tsne":
        return tsne(vectors, seed=seed)
    raise ValueError("method is 'pca' or 'tsne'")
