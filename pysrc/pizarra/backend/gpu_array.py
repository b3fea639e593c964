"""Float32 arrays resident on the GPU, behind NumPy's own protocols.

A :class:`GPUArray` is a view ``(storage, offset, shape, strides)`` of a GPU buffer (a
:class:`pizarra.backend.device.Storage`), strides counted in elements. It speaks NumPy's dispatch
protocols (``__array_ufunc__``, ``__array_function__``, see :mod:`pizarra.backend.numpy_protocol`),
so the unchanged autograd operations of :mod:`pizarra.ops` (``np.exp(a)``, ``a * b``,
``np.transpose``, ``np.add.at`` …) run as GPU kernels (:mod:`pizarra.backend.launchers`) when
their inputs live on the GPU, and the results stay there: a forward, backward and optimiser step
reads nothing back but what the page asks for (``loss.item()``).
"""

from __future__ import annotations

import math

import numpy as np

from . import BackendFailure
from . import strided as S
from .device import device

F32 = np.dtype(np.float32)
BOOL = np.dtype(np.bool_)


class NoKernel(Exception):
    """No GPU kernel for this case: NumPy computes it (reading the GPU operands back)."""


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
        return GPUArray(
            self.storage,
            shape,
            strides,
            self.offset if offset is None else offset,
            self.dtype if dtype is None else dtype,
        )

    @property
    def contiguous(self):
        return S.is_contiguous(self.shape, self.strides_el)

    def compact(self):
        """This array, or a contiguous copy of it."""
        return self if self.contiguous else self.copy()

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

    # --- views and copies ---

    def reshape(self, *shape, order="C"):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        new_shape, strides = S.reshape_view(self.shape, self.strides_el, tuple(int(n) for n in shape))
        if strides is None:
            return self.compact().reshape(new_shape)
        return self._view(new_shape, strides)

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list, np.ndarray))):
            axes = axes[0]
        axes = (
            tuple(reversed(range(self.ndim)))
            if axes is None or len(axes) == 0
            else tuple(int(a) % self.ndim for a in axes)
        )
        return self._view(tuple(self.shape[a] for a in axes), tuple(self.strides_el[a] for a in axes))

    def broadcast_to(self, shape):
        shape = tuple(shape)
        return self._view(shape, S.broadcast_strides(self.shape, self.strides_el, shape))

    def astype(self, dtype, copy=True):
        dtype = np.dtype(dtype)
        if dtype == self.dtype:
            return self.copy() if copy else self
        if dtype == BOOL:
            return launchers.run_elementwise("ne", [self, 0.0], self.shape, dtype=BOOL)
        if dtype == F32:
            return self._view(self.shape, self.strides_el, dtype=F32).copy()
        return self.get().astype(dtype)  # other dtypes live in main memory

    def copy(self, order="C"):
        return launchers.run_elementwise("copy", [self], self.shape, dtype=self.dtype)

    # --- indexing: basic indices are views, advanced ones gather and scatter ---

    def __getitem__(self, index):
        if isinstance(index, GPUArray):
            index = index.get()
        view = S.basic_index(self.shape, self.strides_el, self.offset, index)
        if view is not None:
            return self._view(*view)
        return launchers.gather(self, self.element_offsets()[index])

    def __setitem__(self, index, value):
        if isinstance(index, GPUArray):
            index = index.get()
        view = S.basic_index(self.shape, self.strides_el, self.offset, index)
        if view is None:
            launchers.scatter(self, self.element_offsets()[index], value, add=False)
            return
        target = self._view(*view)
        if target.size:
            launchers.run_elementwise(
                "copy", [assignable(value, self.storage, target.shape)], target.shape, out=target
            )

    def element_offsets(self):
        """The buffer offset of every entry of this view, as a NumPy int array of its shape."""
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
        return numpy_protocol.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return numpy_protocol.array_function(func, args, kwargs)

    # operators: element-wise kernels (the ufuncs above), with NumPy's semantics
    def __add__(self, o):
        return launchers.elementwise("add", (self, o))

    def __radd__(self, o):
        return launchers.elementwise("add", (o, self))

    def __sub__(self, o):
        return launchers.elementwise("sub", (self, o))

    def __rsub__(self, o):
        return launchers.elementwise("sub", (o, self))

    def __mul__(self, o):
        return launchers.elementwise("mul", (self, o))

    def __rmul__(self, o):
        return launchers.elementwise("mul", (o, self))

    def __truediv__(self, o):
        return launchers.elementwise("div", (self, o))

    def __rtruediv__(self, o):
        return launchers.elementwise("div", (o, self))

    def __pow__(self, o):
        return launchers.elementwise("pow", (self, o))

    def __rpow__(self, o):
        return launchers.elementwise("pow", (o, self))

    def __neg__(self):
        return launchers.elementwise("neg", (self,))

    def __pos__(self):
        return self.copy()

    def __abs__(self):
        return launchers.elementwise("abs", (self,))

    def __invert__(self):
        return np.invert(self)

    def __and__(self, o):
        return np.bitwise_and(self, o)

    def __or__(self, o):
        return np.bitwise_or(self, o)

    def __xor__(self, o):
        return np.bitwise_xor(self, o)

    def __matmul__(self, o):
        return launchers.matmul(self, o)

    def __rmatmul__(self, o):
        return launchers.matmul(o, self)

    def __gt__(self, o):
        return launchers.elementwise("gt", (self, o))

    def __ge__(self, o):
        return launchers.elementwise("ge", (self, o))

    def __lt__(self, o):
        return launchers.elementwise("lt", (self, o))

    def __le__(self, o):
        return launchers.elementwise("le", (self, o))

    def __eq__(self, o):
        return launchers.elementwise("eq", (self, o))

    def __ne__(self, o):
        return launchers.elementwise("ne", (self, o))

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


