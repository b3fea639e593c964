"""Python's handle on the site's GPU module (``web/js/gpu/gpu.js``, the JavaScript module
``pizarra_gpu`` that the engine worker registers): buffers, kernel launches, reads.

A :class:`Storage` is one GPU buffer; GPU arrays (:mod:`pizarra.backend.gpu_array`) are views of
one. Kernels are launched by name with their parameters by field name, packed as the kernels
expect them (:mod:`pizarra.backend.kernel_params`). Python waits for the GPU only when it reads,
through JSPI (``pyodide.ffi.run_sync``), which needs Python to have been entered through
``runPythonAsync`` or ``callPromising``; the GPU module's failures arrive as
:class:`pizarra.backend.BackendFailure`.

Each storage keeps ``host``, its contents in main memory as of the last :meth:`Device.checkpoint`
(or its upload): what NumPy carries on from when the GPU fails (see :mod:`pizarra.backend.fallback`).
"""

from __future__ import annotations

import weakref

import numpy as np

from . import BackendFailure
from . import strided as S
from .kernel_params import KernelParams

F32 = np.dtype(np.float32)

_device = None


def device():
    """The GPU device (:class:`Device`), or None outside a browser with WebGPU."""
    return _device


def connect(gpu):
    """Bind to the JavaScript GPU module (called by :func:`pizarra.backend.setup`); ``None`` unbinds."""
    global _device
    _device = Device(gpu) if gpu is not None else None
    return _device


class Device:
    """Buffers, launches and reads on the JavaScript GPU module ``gpu``."""

    def __init__(self, gpu):
        from pyodide.ffi import to_js

        self.gpu = gpu
        self._to_js = to_js
        self.params = KernelParams.from_json(str(gpu.paramsText))
        self.max_groups = int(gpu.limits.maxGroups)
        self.storages = weakref.WeakValueDictionary()  # handle -> the live Storage
        self.fallbacks = []  # NumPy functions that had to read GPU operands back

    def _call(self, method, *args):
        try:
            return getattr(self.gpu, method)(*args)
        except Exception as error:  # a JsException from the GPU module
            raise _failure(error) from None

    # --- buffers ---

    def allocate(self, count):
        """A new buffer of ``count`` float32 words (contents undefined until a kernel writes them)."""
        return self._storage(self._call("allocate", int(count) * 4), count, host=None)

    def upload(self, array):
        """A new buffer holding a flat float32 (or uint32) NumPy array."""
        array = np.ascontiguousarray(array).reshape(-1)
        host = array.astype(F32, copy=True) if array.dtype == F32 else None  # index buffers need no copy
        return self._storage(self._call("upload", array), array.size, host)

    def _storage(self, handle, count, host):
        storage = Storage(self, handle, count, host)
        self.storages[handle] = storage
        return storage

    # --- kernels ---

    def launch(self, kernel, storages, params, items, per_group=1, grid=None):
        """Run ``kernel`` on ``storages`` (in binding order; None for an unused binding) over
        ``items`` (elements, rows or batches), ``per_group`` per workgroup along x, or one per
        workgroup along z behind an x × y ``grid``. Work above the device's limit of workgroups per
        dispatch runs as several dispatches; ``params["base"]`` is each one's first item."""
        layout = self.params.layout(kernel)
        handles = self._to_js([s.handle if s is not None else 0 for s in storages])
        for first, count in S.chunks(-(-items // per_group), self.max_groups):
            params["base"] = first * per_group
            x, y, z = (count, 1, 1) if grid is None else (*grid, count)
            self._call("dispatch", kernel, handles, self._to_js(layout.pack(params)), x, y, z)

    def launch_per_element(self, kernel, storages, params):
        """Run a one-thread-per-element kernel over ``params["n"]`` elements."""
        self.launch(kernel, storages, params, params["n"], per_group=self.params.threads)

    # --- reads ---

    def read(self, storage, offset, count):
        """``count`` elements from element ``offset`` of a buffer, as a NumPy float32 array."""
        return self._wait(self.gpu.read(storage.handle, int(offset), int(count)), count)

    def checkpoint(self):
        """Copy to main memory (``host``) every live buffer that kernels wrote since the last
        checkpoint, in one readback."""
        written = [self.storages.get(handle) for handle in self._call("takeWritten").to_py()]
        written = [storage for storage in written if storage is not None]
        if not written:
            return
        counts = [storage.count for storage in written]
        values = self._wait(
            self.gpu.readAll(self._to_js([s.handle for s in written]), self._to_js(counts)), sum(counts)
        )
        for storage, start in zip(written, np.cumsum([0] + counts)):
            storage.host = values[start : start + storage.count].copy()

    def _wait(self, promise, count):
        from pyodide.ffi import can_run_sync, run_sync

        if not can_run_sync():
            raise BackendFailure("no-jspi: Python cannot wait for the GPU here (no JSPI)")
        try:
            values = run_sync(promise)
        except Exception as error:
            raise _failure(error) from None
        out = np.empty(count, dtype=F32)
        if count:
            values.assign_to(out)
        return out

    def stats(self):
        """The GPU module's counters: readbacks, dispatches, submits, uploads, pipelines, bytes."""
        return self.gpu.stats.to_py()


def _failure(error):
    text = str(error)
    if "GPUFailure" in text:
        return BackendFailure(text[text.index("GPUFailure") + len("GPUFailure: ") :].split("\n")[0])
    return error


class Storage:
    """One GPU buffer of ``count`` words; released to the GPU module's pool when the last view goes
    away. ``host``: its contents in main memory as of the last checkpoint or its upload, or None."""

    __slots__ = ("device", "handle", "count", "host", "__weakref__")

    def __init__(self, device, handle, count, host):
        self.device, self.handle, self.count, self.host = device, handle, int(count), host
        weakref.finalize(self, _release, device.gpu, handle)


def _release(gpu, handle):
    try:
        gpu.release(handle)
    except Exception:  # the device is gone: nothing to release
        pass
