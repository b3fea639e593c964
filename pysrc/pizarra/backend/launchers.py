"""The GPU kernels' launchers: NumPy's semantics (broadcasting, axes, batching, 1-D operands) turned
into one or a few dispatches of the kernels in ``web/js/gpu/kernels/``, parameters by field name as
``web/js/gpu/kernel-params.json`` declares them. Inputs are GPU arrays (NumPy arrays are uploaded);
results are new GPU arrays. Convolution and pooling are in :mod:`pizarra.backend.conv_launchers`.
"""

from __future__ import annotations

import math

import numpy as np

from . import strided as S
from .gpu_array import BOOL, F32, GPUArray, NoKernel, assignable, dtype_of, empty, is_scalar, to_device

# --- element-wise -----------------------------------------------------------------------------

_BOOL_RESULT = {"gt", "ge", "lt", "le", "eq", "ne", "and", "or", "xor", "not"}
_ON_BOOLEANS = {"add": "or", "mul": "and", "maximum": "or", "minimum": "and"}


def elementwise(op, inputs):
    """A NumPy-semantics element-wise operation on GPU arrays, numbers and NumPy arrays."""
    arrays = [x for x in inputs if not is_scalar(x)]
    if op in _ON_BOOLEANS and all(dtype_of(x) == BOOL for x in inputs):
        op = _ON_BOOLEANS[op]
    shape = S.broadcast_shapes(*(x.shape if isinstance(x, GPUArray) else np.shape(x) for x in arrays))
    dtype = BOOL if op in _BOOL_RESULT or op == "copy" and dtype_of(inputs[0]) == BOOL else F32
    operands = [float(x) if is_scalar(x) else to_device(x) for x in inputs]
    return run_elementwise(op, operands, shape, dtype=dtype)


def run_elementwise(op, operands, shape, out=None, dtype=F32, fill_value=0.0):
    """The element-wise kernel ``op`` over ``shape`` into ``out`` (a new array by default);
    operands are GPU arrays (broadcast to ``shape``) or numbers."""
    if out is None:
        out = empty(shape, dtype)
    if out.size == 0:
        return out
    is_array = [isinstance(x, GPUArray) for x in operands]
    arrays = [x for x in operands if isinstance(x, GPUArray)]
    if any(a.storage is out.storage for a in arrays):
        raise AssertionError("an element-wise output may not alias an input")
    strides = [S.broadcast_strides(a.shape, a.strides_el, shape) for a in arrays]
    kernel_shape, (out_strides, *in_strides) = S.compress(shape, out.strides_el, *strides)
    dev = out.storage.device
    if len(kernel_shape) > dev.params.dims:
        raise NoKernel
    in_strides = iter(in_strides)
    params = {
        "n": out.size,
        "out_offset": out.offset,
        "shape": kernel_shape,
        "out_strides": out_strides,
        "in_offsets": [x.offset if array else 0 for x, array in zip(operands, is_array)],
        "in_strides": [next(in_strides) if array else None for array in is_array],
        "numbers": [0.0 if array else x for x, array in zip(operands, is_array)],
        "fill_value": fill_value,
    }
    mask = "".join("1" if array else "0" for array in is_array)
    name = f"ew:{op}" + (f":{mask}" if "0" in mask else "")
    dev.launch_per_element(
        name, [out.storage] + [x.storage if array else None for x, array in zip(operands, is_array)], params
    )
    return out


def full(shape, value, dtype=F32, out=None):
    """A GPU array of ``shape`` filled with ``value`` (or ``out`` filled)."""
    return run_elementwise("fill", [], shape, out=out, dtype=dtype, fill_value=float(value))


# --- reductions -------------------------------------------------------------------------------


