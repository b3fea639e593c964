"""The CNN page's engine calls (pizarra.demos.cnn): JSON in and out, layer by layer."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest

from pizarra import demos
from pizarra.data import digits
from pizarra.demos.door import Refused

ROOT = Path(__file__).resolve().parents[2]


def call(function, **args):
    return json.loads(demos.call(function, json.dumps(args)))


def b64(array):
    return base64.b64encode(np.asarray(array, dtype=np.uint8).tobytes()).decode()


def test_layer_table_counts_parameters_and_receptive_fields():
    layers = {layer["name"]: layer for layer in call("cnn_model")["layers"]}
    k = 5
    assert layers["features.0"]["params"] == 6 * (1 * k * k + 1)
    assert layers["features.3"]["params"] == 16 * (6 * k * k + 1)
    assert layers["classifier.1"]["params"] == 16 * 5 * 5 * 120 + 120
    assert layers["classifier.3"]["params"] == 120 * 84 + 84
    assert layers["classifier.5"]["params"] == 84 * 10 + 10
    assert [layers[n]["shape"] for n in ("features.0", "features.2", "features.3", "features.5")] == [
        [6, 28, 28],
        [6, 14, 14],
        [16, 10, 10],
        [16, 5, 5],
    ]
    # conv1 (k=5, p=2): 5×5 from -2; pool (2): jump 2, 6×6; conv2: 6 + 4·2 = 14; pool: 14 + 2 = 16, jump 4.
    assert layers["features.0"]["field"] == {"jump": 1, "size": 5, "start": -2}
    assert layers["features.2"]["field"] == {"jump": 2, "size": 6, "start": -2}
    assert layers["features.3"]["field"] == {"jump": 2, "size": 14, "start": -2}
    assert layers["features.5"]["field"] == {"jump": 4, "size": 16, "start": -2}
    assert np.array(call("cnn_model")["kernels"]["features.3"]).shape == (16, 6, 5, 5)


def test_predicts_a_test_digit_with_every_layer(mnist_data):
    meta = json.loads((mnist_data / "mnist.json").read_text())
    tiles = digits.read_png_sprite((mnist_data / "mnist-test.png").read_bytes())
    card = json.loads((ROOT / "pysrc/pizarra/weights/lenet5_mnist.json").read_text())
    i = next(
        i for i, (p, y) in enumerate(zip(card["test_predictions"], meta["labels"]["test"])) if p == y == 7
    )
    result = call("cnn_predict", digit=b64(tiles[i]))
    assert result["prediction"] == 7 == meta["labels"]["test"][i]
    assert sum(result["probabilities"]) == pytest.approx(1, abs=1e-3)
    assert result["input"] == tiles[i].ravel().tolist()
    layers = {
        name: np.frombuffer(base64.b64decode(data), dtype="<f4") for name, data in result["layers"].items()
    }
    assert len(layers["features.0"]) == 6 * 28 * 28 and len(layers["classifier.5"]) == 10
    assert layers["features.1"].min() >= 0  # after ReLU
    logits = layers["classifier.5"].astype(np.float64)
    softmax = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    np.testing.assert_allclose(result["probabilities"], softmax, atol=1e-5)


def test_drawing_is_normalised_and_empty_predicts_nothing():
    drawing = np.zeros((120, 120), np.uint8)
    drawing[20:100, 58:64] = 255  # a "1"
    result = call("cnn_predict", drawing=b64(drawing), size=120, layers=False)
    assert result["prediction"] == 1 and "layers" not in result
    empty = call("cnn_predict", drawing=b64(np.zeros((120, 120))), size=120)
    assert empty["empty"] is True and "prediction" not in empty


def refusal(function, **args):
    """The refusal of a call, as (code, field, limit)."""
    with pytest.raises(Refused) as refused:
        call(function, **args)
    return refused.value.code, refused.value.field, refused.value.limit


def test_bad_inputs_are_refused_with_their_code():
    assert refusal("cnn_predict", digit=b64(np.zeros(783))) == ("wrong-size", "digit", 784)
    assert refusal("cnn_predict", digit="not base64!")[:2] == ("bad-format", "digit")
    assert refusal("cnn_predict", drawing="!!!!", size=2) == ("bad-format", "drawing", "base64")
    assert refusal("cnn_predict", drawing=b64(np.zeros(4)), size=5000) == ("out-of-range", "size", [1, 1024])
    assert refusal("cnn_predict", drawing=b64(np.zeros(4))) == ("missing-argument", "size", None)
    assert refusal("cnn_predict", digit=b64(np.ones(784)), model="nothing")[:2] == ("not-a-choice", "model")
    assert refusal("cnn_predict") == ("missing-argument", "digit", None)


def test_training_in_steps_then_evaluating(mnist_data):
    meta = json.loads((mnist_data / "mnist.json").read_text())
    png = base64.b64encode((mnist_data / "mnist-validation.png").read_bytes()).decode()
    assert call("cnn_load_data", split="train", png=png, labels=meta["labels"]["validation"])["size"] == 999
    call("cnn_load_data", split="test", png=png, labels=meta["labels"]["validation"])
    run = call("cnn_train_start", mode="finetune", seed=1, epochs=1, batch_size=100)
    assert run["total_steps"] == run["steps_per_epoch"] == 10
    progress = call("cnn_train_steps", budget_ms=0)
    assert progress["step"] == 1 and progress["examples_per_second"] > 0 and progress["backend"]
    result = call("cnn_evaluate", split="test", model="trained")
    assert result["accuracy"] > 0.9  # fine-tuned from the committed weights
    assert np.array(result["confusion_matrix"]).sum() == 999


EXPLAINER = {
    "kernel_name": "edge-v",
    "kernel": [[1, 0, -1]] * 3,
    "stride": 1,
    "padding": "valid",
    "pooling": "max",
    "image": [[0] * 8, [0, 1, 1, 1, 1, 1, 1, 0]] + [[0, 0, 0, 1, 1, 0, 0, 0]] * 6,
}
SITE = {
    "url": "https://example.org/p/",
    "wheel": "wheels/pizarra.whl",
    "wheel_sha256": "0" * 64,
    "repository": None,
}


def link_code(pixels):
    """The page's d= code of a digit (web/js/pages/cnn/encoding.js): deflate-raw, base64url."""
    import zlib

    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(deflate.compress(bytes(pixels)) + deflate.flush()).decode().rstrip("=")


