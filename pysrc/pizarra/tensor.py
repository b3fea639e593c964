"""Reverse-mode automatic differentiation: ``Tensor``, ``Function``, ``no_grad``.

A :class:`Tensor` wraps a NumPy array (``.data``). Operations on tensors that
require gradients record a computational graph: every result remembers the
:class:`Function` that produced it (``.grad_fn``) and that function remembers
its inputs. ``loss.backward()`` walks the graph in reverse topological order
and applies the chain rule at each node (course, section 2): the node's
``backward`` turns ``∂L/∂output`` into ``∂L/∂input`` for each of its inputs.

Writing a new operation (see :mod:`pizarra.ops` for many examples)::

    class Mul(Function):
        def forward(self, a, b):                # NumPy arrays in, array out
            self.a, self.b = a, b               # save what backward needs
            return a * b

        def backward(self, grad):               # grad = ∂L/∂out
            return grad * self.b, grad * self.a # (∂L/∂a, ∂L/∂b)

    out = Mul.apply(x, y)                       # Tensors (or numbers) in

``backward`` returns one gradient per positional input (``None`` where the
input is not differentiable). Gradients may have the broadcast shape of the
output: the engine sums them back to each input's shape (:func:`unbroadcast`)
and casts them to the input's dtype. Non-tensor arguments (axes, indices,
masks) go in keyword arguments of ``apply`` and reach ``forward`` unchanged.

Import with ``from pizarra.tensor import Tensor, Function``: the package
attribute ``pizarra.tensor`` is the factory function, as in PyTorch.

Dtypes follow PyTorch: Python numbers and lists become float32 (integers and
booleans stay int64 / bool); NumPy arrays keep their dtype, so gradient checks
can run in float64.

One deliberate difference from PyTorch: ``backward()`` keeps ``.grad`` on
*every* tensor of the graph that requires gradients, not only on leaves, so
that a student (and :func:`pizarra.trace`) can read ``∂r/∂h`` for an
intermediate ``h``. Gradients accumulate (``+=``) over several ``backward``
calls, as in PyTorch; call ``zero_grad`` (or set ``.grad = None``) between
steps.
"""

import numpy as np

from . import backend, rng

_grad_enabled = True


class no_grad:
    """Context manager (or decorator) that stops recording the graph.

    Inside ``with pizarra.no_grad():`` results never require gradients:
    use it for evaluation and for parameter updates.
    """

    def __enter__(self):
        global _grad_enabled
        self._previous = _grad_enabled
        _grad_enabled = False

    def __exit__(self, *exc):
        global _grad_enabled
        _grad_enabled = self._previous

    def __call__(self, func):
        def wrapper(*args, **kwargs):
            with no_grad():
                return func(*args, **kwargs)

        wrapper.__name__, wrapper.__doc__ = func.__name__, func.__doc__
        return wrapper


def is_grad_enabled():
    return _grad_enabled


def _as_array(data, dtype=None):
    """NumPy arrays keep their dtype; Python numbers and lists become float32
    (or int64 / bool when they hold only integers / booleans)."""
    if isinstance(data, Tensor):
        data = data.data
    if backend.is_device_array(data):  # a GPU-resident array stays where it is
        return data if dtype is None else data.astype(dtype, copy=False)
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
    elif dtype is not None:
        array = np.asarray(data, dtype=dtype)  # no detour through float32: 1/3 stays exact in float64
    else:
        array = np.asarray(data)
        if array.dtype.kind == "f":
            array = array.astype(np.float32)
        elif array.dtype.kind == "i":
            array = array.astype(np.int64)  # NumPy's default int is 32-bit on wasm32 (Pyodide)
    return array if dtype is None else array.astype(dtype, copy=False)


def unbroadcast(grad, shape):
    """Sum ``grad`` over the axes that broadcasting added or stretched, so
    that it gets ``shape``. If ``x`` (shape ``(3,)``) was added to a
    ``(2, 3)`` array, ``∂L/∂x`` is the sum of the two rows of ``∂L/∂out``."""
    if grad.shape == tuple(shape):
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.shape[extra + i] != 1
    )
    return backend.current().sum(grad, axis=axes, keepdims=True).reshape(shape)


