"""The functions the site's pages call, by name, through the engine worker.

Arguments and results are plain JSON; no model logic lives here: each function wires a page's
request to the models in the rest of `pizarra` and shapes the answer for the page. One module
per page; each lists its callable functions in ``__all__`` and declares their arguments with
:func:`pizarra.demos.door.takes`, which :func:`call` checks before any work starts.
"""

from __future__ import annotations

import json
import math
import traceback

import numpy as np

from pizarra.backend import BackendFailure

from . import attention, backprop, cnn, embeddings, engine, lm
from .door import Refused, check_fields

MODULES = [engine, backprop, cnn, embeddings, lm, attention]


def register(modules) -> dict:
    """``{name: function}`` of every module's ``__all__``; two functions with one name are refused
    (the page would silently call the wrong one)."""
    functions = {}
    for module in modules:
        for name in module.__all__:
            if name in functions:
                raise ValueError(
                    f"two demo functions named {name!r} (in {module.__name__} and another module)"
                )
            functions[name] = getattr(module, name)
    return functions


DEMOS = register(MODULES)
# name -> (argument kinds, required names) of every function that declares them (door.takes)
DECLARED = {
    name: (function.arguments, function.required)
    for name, function in DEMOS.items()
    if hasattr(function, "arguments")
}


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
    """Run the demo function `name` with keyword arguments decoded from JSON; answer in JSON.
    Arguments its declaration refuses raise :class:`~pizarra.demos.door.Refused` before it runs."""
    if name not in DEMOS:
        raise Refused("unknown-function", value=name)
    args = json.loads(args_json)
    if not isinstance(args, dict):
        raise Refused("wrong-type", None, "object", args)
    if name in DECLARED:
        args = check_fields(*DECLARED[name], args)
    return json.dumps(to_json(DEMOS[name](**args)), allow_nan=False)


DETAILS_LINE = 300  # characters of each line of an unexpected error's details
DETAILS_LINES = 40


def answer(name: str, args_json: str) -> str:
    """:func:`call` as the worker asks it: ``{"value": …}``, ``{"refused": {code, field, limit,
    value}}``, or, for anything unexpected, ``{"failed": {"message", "details"}}`` (Python's last
    line and traceback, cut short: a page shows them only behind a details toggle). A GPU failure
    and a stop (KeyboardInterrupt) pass through: the worker handles them."""
    try:
        return '{"value": ' + call(name, args_json) + "}"
    except Refused as refusal:
        return json.dumps({"refused": refusal.as_json()})
    except BackendFailure:
        raise
    except Exception as error:
        lines = [line[:DETAILS_LINE] for line in traceback.format_exc().splitlines()[-DETAILS_LINES:]]
        message = f"{type(error).__name__}: {error}"[:DETAILS_LINE]
        return json.dumps({"failed": {"message": message, "details": "\n".join(lines)}})
