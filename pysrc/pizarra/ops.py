"""Every differentiable operation: one :class:`~pizarra.tensor.Function` each,
``forward`` and ``backward`` next to each other.

``grad`` is always ``∂L/∂out``; ``backward`` returns ``∂L/∂input`` for each
positional input, by the local rules of the course (section 2):

- a sum passes the gradient through unchanged;
- a product multiplies it by the other input;
- ``max`` routes it to the larger input;
- ``y = x W``: ``∂L/∂x = ∂L/∂y Wᵀ``, ``∂L/∂W = xᵀ ∂L/∂y``.

Gradients of broadcast inputs are summed back to their shapes by the engine
(:func:`pizarra.tensor.unbroadcast`), so element-wise rules are written for
arrays of the output's shape. Matrix products and reductions go through the
active backend (:func:`pizarra.backend.current`).

Ties: :class:`Maximum`/:class:`Minimum` of two tensors and :class:`Max`
over an axis split the gradient equally among tied entries, as PyTorch does
for ``torch.maximum`` and ``torch.amax``.
"""

import numpy as np

from . import backend
from .tensor import Function, Tensor, unbroadcast


def _normalise_axis(axis, ndim):
    """``None`` → every axis; ``-1`` → ``ndim - 1``; always a tuple."""
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(a % ndim for a in axes)


def _restore_reduced(grad, shape, axis, keepdims):
    """Broadcast the gradient of a reduction back to the input's shape."""
    if not keepdims:
        grad = np.expand_dims(grad, _normalise_axis(axis, len(shape)))
    return np.broadcast_to(grad, shape)


# --- arithmetic ------------------------------------------------------------------------


class Add(Function):
    """``a + b``: the gradient passes through to both inputs."""

    def forward(self, a, b):
        return a + b

    def backward(self, grad):
        return grad, grad


class Sub(Function):
    """``a - b``."""

    def forward(self, a, b):
        return a - b

    def backward(self, grad):
        return grad, -grad


class Neg(Function):
    """``-a``."""

    def forward(self, a):
        return -a

    def backward(self, grad):
        return -grad


class Mul(Function):
    """``a * b`` (element-wise): each input gets the gradient times the other."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        return grad * self.b, grad * self.a


class Div(Function):
    """``a / b``: ``∂/∂a = 1/b``, ``∂/∂b = -a/b²``."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def backward(self, grad):
        return grad / self.b, -grad * self.a / self.b**2


class Pow(Function):
    """``a ** b``: ``∂/∂a = b a^(b-1)``, ``∂/∂b = a^b log a``."""

    def forward(self, a, b):
        self.a, self.b = a, b
        self.out = a**b
        return self.out

    def backward(self, grad):
        grad_a = grad * self.b * self.a ** (self.b - 1)
        grad_b = grad * self.out * np.log(self.a) if self.needs_input_grad[1] else None
        return grad_a, grad_b


class MatMul(Function):
    """``a @ b`` with NumPy's rules (1-D operands, batches, broadcasting).

    For ``y = a b``: ``∂L/∂a = ∂L/∂y bᵀ`` and ``∂L/∂b = aᵀ ∂L/∂y``.
    """

    def forward(self, a, b):
        self.a, self.b = a, b
        return backend.current().matmul(a, b)

    def backward(self, grad):
        ops = backend.current()
        # A 1-D operand is a row (left) or a column (right) matrix, as np.matmul treats it.
        a = self.a[None, :] if self.a.ndim == 1 else self.a
        b = self.b[:, None] if self.b.ndim == 1 else self.b
        if self.b.ndim == 1:
            grad = grad[..., None]
        if self.a.ndim == 1:
            grad = grad[..., None, :]
        grad_a = ops.matmul(grad, np.swapaxes(b, -1, -2))
        if b.ndim == 2 and a.ndim > 2:
            # One matrix shared by a batch (a linear layer on (N, T, features)): ∂L/∂b = Σ_n a_nᵀ g_n
            # is one product of the batch's rows stacked, not N products summed afterwards.
            rows = a.reshape(-1, a.shape[-1])
            grad_b = ops.matmul(np.swapaxes(rows, -1, -2), grad.reshape(-1, grad.shape[-1]))
        else:
            grad_b = ops.matmul(np.swapaxes(a, -1, -2), grad)
        return (
            unbroadcast(grad_a, a.shape).reshape(self.a.shape),
            unbroadcast(grad_b, b.shape).reshape(self.b.shape),
        )


