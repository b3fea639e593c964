"""Check autograd against finite differences.

For every entry ``θ`` of every input, the central difference

    ∂f/∂θ ≈ (f(θ + ε) - f(θ - ε)) / (2ε)

must match the gradient that ``backward()`` computed. Non-scalar outputs are
reduced to the scalar ``Σ f ⊙ R`` with a fixed random ``R`` first, which
checks every output's gradient at once. Everything runs in float64.

Example (a layer's parameters are perturbed in place, then restored)::

    layer = nn.Linear(3, 2).double()
    gradcheck(lambda x, *params: layer(x), [np.random.randn(4, 3), *layer.parameters()])
"""

import numpy as np

from .tensor import Tensor, no_grad


class GradcheckError(AssertionError):
    """Autograd and finite differences disagree."""


def _as_input(value):
    """Tensors are used as they are (so module parameters can be checked);
    anything else becomes a new float64 tensor."""
    if isinstance(value, Tensor):
        if value.dtype != np.float64:
            raise TypeError(
                f"gradcheck needs float64 tensors, got {value.dtype} "
                "(use module.double() or pass NumPy float64 arrays)"
            )
        return value.requires_grad_()
    return Tensor(np.array(value, dtype=np.float64), requires_grad=True)


def numerical_gradient(f, x, eps=1e-6):
    """Central differences ``(f(x + ε e_i) - f(x - ε e_i)) / 2ε`` of the scalar function ``f()``
    with respect to every entry ``i`` of the array ``x``, which is perturbed in place and restored."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        plus = f()
        x[index] = original - eps
        minus = f()
        x[index] = original
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def gradcheck(fn, inputs, eps=1e-6, atol=1e-6, rtol=1e-4, raise_exception=True):
    """``True`` when the gradients of ``fn(*inputs)`` with respect to every
    input agree with central finite differences:
    ``|analytic - numeric| <= atol + rtol |numeric|`` entry by entry.

    ``inputs`` are NumPy arrays / numbers (turned into float64 tensors) or
    float64 tensors (perturbed in place). On disagreement raises
    :class:`GradcheckError` naming the input and the worst entry, or returns
    ``False`` when ``raise_exception=False``.
    """
    tensors = [_as_input(value) for value in inputs]
    out = fn(*tensors)
    weights = np.random.default_rng(0).standard_normal(out.shape)

    def scalar(result):
        return float(np.sum(result.data * weights))

    for t in tensors:
        t.grad = None
    (out * weights).sum().backward()

    for k, t in enumerate(tensors):
        analytic = np.zeros_like(t.data) if t.grad is None else t.grad
        with no_grad():
            numeric = numerical_gradient(lambda: scalar(fn(*tensors)), t.data, eps)
        error = np.abs(analytic - numeric)
        bad = error > atol + rtol * np.abs(numeric)
        if bad.any():
            worst = np.unravel_index(np.argmax(error), error.shape)
            message = (
                f"gradient of input {k} (shape {t.shape}) is wrong at {bad.sum()} of "
                f"{bad.size} entries; worst at index {tuple(int(i) for i in worst)}: "
                f"autograd {analytic[worst]:.8g}, finite differences {numeric[worst]:.8g}"
            )
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True
