"""The committed artefacts a page's models read (weights, vector sets, vocabularies).

They live in the repository's ``pysrc/pizarra/weights/`` and the site serves each one at
``data/<name>``; they are not in the wheel (except LeNet-5's, which the CNN page needs at once),
so the wheel every visit downloads stays small. In the browser the engine's worker fetches an
asset into Pyodide's file system before the call that needs it (``engine.call(fn, args,
{assets: [name]})``) and lists that folder in ``PIZARRA_ASSETS``; in CPython the repository's
folder is used.
"""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY_FOLDER = Path(__file__).resolve().parent.parent / "weights"


def folders() -> list[Path]:
    """Where assets are looked for, in order: ``$PIZARRA_ASSETS`` (``os.pathsep``-separated), then
    the package's own ``weights/`` folder."""
    listed = [Path(p) for p in os.environ.get("PIZARRA_ASSETS", "").split(os.pathsep) if p]
    return listed + [REPOSITORY_FOLDER]


def path(name: str) -> Path:
    """The file of asset ``name`` (a bare file name such as ``"lm_lstm_en.npz"``)."""
    if not name or Path(name).name != name:
        raise ValueError(f"an asset is named by its file name alone, got {name!r}")
    for folder in folders():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"asset {name!r} is not loaded (looked in {', '.join(map(str, folders()))}); "
                            "the page must ask the engine for it with {assets: [name]}")
