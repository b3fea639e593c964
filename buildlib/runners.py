"""`test` and `bench`: install what they need, build the site, then run pytest or the benchmarks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .common import CACHE, ROOT, log
from .environments import dev_python, ensure_chromium, numpy202_python
from .runtime import fetch_test_wheels
from .site import build


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
        code = subprocess.call(
            [numpy202_python(), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit"],
            cwd=ROOT,
            env=env202,
        )
        if code:
            return code
        log("every test: unit (newest NumPy), inside Pyodide, and end-to-end in Chromium")
    return subprocess.call([python, "-m", "pytest", *(pytest_args or ["tests"])], cwd=ROOT, env=env)


def bench(output: Path, only: list[str]) -> int:
    python = dev_python()
    ensure_chromium()
    build()
    return subprocess.call(
        [python, str(ROOT / "tests" / "bench.py"), "--output", str(output), *only], cwd=ROOT
    )
