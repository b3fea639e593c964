"""A digit drawn on the page, normalised as MNIST normalised its scans.

MNIST (LeCun et al.) normalised each scanned digit in three steps, which ``normalize_drawing``
repeats for a digit drawn on the page, so the network sees what it was trained on:

1. crop to the bounding box of the ink;
2. scale to fit a 20×20 box, keeping the aspect ratio, anti-aliased (area averaging);
3. place it in a 28×28 image so that its centre of mass ``(Σ p·y / Σ p, Σ p·x / Σ p)``
   falls on the centre of the image, ``(13.5, 13.5)`` in pixel coordinates.
"""

from __future__ import annotations

import numpy as np

from ..data.digits import CENTRE, SIZE

BOX = 20


def area_weights(n_in: int, n_out: int) -> np.ndarray:
    """``(n_out, n_in)`` matrix ``R`` of area averaging: ``R[i, j]`` = the fraction of output cell
    ``i`` (the interval ``[i·s, (i+1)·s)`` of input coordinates, ``s = n_in / n_out``) that input
    cell ``j = [j, j+1)`` covers. Rows sum to 1, so ``R @ v`` is anti-aliased resampling of ``v``."""
    scale = n_in / n_out
    lo = np.arange(n_out)[:, None] * scale
    j = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(lo + scale, j + 1) - np.maximum(lo, j), 0, None)
    return overlap / scale


def normalize_drawing(ink: np.ndarray) -> np.ndarray:
    """A drawing (2-D array, ink ≥ 0, any size) as an MNIST digit: ``(28, 28)`` uint8, 0 = paper.

    Returns all zeros when there is no ink. The brightest pixel of the result is 255.
    """
    ink = np.asarray(ink, dtype=np.float64)
    rows, cols = np.nonzero(ink > 0)
    out = np.zeros((SIZE, SIZE))
    if rows.size == 0:
        return out.astype(np.uint8)
    crop = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    h, w = crop.shape
    s = BOX / max(h, w)
    oh, ow = max(1, round(h * s)), max(1, round(w * s))
    box = area_weights(h, oh) @ crop @ area_weights(w, ow).T
    box = box / box.max()
    total = box.sum()
    cy = (box.sum(axis=1) @ np.arange(oh)) / total
    cx = (box.sum(axis=0) @ np.arange(ow)) / total
    top = int(np.clip(round(CENTRE - cy), 0, SIZE - oh))
    left = int(np.clip(round(CENTRE - cx), 0, SIZE - ow))
    out[top : top + oh, left : left + ow] = box
    return np.round(out * 255).astype(np.uint8)
