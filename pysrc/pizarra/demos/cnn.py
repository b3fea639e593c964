"""The CNN digits page: LeNet-5 reading a drawn digit layer by layer, the test digits, and
training in the browser on the same data and code as ``build.py train``."""

from __future__ import annotations

import base64
import io
import time
import zlib

import numpy as np

import pizarra
from pizarra import backend, cnn, metrics, notebooks
from pizarra.cnn import train as cnn_training
from pizarra.data import digits
from pizarra.nn import functional as F
from pizarra.notebooks import cnn as notebook_recipe

from .door import (
    MAX_CALL_MS,
    NOTEBOOK,
    Choice,
    Flag,
    Items,
    Maybe,
    Number,
    Record,
    Refused,
    Text,
    Whole,
    base64_length,
    settings,
    takes,
)

__all__ = [
    "cnn_model",
    "cnn_predict",
    "cnn_load_data",
    "cnn_train_start",
    "cnn_train_steps",
    "cnn_evaluate",
    "cnn_notebook",
]

MAX_DRAWING_SIDE = 1024
DIGIT_BYTES = digits.SIZE * digits.SIZE
MAX_LINK_DIGIT = 1200  # characters of a link's digit code (web/js/pages/cnn/state.js: d)
MAX_GRID = 16  # the explainer's image is at most 16×16, its kernel 3×3, whole numbers within ±99
MODELS = ("pretrained", "trained")
MODEL = Choice(MODELS)
SPLIT = Choice(digits.SPLITS)
GRID = Items(Items(Whole(-99, 99), MAX_GRID), MAX_GRID)
EXPLAINER = Record(
    {
        "kernel_name": Choice(notebook_recipe.KERNELS),
        "kernel": GRID,
        "image": GRID,
        "stride": Choice((1, 2)),
        "padding": Choice(("valid", "same")),
        "pooling": Choice(("max", "mean")),
    }
)
FEATURE_MAP = Record(
    {"stage": Choice(notebook_recipe.STAGES), "layer": Text(40), "channel": Maybe(Whole(0, 15))}
)
_models = {}  # "pretrained" | "trained" -> LeNet5
_data = {}  # split -> (images, labels)
_training = {}  # "trainer": the run of pizarra.cnn.train.digit_trainer; "settings": how it was started


def _model(name):
    if name == "pretrained" and name not in _models:
        _models[name] = cnn.pretrained()
    if name not in _models:
        raise Refused("needs-first", "model", "cnn_train_start")
    return _models[name]


def _decode(data, length, what):
    """The bytes of base64 text the door has checked (its form and longest length)."""
    raw = base64.b64decode(data, validate=True)
    if len(raw) != length:
        raise Refused("wrong-size", what, length, f"{len(raw)} bytes")
    return np.frombuffer(raw, dtype=np.uint8)


@takes(model=MODEL)
def cnn_model(model: str = "pretrained") -> dict:
    """Each layer of LeNet-5: PyTorch name, kind, output shape for one 1×28×28 digit, parameter
    count and receptive field; and the learned 5×5 kernels of both convolutions."""
    net = _model(model)
    layers = list(net.features) + list(net.classifier)
    shapes = [tuple(out.shape[1:]) for _, _, out in cnn.layer_outputs(net, pizarra.zeros(1, 1, 28, 28))]
    fields = cnn.receptive_fields(net.features) + [None] * len(net.classifier)
    names = [f"features.{i}" for i in range(len(net.features))] + [
        f"classifier.{i}" for i in range(len(net.classifier))
    ]
    return {
        "layers": [
            {
                "name": name,
                "kind": type(layer).__name__,
                "shape": shape,
                "params": sum(p.numel() for p in layer.parameters()),
                "extra": layer.extra_repr(),
                "field": None if field is None else dict(zip(("jump", "size", "start"), field)),
            }
            for name, layer, shape, field in zip(names, layers, shapes, fields)
        ],
        "kernels": {
            name: np.round(layer.weight.numpy(), 3)
            for name, layer in zip(names, layers)
            if type(layer).__name__ == "Conv2d"
        },
    }


@takes(
    drawing=Maybe(Text(base64_length(MAX_DRAWING_SIDE**2), form="base64")),
    size=Maybe(Whole(1, MAX_DRAWING_SIDE)),
    digit=Maybe(Text(base64_length(DIGIT_BYTES), form="base64")),
    model=MODEL,
    layers=Flag(),
)
def cnn_predict(
    drawing: str | None = None,
    size: int | None = None,
    digit: str | None = None,
    model: str = "pretrained",
    layers: bool = True,
) -> dict:
    """Read one digit: either ``drawing``, the ink of a ``size``×``size`` canvas (base64 of
    uint8, normalised here as MNIST), or ``digit``, a 28×28 input as is (base64 of 784 uint8).

    Returns the 28×28 input, ``ŷ = softmax(o)``, the predicted class, and (with ``layers``)
    the output of every layer (base64 of its float32 values, C order: far cheaper to send than
    JSON numbers). An empty input predicts nothing.
    """
    if drawing is not None:
        if size is None:
            raise Refused("missing-argument", "size")
        image = cnn.normalize_drawing(_decode(drawing, size * size, "drawing").reshape(size, size))
    elif digit is not None:
        image = _decode(digit, DIGIT_BYTES, "digit").reshape(digits.SIZE, digits.SIZE)
    else:
        raise Refused("missing-argument", "digit")
    _model(model)
    result = {"input": image.ravel(), "empty": not image.any()}
    if result["empty"]:
        return result
    outputs, probabilities = _read(image, model)
    result["probabilities"] = np.round(probabilities, 5)
    result["prediction"] = int(probabilities.argmax())
    if layers:
        result["layers"] = {
            name: base64.b64encode(out.numpy()[0].astype("<f4").tobytes()).decode()
            for name, module, out in outputs
            if type(module).__name__ != "Flatten"
        }
    return result