def test_the_notebook_carries_the_trained_weights_and_reproduces_the_page(mnist_data):
    """A model trained here goes into the notebook as its weights: its cells (without the install
    cell) print the probabilities cnn_predict gives with that model."""
    meta = json.loads((mnist_data / "mnist.json").read_text())
    png = base64.b64encode((mnist_data / "mnist-validation.png").read_bytes()).decode()
    call("cnn_load_data", split="train", png=png, labels=meta["labels"]["validation"])
    call("cnn_train_start", mode="scratch", seed=3, epochs=1, batch_size=100)
    call("cnn_train_steps", budget_ms=0)
    tile = digits.read_png_sprite(base64.b64decode(png))[5]
    document = call(
        "cnn_notebook",
        language="es",
        link=SITE["url"] + "#/cnn",
        site=SITE,
        digit_code=link_code(tile.ravel()),
        model="trained",
        feature_map={"stage": "fc1", "layer": "classifier.2", "channel": None},
        explainer=EXPLAINER,
    )
    shown = document["metadata"]["pizarra"]["result"]
    page = call("cnn_predict", digit=b64(tile), model="trained", layers=False)
    assert shown["prediction"] == page["prediction"] and np.allclose(
        shown["probabilities"], page["probabilities"], atol=5e-6
    )
    image, kernel = (
        np.array(EXPLAINER["image"]),
        np.array(EXPLAINER["kernel"]),
    )  # Z[j, k] = Σ V[j+m, k+n] K[m, n]
    assert shown["convolution"]["output"] == [
        [(image[j : j + 3, k : k + 3] * kernel).sum() for k in range(6)] for j in range(6)
    ]
    assert shown["shapes"]["features.5"] == [16, 5, 5]
    cells = ["".join(cell["source"]) for cell in document["cells"]]
    assert any("1 de 10 pasos" in cell and "desde cero" in cell for cell in cells)
    printed, namespace = [], {"print": lambda *args, **kw: printed.append(" ".join(map(str, args)))}
    for cell in document["cells"][3:]:  # after the title and the install cells
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), namespace)
    assert json.loads(printed[-1]) == shown
    assert refusal(
        "cnn_notebook",
        language="es",
        link=SITE["url"],
        site=SITE,
        digit_code=link_code(b"\1" * 783),
        explainer=EXPLAINER,
    )[:2] == ("bad-format", "digit_code")
