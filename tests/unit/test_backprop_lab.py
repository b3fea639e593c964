"""The training lab: data sets in the plane, reproducible runs, the course's ∂L/∂W = (∂L/∂y) xᵀ,
vanishing gradients, early stopping, and the page's entry points."""

import json

import numpy as np
import pytest

from pizarra import demos, rng
from pizarra.backprop.lab import Config, TrainingRun
from pizarra.data import points


def call(function, **args):
    return json.loads(demos.call(function, json.dumps(args)))


@pytest.mark.parametrize("name", points.DATASETS)
def test_datasets_follow_their_definitions(name):
    x, y = points.make(name, 400, 0.0, np.random.default_rng(0))
    assert x.shape == (400, 2) and y.shape == (400,) and x.dtype == np.float32
    assert set(np.unique(y)) == {0.0, 1.0} and 0.3 < y.mean() < 0.7
    if name == "rain":  # rain when both are large or both small
        assert np.array_equal(y == 1, x[:, 0] * x[:, 1] > 0)
    if name == "xor":
        assert np.array_equal(y == 1, np.sign(x[:, 0]) != np.sign(x[:, 1]))
    if name == "circles":
        radius = np.hypot(x[:, 0], x[:, 1])
        assert radius[y == 1].max() <= 0.5 + 1e-6 and radius[y == 0].min() >= 0.75 - 1e-6
    if name == "spirals":  # the two spirals are the same curve half a turn apart
        radius = np.hypot(x[:, 0], x[:, 1])
        angle = np.arctan2(x[:, 1], x[:, 0])
        expected = 1.75 * 2 * np.pi * radius + np.pi * y
        assert np.allclose(np.cos(angle - expected), 1, atol=1e-4)


def test_noise_jitters_points_and_split_sizes():
    clean, labels = points.make("circles", 200, 0.0, np.random.default_rng(3))
    noisy, noisy_labels = points.make("circles", 200, 0.2, np.random.default_rng(3))
    assert np.array_equal(labels, noisy_labels)
    assert 0.1 < np.std(noisy - clean) < 0.3
    x_train, y_train, x_val, y_val = points.split(clean, labels, 0.3, np.random.default_rng(0))
    assert (len(x_train), len(x_val)) == (140, 60)
    assert sorted(map(tuple, np.vstack([x_train, x_val]))) == sorted(map(tuple, clean))
    with pytest.raises(ValueError, match="unknown data set"):
        points.make("moons", 10, 0.0, np.random.default_rng(0))


def test_a_run_is_reproducible_however_its_steps_are_grouped():
    config = Config(dataset="spirals", dropout=0.2, batch_size=16, optimizer="momentum", lr=0.05, seed=7)
    one, other = TrainingRun(config), TrainingRun(config)
    one.run(37)
    for chunk in (1, 5, 10, 21):
        rng.manual_seed(123)  # other code drawing from the shared generator in between must not matter
        other.run(chunk)
    assert one.step_count == other.step_count == 37
    for a, b in zip(one.model.parameters(), other.model.parameters()):
        assert np.array_equal(a.data, b.data)
    assert one.epochs == other.epochs and one.grad_norms == other.grad_norms
    assert not np.array_equal(TrainingRun(Config(seed=8)).x_train, TrainingRun(Config(seed=7)).x_train)


def test_weight_gradient_is_dl_dy_times_x_transposed():
    for l2 in (0.0, 0.01):
        run = TrainingRun(Config(depth=2, width=5, batch_size=8, l2=l2))
        run.run(1)
        for step in run.last_step:
            # column layout of the course: x (in, B), ∂L/∂y (out, B); ∂J/∂W = (∂L/∂y) xᵀ + 2λW
            expected = step["dy"].T @ step["x"] + 2 * l2 * step["W"]
            np.testing.assert_allclose(step["dW"], expected, rtol=1e-5, atol=1e-7)
        assert [s["W"].shape for s in run.last_step] == [(5, 2), (5, 5), (1, 5)]


def test_weight_gradient_matches_finite_differences_of_the_loss():
    run = TrainingRun(Config(depth=1, width=3, batch_size=400, n=40, validation=0.5, activation="elu"))
    for p in run.model.parameters():  # float64, so that the finite differences are precise
        p.data = p.data.astype(np.float64)
    run.x_train, run.y_train = run.x_train.astype(np.float64), run.y_train.astype(np.float64)
    weight, h = run.layers[0].weight, 1e-6
    estimates = {}
    for i, j in [(0, 0), (2, 1)]:
        losses = []
        for sign in (1, -1):
            weight.data[i, j] += sign * h
            losses.append(run.evaluate(run.x_train, run.y_train)[0])  # one batch = the whole training set
            weight.data[i, j] -= sign * h
        estimates[i, j] = (losses[0] - losses[1]) / (2 * h)
    run.run(1)
    for (i, j), estimate in estimates.items():
        assert run.last_step[0]["dW"][i, j] == pytest.approx(estimate, rel=1e-6, abs=1e-9)


