"""When the GPU fails, NumPy carries on from the GPU arrays' last copies in main memory.

At the end of every call, the engine copies to main memory the GPU buffers that kernels wrote and
that are still alive (:func:`checkpoint`: one readback, none when nothing changed): model
parameters, gradients, optimiser state. When the GPU fails — lost, out of memory, a shader that
does not compile — :func:`bring_arrays_home` replaces every live GPU array, wherever Python holds
it (tensors' ``data`` and ``grad``, optimiser state, autograd caches, a console session's
variables), by a NumPy array with the values of that copy, and the engine runs the call again on
NumPy: from the state that the previous call left, as if the failed call had never started.

Values made on the GPU after the last copy are gone: such arrays become NaN. A call that fails
midway makes again what it needs, but Python state other than arrays that it changed before
failing (a step counter, a list of losses) is not rolled back.
"""

from __future__ import annotations

import gc
import types

import numpy as np
from numpy.lib.stride_tricks import as_strided

from . import device as D
from .gpu_array import F32, GPUArray


def checkpoint():
    """Copy the GPU buffers written since the last checkpoint to main memory (see the module docstring)."""
    dev = D.device()
    if dev is not None:
        dev.checkpoint()


def bring_arrays_home():
    """Replace every live GPU array by a NumPy array of its last copy, and let the device go.
    Returns how many GPU arrays were replaced."""
    arrays = [obj for obj in gc.get_objects() if isinstance(obj, GPUArray)]
    replacements = {id(array): host_copy(array) for array in arrays}
    _redirect(arrays, replacements)
    D.connect(None)
    return len(arrays)


def host_copy(array):
    """A GPU array's values as of its buffer's last copy in main memory, as a NumPy array (a view
    of that copy, so views of one buffer stay views of one array), NaN where there is no copy."""
    host = array.storage.host
    if host is None or array.size == 0:
        return np.full(array.shape, np.nan, F32).astype(array.dtype)
    itemsize = host.itemsize
    writeable = all(stride != 0 or n == 1 for n, stride in zip(array.shape, array.strides_el))
    view = as_strided(
        host[array.offset :], array.shape, [s * itemsize for s in array.strides_el], writeable=writeable
    )
    return view if array.dtype == F32 else view.astype(array.dtype)


def _redirect(olds, replacements):
    """Make every dict, list, closure cell and object attribute that holds one of ``olds`` hold its
    replacement (``replacements[id(old)]``) instead; tuples holding one are rebuilt and redirected."""
    tuples = []
    for holder in gc.get_referrers(*olds):
        if holder is olds:
            continue
        if isinstance(holder, dict):
            for key in [k for k, v in holder.items() if id(v) in replacements]:
                holder[key] = replacements[id(holder[key])]
        elif isinstance(holder, list):
            for i, value in enumerate(holder):
                if id(value) in replacements:
                    holder[i] = replacements[id(value)]
        elif isinstance(holder, tuple):
            tuples.append(holder)
        elif isinstance(holder, types.CellType):
            holder.cell_contents = replacements.get(id(holder.cell_contents), holder.cell_contents)
        elif hasattr(holder, "__dict__") and not isinstance(holder, types.FrameType):
            for name, value in list(vars(holder).items()):
                if id(value) in replacements:
                    setattr(holder, name, replacements[id(value)])
    if tuples:
        _redirect(tuples, {id(t): _rebuilt(t, replacements) for t in tuples})


def _rebuilt(old, replacements):
    values = [replacements.get(id(v), v) for v in old]
    return type(old)._make(values) if hasattr(old, "_make") else tuple(values)  # a named tuple, or a tuple
