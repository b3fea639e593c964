"""The WebGPU backend: float32 arrays resident on the GPU, behind NumPy's own protocols.

:class:`GPUArray` is a view ``(buffer, offset, shape, strides)`` of a GPU buffer owned by the GPU
module of the site (``web/js/gpu/``, reached as the JavaScript module ``pizarra_gpu``). It speaks
NumPy's dispatch protocols (``__array_ufunc__``, ``__array_function__``), so the unchanged autograd
operations of :mod:`pizarra.ops` (``np.exp(a)``, ``a * b``, ``np.transpose``, ``np.add.at`` …) run
as GPU kernels when their inputs live on the GPU, and the results stay there: a forward, backward
and optimiser step reads nothing back but what the page asks for (``loss.item()``).

Operations run where their data lives. The backend only decides where data that is still in main
memory goes: :class:`WebGPUBackend` (``?backend=webgpu``) moves every float32 operand of a kernel
to the GPU; :class:`AutoBackend` (the default) does so only for the operation classes and sizes at
which the calibration (:mod:`pizarra.backend.calibration`) measured the GPU to be faster.

A NumPy function without a GPU kernel here still works: its GPU operands are read back (counted,
and listed in ``device().fallbacks``) and NumPy computes it. When the GPU fails (device lost, out of
memory, a shader that does not compile) every GPU call raises
:class:`pizarra.backend.BackendFailure`; the engine then recomputes the call on NumPy.

Python waits for the GPU only in :meth:`Device.read`, through JSPI (``pyodide.ffi.run_sync``),
which needs Python to have been entered through ``runPythonAsync`` or ``callPromising``.
"""

from __future__ import annotations

import math
import struct
import weakref

import numpy as np

from . import BackendFailure
from . import strided as S
from .numpy_backend import NumpyBackend

F32 = np.dtype(np.float32)
BOOL = np.dtype(np.bool_)

_device = None


def device():
    """The GPU device (``Device``), or None outside a browser with WebGPU."""
    return _device


def f32bits(value):
    return struct.unpack("<I", struct.pack("<f", float(value)))[0]