def test_deep_sigmoid_gradients_vanish_and_relu_gradients_do_not():
    def first_to_last(activation):
        run = TrainingRun(
            Config(
                dataset="xor", depth=6, width=8, activation=activation, init="xavier", optimizer="sgd", lr=0.1
            )
        )
        run.run(10)
        norms = np.array(run.grad_norms).mean(axis=0)
        return norms[0] / norms[-1]

    assert first_to_last("sigmoid") < 1e-3  # σ' ≤ 1/4 at every layer
    assert first_to_last("relu") > 0.1


def test_xor_is_learnt_to_full_training_accuracy():
    run = TrainingRun(
        Config(dataset="xor", noise=0.0, depth=2, width=8, activation="tanh", optimizer="adam", lr=0.03)
    )
    run.run(200)
    assert run.epochs[-1]["train_accuracy"] == 1.0 and run.epochs[-1]["val_accuracy"] == 1.0


def test_one_linear_layer_cannot_learn_the_rain_predicate_but_one_hidden_layer_can():
    def accuracy(depth):
        run = TrainingRun(
            Config(dataset="rain", noise=0.0, depth=depth, width=16, n=400, batch_size=64, lr=0.03)
        )
        run.run(600)
        return run.epochs[-1]["train_accuracy"]

    linear = TrainingRun(
        Config(dataset="rain", noise=0.0, depth=1, width=1, activation="relu", n=400, lr=0.03)
    )
    linear.run(300)
    assert linear.epochs[-1]["train_accuracy"] < 0.8
    assert accuracy(1) > 0.95


def test_early_stopping_ends_an_overfitting_run_and_keeps_its_best_epoch():
    config = Config(
        dataset="spirals",
        n=60,
        noise=0.25,
        depth=3,
        width=32,
        activation="relu",
        init="he",
        lr=0.01,
        batch_size=60,
        early_stopping=True,
        patience=20,
    )
    run = TrainingRun(config)
    run.run(5000)
    assert run.stopped and run.step_count < 5000
    best = run.epochs[run.best_epoch - 1]
    assert best["val_loss"] == min(e["val_loss"] for e in run.epochs)
    assert len(run.epochs) == run.best_epoch + config.patience
    assert run.epochs[-1]["val_loss"] > best["val_loss"]  # overfitting: validation got worse
    assert run.epochs[-1]["train_loss"] < best["train_loss"]  # while training kept improving
    assert run.evaluate(run.x_val, run.y_val)[0] == pytest.approx(
        best["val_loss"], rel=1e-6
    )  # best weights back


def test_bad_configurations_are_refused():
    for bad in [
        dict(dataset="moons"),
        dict(depth=0),
        dict(activation="swish"),
        dict(lr=0),
        dict(dropout=1.0),
    ]:
        with pytest.raises(ValueError, match="bad training configuration|unknown"):
            Config(**bad)


def test_page_entry_points_train_in_chunks_and_inspect_a_layer():
    start = call("backprop_lab_start", dataset="xor", n=100, validation=0.2, depth=2, width=4, seed=3)
    assert len(start["train"]) == 80 and len(start["val"]) == 20 and len(start["train"][0]) == 3
    assert start["layers"] == [[4, 2], [4, 4], [1, 4]] and start["steps_per_epoch"] == 3
    assert len(start["boundary"]["p"]) == start["boundary"]["size"] ** 2
    assert call("backprop_lab_inspect", layer=1) is None
    first = call("backprop_lab_train", steps=4, inspect_layer=1)
    assert first["step"] == 4 and len(first["grad_norms"]) == 4 and len(first["grad_norms"][0]) == 3
    assert [e["epoch"] for e in first["epochs"]] == [1]
    inspect = first["inspect"]
    assert np.array(inspect["W"]).shape == (4, 4) and np.array(inspect["x"]).shape == (
        4,
        32,
    )  # step 4: the first batch of epoch 2
    assert np.array(inspect["dy"]).shape == (4, 32) and np.array(inspect["dW"]).shape == (4, 4)
    second = call("backprop_lab_train", steps=5)
    assert (
        second["step"] == 9 and [e["epoch"] for e in second["epochs"]] == [2, 3] and second["inspect"] is None
    )
    with pytest.raises(ValueError):
        call("backprop_lab_inspect", layer=3)
