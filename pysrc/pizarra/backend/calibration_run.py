"""The calibration run in the browser: NumPy against WebGPU on representative sizes per operation
class, in small steps. The engine takes a step only while it is idle (see web/js/engine/worker.js),
so measuring never delays an interaction: calls are answered on NumPy until the measurement says
the GPU is faster (:mod:`pizarra.backend.thresholds`).

Sizes are measured from the largest down and stop at the first size where NumPy wins: smaller
sizes cannot change the threshold. The GPU timing of a size includes uploading its inputs (that is
what moving there costs) and one readback at the end of the repetitions (to wait for the work),
divided by the repetitions. Repetitions adapt to the speed of the device so that each step stays
short even on a software adapter.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from . import conv_launchers, launchers, numpy_conv
from .thresholds import Calibration

BUDGET_MS = 60  # per measurement


def _cases():
    """``{class: [(size, numpy_function, gpu_function), …]}``, largest size first."""
    rng = np.random.default_rng(0)

    def matmul_case(n):
        a, b = rng.standard_normal((n, n), dtype=np.float32), rng.standard_normal((n, n), dtype=np.float32)
        return 2 * n**3, (lambda: a @ b), (lambda: launchers.matmul(a, b))

    def conv_case(batch):  # LeNet-5's second convolution: 6 → 16 channels, 5×5, 14×14 → 10×10
        x = rng.random((batch, 6, 14, 14), dtype=np.float32)
        w, bias = rng.standard_normal((16, 6, 5, 5), dtype=np.float32), np.zeros(16, np.float32)
        return (
            2 * batch * 16 * 10 * 10 * 150,
            (lambda: numpy_conv.conv2d_forward(x, w, bias, (1, 1), (0, 0))[0]),
            (lambda: conv_launchers.conv2d_forward(x, w, bias, (1, 1), (0, 0))[0]),
        )

    def reduction_case(n):
        x = rng.standard_normal((n, 256), dtype=np.float32)
        return n * 256, (lambda: x.sum(axis=0)), (lambda: launchers.reduce("sum", x, 0))

    return {
        "matmul": [matmul_case(n) for n in (256, 128, 64)],
        "conv": [conv_case(b) for b in (16, 4)],
        "reduction": [reduction_case(n) for n in (1024, 256)],
    }


def time_ms(function, repeats, finish=None, clock=time.perf_counter, warm=True):
    """Median of single runs when ``finish`` is None; else ``repeats`` runs then ``finish()`` (the
    wait for queued GPU work), as total / repeats; after one warm-up run when ``warm``."""
    if warm:
        function()
    if finish is not None:
        finish()
        start = clock()
        for _ in range(repeats):
            function()
        finish()
        return (clock() - start) * 1000 / repeats
    times = []
    for _ in range(repeats):
        start = clock()
        function()
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def _repeats(function):
    """How many repetitions fit the budget (this first run also compiles and warms up)."""
    start = time.perf_counter()
    function()
    once = (time.perf_counter() - start) * 1000
    return max(1, min(8, int(BUDGET_MS / max(once, 1e-3))))


def _wait_for(result):
    """Read one element of a GPU result: returns once the GPU has done the work queued before it."""
    result.storage.device.read(result.storage, result.offset, 1)


def _gpu_ms(gpu_function, repeats):
    last = []  # the latest result, read to wait for the work queued before it (none yet at first)
    return time_ms(
        lambda: last.__setitem__(slice(None), [gpu_function()]),
        repeats,
        finish=lambda: last and _wait_for(last[0]),
        warm=False,
    )


class CalibrationRun:
    """The calibration, one step at a time (:meth:`step`); ``result``, a Calibration, once complete."""

    def __init__(self, adapter):
        self.adapter = adapter
        self.measurements = {}
        self.seconds = 0.0
        self.result = None
        self._steps = self._measure()

    def step(self):
        """Take the next step (tens of milliseconds); True once the calibration is complete."""
        started = time.perf_counter()
        try:
            next(self._steps)
            finished = False
        except StopIteration:
            finished = True
        self.seconds += time.perf_counter() - started
        if finished:
            self.result = Calibration(self.measurements, self.adapter, round(self.seconds, 3))
        return finished

    def _measure(self):
        for name, cases in _cases().items():
            rows = self.measurements[name] = []
            for size, numpy_function, gpu_function in cases:
                numpy_ms = time_ms(numpy_function, _repeats(numpy_function), warm=False)
                yield
                repeats = _repeats(lambda: _wait_for(gpu_function()))  # noqa: B023 (runs at once); the first run compiles the kernels
                yield
                gpu_ms = _gpu_ms(gpu_function, repeats)
                rows.append({"size": size, "numpy_ms": round(numpy_ms, 4), "webgpu_ms": round(gpu_ms, 4)})
                yield
                if numpy_ms <= gpu_ms:
                    break