# --- making GPU arrays, and reading them back ----------------------------------------------------


def empty(shape, dtype=F32):
    """A new GPU array of ``shape`` (contents undefined until a kernel writes them)."""
    dev = _connected_device()
    return GPUArray(dev.allocate(max(1, math.prod(shape))), shape, dtype=dtype)


def to_device(array):
    """A GPU array itself, or a NumPy array (float32 or boolean) as a new GPU array (an upload)."""
    if isinstance(array, GPUArray):
        return array
    array = np.asarray(array)
    dev = _connected_device()
    dtype = BOOL if array.dtype == BOOL else F32
    data = np.ascontiguousarray(array, dtype=F32)
    return GPUArray(dev.upload(data if data.size else np.zeros(1, F32)), array.shape, dtype=dtype)


def _connected_device():
    dev = device()
    if dev is None:
        raise BackendFailure("no-webgpu: the GPU is not available")
    return dev


def to_host(value):
    """``value`` with every GPU array in it (also inside lists, tuples, dicts) read back to NumPy."""
    if isinstance(value, GPUArray):
        return value.get()
    if isinstance(value, (list, tuple)):
        return type(value)(to_host(v) for v in value)
    if isinstance(value, dict):
        return {k: to_host(v) for k, v in value.items()}
    return value


def is_scalar(value):
    return isinstance(value, (int, float, bool, np.number, np.bool_)) or (
        isinstance(value, np.ndarray) and value.ndim == 0
    )


def dtype_of(x):
    return x.dtype if isinstance(x, (GPUArray, np.ndarray, np.generic)) else np.asarray(x).dtype


def assignable(value, avoid_storage, shape):
    """A right-hand side for an assignment: a number, or a GPU array of ``shape`` not sharing
    ``avoid_storage`` (a kernel's output may not alias its input)."""
    if is_scalar(value):
        return float(value)
    value = to_device(value)
    if value.storage is avoid_storage:
        value = value.copy()
    return value.broadcast_to(shape)


# The kernels and NumPy's protocols act on GPUArray, defined above.
from . import launchers, numpy_protocol  # noqa: E402
