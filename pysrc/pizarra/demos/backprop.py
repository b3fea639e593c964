"""The Backprop page: an expression's computational graph, and a training lab.

``backprop_graph`` parses an expression (:mod:`pizarra.backprop.expression`), runs pizarra's
forward and backward passes and returns every node with its value, ``∂r/∂node``, the gradient
each of its edges carries and where its operation's code is. ``backprop_lab_start`` /
``backprop_lab_train`` / ``backprop_lab_inspect`` drive one :class:`pizarra.backprop.lab.TrainingRun`
kept in the engine between calls, so the page can train in chunks of steps and stay responsive.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math

import numpy as np

from pizarra import notebooks
from pizarra.backprop import expression, lab
from pizarra.graph import trace
from pizarra.notebooks import backprop as notebook_recipe
from pizarra.tensor import topological_order

from .door import NOTEBOOK, Flag, Maybe, Number, Record, Refused, Table, Text, Whole, settings, takes

__all__ = [
    "backprop_graph",
    "backprop_lab_start",
    "backprop_lab_train",
    "backprop_lab_inspect",
    "backprop_notebook",
]

BOUNDARY_EXTENT = 1.3  # the decision boundary is drawn over [-1.3, 1.3]²
BOUNDARY_CELLS = 64
_run = None  # the page's current TrainingRun
NOTEBOOK_REPLAY = 2000  # steps a notebook request may replay itself when the page's run is not there
MAX_STEPS_PER_CALL = 5000
MAX_LAYER = lab.RANGES["depth"][1]  # a network has depth + 1 linear layers: 0 … depth
EXPRESSION = Text(expression.MAX_LENGTH)
# a variable's name cannot be longer than the expression that holds it
VALUES = Table(Text(expression.MAX_LENGTH), Number(), expression.MAX_VARIABLES)
LAB = {**settings(lab), "early_stopping": Flag()}


# --- the computational graph ----------------------------------------------------------


@takes(expression_text=EXPRESSION, values=VALUES)
def backprop_graph(expression_text: str, values: dict) -> dict:
    """Nodes of ``expression_text`` at ``values`` (missing variables are 1), or the parse error.

    Result: ``{"variables", "nodes", "output"}``; each node as :func:`pizarra.trace` gives it,
    plus ``edge_grads`` (``∂r/∂input`` through this node, one per input, from the operation's
    own ``backward``), ``source`` (where forward and backward are) and ``issue`` (why a value
    is not finite: ``"div-zero"``, ``"log-nonpositive"``, ``"nonfinite"``). On a bad expression:
    ``{"error": {"code", "position", "message", "details"}}``. (The door has checked that every
    value is a finite number.)
    """
    try:
        tree = expression.parse(expression_text)
    except expression.ExpressionError as error:
        return {
            "error": {
                "code": error.code,
                "position": error.position,
                "message": str(error),
                "details": error.details,
            }
        }
    values = {name: float(values.get(name, 1.0)) for name in tree.variables}
    with np.errstate(all="ignore"):
        output = expression.build(tree, values)
        if output.requires_grad:
            output.backward()
        nodes = trace(output)
        functions = [tensor.grad_fn for tensor in topological_order(output)]
        for node, fn in zip(nodes, functions):
            node["edge_grads"] = list(_edge_grads(fn, node["grad"]))
            node["source"] = _source_lines(node["function"]) if node["function"] else None
            node["issue"] = _issue(node, nodes)
    return {
        "variables": [{"name": name, "value": values[name]} for name in tree.variables],
        "nodes": nodes,
        "output": len(nodes) - 1,
    }


def _edge_grads(fn, grad):
    """What the node's backward sends along each input edge (``None`` where nothing flows)."""
    if fn is None or grad is None:
        return []
    sent = fn.backward(np.float64(grad))
    sent = sent if isinstance(sent, tuple) else (sent,)
    return [None if g is None or not parent.requires_grad else float(g) for g, parent in zip(sent, fn.inputs)]


def _issue(node, nodes):
    """Why a node's value or gradient is not finite: the operation that caused it, or inherited."""
    numbers = [node["value"]] + ([node["grad"]] if node["grad"] is not None else [])
    if all(math.isfinite(v) for v in numbers):
        return None
    inputs = [nodes[i]["value"] for i in node["inputs"]]
    if node["op"] == "div" and inputs[1] == 0:
        return "div-zero"
    if node["op"] == "log" and inputs[0] <= 0:
        return "log-nonpositive"
    return "nonfinite"


_SOURCES = {}


def _source_lines(function_name: str) -> dict:
    """``{"name", "forward": [first, last], "backward": [first, last]}``, lines counted from the
    class's first line (0-based), as the page's code panel highlights them."""
    if function_name not in _SOURCES:
        module_name, _, class_name = function_name.rpartition(".")
        cls = getattr(importlib.import_module(module_name), class_name)
        _, class_first = inspect.getsourcelines(cls)
        spans = {}
        for method in ("forward", "backward"):
            lines, first = inspect.getsourcelines(getattr(cls, method))
            spans[method] = [first - class_first, first - class_first + len(lines) - 1]
        _SOURCES[function_name] = {"name": function_name, **spans}
    return _SOURCES[function_name]


# --- the training lab ---------------------------------------------------------------------