# --- element-wise functions ------------------------------------------------------------


class Exp(Function):
    """``exp(a)``; its derivative is itself."""

    def forward(self, a):
        self.out = np.exp(a)
        return self.out

    def backward(self, grad):
        return grad * self.out


class Log(Function):
    """Natural logarithm; ``∂/∂a = 1/a``."""

    def forward(self, a):
        self.a = a
        return np.log(a)

    def backward(self, grad):
        return grad / self.a


class Sqrt(Function):
    """``√a``; ``∂/∂a = 1 / (2√a)``."""

    def forward(self, a):
        self.out = np.sqrt(a)
        return self.out

    def backward(self, grad):
        return grad / (2 * self.out)


class Abs(Function):
    """``|a|``; gradient ``sign(a)`` (0 at 0, as PyTorch)."""

    def forward(self, a):
        self.a = a
        return np.abs(a)

    def backward(self, grad):
        return grad * np.sign(self.a)


class Tanh(Function):
    """``tanh(a)``; ``tanh' = 1 - tanh²``."""

    def forward(self, a):
        self.out = np.tanh(a)
        return self.out

    def backward(self, grad):
        return grad * (1 - self.out**2)


class Sigmoid(Function):
    """``σ(a) = 1 / (1 + e^(-a))``; ``σ' = σ (1 - σ)``.

    Computed as ``exp(-log(1 + e^(-a)))`` (``np.logaddexp``): no overflow for
    any ``a``.
    """

    def forward(self, a):
        self.out = np.exp(-np.logaddexp(0, -a))
        return self.out

    def backward(self, grad):
        return grad * self.out * (1 - self.out)


class Softplus(Function):
    """``softplus(a) = log(1 + e^a)`` (``np.logaddexp``, stable); derivative ``σ(a)``."""

    def forward(self, a):
        self.a = a
        return np.logaddexp(0, a)

    def backward(self, grad):
        return grad * np.exp(-np.logaddexp(0, -self.a))


class ReLU(Function):
    """``max(0, a)``; gradient 1 where ``a > 0``, else 0."""

    def forward(self, a):
        self.positive = a > 0
        return np.maximum(a, 0)

    def backward(self, grad):
        return grad * self.positive


class LeakyReLU(Function):
    """``a`` if ``a > 0`` else ``slope · a`` (PyTorch's default slope 0.01)."""

    def forward(self, a, negative_slope=0.01):
        self.positive, self.slope = a > 0, negative_slope
        return np.where(self.positive, a, negative_slope * a)

    def backward(self, grad):
        return np.where(self.positive, grad, self.slope * grad)


class ELU(Function):
    """``a`` if ``a > 0`` else ``α (e^a - 1)``; derivative ``1`` or ``ELU(a) + α``."""

    def forward(self, a, alpha=1.0):
        self.positive, self.alpha = a > 0, alpha
        self.out = np.where(self.positive, a, alpha * np.expm1(np.minimum(a, 0)))
        return self.out

    def backward(self, grad):
        return np.where(self.positive, grad, grad * (self.out + self.alpha))


class Clamp(Function):
    """``a`` limited to ``[min, max]`` (either may be ``None``); gradient 1
    inside, bounds included, and 0 outside."""

    def forward(self, a, min=None, max=None):
        self.inside = np.ones(a.shape, dtype=bool)
        if min is not None:
            self.inside &= a >= min
        if max is not None:
            self.inside &= a <= max
        return np.clip(a, min, max)

    def backward(self, grad):
        return grad * self.inside


