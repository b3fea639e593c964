"""The computational graph as data, for pages that draw it.

``trace(output)`` lists every node of the graph that produced ``output``,
inputs before the results that use them. After ``output.backward()`` each
node carries its gradient ``∂output/∂node``. The course's example::

    x = pizarra.tensor(3.0, requires_grad=True, name="x")   # likewise y, z, w
    r = ((x * y) + pizarra.maximum(z, w)) * 2
    r.backward()
    pizarra.trace(r)
    # [{'id': 0, 'op': 'input', 'inputs': [], 'value': 3.0, 'grad': -8.0, 'label': 'x'}, ...
    #  {'id': 8, 'op': 'mul', 'inputs': [6, 7], 'value': -20.0, 'grad': 1.0, 'label': None}]
"""

import numpy as np

from .tensor import topological_order


def _plain(array):
    """A NumPy array as Python floats / nested lists (JSON-able)."""
    return None if array is None else np.asarray(array).tolist()


def trace(output):
    """The graph of ``output`` as a list of plain dicts in topological order.

    Each node: ``id`` (position in the list), ``op`` (``"input"`` for
    tensors that require gradients and were not computed, ``"const"`` for
    other leaves such as the ``2`` in ``(...) * 2``, else the operation name
    such as ``"mul"`` or ``"maximum"``), ``inputs`` (ids), ``value``,
    ``grad`` (``None`` before ``backward`` or for constants), ``label``
    (the tensor's ``name``, or ``None``) and ``function`` (the dotted name of
    the operation's class, e.g. ``"pizarra.ops.Mul"``; ``None`` for leaves).
    """
    order = topological_order(output)
    ids = {id(node): i for i, node in enumerate(order)}
    nodes = []
    for i, node in enumerate(order):
        fn = node.grad_fn
        if fn is not None:
            op = fn.name
        else:
            op = "input" if node.requires_grad else "const"
        nodes.append(
            {
                "id": i,
                "op": op,
                "inputs": [ids[id(parent)] for parent in fn.inputs] if fn is not None else [],
                "value": _plain(node.data),
                "grad": _plain(node.grad),
                "label": node.name,
                "function": f"{type(fn).__module__}.{type(fn).__qualname__}" if fn is not None else None,
            }
        )
    return nodes
