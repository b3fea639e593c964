"""The project-local environments the commands need: the virtual environments (.venv with the
newest NumPy and the test and build tools, .venv-numpy202 with the browser's NumPy), node_modules
from package-lock.json, and Debian's chromium for the browser tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .common import ROOT, BuildError, log, run, up_to_date

VENV = ROOT / ".venv"
VENV_NUMPY202 = ROOT / ".venv-numpy202"
NODE_MODULES = ROOT / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")


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
    """The project venv: newest NumPy, test, build and lint tools, pizarra installed editable."""
    return ensure_venv(
        VENV,
        [
            "numpy",
            "setuptools>=70",
            "pytest>=8",
            "playwright==1.65.2",
            "gensim==4.4.0",
            "sacrebleu==2.6.0",
            "nbformat==5.11.1",
            "nbclient==0.11.0",
            "ruff==0.17.6",
        ],
        editable=True,
    )


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
        raise BuildError(
            f"the end-to-end tests need Chromium at {CHROMIUM}: run `sudo apt-get install -y chromium`."
        )
    log("installing Debian's chromium for the browser tests")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, stdout=subprocess.DEVNULL)
    return CHROMIUM
