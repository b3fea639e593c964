"""pizarra.training.Trainer: the one mini-batch loop of every page and of build.py train."""

import math

import numpy as np
import pytest

import pizarra
from pizarra import nn, optim, rng
from pizarra.nn import functional as F
from pizarra.training import Trainer, cosine_schedule


def make_run(seed=3, dropout=0.5, **options):
    data_rng = np.random.default_rng(0)
    x = data_rng.standard_normal((50, 3)).astype(np.float32)
    y = (x.sum(axis=1) > 0).astype(np.float32)
    pizarra.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Dropout(dropout), nn.Linear(8, 1))

    def loss(batch):
        xb, yb = batch
        return F.binary_cross_entropy_with_logits(model(pizarra.tensor(xb)).reshape(-1), pizarra.tensor(yb))

    opt = optim.SGD(model.parameters(), lr=0.1)
    return model, Trainer(model, opt, loss, (x, y), batch_size=16, seed=seed, **options)


def test_a_run_is_the_same_however_its_steps_are_split_and_whatever_runs_between():
    model_a, whole = make_run()
    losses_a = [r["loss"] for r in whole.run(13)]
    model_b, split = make_run()
    losses_b = []
    for chunk in (1, 5, 7):
        losses_b += [r["loss"] for r in split.run(chunk)]
        rng.generator().standard_normal(100)  # another page drawing from the shared generator
        np.random.default_rng(9).permutation(10)
    assert losses_a == losses_b
    for p, q in zip(model_a.parameters(), model_b.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_another_seed_gives_another_run():
    _, a = make_run(seed=3)
    _, b = make_run(seed=4)
    assert [r["loss"] for r in a.run(6)] != [r["loss"] for r in b.run(6)]


def test_epochs_visit_every_example_once_in_a_new_order():
    _, trainer = make_run(dropout=0.0)
    assert trainer.steps_per_epoch == math.ceil(50 / 16) == 4
    orders = []
    for _ in range(2):
        seen = []
        for _ in range(trainer.steps_per_epoch):
            seen += trainer.next_batch().tolist()
            trainer.steps += 1
        assert trainer.end_of_epoch
        assert sorted(seen) == list(range(50))
        orders.append(seen)
    assert orders[0] != orders[1]


def test_without_shuffling_batches_follow_the_data_order():
    _, trainer = make_run(dropout=0.0, shuffle=False)
    assert trainer.next_batch().tolist() == list(range(16))


def test_epochs_bound_the_run_and_the_cosine_schedule_reaches_zero():
    _, trainer = make_run(dropout=0.0, epochs=2, schedule=cosine_schedule(0.1, 8))
    assert trainer.total_steps == 8
    assert trainer.learning_rate() == pytest.approx(0.1)
    results = trainer.run(100)
    assert len(results) == 8 and trainer.done and trainer.epoch == 2
    assert trainer.learning_rate() == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(RuntimeError, match="finished"):
        trainer.step()


def test_clipping_reports_the_norm_before_clipping_and_bounds_the_gradient():
    seen = []
    _, trainer = make_run(
        dropout=0.0,
        clip_norm=1e-3,
        after_backward=lambda info: seen.append(
            math.sqrt(sum(float((p.grad**2).sum()) for p in trainer.model.parameters()))
        ),
    )
    result = trainer.step()
    assert result["grad_norm"] > 1e-3
    assert seen[0] == pytest.approx(1e-3, rel=1e-3)


def test_empty_or_ragged_data_is_refused():
    model = nn.Linear(2, 1)
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="empty"):
        Trainer(model, opt, lambda b: None, (np.zeros((0, 2)),), batch_size=4)
    with pytest.raises(ValueError, match="same length"):
        Trainer(model, opt, lambda b: None, (np.zeros((3, 2)), np.zeros(2)), batch_size=4)


def test_a_run_resumed_from_its_checkpoint_ends_as_if_never_stopped(tmp_path):
    from pizarra.training import load_checkpoint, save_checkpoint

    model_a, whole = make_run()
    whole_losses = [r["loss"] for r in whole.run(9)]  # across an epoch's end (4 steps each)
    _, first = make_run()
    losses = [r["loss"] for r in first.run(6)]
    save_checkpoint(tmp_path / "run.pkl", {"trainer": first.state_dict()})
    model_b, again = make_run(seed=99)  # another start: the checkpoint decides
    again.load_state_dict(load_checkpoint(tmp_path / "run.pkl")["trainer"])
    losses += [r["loss"] for r in again.run(3)]
    assert losses == whole_losses
    for a, b in zip(model_a.parameters(), model_b.parameters()):
        np.testing.assert_array_equal(a.data, b.data)
    assert load_checkpoint(tmp_path / "missing.pkl") is None