class Device:
    """Python's handle on the JavaScript GPU module: buffers, dispatches, reads."""

    def __init__(self, gpu):
        from pyodide.ffi import to_js
        self.gpu = gpu
        self._to_js = to_js
        self.max_groups = int(gpu.limits.maxGroups)
        self.fallbacks = []  # NumPy functions that had to read GPU operands back

    def _call(self, method, *args):
        try:
            return getattr(self.gpu, method)(*args)
        except Exception as error:  # a JsException from the GPU module
            raise _failure(error) from None

    def allocate(self, count):
        return Storage(self, self._call("allocate", int(count) * 4))

    def upload(self, array):
        array = np.ascontiguousarray(array)
        return Storage(self, self._call("upload", array))

    def dispatch(self, name, storages, params, x, y=1, z=1):
        handles = [s.handle if s is not None else 0 for s in storages]
        self._call("dispatch", name, self._to_js(handles), self._to_js([int(p) for p in params]), x, y, z)

    def dispatch_1d(self, name, storages, params, total, per_group=256):
        """``params[2]`` is the base element: several dispatches when one is not enough."""
        groups = -(-total // per_group)
        for base, count in S.chunks(groups, self.max_groups):
            params[2] = base * per_group
            self.dispatch(name, storages, params, count)

    def read(self, storage, offset, count):
        from pyodide.ffi import can_run_sync, run_sync
        if not can_run_sync():
            raise BackendFailure("no-jspi: Python cannot wait for the GPU here (no JSPI)")
        try:
            values = run_sync(self.gpu.read(storage.handle, int(offset), int(count)))
        except Exception as error:
            raise _failure(error) from None
        out = np.empty(count, dtype=F32)
        if count:
            values.assign_to(out)
        return out

    def stats(self):
        return self.gpu.stats.to_py()


def _failure(error):
    text = str(error)
    if "GPUFailure" in text:
        return BackendFailure(text[text.index("GPUFailure") + len("GPUFailure: "):].split("\n")[0])
    return error


class Storage:
    """One GPU buffer; released to the GPU module's pool when the last view goes away."""

    __slots__ = ("device", "handle", "__weakref__")

    def __init__(self, device, handle):
        self.device, self.handle = device, handle
        weakref.finalize(self, _release, device.gpu, handle)


def _release(gpu, handle):
    try:
        gpu.release(handle)
    except Exception:  # the device is gone: nothing to release
        pass


# --- the array ---------------------------------------------------------------------------------

class GPUArray:
    """A float32 (or boolean, stored as 0/1) array resident on the GPU. See the module docstring."""

    __array_priority__ = 2000
    is_device_array = True

    def __init__(self, storage, shape, strides=None, offset=0, dtype=F32):
        self.storage = storage
        self.shape = tuple(int(n) for n in shape)
        self.strides_el = S.contiguous_strides(self.shape) if strides is None else tuple(strides)
        self.offset = int(offset)
        self.dtype = np.dtype(dtype)

    # properties NumPy code reads
    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: math.prod(self.shape))
    T = property(lambda self: self.transpose())
    mT = property(lambda self: np.swapaxes(self, -1, -2))

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def _view(self, shape, strides, offset=None, dtype=None):
        return GPUArray(self.storage, shape, strides, self.offset if offset is None else offset,
                        self.dtype if dtype is None else dtype)

    @property
    def contiguous(self):
        return S.is_contiguous(self.shape, self.strides_el)

    def compact(self):
        """This array, or a contiguous copy of it."""
        return self if self.contiguous else _ew("copy", [self], self.shape, dtype=self.dtype)

    # --- to and from main memory ---

    def get(self):
        """A NumPy copy (one readback)."""
        source = self.compact()
        values = source.storage.device.read(source.storage, source.offset, self.size)
        return values.reshape(self.shape).astype(self.dtype, copy=False)

    def __array__(self, dtype=None, copy=None):
        values = self.get()
        return values if dtype is None else values.astype(dtype)

    def item(self):
        if self.size != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        return self.get().reshape(()).item()

    def tolist(self):
        return self.get().tolist()

    __float__ = lambda self: float(self.item())  # noqa: E731
    __int__ = lambda self: int(self.item())  # noqa: E731
    __bool__ = lambda self: bool(self.item())  # noqa: E731

    def __repr__(self):
        return f"GPUArray({self.get()!r})"

    # --- views ---

    def reshape(self, *shape, order="C"):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        new_shape, strides = S.reshape_view(self.shape, self.strides_el, tuple(int(n) for n in shape))
        if strides is None:
            return self.compact().reshape(new_shape)
        return self._view(new_shape, strides)

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list, np.ndarray))):
            axes = axes[0]
        axes = tuple(reversed(range(self.ndim))) if axes is None or len(axes) == 0 else tuple(
            int(a) % self.ndim for a in axes)
        return self._view(tuple(self.shape[a] for a in axes), tuple(self.strides_el[a] for a in axes))

    def broadcast_to(self, shape):
        shape = tuple(shape)
        return self._view(shape, S.broadcast_strides(self.shape, self.strides_el, shape))

    def astype(self, dtype, copy=True):
        dtype = np.dtype(dtype)
        if dtype == self.dtype:
            return self.copy() if copy else self
        if dtype in (F32, BOOL):
            return _ew("ne", [self, 0.0], self.shape, dtype=BOOL) if dtype == BOOL else self._view(
                self.shape, self.strides_el, dtype=F32).copy()
        return self.get().astype(dtype)  # other dtypes live in main memory

    def copy(self, order="C"):
        return _ew("copy", [self], self.shape, dtype=self.dtype)

    def __getitem__(self, index):
        if isinstance(index, GPUArray):
            index = index.get()
        view = S.basic_index(self.shape, self.strides_el, self.offset, index)
        if view is not None:
            return self._view(view[0], view[1], view[2])
        offsets = self._offsets()[index]
        out = _empty(offsets.shape, self.dtype)
        if out.size:
            dev = self.storage.device
            idx = dev.upload(offsets.astype(np.uint32).reshape(-1))
            dev.dispatch_1d("gather", [out.storage, self.storage, idx], [out.size, 0, 0, 0], out.size)
        return out

    def __setitem__(self, index, value):
        if isinstance(index, GPUArray):
            index = index.get()
        view = S.basic_index(self.shape, self.strides_el, self.offset, index)
        if view is not None:
            target = self._view(view[0], view[1], view[2])
            if target.size:
                _ew("copy", [_value(value, self.storage, target.shape)], target.shape, out=target)
            return
        offsets = self._offsets()[index]
        _scatter(self, offsets, value, add=False)

    def _offsets(self):
        """The element offset of every entry of this view, as a NumPy int array of its shape."""
        offsets = np.full(self.shape, self.offset, dtype=np.int64)
        for axis, (n, stride) in enumerate(zip(self.shape, self.strides_el)):
            shape = [1] * self.ndim
            shape[axis] = n
            offsets += (np.arange(n, dtype=np.int64) * stride).reshape(shape)
        return offsets

    # --- reductions as methods ---

    def sum(self, axis=None, dtype=None, out=None, keepdims=False, **kw):
        return np.sum(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, out=None, keepdims=False, **kw):
        return np.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, out=None, keepdims=False, **kw):
        return np.min(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False, **kw):
        return np.mean(self, axis=axis, keepdims=keepdims)

    # --- NumPy protocols ---

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        try:
            if method == "__call__" and not kwargs:
                if ufunc is np.matmul:
                    return matmul(*inputs)
                op = _ufunc_op(ufunc, inputs)
                if op is not None:
                    return _elementwise(op, inputs)
            if method == "at" and ufunc is np.add and isinstance(inputs[0], GPUArray):
                target, index = inputs[0], inputs[1]
                if isinstance(index, GPUArray):
                    index = index.get()
                _scatter(target, target._offsets()[index], inputs[2] if len(inputs) > 2 else 1.0, add=True)
                return None
            if method == "reduce" and ufunc in (np.add, np.maximum, np.minimum) and set(kwargs) <= {"axis", "keepdims"}:
                name = {np.add: "sum", np.maximum: "max", np.minimum: "min"}[ufunc]
                return reduce(name, inputs[0], kwargs.get("axis", 0), kwargs.get("keepdims", False))
        except _NoKernel:
            pass
        return _numpy_fallback(getattr(ufunc, method), f"{ufunc.__name__}.{method}", inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        handler = _FUNCTIONS.get(func)
        if handler is not None:
            try:
                return handler(*args, **kwargs)
            except _NoKernel:
                pass
        return _numpy_fallback(func, func.__name__, args, kwargs)

    # operators: the ufuncs above
    def __add__(self, o): return _elementwise("add", (self, o))
    def __radd__(self, o): return _elementwise("add", (o, self))
    def __sub__(self, o): return _elementwise("sub", (self, o))
    def __rsub__(self, o): return _elementwise("sub", (o, self))
    def __mul__(self, o): return _elementwise("mul", (self, o))
    def __rmul__(self, o): return _elementwise("mul", (o, self))
    def __truediv__(self, o): return _elementwise("div", (self, o))
    def __rtruediv__(self, o): return _elementwise("div", (o, self))
    def __pow__(self, o): return _elementwise("pow", (self, o))
    def __rpow__(self, o): return _elementwise("pow", (o, self))
    def __neg__(self): return _elementwise("neg", (self,))
    def __pos__(self): return self.copy()
    def __abs__(self): return _elementwise("abs", (self,))
    def __invert__(self): return np.invert(self)
    def __and__(self, o): return np.bitwise_and(self, o)
    def __or__(self, o): return np.bitwise_or(self, o)
    def __xor__(self, o): return np.bitwise_xor(self, o)
    def __matmul__(self, o): return matmul(self, o)
    def __rmatmul__(self, o): return matmul(o, self)
    def __gt__(self, o): return _elementwise("gt", (self, o))
    def __ge__(self, o): return _elementwise("ge", (self, o))
    def __lt__(self, o): return _elementwise("lt", (self, o))
    def __le__(self, o): return _elementwise("le", (self, o))
    def __eq__(self, o): return _elementwise("eq", (self, o))
    def __ne__(self, o): return _elementwise("ne", (self, o))
    __hash__ = object.__hash__

    def __iadd__(self, o):
        self[...] = self + o
        return self

    def __isub__(self, o):
        self[...] = self - o
        return self

    def __imul__(self, o):
        self[...] = self * o
        return self

    def __itruediv__(self, o):
        self[...] = self / o
        return self


class _NoKernel(Exception):
    """No GPU kernel for this case: NumPy computes it."""


def _numpy_fallback(func, name, args, kwargs):
    dev = device()
    if dev is not None:
        dev.fallbacks.append(name)
    return func(*_to_host(args), **_to_host(kwargs))


def _to_host(value):
    if isinstance(value, GPUArray):
        return value.get()
    if isinstance(value, (list, tuple)):
        return type(value)(_to_host(v) for v in value)
    if isinstance(value, dict):
        return {k: _to_host(v) for k, v in value.items()}
    return value


def _empty(shape, dtype=F32):
    dev = device()
    if dev is None:
        raise BackendFailure("no-webgpu: the GPU is not available")
    return GPUArray(dev.allocate(max(1, math.prod(shape))), shape, dtype=dtype)


def to_device(array):
    """A NumPy array (float32 or boolean) as a new GPUArray (an upload, not a readback)."""
    if isinstance(array, GPUArray):
        return array
    array = np.asarray(array)
    dev = device()
    if dev is None:
        raise BackendFailure("no-webgpu: the GPU is not available")
    dtype = BOOL if array.dtype == BOOL else F32
    data = np.ascontiguousarray(array, dtype=F32)
    return GPUArray(dev.upload(data.reshape(-1) if data.size else np.zeros(1, F32)), array.shape, dtype=dtype)


def _is_scalar(value):
    return isinstance(value, (int, float, bool, np.number, np.bool_)) or (
        isinstance(value, np.ndarray) and value.ndim == 0)


def _value(value, avoid_storage, shape):
    """A right-hand side for an assignment: a scalar, or a GPU array not sharing ``avoid_storage``."""
    if _is_scalar(value):
        return float(value)
    value = to_device(value) if not isinstance(value, GPUArray) else value
    if value.storage is avoid_storage:
        value = value.copy()
    return value.broadcast_to(shape)


# --- element-wise ---------------------------------------------------------------------------

_BOOL_RESULT = {"gt", "ge", "lt", "le", "eq", "ne", "and", "or", "xor", "not"}

_UFUNCS = {
    np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "div", np.power: "pow",
    np.maximum: "maximum", np.minimum: "minimum", np.fmax: "maximum", np.fmin: "minimum",
    np.logaddexp: "logaddexp", np.greater: "gt", np.greater_equal: "ge", np.less: "lt", np.less_equal: "le",
    np.equal: "eq", np.not_equal: "ne", np.logical_and: "and", np.logical_or: "or", np.logical_xor: "xor",
    np.logical_not: "not", np.negative: "neg", np.positive: "copy", np.exp: "exp", np.expm1: "expm1",
    np.log: "log", np.log1p: "log1p", np.sqrt: "sqrt", np.absolute: "abs", np.sign: "sign",
    np.square: "square", np.reciprocal: "reciprocal", np.tanh: "tanh",
}
_BITWISE = {np.bitwise_and: "and", np.bitwise_or: "or", np.bitwise_xor: "xor", np.invert: "not"}


def _dtype_of(x):
    return x.dtype if isinstance(x, (GPUArray, np.ndarray, np.generic)) else np.asarray(x).dtype


def _ufunc_op(ufunc, inputs):
    if ufunc in _BITWISE:  # on booleans only: & | ^ ~ are the logical operations
        return _BITWISE[ufunc] if all(_dtype_of(x) == BOOL for x in inputs) else None
    op = _UFUNCS.get(ufunc)
    if op is None:
        return None
    if any(_dtype_of(x).kind not in "fbiu" for x in inputs):
        return None
    return op


def _elementwise(op, inputs):
    """A NumPy-semantics element-wise operation on GPU arrays, scalars and host arrays."""
    arrays = [x for x in inputs if not _is_scalar(x)]
    if op in ("add", "mul", "maximum", "minimum") and all(_dtype_of(x) == BOOL for x in inputs):
        op = {"add": "or", "mul": "and", "maximum": "or", "minimum": "and"}[op]
    shape = S.broadcast_shapes(*(np.shape(x) if not isinstance(x, GPUArray) else x.shape for x in arrays))
    dtype = BOOL if op in _BOOL_RESULT or op in ("copy",) and _dtype_of(inputs[0]) == BOOL else F32
    operands = [float(x) if _is_scalar(x) else to_device(x) for x in inputs]
    return _ew(op, operands, shape, dtype=dtype)


def _ew(op, operands, shape, out=None, dtype=F32, scalars=()):
    """Run the element-wise kernel ``op`` over ``shape``; operands are GPUArrays or floats."""
    if out is None:
        out = _empty(shape, dtype)
    n = out.size
    if n == 0:
        return out
    arrays = [x for x in operands if isinstance(x, GPUArray)]
    if any(a.storage is out.storage for a in arrays):
        raise AssertionError("an element-wise output may not alias an input")
    strides = [S.broadcast_strides(a.shape, a.strides_el, shape) for a in arrays]
    kshape, kstrides = S.compress(shape, out.strides_el, *strides)
    if len(kshape) > S.MAX_DIMS:
        raise _NoKernel
    params = [0] * 56
    params[0], params[3] = n, out.offset
    params[4:10] = S.pad(kshape, 1)
    params[48:54] = S.pad(kstrides[0], 0)
    mask, k = "", 0
    for position, x in enumerate(operands):
        if isinstance(x, GPUArray):
            params[10 + 7 * position] = x.offset
            params[11 + 7 * position:17 + 7 * position] = S.pad(kstrides[1 + k], 0)
            k += 1
            mask += "1"
        else:
            params[44 + position] = f32bits(x)
            mask += "0"
    for i, value in enumerate(scalars):
        params[40 + i] = f32bits(value)
    storages = [out.storage] + [x.storage if isinstance(x, GPUArray) else None for x in operands]
    name = f"ew:{op}" + (f":{mask}" if "0" in mask else "")
    out.storage.device.dispatch_1d(name, storages, params, n)
    return out


# --- reductions -------------------------------------------------------------------------------

def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    axes = tuple(sorted(int(a) % max(ndim, 1) for a in axes))
    if len(set(axes)) != len(axes):
        raise ValueError("duplicate value in 'axis'")
    return axes


def reduce(op, x, axis=None, keepdims=False):
    """``sum``, ``max`` or ``min`` over ``axis`` (NumPy's rules), on the GPU."""
    x = to_device(x)
    axes = _axes(axis, x.ndim)
    outer = [i for i in range(x.ndim) if i not in axes]
    out_shape = tuple(1 if i in axes else x.shape[i] for i in range(x.ndim)) if keepdims else tuple(
        x.shape[i] for i in outer)
    inner_n = math.prod(x.shape[i] for i in axes)
    out = _empty(out_shape)
    rows = out.size
    if rows == 0:
        return out
    if inner_n == 0:
        if op != "sum":
            raise ValueError(f"zero-size array to reduction operation {'maximum' if op == 'max' else 'minimum'} "
                             "which has no identity")
        return _ew("fill", [], out_shape, out=out, scalars=(0.0,))
    oshape, (ostrides,) = S.compress(tuple(x.shape[i] for i in outer), tuple(x.strides_el[i] for i in outer))
    ishape, (istrides,) = S.compress(tuple(x.shape[i] for i in axes), tuple(x.strides_el[i] for i in axes))
    if len(oshape) > S.MAX_DIMS or len(ishape) > S.MAX_DIMS:
        raise _NoKernel
    params = [0] * 29
    params[0], params[1], params[3] = rows, inner_n, out.offset
    params[4:10], params[10:16] = S.pad(oshape, 1), S.pad(ostrides, 0)
    params[16:22], params[22:28] = S.pad(ishape, 1), S.pad(istrides, 0)
    params[28] = x.offset
    dev = out.storage.device
    for base, count in S.chunks(rows, dev.max_groups):
        params[2] = base
        dev.dispatch(f"reduce:{op}", [out.storage, x.storage], params, count)
    return out


# --- matrix products --------------------------------------------------------------------------

_ACTIVATIONS = {None: 0, "relu": 1, "tanh": 2, "sigmoid": 3}


def matmul(a, b, bias=None, activation=None):
    """``np.matmul(a, b)`` on the GPU (batched, broadcast, 1-D operands as NumPy), optionally
    fused with ``+ bias`` (per output column) and an activation (relu, tanh, sigmoid)."""
    a, b = to_device(a), to_device(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("matmul: Input operand does not have enough dimensions")
    a2 = a.reshape((1,) + a.shape) if a.ndim == 1 else a
    b2 = b.reshape(b.shape + (1,)) if b.ndim == 1 else b
    (m, k), (k2, n) = a2.shape[-2:], b2.shape[-2:]
    if k != k2:
        raise ValueError(f"matmul: Input operand 1 has a mismatch in its core dimension 0 (size {k2} is different from {k})")
    batch = S.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    out = _empty(batch + (m, n))
    if out.size:
        operands = []
        for x in (a2, b2):
            view = x.broadcast_to(batch + x.shape[-2:])
            stride = S.collapse_batch(batch, view.strides_el[:-2])
            if stride is None:
                view = view.copy()
                stride = S.collapse_batch(batch, view.strides_el[:-2])
            operands.append((view, stride))
        if k == 0:
            _ew("fill", [], out.shape, out=out, scalars=(0.0,))
            if bias is None and activation is None:
                return _squeeze_vectors(out, a, b)
        (av, ast), (bv, bst) = operands
        bias_gpu = to_device(bias).compact() if bias is not None else None
        params = [m, n, k, 0, av.offset, ast, av.strides_el[-2], av.strides_el[-1],
                  bv.offset, bst, bv.strides_el[-2], bv.strides_el[-1], out.offset,
                  1 if bias_gpu is not None else 0, _ACTIVATIONS[activation],
                  bias_gpu.offset if bias_gpu is not None else 0]
        dev = out.storage.device
        nb = math.prod(batch)
        for base, count in S.chunks(nb, dev.max_groups):
            params[3] = base
            dev.dispatch("matmul", [out.storage, av.storage, bv.storage, bias_gpu.storage if bias_gpu is not None else None],
                         params, -(-n // 64), -(-m // 64), count)
    return _squeeze_vectors(out, a, b)


def _squeeze_vectors(out, a, b):
    if a.ndim == 1:
        out = out.reshape(out.shape[:-2] + out.shape[-1:])
    if b.ndim == 1:
        out = out.reshape(out.shape[:-1])
    return out


# --- softmax ----------------------------------------------------------------------------------

def softmax(x, axis=-1, log=False):
    """Softmax (or log-softmax) along ``axis``, one workgroup per row."""
    x = to_device(x)
    if x.ndim == 0:
        x = x.reshape(1)
        return softmax(x, 0, log).reshape(())
    axis = axis % x.ndim
    moved = np.moveaxis(x, axis, -1)
    rows_shape, cols = moved.shape[:-1], moved.shape[-1]
    row_stride = S.collapse_batch(rows_shape, moved.strides_el[:-1])
    if row_stride is None:
        moved = moved.copy()
        row_stride = cols
    out = _empty(moved.shape)
    rows = math.prod(rows_shape)
    if out.size:
        params = [rows, cols, 0, moved.offset, row_stride, moved.strides_el[-1], out.offset]
        dev = out.storage.device
        for base, count in S.chunks(rows, dev.max_groups):
            params[2] = base
            dev.dispatch("softmax:log" if log else "softmax", [out.storage, moved.storage], params, count)
    return np.moveaxis(out, -1, axis)


# --- indexing ---------------------------------------------------------------------------------

def _scatter(target, offsets, value, add):
    if not offsets.size:
        return
    if not target.contiguous and add:
        raise _NoKernel
    values = _value(value, target.storage, offsets.shape)
    values = values.compact() if isinstance(values, GPUArray) else _ew("fill", [], offsets.shape, scalars=(values,))
    dev = target.storage.device
    idx = dev.upload(offsets.astype(np.uint32).reshape(-1))
    dev.dispatch_1d("scatter:add" if add else "scatter", [target.storage, values.storage, idx],
                    [offsets.size, 0, 0, values.offset], offsets.size)


# --- convolution and pooling ------------------------------------------------------------------

def _conv_params(total, x, kh, kw, oh, ow, stride, padding):
    n, c, h, w = x.shape
    return [total, 0, 0, x.offset, n, c, h, w, *x.strides_el, kh, kw, oh, ow, stride[0], stride[1],
            padding[0], padding[1]]


def conv2d_forward(x, w, b, stride, padding):
    x, w = to_device(x), to_device(w)
    stride, padding = _pair(stride), _pair(padding)
    n, c, h, wd = x.shape
    cout, _, kh, kw = w.shape
    oh, ow = (h + 2 * padding[0] - kh) // stride[0] + 1, (wd + 2 * padding[1] - kw) // stride[1] + 1
    rows, ckk = n * oh * ow, c * kh * kw
    cols = _empty((rows, ckk))
    if cols.size:
        x.storage.device.dispatch_1d("im2col", [cols.storage, x.storage],
                                     _conv_params(cols.size, x, kh, kw, oh, ow, stride, padding), cols.size)
    wmat = w.reshape(cout, ckk)
    out = matmul(cols, wmat.T, bias=b)  # (N·OH·OW, C_out)
    out = out.reshape(n, oh, ow, cout).transpose(0, 3, 1, 2)
    return out, (x.shape, cols, wmat, stride, padding, (kh, kw, oh, ow), b is not None)


def conv2d_backward(grad_out, cache):
    x_shape, cols, wmat, stride, padding, (kh, kw, oh, ow), has_bias = cache
    n, c, h, w = x_shape
    cout = wmat.shape[0]
    g = to_device(grad_out).transpose(0, 2, 3, 1).reshape(n * oh * ow, cout)
    dw = matmul(g.T, cols).reshape(cout, c, kh, kw)
    db = reduce("sum", g, 0) if has_bias else None
    dcols = matmul(g, wmat)
    dx = _empty(x_shape)
    if dx.size:
        geometry = GPUArray(dx.storage, x_shape)  # only its shape and strides are read
        dx.storage.device.dispatch_1d("col2im", [dx.storage, dcols.storage],
                                      _conv_params(dx.size, geometry, kh, kw, oh, ow, stride, padding), dx.size)
    return dx, dw, db


def _pair(value):
    return (int(value), int(value)) if isinstance(value, (int, np.integer)) else tuple(int(v) for v in value)


def pool_forward(kind, x, kernel_size, stride, padding):
    x = to_device(x)
    kernel = _pair(kernel_size)
    stride = kernel if stride is None else _pair(stride)
    padding = _pair(padding)
    n, c, h, w = x.shape
    oh, ow = (h + 2 * padding[0] - kernel[0]) // stride[0] + 1, (w + 2 * padding[1] - kernel[1]) // stride[1] + 1
    out = _empty((n, c, oh, ow))
    idx = _empty((n, c, oh, ow)) if kind == "max" else None
    if out.size:
        x.storage.device.dispatch_1d(f"pool:{kind}_fwd", [out.storage, x.storage, idx.storage if idx is not None else None],
                                     _conv_params(out.size, x, *kernel, oh, ow, stride, padding), out.size)
    return out, (kind, x.shape, idx, kernel, stride, padding, (oh, ow))


def pool_backward(grad_out, cache):
    kind, x_shape, idx, kernel, stride, padding, (oh, ow) = cache
    g = to_device(grad_out).compact()
    dx = _empty(x_shape)
    if dx.size:
        params = _conv_params(dx.size, GPUArray(dx.storage, x_shape), *kernel, oh, ow, stride, padding)
        params[3] = g.offset
        dx.storage.device.dispatch_1d(f"pool:{kind}_bwd", [dx.storage, g.storage, idx.storage if idx is not None else None],
                                      params, dx.size)
    return dx


# --- optimiser updates (in place) -------------------------------------------------------------

def sgd_update(theta, grad, buf, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, first=False):
    """PyTorch's SGD step in one kernel, updating ``theta`` and ``buf`` (contiguous GPU arrays) in place."""
    grad = to_device(grad).compact()
    params = [theta.size, 0, 0, 0, f32bits(lr), f32bits(momentum), f32bits(dampening), f32bits(weight_decay),
              int(bool(nesterov)), int(bool(first))]
    theta.storage.device.dispatch_1d("sgd", [theta.storage, grad.storage, buf.storage], params, theta.size)


def adam_update(theta, grad, m, v, step, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    """Adam's step ``step`` (1-based) in one kernel, updating ``theta``, ``m``, ``v`` in place."""
    grad = to_device(grad).compact()
    b1, b2 = betas
    params = [theta.size, 0, 0, 0, f32bits(lr), f32bits(b1), f32bits(b2), f32bits(eps), f32bits(weight_decay),
              f32bits(1 - b1 ** step), f32bits(1 - b2 ** step)]
    theta.storage.device.dispatch_1d("adam", [theta.storage, grad.storage, m.storage, v.storage], params, theta.size)


# --- __array_function__ table ----------------------------------------------------------------

def _like(a, dtype=None, order="K", subok=True, shape=None, fill=0.0):
    shape = a.shape if shape is None else (tuple(shape) if isinstance(shape, (tuple, list)) else (shape,))
    dtype = a.dtype if dtype is None else np.dtype(dtype)
    if dtype not in (F32, BOOL):
        raise _NoKernel
    return _ew("fill", [], shape, dtype=dtype, scalars=(float(fill),))


def _concatenate(arrays, axis=0, out=None, **kw):
    if out is not None or axis is None:
        raise _NoKernel
    arrays = [to_device(a) for a in arrays]
    axis = axis % arrays[0].ndim
    shape = list(arrays[0].shape)
    shape[axis] = sum(a.shape[axis] for a in arrays)
    out = _empty(tuple(shape), arrays[0].dtype)
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
        raise _NoKernel
    array = to_device(array)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (array.ndim, 2))
    shape = tuple(int(n + lo + hi) for n, (lo, hi) in zip(array.shape, widths))
    out = _ew("fill", [], shape, dtype=array.dtype, scalars=(float(constant_values),))
    out[tuple(slice(int(lo), int(lo) + n) for n, (lo, _) in zip(array.shape, widths))] = array
    return out


def _moveaxis(a, source, destination):
    source = [s % a.ndim for s in (source if isinstance(source, (tuple, list)) else [source])]
    destination = [d % a.ndim for d in (destination if isinstance(destination, (tuple, list)) else [destination])]
    order = [n for n in range(a.ndim) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return a.transpose(order)


def _expand_dims(a, axis):
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    ndim = a.ndim + len(axes)
    axes = sorted(x % ndim for x in axes)
    shape, strides, it = [], [], iter(zip(a.shape, a.strides_el))
    for i in range(ndim):
        if i in axes:
            shape.append(1)
            strides.append(0)
        else:
            n, s = next(it)
            shape.append(n)
            strides.append(s)
    return a._view(tuple(shape), tuple(strides))


def _squeeze(a, axis=None):
    axes = [i for i, n in enumerate(a.shape) if n == 1] if axis is None else _axes(axis, a.ndim)
    for i in axes:
        if a.shape[i] != 1:
            raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
    keep = [i for i in range(a.ndim) if i not in axes]
    return a._view(tuple(a.shape[i] for i in keep), tuple(a.strides_el[i] for i in keep))


def _where(condition, x=None, y=None):
    if x is None or y is None:
        raise _NoKernel
    shape = S.broadcast_shapes(*(np.shape(v) if not isinstance(v, GPUArray) else v.shape for v in (condition, x, y)))
    cond = to_device(np.asarray(condition, dtype=bool)) if not isinstance(condition, GPUArray) else condition
    dtype = BOOL if all(_dtype_of(v) == BOOL for v in (x, y)) else F32
    return _ew("where", [cond] + [float(v) if _is_scalar(v) else to_device(v) for v in (x, y)], shape, dtype=dtype)


def _clip(a, a_min=None, a_max=None, out=None, **kw):
    if out is not None:
        raise _NoKernel
    result = to_device(a)
    if a_min is not None:
        result = _elementwise("maximum", (result, a_min))
    if a_max is not None:
        result = _elementwise("minimum", (result, a_max))
    return result


def _reduction(op):
    def run(a, axis=None, dtype=None, out=None, keepdims=False, **kw):
        if out is not None or kw.get("where") is not None:
            raise _NoKernel
        if op == "mean":
            total = reduce("sum", a, axis, keepdims)
            count = max(1, to_device(a).size // max(1, total.size)) if to_device(a).size else 0
            return total / count if count else total * np.nan
        return reduce(op, a, axis, keepdims)
    return run


def _result_type(*args):
    return np.result_type(*(a.dtype if isinstance(a, GPUArray) else a for a in args))


_FUNCTIONS = {
    np.shape: lambda a: a.shape,
    np.ndim: lambda a: a.ndim,
    np.size: lambda a, axis=None: a.size if axis is None else a.shape[axis],
    np.result_type: _result_type,
    np.transpose: lambda a, axes=None: a.transpose(axes) if axes is not None else a.transpose(),
    np.swapaxes: lambda a, axis1, axis2: a.transpose(
        [axis2 % a.ndim if i == axis1 % a.ndim else axis1 % a.ndim if i == axis2 % a.ndim else i for i in range(a.ndim)]),
    np.moveaxis: _moveaxis,
    np.expand_dims: _expand_dims,
    np.squeeze: _squeeze,
    np.broadcast_to: lambda array, shape, subok=False: to_device(array).broadcast_to(
        tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)),
    np.reshape: lambda a, shape=None, order="C", **kw: a.reshape(shape if shape is not None else kw["newshape"]),
    np.ravel: lambda a, order="C": a.reshape(-1),
    np.copy: lambda a, order="K", subok=False: a.copy(),
    np.ascontiguousarray: lambda a, dtype=None, **kw: a.compact() if dtype is None else a.astype(dtype).compact(),
    np.zeros_like: lambda a, dtype=None, order="K", subok=True, shape=None, **kw: _like(a, dtype, shape=shape),
    np.ones_like: lambda a, dtype=None, order="K", subok=True, shape=None, **kw: _like(a, dtype, shape=shape, fill=1.0),
    np.empty_like: lambda a, dtype=None, order="K", subok=True, shape=None, **kw: _like(a, dtype, shape=shape),
    np.full_like: lambda a, fill_value, dtype=None, order="K", subok=True, shape=None, **kw: _like(
        a, dtype, shape=shape, fill=fill_value),
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
    np.matmul: lambda a, b, **kw: matmul(a, b),
}


# --- the backends -----------------------------------------------------------------------------

class WebGPUBackend(NumpyBackend):
    """Every float32 operand of a kernel goes to the GPU (``?backend=webgpu``)."""

    name = "webgpu"

    def on_gpu(self, op_class, size, *arrays):
        """Whether this operation runs on the GPU (its float32 operands moving there)."""
        return all(_dtype_of(a) in (F32, BOOL) for a in arrays if a is not None)

    def matmul(self, a, b):
        if self.on_gpu("matmul", 2 * np.size(a) * (np.shape(b)[-1] if np.ndim(b) > 1 else 1), a, b):
            return matmul(a, b)
        return super().matmul(a, b)

    def sum(self, x, axis=None, keepdims=False):
        if self.on_gpu("reduction", np.size(x), x):
            return reduce("sum", x, axis, keepdims)
        return super().sum(x, axis, keepdims)

    def max(self, x, axis=None, keepdims=False):
        if self.on_gpu("reduction", np.size(x), x):
            return reduce("max", x, axis, keepdims)
        return super().max(x, axis, keepdims)

    def softmax(self, x, axis=-1):
        if self.on_gpu("reduction", np.size(x), x):
            return softmax(x, axis)
        return super().softmax(x, axis)

    def log_softmax(self, x, axis=-1):
        if self.on_gpu("reduction", np.size(x), x):
            return softmax(x, axis, log=True)
        return super().log_softmax(x, axis)

    def conv2d_forward(self, x, w, b, stride, padding):
        flops = 2 * np.size(x) * np.size(w) // max(1, np.shape(w)[1])
        if self.on_gpu("conv", flops, x, w, b):
            return conv2d_forward(x, w, b, stride, padding)
        return super().conv2d_forward(x, w, b, stride, padding)

    def conv2d_backward(self, grad_out, cache):
        if isinstance(cache[1], GPUArray):
            return conv2d_backward(grad_out, cache)
        return super().conv2d_backward(_to_host(grad_out), cache)

    def max_pool2d_forward(self, x, kernel_size, stride=None, padding=0):
        if self.on_gpu("reduction", np.size(x), x):
            return pool_forward("max", x, kernel_size, stride, padding)
        return super().max_pool2d_forward(x, kernel_size, stride, padding)

    def max_pool2d_backward(self, grad_out, cache):
        if isinstance(cache[0], str) and cache[0] == "max":
            return pool_backward(grad_out, cache)
        return super().max_pool2d_backward(_to_host(grad_out), cache)

    def avg_pool2d_forward(self, x, kernel_size, stride=None, padding=0):
        if self.on_gpu("reduction", np.size(x), x):
            return pool_forward("avg", x, kernel_size, stride, padding)
        return super().avg_pool2d_forward(x, kernel_size, stride, padding)

    def avg_pool2d_backward(self, grad_out, cache):
        if isinstance(cache[0], str) and cache[0] == "avg":
            return pool_backward(grad_out, cache)
        return super().avg_pool2d_backward(_to_host(grad_out), cache)


class AutoBackend(WebGPUBackend):
    """Data already on the GPU stays there; data in main memory moves only where the calibration
    measured the GPU to be faster for that class and size."""

    name = "auto"

    def __init__(self, calibration=None):
        self.calibration = calibration

    def on_gpu(self, op_class, size, *arrays):
        if not super().on_gpu(op_class, size, *arrays):
            return False
        if any(isinstance(a, GPUArray) for a in arrays):
            return True
        return self.calibration is not None and self.calibration.prefers_gpu(op_class, size)


def connect(gpu):
    """Bind to the JavaScript GPU module (called once by :func:`pizarra.backend.setup`)."""
    global _device
    _device = Device(gpu)
    return _device
