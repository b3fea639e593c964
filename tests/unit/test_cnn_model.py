"""LeNet-5 on the MNIST digits: the committed weights' test accuracy, recomputed; the split; training."""

import json
from pathlib import Path

import numpy as np
import pytest

import pizarra
from pizarra import cnn, metrics
from pizarra.cnn import LeNet5
from pizarra.cnn.train import digit_trainer
from pizarra.data import digits

ROOT = Path(__file__).resolve().parents[2]
CARD = ROOT / "pysrc" / "pizarra" / "weights" / "lenet5_mnist.json"


def test_committed_weights_reach_98_percent_and_match_the_model_card(mnist_data):
    images, labels = digits.load_split(mnist_data, "test")
    predicted = cnn.predict_proba(cnn.pretrained(), images).argmax(axis=1)
    card = json.loads(CARD.read_text())
    accuracy = metrics.accuracy(labels, predicted)
    assert accuracy >= 0.98
    assert accuracy == pytest.approx(card["test_accuracy"], abs=1e-9)
    assert metrics.confusion_matrix(labels, predicted, num_classes=10).tolist() == card["confusion_matrix"]
    assert predicted.tolist() == card["test_predictions"]


def test_split_is_80_10_10_per_class_and_disjoint(mnist_data):
    meta = json.loads((mnist_data / "mnist.json").read_text())
    sizes = {split: len(labels) for split, labels in meta["labels"].items()}
    assert sum(sizes.values()) == 10_000
    for split, share in (("train", 0.8), ("validation", 0.1), ("test", 0.1)):
        counts = np.bincount(meta["labels"][split], minlength=10)
        assert abs(sizes[split] / 10_000 - share) < 0.01 and counts.min() > 0.7 * share * 1000
    seen = {
        split: {img.tobytes() for img in digits.load_split(mnist_data, split)[0]}
        for split in ("train", "test")
    }
    assert len(seen["train"] & seen["test"]) == 0


def test_sprite_reader_refuses_other_files():
    with pytest.raises(ValueError, match="not a PNG"):
        digits.read_png_sprite(b"GIF89a....")


def test_trainer_is_reproducible_and_learns(mnist_data):
    images, labels = digits.load_split(mnist_data, "validation")
    images, labels = images[:256], labels[:256]

    def run(seed):
        pizarra.manual_seed(seed)
        trainer = digit_trainer(
            LeNet5(), images, labels, epochs=6, batch_size=64, lr=3e-3, seed=seed, augment=False
        )
        return [trainer.step()["loss"] for _ in range(trainer.total_steps)], trainer

    losses, trainer = run(3)
    assert losses == run(3)[0]
    assert np.mean(losses[-4:]) < 0.5 * np.mean(losses[:4])
    assert trainer.done and trainer.learning_rate() == pytest.approx(0.0, abs=1e-12)