def normalize_axes(axis, ndim):
    """NumPy's ``axis`` argument as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    axes = tuple(sorted(int(a) % max(ndim, 1) for a in axes))
    if len(set(axes)) != len(axes):
        raise ValueError("duplicate value in 'axis'")
    return axes


def reduce(op, x, axis=None, keepdims=False):
    """``sum``, ``max`` or ``min`` over ``axis`` (NumPy's rules), one workgroup per output element."""
    x = to_device(x)
    axes = normalize_axes(axis, x.ndim)
    outer = [i for i in range(x.ndim) if i not in axes]
    out_shape = (
        tuple(1 if i in axes else x.shape[i] for i in range(x.ndim))
        if keepdims
        else tuple(x.shape[i] for i in outer)
    )
    inner_count = math.prod(x.shape[i] for i in axes)
    out = empty(out_shape)
    if out.size == 0:
        return out
    if inner_count == 0:
        if op != "sum":
            raise ValueError(
                f"zero-size array to reduction operation {'maximum' if op == 'max' else 'minimum'} "
                "which has no identity"
            )
        return full(out_shape, 0.0, out=out)
    outer_shape, (outer_strides,) = S.compress(
        tuple(x.shape[i] for i in outer), tuple(x.strides_el[i] for i in outer)
    )
    inner_shape, (inner_strides,) = S.compress(
        tuple(x.shape[i] for i in axes), tuple(x.strides_el[i] for i in axes)
    )
    dev = out.storage.device
    if max(len(outer_shape), len(inner_shape)) > dev.params.dims:
        raise NoKernel
    params = {
        "rows": out.size,
        "inner": inner_count,
        "out_offset": out.offset,
        "in_offset": x.offset,
        "outer_shape": outer_shape,
        "outer_strides": outer_strides,
        "inner_shape": inner_shape,
        "inner_strides": inner_strides,
    }
    dev.launch(f"reduce:{op}", [out.storage, x.storage], params, out.size)
    return out


def softmax(x, axis=-1, log=False):
    """Softmax (or log-softmax) along ``axis``, one workgroup per row."""
    x = to_device(x)
    if x.ndim == 0:
        return softmax(x.reshape(1), 0, log).reshape(())
    axis = axis % x.ndim
    moved = np.moveaxis(x, axis, -1)
    rows_shape, cols = moved.shape[:-1], moved.shape[-1]
    row_stride = S.collapse_batch(rows_shape, moved.strides_el[:-1])
    if row_stride is None:
        moved = moved.copy()
        row_stride = cols
    out = empty(moved.shape)
    if out.size:
        rows = math.prod(rows_shape)
        params = {
            "rows": rows,
            "cols": cols,
            "in_offset": moved.offset,
            "row_stride": row_stride,
            "col_stride": moved.strides_el[-1],
            "out_offset": out.offset,
        }
        out.storage.device.launch(
            "softmax:log" if log else "softmax", [out.storage, moved.storage], params, rows
        )
    return np.moveaxis(out, -1, axis)


# --- matrix products --------------------------------------------------------------------------


def matmul(a, b, bias=None):
    """``np.matmul(a, b)`` on the GPU (batched, broadcast, 1-D operands as NumPy), optionally
    fused with ``+ bias`` (one per output column)."""
    a, b = to_device(a), to_device(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("matmul: Input operand does not have enough dimensions")
    a2 = a.reshape((1,) + a.shape) if a.ndim == 1 else a
    b2 = b.reshape(b.shape + (1,)) if b.ndim == 1 else b
    (m, k), (k2, n) = a2.shape[-2:], b2.shape[-2:]
    if k != k2:
        raise ValueError(
            f"matmul: Input operand 1 has a mismatch in its core dimension 0 (size {k2} is different from {k})"
        )
    batch = S.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    out = empty(batch + (m, n))
    if out.size:
        (av, a_batch_stride), (bv, b_batch_stride) = (_batched_view(x, batch) for x in (a2, b2))
        bias = to_device(bias).compact() if bias is not None else None
        params = {
            "m": m,
            "n": n,
            "k": k,
            "c_offset": out.offset,
            "a_offset": av.offset,
            "a_batch_stride": a_batch_stride,
            "a_row_stride": av.strides_el[-2],
            "a_col_stride": av.strides_el[-1],
            "b_offset": bv.offset,
            "b_batch_stride": b_batch_stride,
            "b_row_stride": bv.strides_el[-2],
            "b_col_stride": bv.strides_el[-1],
            "has_bias": int(bias is not None),
            "bias_offset": bias.offset if bias is not None else 0,
        }
        dev = out.storage.device
        tile = dev.params.tile
        dev.launch(
            "matmul",
            [out.storage, av.storage, bv.storage, bias.storage if bias is not None else None],
            params,
            math.prod(batch),
            grid=(-(-n // tile), -(-m // tile)),
        )
    if a.ndim == 1:
        out = out.reshape(out.shape[:-2] + out.shape[-1:])
    if b.ndim == 1:
        out = out.reshape(out.shape[:-1])
    return out


def _batched_view(x, batch):
    """``x`` broadcast to the ``batch`` dimensions, and one stride that walks them (a copy when
    its batch dimensions cannot be walked with one stride)."""
    view = x.broadcast_to(batch + x.shape[-2:])
    stride = S.collapse_batch(batch, view.strides_el[:-2])
    if stride is None:
        view = view.copy()
        stride = S.collapse_batch(batch, view.strides_el[:-2])
    return view, stride


# --- indexing ---------------------------------------------------------------------------------


def gather(source, offsets):
    """A new array of ``offsets``' shape: the entries of ``source``'s buffer at those offsets."""
    out = empty(offsets.shape, source.dtype)
    if out.size:
        dev = source.storage.device
        index = dev.upload(offsets.astype(np.uint32).reshape(-1))
        dev.launch_per_element("gather", [out.storage, source.storage, index], {"n": out.size})
    return out


def scatter(target, offsets, value, add):
    """Write (or, with ``add``, add: repeated offsets add up) ``value`` at ``target``'s buffer offsets."""
    if not offsets.size:
        return
    if add and not target.contiguous:
        raise NoKernel
    values = assignable(value, target.storage, offsets.shape)
    values = values.compact() if isinstance(values, GPUArray) else full(offsets.shape, values)
    dev = target.storage.device
    index = dev.upload(offsets.astype(np.uint32).reshape(-1))
    dev.launch_per_element(
        "scatter:add" if add else "scatter",
        [target.storage, values.storage, index],
        {"n": offsets.size, "value_offset": values.offset},
    )
