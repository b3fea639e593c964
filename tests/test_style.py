"""The tree is as `python3 build.py fmt` leaves it and the linters find nothing: ruff (check and
format) for Python, Prettier and ESLint for the front end (buildlib/style.py)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from buildlib import style  # noqa: E402

CHECKS = style.checks(Path(sys.executable))


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_the_tree_passes(name):
    result = subprocess.run(
        [str(c) for c in CHECKS[name]], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (
        f"{name} (fix, or run python3 build.py fmt):\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
    )