def _read(image, model):
    """Every layer's output for a 28×28 uint8 ``image`` read by ``model``, and ``ŷ = softmax(o)``."""
    net = _model(model).eval()
    with pizarra.no_grad():
        outputs = cnn.layer_outputs(net, pizarra.tensor(image[None, None].astype(np.float32) / 255))
        probabilities = F.softmax(outputs[-1][2], dim=1).numpy()[0]
    return outputs, probabilities


@takes(
    split=SPLIT,
    png=Text(base64_length(digits.MAX_SPRITE_BYTES), form="base64"),
    labels=Items(Whole(0, cnn.CLASSES - 1), digits.MAX_SPRITE_TILES),
)
def cnn_load_data(split: str, png: str, labels: list) -> dict:
    """Keep a split of the digits for training and evaluation: the site's sprite (base64 PNG)
    and its labels, as ``build.py`` prepared them."""
    try:
        tiles = digits.read_png_sprite(base64.b64decode(png, validate=True))
    except ValueError:
        raise Refused("bad-format", "png", "sprite") from None
    if len(labels) > len(tiles):
        raise Refused("wrong-size", "labels", len(tiles), f"{len(labels)} labels")
    labels = np.asarray(labels, dtype=np.int64)
    _data[split] = (tiles[: len(labels)].astype(np.float32) / 255, labels)
    return {"split": split, "size": len(labels)}


@takes(**settings(cnn_training), augment=Flag())
def cnn_train_start(
    mode: str = "scratch",
    seed: int = 0,
    lr: float = 2e-3,
    batch_size: int = 64,
    epochs: int = 2,
    augment: bool = True,
) -> dict:
    """A new training run on the loaded train split: from a seeded random initialisation
    (``mode="scratch"``) or from the committed weights (``"finetune"``)."""
    if "train" not in _data:
        raise Refused("needs-first", "split", "cnn_load_data")
    pizarra.manual_seed(seed)
    model = cnn.LeNet5()
    if mode == "finetune":
        model.load_state_dict(_model("pretrained").state_dict())
    images, labels = _data["train"]
    _training["trainer"] = cnn_training.digit_trainer(
        model, images, labels, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed, augment=augment
    )
    _models["trained"] = model
    _training["settings"] = {
        "epochs": epochs,
        "batch_size": batch_size,
        "lr": lr,
        "seed": seed,
        "mode": mode,
        "augment": augment,
    }
    return {
        "total_steps": _training["trainer"].total_steps,
        "steps_per_epoch": _training["trainer"].steps_per_epoch,
        "backend": backend.current().name,
    }


@takes(budget_ms=Number(0, MAX_CALL_MS))
def cnn_train_steps(budget_ms: float = 250) -> dict:
    """Train for about ``budget_ms`` (at least one step): mean loss and accuracy of those
    steps' batches, examples per second, and where the run is."""
    trainer = _training.get("trainer")
    if trainer is None:
        raise Refused("needs-first", None, "cnn_train_start")
    started, losses, correct, seen = time.perf_counter(), [], 0, 0
    while not trainer.done and (not losses or (time.perf_counter() - started) * 1000 < budget_ms):
        result = trainer.step()
        losses.append(result["loss"])
        correct += result["correct"]
        seen += result["size"]
    seconds = time.perf_counter() - started
    return {
        "step": trainer.steps,
        "epoch": trainer.epoch,
        "done": trainer.done,
        "lr": trainer.learning_rate(),
        "loss": float(np.mean(losses)) if losses else None,
        "accuracy": correct / seen if seen else None,
        "examples_per_second": seen / seconds if seen else None,
        "backend": backend.current().name,
    }


@takes(split=SPLIT, model=MODEL)
def cnn_evaluate(split: str = "test", model: str = "pretrained") -> dict:
    """Accuracy, confusion matrix (rows: true class) and each digit's predicted class and
    confidence ``max ŷ`` on a loaded split."""
    if split not in _data:
        raise Refused("needs-first", "split", "cnn_load_data")
    images, labels = _data[split]
    proba = cnn.predict_proba(_model(model), images)
    predicted = proba.argmax(axis=1)
    return {
        "split": split,
        "model": model,
        "accuracy": metrics.accuracy(labels, predicted),
        "confusion_matrix": metrics.confusion_matrix(labels, predicted, num_classes=cnn.CLASSES),
        "predictions": predicted,
        "confidence": np.round(proba.max(axis=1), 3),
    }


