"""Make ``pizarra`` importable from the source tree when it is not installed, and the tests' shared
helpers (tests/*.py) importable by name."""

import pathlib
import sys

sys.path.append(str(pathlib.Path(__file__).resolve().parents[1]))
try:
    import pizarra  # noqa: F401
except ImportError:
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "pysrc"))


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def mnist_data():
    """The prepared MNIST digits (sprites and mnist.json): build.py's cache in CPython, the built
    site's copy (dist/data, mounted with the repository) inside Pyodide."""
    root = pathlib.Path(__file__).resolve().parents[2]
    if sys.platform == "emscripten":
        return root / "dist" / "data"
    sys.path.insert(0, str(root))
    from buildlib import datasets

    return datasets.mnist_dir()
