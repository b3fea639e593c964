"""NumPy's dispatch protocols for GPU arrays: which kernel runs ``np.exp(a)``, ``np.add.at``,
``np.sum``, ``np.concatenate`` … when an operand lives on the GPU.

:func:`array_ufunc` and :func:`array_function` are GPUArray's ``__array_ufunc__`` and
``__array_function__``. A NumPy function without a GPU kernel here still works: its GPU operands
are read back (counted in ``device().fallbacks``) and NumPy computes it.
"""

from __future__ import annotations

import numpy as np

from . import launchers as K
from . import strided as S
from .device import device
from .gpu_array import BOOL, F32, GPUArray, NoKernel, dtype_of, empty, is_scalar, to_device, to_host

# --- ufuncs -----------------------------------------------------------------------------------

# The element-wise kernels by ufunc (their names in web/js/gpu/kernels/elementwise.js).
UFUNCS = {
    np.add: "add",
    np.subtract: "sub",
    np.multiply: "mul",
    np.true_divide: "div",
    np.power: "pow",
    np.maximum: "maximum",
    np.minimum: "minimum",
    np.fmax: "maximum",
    np.fmin: "minimum",
    np.logaddexp: "logaddexp",
    np.greater: "gt",
    np.greater_equal: "ge",
    np.less: "lt",
    np.less_equal: "le",
    np.equal: "eq",
    np.not_equal: "ne",
    np.logical_and: "and",
    np.logical_or: "or",
    np.logical_xor: "xor",
    np.logical_not: "not",
    np.negative: "neg",
    np.positive: "copy",
    np.exp: "exp",
    np.expm1: "expm1",
    np.log: "log",
    np.log1p: "log1p",
    np.sqrt: "sqrt",
    np.absolute: "abs",
    np.sign: "sign",
    np.square: "square",
    np.reciprocal: "reciprocal",
    np.tanh: "tanh",
}
BITWISE = {np.bitwise_and: "and", np.bitwise_or: "or", np.bitwise_xor: "xor", np.invert: "not"}
REDUCING = {np.add: "sum", np.maximum: "max", np.minimum: "min"}


def _kernel_of(ufunc, inputs):
    if ufunc in BITWISE:  # on booleans only: & | ^ ~ are the logical operations
        return BITWISE[ufunc] if all(dtype_of(x) == BOOL for x in inputs) else None
    op = UFUNCS.get(ufunc)
    if op is None or any(dtype_of(x).kind not in "fbiu" for x in inputs):
        return None
    return op


def array_ufunc(ufunc, method, inputs, kwargs):
    try:
        if method == "__call__" and not kwargs:
            if ufunc is np.matmul:
                return K.matmul(*inputs)
            op = _kernel_of(ufunc, inputs)
            if op is not None:
                return K.elementwise(op, inputs)
        if method == "at" and ufunc is np.add and isinstance(inputs[0], GPUArray):
            target, index = inputs[0], inputs[1]
            if isinstance(index, GPUArray):
                index = index.get()
            K.scatter(
                target, target.element_offsets()[index], inputs[2] if len(inputs) > 2 else 1.0, add=True
            )
            return None
        if method == "reduce" and ufunc in REDUCING and set(kwargs) <= {"axis", "keepdims"}:
            return K.reduce(REDUCING[ufunc], inputs[0], kwargs.get("axis", 0), kwargs.get("keepdims", False))
    except NoKernel:
        pass
    return numpy_fallback(getattr(ufunc, method), f"{ufunc.__name__}.{method}", inputs, kwargs)


def array_function(func, args, kwargs):
    handler = FUNCTIONS.get(func)
    if handler is not None:
        try:
            return handler(*args, **kwargs)
        except NoKernel:
            pass
    return numpy_fallback(func, func.__name__, args, kwargs)


def numpy_fallback(func, name, args, kwargs):
    """NumPy computes ``func`` on the operands read back (noted in ``device().fallbacks``)."""
    dev = device()
    if dev is not None:
        dev.fallbacks.append(name)
    return func(*to_host(args), **to_host(kwargs))


# --- NumPy functions --------------------------------------------------------------------------


def _like(a, dtype=None, shape=None, fill=0.0):
    shape = a.shape if shape is None else (tuple(shape) if isinstance(shape, (tuple, list)) else (shape,))
    dtype = a.dtype if dtype is None else np.dtype(dtype)
    if dtype not in (F32, BOOL):
        raise NoKernel
    return K.full(shape, fill, dtype=dtype)


def _concatenate(arrays, axis=0, out=None, **kw):
    if out is not None or axis is None:
        raise NoKernel
    arrays = [to_device(a) for a in arrays]
    axis = axis % arrays[0].ndim
    shape = list(arrays[0].shape)
    shape[axis] = sum(a.shape[axis] for a in arrays)
    out = empty(tuple(shape), arrays[0].dtype)
    start = 0
    for a in arrays:
        index = [slice(None)] * len(shape)
        index[axis] = slice(start, start + a.shape[axis])
        out[tuple(index)] = a
        start += a.shape[axis]
    return out


def _stack(arrays, axis=0, out=None, **kw):
    arrays = [to_device(a) for a in arrays]
    axis = axis % (arrays[0].ndim + 1)
    return _concatenate([np.expand_dims(a, axis) for a in arrays], axis=axis)


def _split(a, indices_or_sections, axis=0):
    axis = axis % a.ndim
    if isinstance(indices_or_sections, (int, np.integer)):
        size = a.shape[axis] // indices_or_sections
        bounds = [size * i for i in range(1, indices_or_sections)]
    else:
        bounds = list(indices_or_sections)
    edges = [0, *bounds, a.shape[axis]]
    parts = []
    for start, stop in zip(edges, edges[1:]):
        index = [slice(None)] * a.ndim
        index[axis] = slice(start, stop)
        parts.append(a[tuple(index)])
    return parts


