"""The pure-Python parts of the WebGPU backend: stride arithmetic (against NumPy's own views), the
kernels' parameter layouts (against their one declaration), the calibration's decision rule, the
fall-back's move of GPU arrays to NumPy, and the engine hooks without a GPU (CPython, Pyodide under
Node)."""

import json
import pathlib
import re

import numpy as np
import pytest

from pizarra import backend
from pizarra.backend import calibration_run, fallback
from pizarra.backend import strided as S
from pizarra.backend import thresholds as C
from pizarra.backend.conv_geometry import output_size, pair
from pizarra.backend.gpu_array import GPUArray
from pizarra.backend.kernel_params import KernelParams

GPU_JS = pathlib.Path(__file__).resolve().parents[2] / "web" / "js" / "gpu"


def element_strides(a):
    return tuple(s // a.itemsize for s in a.strides)


def offset_of(view, base):
    return (view.__array_interface__["data"][0] - base.__array_interface__["data"][0]) // base.itemsize


@pytest.mark.parametrize(
    "index",
    [
        (1,),
        (slice(1, None), slice(None, None, 2), -1),
        (Ellipsis, 0),
        (None, slice(2, 3)),
        (slice(5, 9),),
        (slice(0, 0), 1),
        (0, None, slice(1, 4, 3), Ellipsis),
    ],
)
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
    assert S.broadcast_strides(shape, element_strides(a), target) == element_strides(
        np.broadcast_to(a, target)
    )
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


def test_pair_and_output_size_follow_pytorch():
    assert (
        pair(3) == (3, 3)
        and pair(np.int64(2)) == (2, 2)
        and pair((3, 2)) == (3, 2)
        and pair([1, 4]) == (1, 4)
    )
    assert all(type(v) is int for v in pair((np.int32(3), 2)))
    with pytest.raises(ValueError):
        pair((1, 2, 3))
    # "valid" m - k + 1; "same" (p = (k - 1) / 2, stride 1) keeps m; stride 2 halves, rounding down.
    assert output_size(28, 5, 1, 0) == 24 and output_size(28, 5, 1, 2) == 28 and output_size(7, 3, 2, 0) == 3


# --- the kernels' parameters, as web/js/gpu/kernel-params.json declares them -----------------------


def kernel_params():
    return KernelParams.from_json((GPU_JS / "kernel-params.json").read_text())


def declared():
    return json.loads((GPU_JS / "kernel-params.json").read_text())


def test_every_kernel_family_has_exactly_one_layout():
    families = [kernel for spec in declared()["layouts"].values() for kernel in spec["kernels"]]
    generators = re.search(r"const FAMILIES = \{([^}]*)\}", (GPU_JS / "kernels.js").read_text()).group(1)
    assert sorted(families) == sorted(name.split(":")[0].strip() for name in generators.split(","))
    assert len(set(families)) == len(families)


def test_each_field_has_its_own_words_within_the_window():
    params = kernel_params()
    for name, spec in declared()["layouts"].items():
        layout = params.layout(spec["kernels"][0])
        assert 0 < layout.size <= params.words
        owner = [None] * layout.size
        for field_name, field in layout.fields.items():
            markers = [7] * field.columns  # non-zero, so every word a field owns shows in its packing
            value = [markers] * field.rows if field.rows > 1 else markers if field.columns > 1 else 7
            words = layout.pack({field_name: value})
            for i, word in enumerate(words):
                if word:
                    assert owner[i] is None, (name, field_name, owner[i])
                    owner[i] = field_name
            assert sum(1 for w in words if w) == field.rows * field.columns, (name, field_name)
        assert None not in owner, (name, owner)


def test_packing_pads_ranks_converts_floats_and_refuses_unknown_fields():
    params = kernel_params()
    elementwise = params.layout("ew:add:10")
    dims = params.dims
    words = elementwise.pack({"n": 5, "shape": (2, 3), "in_strides": [(3, 1), None], "numbers": [0.0, 0.5]})
    at = {name: field.start for name, field in elementwise.fields.items()}
    assert words[at["n"]] == 5
    assert words[at["shape"] : at["shape"] + dims] == [1] * (dims - 2) + [
        2,
        3,
    ]  # a lower rank, padded with size 1
    assert words[at["in_strides"] : at["in_strides"] + dims] == [1] * (dims - 2) + [3, 1]
    assert (
        words[at["in_strides"] + dims : at["in_strides"] + 2 * dims] == [0] * dims
    )  # a number input: no strides
    assert words[at["numbers"] + 1] == int(np.float32(0.5).view(np.uint32))
    assert params.layout("sgd").pack({"lr": -2.0})[params.layout("sgd").fields["lr"].start] == 0xC0000000
    with pytest.raises(ValueError):
        elementwise.pack({"no_such_field": 1})
    with pytest.raises(ValueError):
        elementwise.pack({"shape": (1,) * (dims + 1)})
    with pytest.raises(ValueError):
        params.layout("no_such_kernel")


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
    assert not calibration.prefers_gpu("conv", 10**9)
    assert calibration.picked == "webgpu"
    again = C.Calibration.from_json(calibration.to_json())
    assert again.thresholds == calibration.thresholds and again.measurements == measured
    assert C.Calibration({"matmul": rows((64, 1, 2))}).picked == "numpy"


def test_time_ms_counts_repeats_and_waits_for_the_gpu():
    ticks = iter(range(0, 1000))
    clock = lambda: next(ticks) / 1000  # noqa: E731  (1 ms per reading)
    calls = []
    assert calibration_run.time_ms(lambda: calls.append(1), 4, clock=clock) == 1.0
    assert len(calls) == 5  # a warm-up, then 4 timed runs
    finished = []
    time_ms = calibration_run.time_ms(
        lambda: None, 4, finish=lambda: finished.append(1), clock=clock, warm=False
    )
    assert time_ms == pytest.approx(1 / 4)
    assert len(finished) == 2


def test_calibration_runs_in_steps_and_stops_a_class_at_the_first_numpy_win(monkeypatch):
    def case(size, numpy_ms, gpu_ms):
        numpy_function, gpu_function = (lambda: None), (lambda: None)
        numpy_function.ms, gpu_function.ms = numpy_ms, gpu_ms
        return size, numpy_function, gpu_function

    measured = {
        "matmul": [case(300, 9.0, 3.0), case(200, 4.0, 5.0), case(100, 1.0, 0.5)],
        "reduction": [case(50, 1.0, 2.0)],
    }
    monkeypatch.setattr(calibration_run, "_cases", lambda: measured)
    monkeypatch.setattr(calibration_run, "_repeats", lambda function: 1)
    monkeypatch.setattr(calibration_run, "time_ms", lambda function, repeats, **options: function.ms)
    monkeypatch.setattr(calibration_run, "_gpu_ms", lambda function, repeats: function.ms)
    run = calibration_run.CalibrationRun({"vendor": "test"})
    steps = 1
    while not run.step():
        assert run.result is None
        steps += 1
    assert steps == 3 * 3 + 1  # NumPy, the GPU's first run, the GPU's timing per measured size; then the end
    assert [row["size"] for row in run.result.measurements["matmul"]] == [
        300,
        200,
    ]  # NumPy won at 200: 100 is skipped
    assert run.result.thresholds == {"matmul": 300, "reduction": None} and run.result.adapter == {
        "vendor": "test"
    }


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


@pytest.mark.parametrize(
    "message,code",
    [
        ("device lost (destroyed): gone", "lost"),
        ("out of memory (9 bytes)", "memory"),
        ("validation error: Error while parsing WGSL", "shader"),
        ("no-jspi: cannot wait", "no-jspi"),
        ("?", "error"),
    ],
)
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


# --- the fall-back: every live GPU array becomes a NumPy array of its last copy -------------------


class CopiedStorage:
    """A GPU buffer's stand-in: only its copy in main memory, which is all the fall-back reads."""

    def __init__(self, host):
        self.host = host


def test_fall_back_replaces_gpu_arrays_wherever_python_holds_them():
    values = np.arange(12, dtype=np.float32)
    storage = CopiedStorage(values.copy())
    whole = GPUArray(storage, (3, 4))
    column = GPUArray(storage, (3,), strides=(4,), offset=1)  # whole[:, 1], a view of the same buffer
    lost = GPUArray(CopiedStorage(None), (2,))  # made after the last copy: its values are gone

    class Holder:
        pass

    holder = Holder()
    holder.data, holder.cache = whole, (column, "kept")
    state = {"exp_avg": column, "step": 3}
    listed = [lost, 1.5]
    closure = lambda: whole

    assert fallback.bring_arrays_home() == 3
    assert isinstance(holder.data, np.ndarray) and not any(isinstance(v, GPUArray) for v in holder.cache)
    np.testing.assert_array_equal(holder.data, values.reshape(3, 4))
    np.testing.assert_array_equal(state["exp_avg"], values.reshape(3, 4)[:, 1])
    assert holder.cache[1] == "kept" and state["step"] == 3
    assert np.isnan(listed[0]).all() and listed[0].shape == (2,) and listed[1] == 1.5
    assert isinstance(closure(), np.ndarray)
    # Views of one buffer stay views of one array: an in-place update shows through both.
    holder.data[1, 1] = -1.0
    assert state["exp_avg"][1] == -1.0 and holder.cache[0][1] == -1.0
