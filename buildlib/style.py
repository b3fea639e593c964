"""The formatters and linters: ruff for Python (pyproject.toml's [tool.ruff]), Prettier and ESLint
for the front end (.prettierrc.json, .prettierignore, eslint.config.mjs), from PyPI and npm into
.venv and node_modules like every other tool. `fmt` rewrites the tree; `checks` are what
tests/test_style.py runs, so `build.py test` (and CI) fails when the tree drifts from them."""

from __future__ import annotations

from pathlib import Path

from .common import ROOT, log, run
from .environments import NODE_MODULES, dev_python, ensure_node_modules

PRETTIER = NODE_MODULES / ".bin" / "prettier"
ESLINT = NODE_MODULES / ".bin" / "eslint"


def checks(python: Path) -> dict[str, list]:
    """{name: command run in the repository's root that fails on drift}, with ruff from `python`."""
    return {
        "ruff check": [python, "-m", "ruff", "check", "--no-cache", "."],
        "ruff format": [python, "-m", "ruff", "format", "--check", "--no-cache", "."],
        "prettier": [PRETTIER, "--check", "--log-level", "warn", "."],
        "eslint": [ESLINT, "--no-cache", "."],
    }


def fmt() -> int:
    """Format the whole tree: imports sorted and code formatted by ruff, the front end by Prettier."""
    python = dev_python()
    ensure_node_modules()
    log("formatting Python (ruff) and the front end (Prettier)")
    run([python, "-m", "ruff", "check", "--select", "I", "--fix", "--no-cache", "."], cwd=ROOT)
    run([python, "-m", "ruff", "format", "--no-cache", "."], cwd=ROOT)
    run([PRETTIER, "--write", "--log-level", "warn", "."], cwd=ROOT)
    return 0
