"""Array kernels behind the autograd engine, and the switch between them.

Every operation in :mod:`pizarra.ops` does its heavy array work (matrix
products, reductions, convolution and pooling) through ``current()``, the
active backend. NumPy is always there; a WebGPU backend implements the same
small interface and is chosen by measurement (see ``docs/ARCHITECTURE.md``,
"GPU backend").

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
    softmax(x, axis), log_softmax(x, axis)

Operations run where their data lives: NumPy arrays in main memory, or device arrays (see
:mod:`pizarra.backend.gpu_array`, which needs the browser's GPU) that implement NumPy's dispatch
protocols, so the same operation code serves both. In the browser the engine calls :func:`setup`
with the backend the site's address asks for (``?backend=numpy|webgpu|auto``), then the hooks
below: a calibration step while idle, a checkpoint after each call, a fall-back when the GPU fails.

Usage::

    from pizarra import backend
    backend.current().matmul(a, b)
    previous = backend.use("numpy")   # or use(some_backend_object)
"""

import numpy as np


class BackendFailure(RuntimeError):
    """The GPU failed (device lost, out of memory, a shader that does not compile, no JSPI): the
    computation must run again on NumPy (the engine does so, see :func:`fall_back`)."""


from .numpy_backend import NumpyBackend  # noqa: E402

_registry = {"numpy": NumpyBackend()}
_current = _registry["numpy"]
_status = {
    "mode": "numpy",
    "adapter": None,
    "fallback_reason": None,
    "calibration": None,
    "gpu": "not-requested",
}
_calibration_run = None  # the calibration under way (pizarra.backend.calibration_run.CalibrationRun)


def is_device_array(x):
    """True for arrays that live on a device (not in main memory)."""
    return getattr(x, "is_device_array", False) is True


def asarray(x):
    """``x`` itself when it is a device array, else ``np.asarray(x)`` (never a readback)."""
    return x if is_device_array(x) else np.asarray(x)


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


# --- the engine's hooks (called by web/js/engine/worker.js) ------------------------------------


def setup(mode="auto"):
    """Choose the backend at the engine's start: ``numpy``, ``webgpu`` or ``auto`` (NumPy until the
    calibration has measured where the GPU is faster).

    Without a GPU (no WebGPU, no adapter) or without JSPI, NumPy is used and the reason recorded.
    """
    global _calibration_run
    _calibration_run = None
    _status.update(mode=mode, fallback_reason=None, calibration=None)
    try:
        import pizarra_gpu  # the JavaScript GPU module, registered by the worker
    except ImportError:
        pizarra_gpu = None
    gpu = getattr(pizarra_gpu, "gpu", None) if pizarra_gpu else None
    _status["gpu"] = "ready" if gpu else (getattr(pizarra_gpu, "reason", "") or "no-webgpu")
    if mode == "numpy" or gpu is None:
        use("numpy")
        if mode != "numpy":
            _status["fallback_reason"] = _status["gpu"]
        return
    from pyodide.ffi import can_run_sync

    from . import device, webgpu_backend

    device.connect(gpu)
    _status["adapter"] = dict(gpu.adapter.to_py())
    register("webgpu", webgpu_backend.WebGPUBackend())
    register("auto", webgpu_backend.AutoBackend())
    if not can_run_sync():
        use("numpy")
        _status["fallback_reason"] = "no-jspi"
        return
    use("webgpu" if mode == "webgpu" else "auto")


def needs_calibration():
    return _current.name == "auto" and _status["calibration"] is None


def calibration_step():
    """One step of the calibration (tens of milliseconds; the engine takes one only while idle, see
    :mod:`pizarra.backend.calibration_run`). Returns the calibration as JSON, for the engine's
    cache, when this step completed it (the auto backend then follows it), else None."""
    global _calibration_run
    if _calibration_run is None:
        from .calibration_run import CalibrationRun

        _calibration_run = CalibrationRun(_status["adapter"])
    if not _calibration_run.step():
        return None
    text = _calibration_run.result.to_json()
    _calibration_run = None
    load_calibration(text)
    return text


def load_calibration(text):
    """Follow a calibration (measured now, or cached by the engine for this adapter)."""
    from .thresholds import Calibration

    calibration = Calibration.from_json(text)
    if "auto" in _registry:
        _registry["auto"].calibration = calibration
    _status["calibration"] = calibration.summary()


def checkpoint():
    """After each call: copy the GPU arrays that changed to main memory (see :mod:`pizarra.backend.fallback`)."""
    if _status["gpu"] == "ready" and _status["fallback_reason"] is None:
        from . import fallback

        fallback.checkpoint()


def fall_back(reason):
    """The GPU failed: every live GPU array back to NumPy (from its last checkpoint), NumPy from
    now on, and the reason for the engine status."""
    global _calibration_run
    use("numpy")
    _calibration_run = None
    _status["fallback_reason"] = classify(reason)
    _status["fallback_detail"] = str(reason)[:300]
    if _status["gpu"] == "ready":
        from . import fallback

        fallback.bring_arrays_home()


def classify(reason):
    """A short code for a GPU failure message (the page words it in the user's language)."""
    text = str(reason).lower()
    for code, words in (
        ("lost", ("lost", "destroyed")),
        ("memory", ("out of memory", "out-of-memory")),
        ("shader", ("validation", "shader", "wgsl", "pipeline")),
        ("no-jspi", ("jspi",)),
    ):
        if any(w in text for w in words):
            return code
    return "error"


def status():
    """What engine_info reports: mode asked for, backend in use, adapter, calibration, fallback."""
    active = _current.name
    if active == "auto":
        calibration = _status["calibration"]
        active = calibration["picked"] if calibration else "numpy"
    return {
        "backend_mode": _status["mode"],
        "backend_active": active,
        "adapter": _status["adapter"],
        "gpu": _status["gpu"],
        "calibration": _status["calibration"],
        "calibrating": needs_calibration(),
        "fallback_reason": _status["fallback_reason"],
    }


__all__ = [
    "BackendFailure",
    "NumpyBackend",
    "asarray",
    "current",
    "is_device_array",
    "register",
    "setup",
    "status",
    "use",
]
