"""Make ``pizarra`` importable from the source tree when it is not installed."""

import pathlib
import sys

try:
    import pizarra  # noqa: F401
except ImportError:
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "pysrc"))
