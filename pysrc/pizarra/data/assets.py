"""The committed artefacts a page's models read (weights, vector sets, vocabularies).

They live in the repository's ``pysrc/pizarra/weights/`` and the site serves each one at
``data/<name>``; they are not in the wheel (except LeNet-5's, which the CNN page needs at once),
so the wheel every visit downloads stays small. In the browser the engine's worker fetches an
asset into Pyodide's file system before the call that needs it (``engine.call(fn, args,
{assets: [name]})``) and lists that folder in ``PIZARRA_ASSETS``; in CPython the repository's
folder is used, or (in a notebook exported from a page, with pizarra installed from the wheel) the
folder :func:`download` filled from the site.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

REPOSITORY_FOLDER = Path(__file__).resolve().parent.parent / "weights"
_downloaded = []  # folders filled by download(), searched after $PIZARRA_ASSETS


def folders() -> list[Path]:
    """Where assets are looked for, in order: ``$PIZARRA_ASSETS`` (``os.pathsep``-separated), then
    the package's own ``weights/`` folder."""
    listed = [Path(p) for p in os.environ.get("PIZARRA_ASSETS", "").split(os.pathsep) if p]
    return listed + _downloaded + [REPOSITORY_FOLDER]


def sha256_of(file: Path) -> str:
    """The file's sha256 (hex): what a notebook pins each asset it downloads by."""
    return hashlib.sha256(Path(file).read_bytes()).hexdigest()


def _check_name(name: str) -> None:
    if not name or Path(name).name != name:
        raise ValueError(f"an asset is named by its file name alone, got {name!r}")


def download(files: dict[str, str], base_url: str, folder: str | Path) -> list[str]:
    """Fetch the assets ``files`` (name → the sha256 a notebook was made with) from ``base_url`` (a
    site's ``data/``) into ``folder``, each unless a file with that sha256 is already there, and look
    for assets there from now on. Returns the names whose file the site now serves differs (the
    site was rebuilt since). For a notebook's Python: CPython, or Pyodide in the site's notebook app."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, sha256 in files.items():
        _check_name(name)
        target = folder / name
        if not (target.is_file() and sha256_of(target) == sha256):
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(_fetch_bytes(base_url + name))
            partial.replace(target)
            if sha256_of(target) != sha256:
                changed.append(name)
    if folder not in _downloaded:
        _downloaded.append(folder)
    return changed


def _fetch_bytes(url: str) -> bytes:
    """The bytes at ``url``. Python in a browser (Pyodide) has no sockets: there the browser fetches
    them, synchronously, which a worker allows (the notebook app's kernel runs in one)."""
    if sys.platform == "emscripten":
        from js import XMLHttpRequest  # Pyodide's bridge to the browser's globals

        request = XMLHttpRequest.new()
        request.open("GET", url, False)
        request.responseType = "arraybuffer"
        request.send()
        if request.status != 200:
            raise OSError(f"{url} answered HTTP {request.status}")
        return request.response.to_bytes()
    import urllib.request  # not at the top: the page's engine never downloads this way

    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def path(name: str) -> Path:
    """The file of asset ``name`` (a bare file name such as ``"lm_lstm_en.npz"``)."""
    _check_name(name)
    for folder in folders():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"asset {name!r} is not loaded (looked in {', '.join(map(str, folders()))}); "
        "the page must ask the engine for it with {assets: [name]}"
    )
