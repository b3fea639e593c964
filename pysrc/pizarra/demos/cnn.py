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

__all__ = ["cnn_model", "cnn_predict", "cnn_load_data", "cnn_train_start", "cnn_train_steps", "cnn_evaluate",
           "cnn_notebook"]

MAX_DRAWING_SIDE = 1024
_models = {}      # "pretrained" | "trained" -> LeNet5
_data = {}        # split -> (images, labels)
_training = {}    # "trainer": the run of pizarra.cnn.train.digit_trainer; "settings": how it was started


def _model(name):
    if name == "pretrained" and name not in _models:
        _models[name] = cnn.pretrained()
    if name not in _models:
        raise ValueError(f"no {name!r} model: train one first")
    return _models[name]


def _decode(data, length, what):
    raw = base64.b64decode(data, validate=True)
    if len(raw) != length:
        raise ValueError(f"{what}: expected {length} bytes, got {len(raw)}")
    return np.frombuffer(raw, dtype=np.uint8)


def cnn_model(model: str = "pretrained") -> dict:
    """Each layer of LeNet-5: PyTorch name, kind, output shape for one 1×28×28 digit, parameter
    count and receptive field; and the learned 5×5 kernels of both convolutions."""
    net = _model(model)
    layers = list(net.features) + list(net.classifier)
    shapes = [tuple(out.shape[1:]) for _, _, out in cnn.layer_outputs(net, pizarra.zeros(1, 1, 28, 28))]
    fields = cnn.receptive_fields(net.features) + [None] * len(net.classifier)
    names = [f"features.{i}" for i in range(len(net.features))] + [f"classifier.{i}" for i in range(len(net.classifier))]
    return {
        "layers": [{"name": name, "kind": type(layer).__name__, "shape": shape,
                    "params": sum(p.numel() for p in layer.parameters()), "extra": layer.extra_repr(),
                    "field": None if field is None else dict(zip(("jump", "size", "start"), field))}
                   for name, layer, shape, field in zip(names, layers, shapes, fields)],
        "kernels": {name: np.round(layer.weight.numpy(), 3) for name, layer in zip(names, layers)
                    if type(layer).__name__ == "Conv2d"},
    }


def cnn_predict(drawing: str | None = None, size: int = 0, digit: str | None = None,
                model: str = "pretrained", layers: bool = True) -> dict:
    """Read one digit: either ``drawing``, the ink of a ``size``×``size`` canvas (base64 of
    uint8, normalised here as MNIST), or ``digit``, a 28×28 input as is (base64 of 784 uint8).

    Returns the 28×28 input, ``ŷ = softmax(o)``, the predicted class, and (with ``layers``)
    the output of every layer (base64 of its float32 values, C order: far cheaper to send than
    JSON numbers). An empty input predicts nothing.
    """
    if drawing is not None:
        if not 1 <= size <= MAX_DRAWING_SIDE:
            raise ValueError(f"drawing size must be 1–{MAX_DRAWING_SIDE}, not {size}")
        image = cnn.normalize_drawing(_decode(drawing, size * size, "drawing").reshape(size, size))
    elif digit is not None:
        image = _decode(digit, 28 * 28, "digit").reshape(28, 28)
    else:
        raise ValueError("give a drawing or a digit")
    result = {"input": image.ravel(), "empty": not image.any()}
    if result["empty"]:
        return result
    outputs, probabilities = _read(image, model)
    result["probabilities"] = np.round(probabilities, 5)
    result["prediction"] = int(probabilities.argmax())
    if layers:
        result["layers"] = {name: base64.b64encode(out.numpy()[0].astype("<f4").tobytes()).decode()
                            for name, module, out in outputs if type(module).__name__ != "Flatten"}
    return result


def _read(image, model):
    """Every layer's output for a 28×28 uint8 ``image`` read by ``model``, and ``ŷ = softmax(o)``."""
    net = _model(model).eval()
    with pizarra.no_grad():
        outputs = cnn.layer_outputs(net, pizarra.tensor(image[None, None].astype(np.float32) / 255))
        probabilities = F.softmax(outputs[-1][2], dim=1).numpy()[0]
    return outputs, probabilities


