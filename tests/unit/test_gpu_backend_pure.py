"""The pure-Python parts of the WebGPU backend: stride arithmetic (against NumPy's own views),
the calibration's decision rule, and the engine hooks without a GPU (CPython, Pyodide under Node)."""

import numpy as np
import pytest

from pizarra import backend
from pizarra.backend import calibration as C
from pizarra.backend import strided as S


def element_strides(a):
    return tuple(s // a.itemsize for s in a.strides)


def offset_of(view, base):
    return (view.__array_interface__["data"][0] - base.__array_interface__["data"][0]) // base.itemsize


@pytest.mark.parametrize("index", [
    (1,), (slice(1, None), slice(None, None, 2), -1), (Ellipsis, 0), (None, slice(2, 3)), (slice(5, 9),),
    (slice(0, 0), 1), (0, None, slice(1, 4, 3), Ellipsis),
])
def test_basic_index_matches_numpy_views(index):
    base = np.arange(4 * 6 * 5, dtype=np.float32).reshape(4, 6, 5)
    view = base[index]
    shape, strides, offset = S.basic_index(base.shape, element_strides(base), 0, index)
    assert shape == view.shape
    if view.size:
        assert offset == offset_of(view, base)
        flat = base.reshape(-1)
        rebuilt = np.lib.stride_tricks.as_strided(flat[offset:], shape, [s * 4 for s in strides])
        np.testing.assert_array_equal(rebuilt, view)


def test_basic_index_refuses_what_needs_a_gather_and_bounds():
    assert S.basic_index((4,), (1,), 0, (np.array([1, 2]),)) is None
    assert S.basic_index((4,), (1,), 0, slice(None, None, -1)) is None
    with pytest.raises(IndexError):
        S.basic_index((4,), (1,), 0, 4)
    with pytest.raises(IndexError):
        S.basic_index((4,), (1,), 0, (0, 0))


@pytest.mark.parametrize("shape,target", [((3, 1), (2, 3, 4)), ((4,), (3, 4)), ((1,), (5,)), ((), (2, 2))])
def test_broadcast_strides_match_numpy(shape, target):
    a = np.zeros(shape, np.float32)
    assert S.broadcast_strides(shape, element_strides(a), target) == element_strides(np.broadcast_to(a, target))
    assert S.broadcast_shapes(shape, target) == np.broadcast_shapes(shape, target)


def test_broadcast_rejects_incompatible_shapes():
    with pytest.raises(ValueError):
        S.broadcast_shapes((3,), (4,))
    with pytest.raises(ValueError):
        S.broadcast_strides((3,), (1,), (4,))


def test_reshape_view_only_when_contiguous():
    assert S.reshape_view((2, 3), (3, 1), (3, -1)) == ((3, 2), (2, 1))
    assert S.reshape_view((2, 3), (1, 2), (6,)) == ((6,), None)  # a transpose: needs a copy
    with pytest.raises(ValueError):
        S.reshape_view((2, 3), (3, 1), (4, -1))


def test_compress_merges_contiguous_dimensions():
    assert S.compress((2, 3, 4), (12, 4, 1), (12, 4, 1)) == ((24,), [(1,), (1,)])
    # A broadcast operand (stride 0 on the middle axis) keeps that axis apart.
    assert S.compress((2, 3, 4), (12, 4, 1), (4, 0, 1)) == ((2, 3, 4), [(12, 4, 1), (4, 0, 1)])
    assert S.compress((1, 5, 1), (5, 1, 1)) == ((5,), [(1,)])


def test_chunks_cover_the_work_once():
    assert S.chunks(5, 2) == [(0, 2), (2, 2), (4, 1)]
    assert S.chunks(65535 + 17, 65535) == [(0, 65535), (65535, 17)]
    assert S.chunks(0, 4) == []


def test_collapse_batch():
    assert S.collapse_batch((2, 3), (3 * 20, 20)) == 20
    assert S.collapse_batch((2, 3), (0, 0)) == 0
    assert S.collapse_batch((2, 3), (20, 60)) is None
    assert S.pad((2, 3), 1) == (1, 1, 1, 1, 2, 3)


def test_calibration_threshold_is_where_the_gpu_wins_from_then_on():
    rows = lambda *triples: [{"size": s, "numpy_ms": n, "webgpu_ms": g} for s, n, g in triples]  # noqa: E731
    measured = {
        "matmul": rows((512, 100, 10), (256, 12, 5), (128, 2, 3), (64, 0.1, 1)),
        "conv": rows((100, 5, 50)),
        "reduction": rows((1000, 1, 2), (100, 0.1, 0.05)),  # a win below a loss does not count
    }
    calibration = C.Calibration(measured)
    assert calibration.thresholds == {"matmul": 256, "conv": None, "reduction": None}
    assert calibration.prefers_gpu("matmul", 300) and not calibration.prefers_gpu("matmul", 255)
    assert not calibration.prefers_gpu("conv", 10 ** 9)
    assert calibration.picked == "webgpu"
    again = C.Calibration.from_json(calibration.to_json())
    assert again.thresholds == calibration.thresholds and again.measurements == measured
    assert C.Calibration({"matmul": rows((64, 1, 2))}).picked == "numpy"


def test_time_ms_counts_repeats_and_waits_for_the_gpu():
    ticks = iter(range(0, 1000))
    clock = lambda: next(ticks) / 1000  # noqa: E731  (1 ms per reading)
    calls = []
    assert C.time_ms(lambda: calls.append(1), 4, clock=clock) == 1.0
    assert len(calls) == 5  # a warm-up, then 4 timed runs
    finished = []
    assert C.time_ms(lambda: None, 4, finish=lambda: finished.append(1), clock=clock, warm=False) == pytest.approx(1 / 4)
    assert len(finished) == 2


def test_engine_hooks_without_a_gpu_use_numpy():
    previous = backend.current()
    try:
        backend.setup("auto")  # no JavaScript GPU module here
        assert backend.current().name == "numpy"
        status = backend.status()
        assert status["backend_active"] == "numpy" and status["adapter"] is None and not status["calibrating"]
        backend.setup("numpy")
        assert backend.status()["fallback_reason"] is None
    finally:
        backend.use(previous)


@pytest.mark.parametrize("message,code", [
    ("device lost (destroyed): gone", "lost"), ("out of memory (9 bytes)", "memory"),
    ("validation error: Error while parsing WGSL", "shader"), ("no-jspi: cannot wait", "no-jspi"), ("?", "error"),
])
def test_failures_are_classified_for_the_status(message, code):
    assert backend.classify(message) == code


def test_asarray_never_reads_device_arrays_back():
    class DeviceArray:
        is_device_array = True

        def __array__(self, *args, **kwargs):
            raise AssertionError("read back")

    x = DeviceArray()
    assert backend.asarray(x) is x and backend.is_device_array(x)
    assert isinstance(backend.asarray([1.0]), np.ndarray) and not backend.is_device_array(np.zeros(1))