def _link_digit(code: str):
    """The 28×28 digit of the link's ``d=`` code (web/js/pages/cnn/encoding.js: its 784 uint8
    pixels, deflate-raw, base64url)."""
    try:
        raw = base64.b64decode(code + "=" * (-len(code) % 4), altchars=b"-_", validate=True)
        inflater = zlib.decompressobj(-15)
        pixels = inflater.decompress(raw, DIGIT_BYTES + 1)
    except (ValueError, zlib.error):
        pixels, inflater = b"", None
    if len(pixels) != DIGIT_BYTES or not inflater.eof:
        raise Refused("bad-format", "digit_code", "digit", code)
    return np.frombuffer(pixels, dtype=np.uint8).reshape(digits.SIZE, digits.SIZE)


def _square(grid: list, sides, field: str) -> list:
    """A grid the door has checked (whole numbers, at most MAX_GRID rows), if it is square with a side in ``sides``."""
    if len(grid) not in sides or any(len(row) != len(grid) for row in grid):
        raise Refused("wrong-size", field, f"{min(sides)}×{min(sides)}–{max(sides)}×{max(sides)}", grid)
    return grid


def _convolution(explainer: dict) -> dict:
    """The explainer's output ``Z`` and its 2×2 pooling, as the page's convolution.js computes them."""
    image, kernel = np.asarray(explainer["image"], np.float32), np.asarray(explainer["kernel"], np.float32)
    padding = (len(kernel) - 1) // 2 if explainer["padding"] == "same" else 0
    pool = F.avg_pool2d if explainer["pooling"] == "mean" else F.max_pool2d
    with pizarra.no_grad():
        z = F.conv2d(
            pizarra.tensor(image[None, None]),
            pizarra.tensor(kernel[None, None]),
            stride=explainer["stride"],
            padding=padding,
        )
        pooled = pool(z, 2)
    return {"output": z.numpy()[0, 0].tolist(), "pooled": pooled.numpy()[0, 0].tolist()}


@takes(
    **NOTEBOOK,
    digit_code=Maybe(Text(MAX_LINK_DIGIT, form="base64url")),
    explainer=EXPLAINER,
    model=MODEL,
    feature_map=Maybe(FEATURE_MAP),
)
def cnn_notebook(
    language: str,
    link: str,
    site: dict,
    digit_code: str | None,
    explainer: dict,
    model: str = "pretrained",
    feature_map: dict | None = None,
) -> dict:
    """The page as a Jupyter notebook (:mod:`pizarra.notebooks.cnn`): the link's digit
    (``digit_code``, its ``d=``; None: an empty board) read by ``model`` — the site's LeNet-5 or the
    one trained here, whose weights go into the notebook —, the large ``feature_map`` ({stage,
    layer, channel}), and the convolution ``explainer`` ({kernel_name, kernel, image, stride,
    padding, pooling}); its ``result`` is what the page shows, computed as the page computes it."""
    _square(explainer["image"], range(3, MAX_GRID + 1), "explainer.image")
    _square(explainer["kernel"], (3,), "explainer.kernel")
    digit = _link_digit(digit_code) if digit_code else None
    digit = digit if digit is not None and digit.any() else None
    outputs, probabilities = _read(
        np.zeros((digits.SIZE, digits.SIZE), np.uint8) if digit is None else digit, model
    )
    shapes = {name: list(out.shape[1:]) for name, _, out in outputs}
    if digit is not None:
        if feature_map is None:
            raise Refused("missing-argument", "feature_map")
        shape, channel = shapes.get(feature_map["layer"]), feature_map["channel"]
        channels = shape[0] if shape and len(shape) == 3 else None  # a map has (C, H, W); a vector (n,)
        if shape is None:
            raise Refused("not-found", "feature_map.layer", value=feature_map["layer"])
        if channels is None and channel is not None:
            raise Refused("not-a-choice", "feature_map.channel", [None], channel)
        if channels is not None and (channel is None or channel >= channels):
            raise Refused("out-of-range", "feature_map.channel", [0, channels - 1], channel)
    weights = training = None
    if model == "trained":
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer, **{name: np.asarray(value) for name, value in _model(model).state_dict().items()}
        )
        weights = buffer.getvalue()
        trainer = _training["trainer"]
        training = {**_training["settings"], "steps": trainer.steps, "total_steps": trainer.total_steps}
    result = {
        "model": model,
        "prediction": None if digit is None else int(probabilities.argmax()),
        "probabilities": None if digit is None else probabilities.tolist(),
        "shapes": shapes,
        "convolution": _convolution(explainer),
    }
    return notebooks.page_notebook(
        "cnn",
        language,
        ("LeNet-5 lee tu dígito", "LeNet-5 reads your digit"),
        link,
        site,
        [],
        lambda notebook: notebook_recipe.build(
            notebook, digit, model, weights, training, feature_map, explainer
        ),
        result,
    )