def cnn_load_data(split: str, png: str, labels: list) -> dict:
    """Keep a split of the digits for training and evaluation: the site's sprite (base64 PNG)
    and its labels, as ``build.py`` prepared them."""
    if split not in ("train", "validation", "test"):
        raise ValueError(f"unknown split {split!r}")
    tiles = digits.read_png_sprite(base64.b64decode(png, validate=True))
    labels = np.asarray(labels, dtype=np.int64)
    if labels.ndim != 1 or len(labels) > len(tiles) or labels.min() < 0 or labels.max() >= cnn.CLASSES:
        raise ValueError("labels do not match the sprite")
    _data[split] = (tiles[:len(labels)].astype(np.float32) / 255, labels)
    return {"split": split, "size": len(labels)}


def cnn_train_start(mode: str = "scratch", seed: int = 0, lr: float = 2e-3, batch_size: int = 64,
                    epochs: int = 2, augment: bool = True) -> dict:
    """A new training run on the loaded train split: from a seeded random initialisation
    (``mode="scratch"``) or from the committed weights (``"finetune"``)."""
    if "train" not in _data:
        raise ValueError("load the train split first")
    settings = {"epochs": epochs, "batch_size": batch_size, "lr": lr, "seed": seed, "mode": mode}
    bad = [name for name, (lo, hi) in cnn_training.RANGES.items() if not lo <= settings[name] <= hi]
    bad += [name for name, values in cnn_training.CHOICES.items() if settings[name] not in values]
    if bad:
        raise ValueError(f"bad training settings: {', '.join(bad)}")
    pizarra.manual_seed(seed)
    model = cnn.LeNet5()
    if mode == "finetune":
        model.load_state_dict(_model("pretrained").state_dict())
    images, labels = _data["train"]
    _training["trainer"] = cnn_training.digit_trainer(model, images, labels, epochs=epochs, batch_size=batch_size,
                                                      lr=lr, seed=seed, augment=augment)
    _models["trained"] = model
    _training["settings"] = {**settings, "augment": augment}
    return {"total_steps": _training["trainer"].total_steps, "steps_per_epoch": _training["trainer"].steps_per_epoch,
            "backend": backend.current().name}


def cnn_train_steps(budget_ms: float = 250) -> dict:
    """Train for about ``budget_ms`` (at least one step): mean loss and accuracy of those
    steps' batches, examples per second, and where the run is."""
    trainer = _training.get("trainer")
    if trainer is None:
        raise ValueError("start a training run first")
    started, losses, correct, seen = time.perf_counter(), [], 0, 0
    while not trainer.done and (not losses or (time.perf_counter() - started) * 1000 < budget_ms):
        result = trainer.step()
        losses.append(result["loss"])
        correct += result["correct"]
        seen += result["size"]
    seconds = time.perf_counter() - started
    return {"step": trainer.steps, "epoch": trainer.epoch, "done": trainer.done, "lr": trainer.learning_rate(),
            "loss": float(np.mean(losses)) if losses else None, "accuracy": correct / seen if seen else None,
            "examples_per_second": seen / seconds if seen else None, "backend": backend.current().name}


def cnn_evaluate(split: str = "test", model: str = "pretrained") -> dict:
    """Accuracy, confusion matrix (rows: true class) and each digit's predicted class and
    confidence ``max ŷ`` on a loaded split."""
    if split not in _data:
        raise ValueError(f"load the {split} split first")
    images, labels = _data[split]
    proba = cnn.predict_proba(_model(model), images)
    predicted = proba.argmax(axis=1)
    return {"split": split, "model": model, "accuracy": metrics.accuracy(labels, predicted),
            "confusion_matrix": metrics.confusion_matrix(labels, predicted, num_classes=cnn.CLASSES),
            "predictions": predicted, "confidence": np.round(proba.max(axis=1), 3)}


def _link_digit(code: str):
    """The 28×28 digit of the link's ``d=`` code (web/js/pages/cnn/encoding.js: its 784 uint8
    pixels, deflate-raw, base64url)."""
    raw = base64.b64decode(code + "=" * (-len(code) % 4), altchars=b"-_", validate=True)
    inflater = zlib.decompressobj(-15)
    pixels = inflater.decompress(raw, 28 * 28 + 1)
    if len(pixels) != 28 * 28 or not inflater.eof:
        raise ValueError("the digit's code does not hold a 28×28 digit")
    return np.frombuffer(pixels, dtype=np.uint8).reshape(28, 28)


