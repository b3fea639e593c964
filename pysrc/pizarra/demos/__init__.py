"""The functions the site's pages call, by name, through the engine worker.

Arguments and results are plain JSON; no model logic lives here: each function wires a page's
request to the models in the rest of `pizarra` and shapes the answer for the page. One module
per page; each lists its callable functions in ``__all__``.
"""

from __future__ import annotations

import json
import math

import numpy as np

from . import attention, backprop, cnn, embeddings, engine, lm

MODULES = [engine, backprop, cnn, embeddings, lm, attention]


def register(modules) -> dict:
    """``{name: function}`` of every module's ``__all__``; two functions with one name are refused
    (the page would silently call the wrong one)."""
    functions = {}
    for module in modules:
        for name in module.__all__:
            if name in functions:
                raise ValueError(f"two demo functions named {name!r} (in {module.__name__} and another module)")
            functions[name] = getattr(module, name)
    return functions


DEMOS = register(MODULES)


def to_json(value):
    """NumPy arrays and scalars as lists and numbers; non-finite floats as the strings JSON lacks."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_json(value.tolist())
    if isinstance(value, np.generic):
        return to_json(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def call(name: str, args_json: str) -> str:
    """Run the demo function `name` with keyword arguments decoded from JSON; answer in JSON."""
    if name not in DEMOS:
        raise ValueError(f"unknown demo function {name!r}; known: {', '.join(sorted(DEMOS))}")
    args = json.loads(args_json)
    if not isinstance(args, dict):
        raise TypeError("demo arguments must be a JSON object")
    return json.dumps(to_json(DEMOS[name](**args)), allow_nan=False)
