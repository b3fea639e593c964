"""Array kernels behind the autograd engine, and the switch between them.

Every operation in :mod:`pizarra.ops` does its heavy array work (matrix
products, reductions, convolution and pooling) through ``current()``, the
active backend. NumPy is always there; a WebGPU backend implements the same
small interface and is chosen by measurement (see ``DESIGN.md``).

The interface (see :class:`NumpyBackend` for the reference implementation)::

    matmul(a, b)                      like np.matmul: batched and broadcast
    sum(x, axis=None, keepdims=False)
    max(x, axis=None, keepdims=False)
    conv2d_forward(x, w, b, stride, padding)      -> (out, cache)
    conv2d_backward(grad_out, cache)              -> (dx, dw, db)
    max_pool2d_forward(x, kernel_size, stride, padding) -> (out, cache)
    max_pool2d_backward(grad_out, cache)          -> dx
    avg_pool2d_forward(x, kernel_size, stride, padding) -> (out, cache)
    avg_pool2d_backward(grad_out, cache)          -> dx

Usage::

    from pizarra import backend
    backend.current().matmul(a, b)
    previous = backend.use("numpy")   # or use(some_backend_object)
"""

from .numpy_backend import NumpyBackend

_registry = {"numpy": NumpyBackend()}
_current = _registry["numpy"]


def current():
    """The backend that operations use right now."""
    return _current


def register(name, backend):
    """Make ``backend`` selectable as ``use(name)``."""
    _registry[name] = backend


def use(name_or_backend):
    """Switch the active backend (a registered name or a backend object).

    Returns the previous backend, so a caller can switch back:
    ``old = use("webgpu"); ...; use(old)``.
    """
    global _current
    previous = _current
    if isinstance(name_or_backend, str):
        if name_or_backend not in _registry:
            raise ValueError(f"unknown backend {name_or_backend!r}; known: {sorted(_registry)}")
        _current = _registry[name_or_backend]
    else:
        _current = name_or_backend
    return previous


__all__ = ["NumpyBackend", "current", "register", "use"]
