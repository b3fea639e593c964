"""Images of handwritten digits: MNIST's normalisation of a drawing, and training augmentation.

MNIST (LeCun et al.) normalised each scanned digit in three steps, which ``normalize_drawing``
repeats for a digit drawn on the page, so the network sees what it was trained on:

1. crop to the bounding box of the ink;
2. scale to fit a 20×20 box, keeping the aspect ratio, anti-aliased (area averaging);
3. place it in a 28×28 image so that its centre of mass ``(Σ p·y / Σ p, Σ p·x / Σ p)``
   falls on the centre of the image, ``(13.5, 13.5)`` in pixel coordinates.

``augment`` draws random small changes of a batch of 28×28 digits (shift, rotation, scale,
stroke thickness), so a network trained on scans also reads digits drawn with a mouse.
"""

from __future__ import annotations

import numpy as np

SIZE = 28
BOX = 20
CENTRE = (SIZE - 1) / 2


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
    crop = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
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
    out[top:top + oh, left:left + ow] = box
    return np.round(out * 255).astype(np.uint8)


def _bilinear(images: np.ndarray, y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Sample ``images`` (N, H, W) at real coordinates ``y, x`` (N, H, W); zero outside."""
    n, height, width = images.shape
    y0, x0 = np.floor(y).astype(np.intp), np.floor(x).astype(np.intp)
    fy, fx = y - y0, x - x0
    batch = np.arange(n)[:, None, None]
    out = np.zeros(y.shape, dtype=np.float32)
    for dy, wy in ((0, 1 - fy), (1, fy)):
        for dx, wx in ((0, 1 - fx), (1, fx)):
            yy, xx = y0 + dy, x0 + dx
            inside = (yy >= 0) & (yy < height) & (xx >= 0) & (xx < width)
            out += np.where(inside, images[batch, np.clip(yy, 0, height - 1), np.clip(xx, 0, width - 1)], 0) * wy * wx
    return out


def _neighbours(images: np.ndarray, reduce) -> np.ndarray:
    """``reduce`` (np.maximum or np.minimum) of each pixel and its 4 neighbours (zero outside)."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    out = images.copy()
    for dy, dx in ((0, 1), (2, 1), (1, 0), (1, 2)):
        out = reduce(out, padded[:, dy:dy + images.shape[1], dx:dx + images.shape[2]])
    return out


def augment(images: np.ndarray, rng: np.random.Generator, *, shift=2.5, degrees=12.0,
            scale=(0.85, 1.15), thicken=0.25, thin=0.1) -> np.ndarray:
    """Randomly transformed copies of ``images`` (N, 28, 28), values in [0, 1].

    Each image gets its own affine map about the centre ``c``: rotation by ``θ ~ U(±degrees)``,
    scaling by ``σ ~ U(scale)``, shift ``t ~ U(±shift)`` pixels per axis; the output pixel ``p``
    reads the input at ``c + R(-θ)(p - c - t) / σ`` (bilinear). Then, with probability ``thicken``,
    the strokes grow by one pixel (maximum over the 4-neighbourhood), or with probability
    ``thin`` they shrink (minimum over it).
    """
    n = images.shape[0]
    theta = np.deg2rad(rng.uniform(-degrees, degrees, n))[:, None, None]
    sigma = rng.uniform(*scale, n)[:, None, None]
    ty, tx = (rng.uniform(-shift, shift, n)[:, None, None] for _ in range(2))
    grid_y, grid_x = np.meshgrid(np.arange(SIZE) - CENTRE, np.arange(SIZE) - CENTRE, indexing="ij")
    py, px = grid_y[None] - ty, grid_x[None] - tx
    cos, sin = np.cos(theta), np.sin(theta)
    src_y = (cos * py - sin * px) / sigma + CENTRE
    src_x = (sin * py + cos * px) / sigma + CENTRE
    out = _bilinear(images.astype(np.float32), src_y, src_x)
    stroke = rng.random(n)
    grow, shrink = stroke < thicken, (stroke >= thicken) & (stroke < thicken + thin)
    out[grow] = _neighbours(out[grow], np.maximum)
    out[shrink] = _neighbours(out[shrink], np.minimum)
    return out
