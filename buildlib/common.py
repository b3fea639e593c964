"""What every build job shares: the tree's paths, the per-user download cache, the error a user can
act on, logging, running a command, hashing files and the stamps that make a job run only when its
inputs changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
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