class Cast(Function):
    """Change of dtype; the gradient is cast back by the engine."""

    def forward(self, a, dtype):
        return a.astype(dtype)

    def backward(self, grad):
        return grad


class Maximum(Function):
    """Element-wise ``max(a, b)``: the gradient goes to the larger input
    (split in half on ties)."""

    def forward(self, a, b):
        self.a_wins, self.tie = a > b, a == b
        return np.maximum(a, b)

    def backward(self, grad):
        half = 0.5 * grad * self.tie
        return grad * self.a_wins + half, grad * ~(self.a_wins | self.tie) + half


class Minimum(Function):
    """Element-wise ``min(a, b)``: the gradient goes to the smaller input
    (split in half on ties)."""

    def forward(self, a, b):
        self.a_wins, self.tie = a < b, a == b
        return np.minimum(a, b)

    def backward(self, grad):
        half = 0.5 * grad * self.tie
        return grad * self.a_wins + half, grad * ~(self.a_wins | self.tie) + half


class Where(Function):
    """``a`` where ``condition`` holds, else ``b``; each gets the gradient where it was chosen."""

    def forward(self, a, b, condition):
        self.condition = condition
        return np.where(condition, a, b)

    def backward(self, grad):
        return np.where(self.condition, grad, 0), np.where(self.condition, 0, grad)


class BinaryCrossEntropy(Function):
    """``-[y log p + (1-y) log(1-p)]`` element-wise, for probabilities ``p``.

    As PyTorch: each log is clamped at ``-100`` (finite loss at ``p = 0`` or
    ``1``), and the gradient ``(p - y) / (p (1 - p))`` has its denominator
    kept above ``1e-12``. The target gets no gradient.
    """

    def forward(self, p, y):
        self.p, self.y = p, y
        with np.errstate(divide="ignore"):
            log_p, log_not_p = np.maximum(np.log(p), -100), np.maximum(np.log1p(-p), -100)
        return -(y * log_p + (1 - y) * log_not_p)

    def backward(self, grad):
        return grad * (self.p - self.y) / np.maximum(self.p * (1 - self.p), 1e-12), None


# --- reductions --------------------------------------------------------------------------


class Sum(Function):
    """``Σ a`` over ``axis``: every input entry gets the gradient of its sum."""

    def forward(self, a, axis=None, keepdims=False):
        self.shape, self.axis, self.keepdims = a.shape, axis, keepdims
        return backend.current().sum(a, axis=axis, keepdims=keepdims)

    def backward(self, grad):
        return _restore_reduced(grad, self.shape, self.axis, self.keepdims)


class Mean(Function):
    """Mean over ``axis``: ``1/n`` of the gradient to each of the ``n`` entries."""

    def forward(self, a, axis=None, keepdims=False):
        self.shape, self.axis, self.keepdims = a.shape, axis, keepdims
        total = backend.current().sum(a, axis=axis, keepdims=keepdims)
        self.n = a.size // max(1, np.size(total))
        return (total / self.n).astype(a.dtype, copy=False)

    def backward(self, grad):
        return _restore_reduced(grad, self.shape, self.axis, self.keepdims) / self.n


