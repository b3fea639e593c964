"""The engine's page-facing entry point: JSON in, JSON out, only pizarra's own source."""

import json
import math

import pytest

from pizarra import demos
from pizarra.demos.door import Refused


def call(function, **args):
    return json.loads(demos.call(function, json.dumps(args)))


def test_engine_check_is_the_course_example():
    x, y, z, w = 3.0, -4.0, 2.0, 0.0
    result = call("engine_check")
    assert result["r"] == ((x * y) + max(z, w)) * 2
    assert result["grad"] == {"x": 2 * y, "y": 2 * x, "z": 2.0 * (z > w), "w": 2.0 * (w > z)}


def test_non_finite_numbers_survive_json():
    assert demos.to_json([math.inf, -math.inf, math.nan, 1.5]) == ["Infinity", "-Infinity", "NaN", 1.5]


def test_unknown_function_and_bad_arguments_are_refused():
    with pytest.raises(Refused) as refused:
        demos.call("nope", "{}")
    assert (refused.value.code, refused.value.value) == ("unknown-function", "nope")
    with pytest.raises(Refused) as refused:
        demos.call("engine_info", "[1, 2]")
    assert (refused.value.code, refused.value.limit) == ("wrong-type", "object")


def test_source_returns_real_code_of_pizarra_only():
    result = call("engine_source", name="pizarra.cnn.LeNet5")
    assert result["source"].startswith("class LeNet5(nn.Module):")
    assert result["file"].endswith("pizarra/cnn/lenet.py")
    for bad in [
        "os.system",
        "pizarra.__import__('os')",
        "builtins.eval",
        "pizarra.ops.np.matmul",
        "pizarra.nothing",
        "pizarra.ops.Mul.nothing",
        "pizarra.weights",
        "pizarra.__version__",
    ]:
        with pytest.raises(Refused) as refused:
            call("engine_source", name=bad)
        assert refused.value.code in ("not-found", "bad-format") and refused.value.field == "name"