@takes(**LAB)
def backprop_lab_start(**config) -> dict:
    """Start a run from a configuration (the fields of :class:`pizarra.backprop.lab.Config`).

    Returns the data (``[x₁, x₂, y]`` rows for training and validation), the layer shapes, the
    untrained network's decision boundary and ``max_steps``, where a run stops for good.
    """
    global _run
    _run = lab.TrainingRun(lab.Config(**config))
    return {
        "train": np.column_stack([_run.x_train, _run.y_train]).round(4),
        "val": np.column_stack([_run.x_val, _run.y_val]).round(4),
        "layers": [list(layer.weight.shape) for layer in _run.layers],
        "steps_per_epoch": _run.steps_per_epoch,
        "boundary": _boundary(_run),
        "max_steps": lab.MAX_STEPS,
    }


@takes(
    steps=Whole(0, MAX_STEPS_PER_CALL),
    inspect_layer=Maybe(Whole(0, MAX_LAYER)),
    since=Maybe(Whole(0, lab.MAX_STEPS)),
)
def backprop_lab_train(steps: int, inspect_layer: int | None = None, since: int | None = None) -> dict:
    """Advance the current run by up to ``steps`` steps (at most MAX_STEPS_PER_CALL a call).

    Returns what happened in those steps — ``grad_norms`` (one row of ``‖∂J/∂W_l‖`` per step),
    ``epochs`` finished — and the state after them: ``step``, ``stopped``, ``best_epoch``, the
    decision ``boundary`` and, if ``inspect_layer`` is given, that layer's matrices. ``since``:
    what happened from that step on instead (a page whose call was stopped catches up with
    ``steps=0, since=<the last step it saw>``).
    """
    run = _current()
    if inspect_layer is not None:
        _check_layer(run, inspect_layer, "inspect_layer")
    first_step = run.step_count if since is None else min(since, run.step_count)
    run.run(steps)
    return {
        "step": run.step_count,
        "grad_norms": run.grad_norms[first_step:],
        "epochs": [epoch for epoch in run.epochs if epoch["step"] > first_step],
        "stopped": run.stopped,
        "best_epoch": run.best_epoch,
        "boundary": _boundary(run),
        "inspect": backprop_lab_inspect(inspect_layer) if inspect_layer is not None else None,
    }


@takes(layer=Whole(0, MAX_LAYER))
def backprop_lab_inspect(layer: int) -> dict | None:
    """Layer ``layer``'s ``y = W x`` at the latest step, in the course's column layout:
    ``W`` ``(out, in)``, ``x`` ``(in, B)`` (one column per example), ``dy = ∂L/∂y`` ``(out, B)``
    and ``dW = ∂J/∂W = (∂L/∂y) xᵀ (+ 2λW)`` ``(out, in)``; ``None`` before the first step."""
    run = _current()
    _check_layer(run, layer, "layer")
    if run.last_step is None:
        return None
    step = run.last_step[layer]
    return {
        "layer": layer,
        "W": step["W"],
        "x": step["x"].T,
        "dy": step["dy"].T,
        "dW": step["dW"],
        "l2": run.config.l2,
    }


def _current():
    if _run is None:
        raise Refused("needs-first", limit="backprop_lab_start")
    return _run


def _check_layer(run, layer, field):
    if layer >= len(run.layers):
        raise Refused("out-of-range", field, [0, len(run.layers) - 1], layer)


def _boundary(run) -> dict:
    """``ŷ = σ(o)`` on a square grid, rows from top (x₂ = +extent) to bottom."""
    axis = np.linspace(-BOUNDARY_EXTENT, BOUNDARY_EXTENT, BOUNDARY_CELLS)
    x1, x2 = np.meshgrid(axis, axis[::-1])
    p = run.probabilities(np.column_stack([x1.ravel(), x2.ravel()]))
    return {"extent": BOUNDARY_EXTENT, "size": BOUNDARY_CELLS, "p": p.round(3)}


# --- the notebook ---------------------------------------------------------------------------


@takes(
    **NOTEBOOK,
    expression_text=EXPRESSION,
    values=VALUES,
    lab_config=Record(LAB, partial=True),
    trained=Whole(0, lab.MAX_STEPS),
)
def backprop_notebook(
    language: str, link: str, site: dict, expression_text: str, values: dict, lab_config: dict, trained: int
) -> dict:
    """The page as a Jupyter notebook (:mod:`pizarra.notebooks.backprop`): the expression at
    ``values`` and the lab run of ``lab_config``: the page's own run at the step it has reached, or
    (before the page has one) a new run of ``trained`` steps, at most ``NOTEBOOK_REPLAY``. Its
    ``result`` is what the page shows, computed here as the page computes it."""
    graph = backprop_graph(expression_text, values)
    if "error" in graph:
        raise Refused("bad-format", "expression_text", "expression", expression_text)
    values = {v["name"]: v["value"] for v in graph["variables"]}
    config = lab.Config(**lab_config)
    if _run is not None and _run.config == config and _run.step_count > 0:
        run = _run  # the page's own run, at the step it has reached (a chunk may be in flight)
    elif trained <= NOTEBOOK_REPLAY:
        run = lab.TrainingRun(config)
        run.run(trained)
    else:  # the page is preparing its run: the notebook can be asked again then
        raise Refused("needs-first", "trained", "backprop_lab_start")
    nodes = graph["nodes"]
    result = {
        "r": nodes[graph["output"]]["value"],
        "gradients": {node["label"]: node["grad"] for node in nodes if node["op"] == "input"},
        "steps": run.step_count,
        "last_epoch": run.epochs[-1] if run.epochs else None,
    }
    return notebooks.page_notebook(
        "backprop",
        language,
        ("Retropropagación paso a paso", "Backpropagation step by step"),
        link,
        site,
        [],
        lambda notebook: notebook_recipe.build(
            notebook, expression_text, values, dataclasses.asdict(config), run.step_count
        ),
        result,
    )