class Max(Function):
    """Largest entry over ``axis``; its gradient goes to the arg-max entries
    (split equally among ties)."""

    def forward(self, a, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims
        out = backend.current().max(a, axis=axis, keepdims=True)
        self.winners = a == out
        return out if keepdims else np.squeeze(out, axis=_normalise_axis(axis, a.ndim))

    def backward(self, grad):
        ops = backend.current()
        share = self.winners / ops.sum(self.winners, axis=self.axis, keepdims=True)
        return _restore_reduced(grad, share.shape, self.axis, self.keepdims) * share


class Softmax(Function):
    """``ŷ = softmax(o)_i = e^(o_i) / Σ_j e^(o_j)`` over ``dim``.

    Stable: ``max(o)`` is subtracted first (same result, no overflow).
    Backward: ``∂L/∂o = ŷ ⊙ (g - Σ_j g_j ŷ_j)``.
    """

    def forward(self, o, dim=-1):
        self.out, self.dim = backend.current().softmax(o, dim), dim
        return self.out

    def backward(self, grad):
        ops = backend.current()
        return self.out * (grad - ops.sum(grad * self.out, axis=self.dim, keepdims=True))


class LogSoftmax(Function):
    """``log softmax(o)_i = o_i - log Σ_j e^(o_j)`` (log-sum-exp with the max
    subtracted: finite for logits of ±1000).

    Backward: ``∂L/∂o = g - softmax(o) Σ_j g_j``.
    """

    def forward(self, o, dim=-1):
        self.out, self.dim = backend.current().log_softmax(o, dim), dim
        return self.out

    def backward(self, grad):
        total = backend.current().sum(grad, axis=self.dim, keepdims=True)
        return grad - np.exp(self.out) * total


# --- shapes and indexing -----------------------------------------------------------------


class Reshape(Function):
    """Same entries, new shape; the gradient takes the old shape back."""

    def forward(self, a, shape):
        self.shape = a.shape
        return a.reshape(shape)

    def backward(self, grad):
        return grad.reshape(self.shape)


class Permute(Function):
    """Reorder the axes (``x.permute``, ``x.T``); backward applies the inverse order."""

    def forward(self, a, dims):
        self.dims = dims
        return np.transpose(a, dims)

    def backward(self, grad):
        return np.transpose(grad, np.argsort(self.dims))


class BroadcastTo(Function):
    """``x.expand(shape)``: repeat size-1 axes; the engine sums the gradient back."""

    def forward(self, a, shape):
        return np.broadcast_to(a, shape)

    def backward(self, grad):
        return grad


class GetItem(Function):
    """``a[index]``, basic (slices, integers) or advanced (integer / boolean arrays).

    Backward scatters the gradient into zeros of the input's shape; with
    array indices a position can be picked several times, so the gradients
    are added with ``np.add.at``.
    """

    def forward(self, a, index):
        self.shape, self.index = a.shape, index
        return a[index]

    def backward(self, grad):
        out = np.zeros_like(grad, shape=self.shape)  # zeros where grad lives (main memory or GPU)
        parts = self.index if isinstance(self.index, tuple) else (self.index,)
        if any(isinstance(p, (list, np.ndarray)) for p in parts):
            np.add.at(out, self.index, grad)
        else:
            out[self.index] = grad
        return out


class Cat(Function):
    """Concatenate along ``dim``; backward cuts the gradient into the pieces."""

    def forward(self, *arrays, dim=0):
        self.dim = dim
        self.bounds = np.cumsum([a.shape[dim] for a in arrays])[:-1]
        return np.concatenate(arrays, axis=dim)

    def backward(self, grad):
        return tuple(np.split(grad, self.bounds, axis=self.dim))


class Stack(Function):
    """Stack equally shaped arrays along a new ``dim``; backward unstacks."""

    def forward(self, *arrays, dim=0):
        self.dim = dim
        return np.stack(arrays, axis=dim)

    def backward(self, grad):
        return tuple(np.moveaxis(grad, self.dim, 0))


# --- functional forms ----------------------------------------------------------------


def maximum(a, b):
    """Element-wise maximum of two tensors (or numbers); ties split the gradient."""
    return Maximum.apply(a, b)


def minimum(a, b):
    """Element-wise minimum of two tensors (or numbers); ties split the gradient."""
    return Minimum.apply(a, b)


def where(condition, a, b):
    """``a`` where ``condition`` (a boolean array or tensor) holds, else ``b``."""
    condition = np.asarray(condition.data if isinstance(condition, Tensor) else condition, dtype=bool)
    return Where.apply(a, b, condition=condition)


def cat(tensors, dim=0):
    """``torch.cat``: join tensors along an existing dimension."""
    return Cat.apply(*tensors, dim=dim)


def stack(tensors, dim=0):
    """``torch.stack``: join equally shaped tensors along a new dimension."""
    return Stack.apply(*tensors, dim=dim)