class Function:
    """One operation of the graph: ``forward`` and ``backward`` side by side.

    ``apply`` runs ``forward`` on the inputs' arrays and, when gradients are
    being recorded and some input requires them, links the result to this
    node. Inside ``backward``, ``self.needs_input_grad[i]`` tells whether the
    ``i``-th input needs its gradient (to skip needless work).
    """

    inputs = ()
    needs_input_grad = ()

    def forward(self, *arrays, **kwargs):
        raise NotImplementedError

    def backward(self, grad):
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **kwargs):
        inputs = _lift(inputs)
        fn = cls()
        out = Tensor(fn.forward(*(t.data for t in inputs), **kwargs))
        if _grad_enabled and any(t.requires_grad for t in inputs):
            fn.inputs = inputs
            fn.needs_input_grad = tuple(t.requires_grad for t in inputs)
            out.requires_grad = True
            out.grad_fn = fn
        return out

    @property
    def name(self):
        """Lower-case operation name, e.g. ``"mul"`` (shown by ``trace``)."""
        return type(self).__name__.lower()


def _lift(inputs):
    """Turn non-tensor inputs into constant tensors. NumPy arrays keep their
    dtype; Python numbers take the floating dtype of the tensors they meet,
    so ``2 * x`` stays float32 when ``x`` is float32."""
    tensors = [x.data for x in inputs if isinstance(x, Tensor)]
    like = np.result_type(*tensors) if tensors else None
    if like is not None and like.kind != "f":
        like = None
    return tuple(
        x if isinstance(x, Tensor) else Tensor(x if isinstance(x, np.ndarray) else _as_array(x, like))
        for x in inputs
    )


def topological_order(root):
    """All tensors of ``root``'s graph, inputs before the results that use
    them (iterative depth-first search: deep graphs cannot overflow the stack)."""
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        if node.grad_fn is not None:
            stack.extend(
                (parent, False) for parent in reversed(node.grad_fn.inputs) if id(parent) not in seen
            )
    return order


