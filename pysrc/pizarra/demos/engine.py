"""What any page may ask of the engine: versions, a self-check, and the source of pizarra's code."""

from __future__ import annotations

import importlib
import inspect
import platform

import numpy as np

import pizarra
from pizarra import backend

__all__ = ["engine_info", "engine_check", "engine_source"]


def engine_info() -> dict:
    """What the engine runs: versions, the array backend in use (``numpy`` or ``webgpu``) and how it
    was chosen (``backend_mode``, ``calibration``), the GPU adapter, and why NumPy replaced the GPU
    if it did (``fallback_reason``: lost, memory, shader, no-jspi, no-webgpu, no-adapter …)."""
    status = backend.status()
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pizarra": pizarra.__version__,
        "backend": status["backend_active"],
        **status,
    }


def engine_check() -> dict:
    """The course's backprop example, r = ((x * y) + max(z, w)) * 2, through pizarra's autograd."""
    x, y, z, w = (pizarra.Tensor(v, requires_grad=True) for v in (3.0, -4.0, 2.0, 0.0))
    r = ((x * y) + pizarra.maximum(z, w)) * 2
    r.backward()
    return {"r": r.item(), "grad": {name: t.grad.item() for name, t in zip("xyzw", (x, y, z, w))}}


def engine_source(name: str) -> dict:
    """The real source of a pizarra module, class or function, by dotted name ("pizarra.ops.Mul").

    Only names inside the pizarra package resolve; nothing is evaluated.
    """
    if not (name == "pizarra" or name.startswith("pizarra.")) or not all(part.isidentifier() for part in name.split(".")):
        raise ValueError(f"not a name inside pizarra: {name!r}")
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            obj = getattr(obj, attribute)
        break
    module = inspect.getmodule(obj)
    if module is None or not (module.__name__ == "pizarra" or module.__name__.startswith("pizarra.")):
        raise ValueError(f"not a name inside pizarra: {name!r}")
    lines, first = inspect.getsourcelines(obj)
    return {"name": name, "file": inspect.getsourcefile(obj).split("site-packages/")[-1].split("pysrc/")[-1],
            "first_line": first if first else 1, "source": "".join(lines)}
