"""What any page may ask of the engine: versions, a self-check, and the source of pizarra's code."""

from __future__ import annotations

import importlib
import inspect
import platform

import numpy as np

import pizarra
from pizarra import backend

from .door import Refused, Text, takes

__all__ = ["engine_info", "engine_check", "engine_source"]
MAX_NAME = 200  # characters of a dotted name engine_source looks up


@takes()
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


@takes()
def engine_check() -> dict:
    """The course's backprop example, r = ((x * y) + max(z, w)) * 2, through pizarra's autograd."""
    x, y, z, w = (pizarra.Tensor(v, requires_grad=True) for v in (3.0, -4.0, 2.0, 0.0))
    r = ((x * y) + pizarra.maximum(z, w)) * 2
    r.backward()
    return {"r": r.item(), "grad": {name: t.grad.item() for name, t in zip("xyzw", (x, y, z, w))}}


@takes(name=Text(MAX_NAME, form="name"))
def engine_source(name: str) -> dict:
    """The real source of a pizarra module, class or function, by dotted name ("pizarra.ops.Mul").

    Only names inside the pizarra package resolve (any other is ``not-found``); nothing is evaluated.
    """
    if not (name == "pizarra" or name.startswith("pizarra.")):
        raise Refused("not-found", "name", value=name)
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            obj = getattr(obj, attribute, None)
        break
    module = inspect.getmodule(obj) if obj is not None else None
    if module is None or not (module.__name__ == "pizarra" or module.__name__.startswith("pizarra.")):
        raise Refused("not-found", "name", value=name)
    try:
        lines, first = inspect.getsourcelines(obj)
    except (OSError, TypeError):  # a name with no source of its own (a namespace, a constant)
        raise Refused("not-found", "name", value=name) from None
    return {
        "name": name,
        "file": inspect.getsourcefile(obj).split("site-packages/")[-1].split("pysrc/")[-1],
        "first_line": first if first else 1,
        "source": "".join(lines),
    }