class Tensor:
    """A NumPy array plus what autograd needs: ``requires_grad``, ``grad``,
    ``grad_fn``. Optional ``name`` labels the node in :func:`pizarra.trace`.

    Operators ``+ - * / ** @``, unary ``-`` and the methods below build the
    graph through :mod:`pizarra.ops`. Comparisons return boolean tensors that
    do not require gradients.
    """

    __array_priority__ = 1000
    __array_ufunc__ = None  # ndarray + Tensor calls Tensor.__radd__, keeping the graph

    def __init__(self, data, requires_grad=False, name=None, dtype=None):
        self.data = _as_array(data, dtype)
        if requires_grad and self.data.dtype.kind not in "fc":
            raise TypeError(f"only floating-point tensors can require gradients, not {self.data.dtype}")
        self.requires_grad = bool(requires_grad)
        self.grad = None
        self.grad_fn = None
        self.name = name

    # --- the array underneath ----------------------------------------------------

    @property
    def shape(self):
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self):
        return self.data.ndim

    def size(self, dim=None):
        """The shape (PyTorch's ``x.size()``), or one dimension of it."""
        return self.data.shape if dim is None else self.data.shape[dim]

    def numel(self):
        return self.data.size

    def dim(self):
        return self.data.ndim

    def __len__(self):
        return len(self.data)

    def numpy(self):
        """The underlying array (shared, not copied), like ``x.detach().numpy()``; a copy read
        back when the data lives on the GPU."""
        return np.asarray(self.data)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def item(self):
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def __float__(self):
        return float(self.data)

    def __int__(self):
        return int(self.data)

    def __bool__(self):
        return bool(self.data)

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extra = ", requires_grad=True" if self.requires_grad else ""
        return f"tensor({body}{extra})"

    __hash__ = object.__hash__

    # --- autograd ----------------------------------------------------------------

    @property
    def is_leaf(self):
        return self.grad_fn is None

    def detach(self):
        """Same data (shared), cut from the graph."""
        return Tensor(self.data)

    def requires_grad_(self, flag=True):
        self.requires_grad = bool(flag)
        return self

    def zero_(self):
        """Fill with zeros in place (outside the graph)."""
        self.data[...] = 0
        return self

    def backward(self, gradient=None):
        """Fill ``.grad`` of every tensor in the graph with ``∂self/∂tensor``.

        ``gradient`` is ``∂L/∂self``; it may be omitted when ``self`` holds a
        single number (then it is 1).
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() on a tensor that does not require grad "
                "(no input had requires_grad=True, or inside no_grad)"
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() without a gradient needs a single number, got shape {self.shape}"
                )
            gradient = np.ones_like(self.data)
        grads = {id(self): _as_array(gradient, self.dtype).reshape(self.shape)}
        for node in reversed(topological_order(self)):
            grad = grads.pop(id(node), None)
            if grad is None:
                continue
            if node.grad_fn is None:  # leaf: a private copy, optimisers may scale it in place
                node.grad = grad.copy() if node.grad is None else node.grad + grad
                continue
            node.grad = grad if node.grad is None else node.grad + grad
            fn = node.grad_fn
            input_grads = fn.backward(grad)
            if not isinstance(input_grads, tuple):
                input_grads = (input_grads,)
            for parent, parent_grad in zip(fn.inputs, input_grads):
                if parent_grad is None or not parent.requires_grad:
                    continue
                parent_grad = unbroadcast(backend.asarray(parent_grad), parent.shape).astype(
                    parent.dtype, copy=False
                )
                key = id(parent)
                grads[key] = parent_grad if key not in grads else grads[key] + parent_grad

    # --- arithmetic ----------------------------------------------------------------

    def __add__(self, other):
        return ops.Add.apply(self, other)

    def __radd__(self, other):
        return ops.Add.apply(other, self)

    def __sub__(self, other):
        return ops.Sub.apply(self, other)

    def __rsub__(self, other):
        return ops.Sub.apply(other, self)

    def __mul__(self, other):
        return ops.Mul.apply(self, other)

    def __rmul__(self, other):
        return ops.Mul.apply(other, self)

    def __truediv__(self, other):
        return ops.Div.apply(self, other)

    def __rtruediv__(self, other):
        return ops.Div.apply(other, self)

    def __pow__(self, exponent):
        return ops.Pow.apply(self, exponent)

    def __rpow__(self, base):
        return ops.Pow.apply(base, self)

    def __matmul__(self, other):
        return ops.MatMul.apply(self, other)

    def __rmatmul__(self, other):
        return ops.MatMul.apply(other, self)

    def __neg__(self):
        return ops.Neg.apply(self)

    def __getitem__(self, index):
        return ops.GetItem.apply(self, index=_plain_index(index))

    # Comparisons: boolean tensors outside the graph.
    def __eq__(self, other):
        return Tensor(self.data == _as_array(other))

    def __ne__(self, other):
        return Tensor(self.data != _as_array(other))

    def __lt__(self, other):
        return Tensor(self.data < _as_array(other))

    def __le__(self, other):
        return Tensor(self.data <= _as_array(other))

    def __gt__(self, other):
        return Tensor(self.data > _as_array(other))

    def __ge__(self, other):
        return Tensor(self.data >= _as_array(other))

    # --- element-wise functions --------------------------------------------------

    def exp(self):
        return ops.Exp.apply(self)

    def log(self):
        return ops.Log.apply(self)

    def sqrt(self):
        return ops.Sqrt.apply(self)

    def abs(self):
        return ops.Abs.apply(self)

    def tanh(self):
        return ops.Tanh.apply(self)

    def sigmoid(self):
        return ops.Sigmoid.apply(self)

    def relu(self):
        return ops.ReLU.apply(self)

    def clamp(self, min=None, max=None):
        return ops.Clamp.apply(self, min=min, max=max)

    def masked_fill(self, mask, value):
        """``value`` where ``mask`` is true, ``self`` elsewhere."""
        return ops.where(mask, value, self)

    def float(self):
        return ops.Cast.apply(self, dtype=np.float32)

    def double(self):
        return ops.Cast.apply(self, dtype=np.float64)

    def long(self):
        return Tensor(self.data.astype(np.int64))

    def softmax(self, dim=-1):
        return ops.Softmax.apply(self, dim=dim)

    def log_softmax(self, dim=-1):
        return ops.LogSoftmax.apply(self, dim=dim)

    # --- reductions (PyTorch's dim/keepdim; NumPy's axis/keepdims also accepted) --

    def sum(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return ops.Sum.apply(self, axis=_dims(dim, axis), keepdims=_keep(keepdim, keepdims))

    def mean(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return ops.Mean.apply(self, axis=_dims(dim, axis), keepdims=_keep(keepdim, keepdims))

    def var(self, dim=None, keepdim=False, unbiased=True, *, axis=None, keepdims=None):
        """Variance; ``unbiased`` divides by ``n - 1`` (PyTorch's default)."""
        axis, keepdims = _dims(dim, axis), _keep(keepdim, keepdims)
        mean = self.mean(axis=axis, keepdims=True)
        n = self.data.size // mean.data.size
        squares = ((self - mean) ** 2).sum(axis=axis, keepdims=keepdims)
        return squares / (n - 1 if unbiased else n)

    def amax(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """Largest value over ``dim``; ties share the gradient equally."""
        return ops.Max.apply(self, axis=_dims(dim, axis), keepdims=_keep(keepdim, keepdims))

    def amin(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return -(-self).amax(dim, keepdim, axis=axis, keepdims=keepdims)

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """Without ``dim``: the largest value. With ``dim``: ``(values, indices)``
        as in PyTorch (indices do not require gradients)."""
        axis, keepdims = _dims(dim, axis), _keep(keepdim, keepdims)
        values = self.amax(axis=axis, keepdims=keepdims)
        if axis is None:
            return values
        indices = np.argmax(self.data, axis=axis)
        return values, Tensor(np.expand_dims(indices, axis) if keepdims else indices)

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        axis, keepdims = _dims(dim, axis), _keep(keepdim, keepdims)
        values = self.amin(axis=axis, keepdims=keepdims)
        if axis is None:
            return values
        indices = np.argmin(self.data, axis=axis)
        return values, Tensor(np.expand_dims(indices, axis) if keepdims else indices)

    def argmax(self, dim=None, keepdim=False):
        return Tensor(np.argmax(self.data, axis=dim, keepdims=keepdim))

    def argmin(self, dim=None, keepdim=False):
        return Tensor(np.argmin(self.data, axis=dim, keepdims=keepdim))

    # --- shapes ------------------------------------------------------------------

    def reshape(self, *shape):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return ops.Reshape.apply(self, shape=tuple(shape))

    view = reshape

    def flatten(self, start_dim=0, end_dim=-1):
        shape = self.shape
        start, end = start_dim % max(1, self.ndim), end_dim % max(1, self.ndim)
        return self.reshape(shape[:start] + (-1,) + shape[end + 1 :])

    def unsqueeze(self, dim):
        dim = dim % (self.ndim + 1)
        return self.reshape(self.shape[:dim] + (1,) + self.shape[dim:])

    def squeeze(self, dim=None):
        if dim is None:
            return self.reshape(tuple(s for s in self.shape if s != 1))
        dim = dim % self.ndim
        if self.shape[dim] != 1:
            return self
        return self.reshape(self.shape[:dim] + self.shape[dim + 1 :])

    def permute(self, *dims):
        dims = dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        return ops.Permute.apply(self, dims=tuple(dims))

    def transpose(self, dim0, dim1):
        """Swap two dimensions (PyTorch's meaning, not NumPy's)."""
        dims = list(range(self.ndim))
        dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
        return self.permute(dims)

    @property
    def T(self):
        """All dimensions reversed (the matrix transpose for 2-D tensors)."""
        return self.permute(tuple(reversed(range(self.ndim))))

    @property
    def mT(self):
        """Transpose of the last two dimensions (batched matrices)."""
        return self.transpose(-2, -1)

    def expand(self, *shape):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        shape = tuple(
            old if new == -1 else new for old, new in zip((1,) * (len(shape) - self.ndim) + self.shape, shape)
        )
        return ops.BroadcastTo.apply(self, shape=shape)


def _dims(dim, axis):
    """Accept PyTorch's ``dim`` or NumPy's ``axis``; lists become tuples."""
    value = axis if dim is None else dim
    return tuple(value) if isinstance(value, list) else value


def _keep(keepdim, keepdims):
    return bool(keepdim if keepdims is None else keepdims)


def _plain_index(index):
    """Tensors used as indices become their arrays."""
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    return index.data if isinstance(index, Tensor) else index


# --- factories -----------------------------------------------------------------------


def tensor(data, requires_grad=False, dtype=None, name=None):
    """``pizarra.tensor([[1., 2.]])``: a new tensor (float32 from Python floats)."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def _shape(shape):
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape


def zeros(*shape, requires_grad=False, dtype=np.float32):
    return Tensor(np.zeros(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def ones(*shape, requires_grad=False, dtype=np.float32):
    return Tensor(np.ones(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def randn(*shape, requires_grad=False, dtype=np.float32):
    """Standard normal samples from the shared generator (see ``manual_seed``)."""
    data = rng.generator().standard_normal(_shape(shape)).astype(dtype)
    return Tensor(data, requires_grad=requires_grad)


def rand(*shape, requires_grad=False, dtype=np.float32):
    """Uniform samples in [0, 1) from the shared generator."""
    data = rng.generator().random(_shape(shape)).astype(dtype)
    return Tensor(data, requires_grad=requires_grad)


from . import ops  # noqa: E402  (ops needs Tensor and Function defined above)