def _whole_numbers(rows, side: int | None, what: str) -> list:
    """A square grid of whole numbers (the explainer's image and kernel) as lists of ints."""
    grid = np.asarray(rows, dtype=np.float64)
    sizes = (side,) if side else range(3, 17)
    if grid.ndim != 2 or grid.shape[0] != grid.shape[1] or grid.shape[0] not in sizes \
            or not np.all(grid == np.round(grid)) or np.abs(grid).max() > 99:
        raise ValueError(f"{what}: a square grid of whole numbers expected")
    return grid.astype(int).tolist()


def _convolution(explainer: dict) -> dict:
    """The explainer's output ``Z`` and its 2×2 pooling, as the page's convolution.js computes them."""
    image, kernel = np.asarray(explainer["image"], np.float32), np.asarray(explainer["kernel"], np.float32)
    padding = (len(kernel) - 1) // 2 if explainer["padding"] == "same" else 0
    pool = F.avg_pool2d if explainer["pooling"] == "mean" else F.max_pool2d
    with pizarra.no_grad():
        z = F.conv2d(pizarra.tensor(image[None, None]), pizarra.tensor(kernel[None, None]),
                     stride=explainer["stride"], padding=padding)
        pooled = pool(z, 2)
    return {"output": z.numpy()[0, 0].tolist(), "pooled": pooled.numpy()[0, 0].tolist()}


def cnn_notebook(language: str, link: str, site: dict, digit_code: str | None, explainer: dict,
                 model: str = "pretrained", feature_map: dict | None = None) -> dict:
    """The page as a Jupyter notebook (:mod:`pizarra.notebooks.cnn`): the link's digit
    (``digit_code``, its ``d=``; None: an empty board) read by ``model`` — the site's LeNet-5 or the
    one trained here, whose weights go into the notebook —, the large ``feature_map`` ({stage,
    layer, channel}), and the convolution ``explainer`` ({kernel_name, kernel, image, stride,
    padding, pooling}); its ``result`` is what the page shows, computed as the page computes it."""
    if model not in ("pretrained", "trained"):
        raise ValueError(f"unknown model {model!r}")
    explainer = {**explainer, "image": _whole_numbers(explainer["image"], None, "image"),
                 "kernel": _whole_numbers(explainer["kernel"], 3, "kernel")}
    if explainer["kernel_name"] not in notebook_recipe.KERNELS or explainer["stride"] not in (1, 2) or explainer["padding"] not in ("valid", "same") \
            or explainer["pooling"] not in ("max", "mean"):
        raise ValueError("explainer: a known kernel, stride 1 or 2, padding 'valid' or 'same', pooling 'max' or 'mean'")
    digit = _link_digit(digit_code) if digit_code else None
    digit = digit if digit is not None and digit.any() else None
    outputs, probabilities = _read(np.zeros((28, 28), np.uint8) if digit is None else digit, model)
    shapes = {name: list(out.shape[1:]) for name, _, out in outputs}
    if digit is not None:
        shape, channel = shapes.get(feature_map["layer"]), feature_map["channel"]
        channels = shape[0] if shape and len(shape) == 3 else None   # a map has (C, H, W); a vector (n,)
        if feature_map["stage"] not in notebook_recipe.STAGES or shape is None or (channel is None) != (channels is None) \
                or (channels is not None and not (type(channel) is int and 0 <= channel < channels)):
            raise ValueError(f"no feature map {feature_map!r}")
    weights = training = None
    if model == "trained":
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **{name: np.asarray(value) for name, value in _model(model).state_dict().items()})
        weights = buffer.getvalue()
        trainer = _training["trainer"]
        training = {**_training["settings"], "steps": trainer.steps, "total_steps": trainer.total_steps}
    result = {"model": model,
              "prediction": None if digit is None else int(probabilities.argmax()),
              "probabilities": None if digit is None else probabilities.tolist(),
              "shapes": shapes, "convolution": _convolution(explainer)}
    return notebooks.page_notebook(
        "cnn", language, ("LeNet-5 lee tu dígito", "LeNet-5 reads your digit"), link, site, [],
        lambda notebook: notebook_recipe.build(notebook, digit, model, weights, training, feature_map, explainer),
        result)
