"""The calibration run in the browser: NumPy against WebGPU on representative sizes per class.

Sizes are measured from the largest down and stop at the first size where NumPy wins: smaller
sizes cannot change the threshold (see :func:`pizarra.backend.calibration.decide`). Repetitions
adapt to the speed of the device so the whole run stays short even on a software adapter.
"""

from __future__ import annotations

import time

import numpy as np

from . import numpy_conv
from . import webgpu
from .calibration import Calibration, time_ms

BUDGET_MS = 60  # per measurement


def _cases():
    rng = np.random.default_rng(0)

    def matrices(n):
        return rng.standard_normal((n, n), dtype=np.float32), rng.standard_normal((n, n), dtype=np.float32)

    def conv_inputs(batch):
        return (rng.random((batch, 6, 14, 14), dtype=np.float32), rng.standard_normal((16, 6, 5, 5), dtype=np.float32),
                np.zeros(16, np.float32))

    def rows(n):
        return rng.standard_normal((n, 256), dtype=np.float32)

    return {
        "matmul": [(2 * n ** 3, (lambda a, b: (lambda: a @ b, lambda: webgpu.matmul(a, b)))(*matrices(n)))
                   for n in (256, 128, 64)],
        "conv": [(2 * b * 16 * 10 * 10 * 150, (lambda x, w, bias: (
            lambda: numpy_conv.conv2d_forward(x, w, bias, (1, 1), (0, 0))[0],
            lambda: webgpu.conv2d_forward(x, w, bias, (1, 1), (0, 0))[0]))(*conv_inputs(b))) for b in (16, 4)],
        "reduction": [(n * 256, (lambda x: (lambda: x.sum(axis=0), lambda: webgpu.reduce("sum", x, 0)))(rows(n)))
                      for n in (1024, 256)],
    }


def _repeats(function):
    """How many repetitions fit the budget (this first run also compiles and warms up)."""
    start = time.perf_counter()
    function()
    once = (time.perf_counter() - start) * 1000
    return max(1, min(8, int(BUDGET_MS / max(once, 1e-3))))


def run():
    dev = webgpu.device()
    started = time.perf_counter()
    measurements = {}
    for name, cases in _cases().items():
        rows = measurements[name] = []
        for size, (numpy_fn, gpu_fn) in cases:
            numpy_ms = time_ms(numpy_fn, _repeats(numpy_fn), warm=False)
            last = []

            def gpu_run():
                last[:] = [gpu_fn()]

            def finish():
                result = last[0]
                dev.read(result.storage, result.offset, 1)

            gpu_ms = time_ms(gpu_run, _repeats(lambda: (gpu_run(), finish())), finish=finish, warm=False)
            rows.append({"size": size, "numpy_ms": round(numpy_ms, 4), "webgpu_ms": round(gpu_ms, 4)})
            if numpy_ms <= gpu_ms:
                break
    adapter = dev.gpu.adapter.to_py()
    return Calibration(measurements, dict(adapter), round(time.perf_counter() - started, 3))
