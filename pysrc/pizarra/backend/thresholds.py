"""The backend choice by measurement (pure Python): a measured table and the rule that turns it
into thresholds.

The calibration (:mod:`pizarra.backend.calibration_run`) times NumPy and WebGPU on representative
sizes of each operation class (``matmul``, ``conv``, ``reduction`` — element-wise operations simply
follow their operands). Per class, the ``threshold`` is the smallest measured size from which the
GPU was faster at that size *and at every larger measured size*. An operation on arrays that are
still in main memory then moves to the GPU only when its class and size are at or above the
threshold; arrays already on the GPU stay there. No threshold (``None``) means NumPy always won:
on a software adapter that is the expected, correct outcome.
"""

from __future__ import annotations

import json


def decide(measurements):
    """``{class: [{"size", "numpy_ms", "webgpu_ms"}, …]}`` → ``{class: threshold or None}``."""
    thresholds = {}
    for name, rows in measurements.items():
        threshold = None
        for row in sorted(rows, key=lambda r: r["size"], reverse=True):
            if row["webgpu_ms"] is not None and row["webgpu_ms"] < row["numpy_ms"]:
                threshold = row["size"]
            else:
                break
        thresholds[name] = threshold
    return thresholds


def prefers_gpu(thresholds, name, size):
    """Whether an operation of class ``name`` and ``size`` should move to the GPU."""
    threshold = thresholds.get(name) if thresholds else None
    return threshold is not None and size >= threshold


class Calibration:
    """The measured table and the thresholds derived from it; JSON round-trip for the cache."""

    def __init__(self, measurements, adapter=None, seconds=None):
        self.measurements = measurements
        self.adapter = adapter
        self.seconds = seconds
        self.thresholds = decide(measurements)

    def prefers_gpu(self, name, size):
        return prefers_gpu(self.thresholds, name, size)

    @property
    def picked(self):
        """``"webgpu"`` when some class moves to the GPU at some size, else ``"numpy"``."""
        return "webgpu" if any(t is not None for t in self.thresholds.values()) else "numpy"

    def to_json(self):
        return json.dumps(
            {"measurements": self.measurements, "adapter": self.adapter, "seconds": self.seconds}
        )

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        return cls(data["measurements"], data.get("adapter"), data.get("seconds"))

    def summary(self):
        return {
            "thresholds": self.thresholds,
            "picked": self.picked,
            "seconds": self.seconds,
            "measurements": self.measurements,
        }