def _pad(array, pad_width, mode="constant", constant_values=0):
    if mode != "constant":
        raise NoKernel
    array = to_device(array)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (array.ndim, 2))
    shape = tuple(int(n + lo + hi) for n, (lo, hi) in zip(array.shape, widths))
    out = K.full(shape, constant_values, dtype=array.dtype)
    out[tuple(slice(int(lo), int(lo) + n) for n, (lo, _) in zip(array.shape, widths))] = array
    return out


def _moveaxis(a, source, destination):
    source = [s % a.ndim for s in (source if isinstance(source, (tuple, list)) else [source])]
    destination = [
        d % a.ndim for d in (destination if isinstance(destination, (tuple, list)) else [destination])
    ]
    order = [n for n in range(a.ndim) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return a.transpose(order)


def _swapaxes(a, axis1, axis2):
    order = list(range(a.ndim))
    order[axis1 % a.ndim], order[axis2 % a.ndim] = order[axis2 % a.ndim], order[axis1 % a.ndim]
    return a.transpose(order)


def _expand_dims(a, axis):
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    ndim = a.ndim + len(axes)
    axes = sorted(x % ndim for x in axes)
    shape, strides, existing = [], [], iter(zip(a.shape, a.strides_el))
    for i in range(ndim):
        n, s = (1, 0) if i in axes else next(existing)
        shape.append(n)
        strides.append(s)
    return a._view(tuple(shape), tuple(strides))


def _squeeze(a, axis=None):
    axes = [i for i, n in enumerate(a.shape) if n == 1] if axis is None else K.normalize_axes(axis, a.ndim)
    if any(a.shape[i] != 1 for i in axes):
        raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
    keep = [i for i in range(a.ndim) if i not in axes]
    return a._view(tuple(a.shape[i] for i in keep), tuple(a.strides_el[i] for i in keep))


def _where(condition, x=None, y=None):
    if x is None or y is None:
        raise NoKernel
    shape = S.broadcast_shapes(
        *(v.shape if isinstance(v, GPUArray) else np.shape(v) for v in (condition, x, y))
    )
    condition = condition if isinstance(condition, GPUArray) else to_device(np.asarray(condition, dtype=bool))
    dtype = BOOL if all(dtype_of(v) == BOOL for v in (x, y)) else F32
    return K.run_elementwise(
        "where",
        [condition] + [float(v) if is_scalar(v) else to_device(v) for v in (x, y)],
        shape,
        dtype=dtype,
    )


def _clip(a, a_min=None, a_max=None, out=None, **kw):
    if out is not None:
        raise NoKernel
    result = to_device(a)
    if a_min is not None:
        result = K.elementwise("maximum", (result, a_min))
    if a_max is not None:
        result = K.elementwise("minimum", (result, a_max))
    return result


def _reduction(op):
    def run(a, axis=None, dtype=None, out=None, keepdims=False, **kw):
        if out is not None or kw.get("where") is not None:
            raise NoKernel
        total = K.reduce("sum" if op == "mean" else op, a, axis, keepdims)
        if op != "mean":
            return total
        size = to_device(a).size
        return total / (size // max(1, total.size)) if size else total * np.nan

    return run


def _result_type(*args):
    return np.result_type(*(a.dtype if isinstance(a, GPUArray) else a for a in args))


FUNCTIONS = {
    np.shape: lambda a: a.shape,
    np.ndim: lambda a: a.ndim,
    np.size: lambda a, axis=None: a.size if axis is None else a.shape[axis],
    np.result_type: _result_type,
    np.transpose: lambda a, axes=None: a.transpose(axes) if axes is not None else a.transpose(),
    np.swapaxes: _swapaxes,
    np.moveaxis: _moveaxis,
    np.expand_dims: _expand_dims,
    np.squeeze: _squeeze,
    np.broadcast_to: lambda array, shape, subok=False: to_device(array).broadcast_to(
        tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    ),
    np.reshape: lambda a, shape=None, order="C", **kw: a.reshape(
        shape if shape is not None else kw["newshape"]
    ),
    np.ravel: lambda a, order="C": a.reshape(-1),
    np.copy: lambda a, order="K", subok=False: a.copy(),
    np.ascontiguousarray: lambda a, dtype=None, **kw: (
        a.compact() if dtype is None else a.astype(dtype).compact()
    ),
    np.zeros_like: lambda a, dtype=None, order="K", subok=True, shape=None, **kw: _like(a, dtype, shape),
    np.ones_like: lambda a, dtype=None, order="K", subok=True, shape=None, **kw: _like(a, dtype, shape, 1.0),
    np.empty_like: lambda a, dtype=None, order="K", subok=True, shape=None, **kw: _like(a, dtype, shape),
    np.full_like: lambda a, fill_value, dtype=None, order="K", subok=True, shape=None, **kw: _like(
        a, dtype, shape, fill_value
    ),
    np.where: _where,
    np.clip: _clip,
    np.concatenate: _concatenate,
    np.stack: _stack,
    np.split: _split,
    np.pad: _pad,
    np.sum: _reduction("sum"),
    np.max: _reduction("max"),
    np.amax: _reduction("max"),
    np.min: _reduction("min"),
    np.amin: _reduction("min"),
    np.mean: _reduction("mean"),
    np.matmul: lambda a, b, **kw: K.matmul(a, b),
}
