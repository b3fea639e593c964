"""Optimisers against PyTorch's update formulas evaluated by hand, penalties,
early stopping."""

import math

import numpy as np
import pytest

import pizarra
from pizarra import nn, optim


def two_steps(optimizer_class, grads=(0.5, -0.2), theta=1.0, **hyper):
    p = nn.Parameter(np.array([theta]))
    opt = optimizer_class([p], **hyper)
    values = []
    for g in grads:
        p.grad = np.array([g])
        opt.step()
        values.append(p.data[0])
    return values, opt


def test_sgd_plain_momentum_and_weight_decay_by_hand():
    (t1, t2), _ = two_steps(optim.SGD, lr=0.1)
    assert (t1, t2) == pytest.approx((1 - 0.05, 0.95 + 0.02))
    # momentum 0.9, weight_decay 0.1: g1 = 0.5 + 0.1·1 = 0.6, b1 = 0.6, θ1 = 1 - 0.06 = 0.94;
    # g2 = -0.2 + 0.1·0.94 = -0.106, b2 = 0.9·0.6 - 0.106 = 0.434, θ2 = 0.94 - 0.0434 = 0.8966.
    (t1, t2), _ = two_steps(optim.SGD, lr=0.1, momentum=0.9, weight_decay=0.1)
    assert (t1, t2) == pytest.approx((0.94, 0.8966))
    # nesterov: step uses g + μ b. θ1 = 1 - 0.1·(0.6 + 0.54) = 0.886;
    # g2 = -0.2 + 0.0886 = -0.1114, b2 = 0.54 - 0.1114 = 0.4286,
    # θ2 = 0.886 - 0.1·(-0.1114 + 0.9·0.4286) = 0.858566.
    (t1, t2), _ = two_steps(optim.SGD, lr=0.1, momentum=0.9, weight_decay=0.1, nesterov=True)
    assert (t1, t2) == pytest.approx((0.886, 0.858566))
    # dampening 0.5: b2 = 0.9·0.5 + 0.5·(-0.2) = 0.35 (the first step is not dampened).
    (t1, t2), _ = two_steps(optim.SGD, lr=0.1, momentum=0.9, dampening=0.5)
    assert (t1, t2) == pytest.approx((0.95, 0.95 - 0.035))


def test_adam_by_hand():
    # Step 1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25 → θ1 = 1 - 0.1·0.5/(0.5 + 1e-8).
    # Step 2: m = 0.045 - 0.02 = 0.025, v = 0.00024975 + 0.00004 = 0.00028975,
    #         m̂ = 0.025/0.19, v̂ = 0.00028975/0.001999.
    (t1, t2), opt = two_steps(optim.Adam, lr=0.1)
    theta1 = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
    theta2 = theta1 - 0.1 * (0.025 / 0.19) / (math.sqrt(0.00028975 / 0.001999) + 1e-8)
    assert (t1, t2) == pytest.approx((theta1, theta2), rel=1e-12)
    # weight_decay adds λθ to the gradient before the moments: g1 = 0.5 + 0.5·1 = 1.0.
    (t1, _), _ = two_steps(optim.Adam, lr=0.1, weight_decay=0.5)
    assert t1 == pytest.approx(1 - 0.1 * 1.0 / (1.0 + 1e-8))
    state = opt.state_dict()
    assert state["state"][0]["step"] == 2 and state["param_groups"][0]["lr"] == 0.1


def test_optimizer_state_dict_round_trip_continues_identically():
    _, opt = two_steps(optim.Adam, lr=0.1)
    p_a = opt.param_groups[0]["params"][0]
    p_b = nn.Parameter(p_a.data.copy())
    other = optim.Adam([p_b], lr=0.5)
    other.load_state_dict(opt.state_dict())
    for o, p in ((opt, p_a), (other, p_b)):
        p.grad = np.array([0.3])
        o.step()
    assert p_a.data[0] == p_b.data[0]


def test_zero_grad_and_parameters_without_gradient():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    opt = optim.SGD([a, b], lr=1.0)
    a.grad = np.array([1.0, 2.0])
    opt.step()
    np.testing.assert_array_equal(b.data, [1, 1])
    np.testing.assert_array_equal(a.data, [0, -1])
    opt.zero_grad()
    assert a.grad is None


def test_param_groups_have_their_own_learning_rates():
    a, b = nn.Parameter(np.ones(1)), nn.Parameter(np.ones(1))
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad, b.grad = np.ones(1), np.ones(1)
    opt.step()
    assert (a.data[0], b.data[0]) == pytest.approx((0.9, 0.5))


def test_penalties_and_their_gradients():
    w1 = nn.Parameter(np.array([1.0, -2.0]))
    w2 = nn.Parameter(np.array([3.0]))
    assert optim.l2_penalty([w1, w2]).item() == 1 + 4 + 9
    assert optim.l1_penalty([w1, w2]).item() == 1 + 2 + 3
    lam = 0.1
    (lam * optim.l2_penalty([w1, w2]) + lam * optim.l1_penalty([w1, w2])).backward()
    np.testing.assert_allclose(w1.grad, 2 * lam * w1.data + lam * np.sign(w1.data))
    np.testing.assert_allclose(w2.grad, [2 * lam * 3 + lam])


def test_early_stopping_tracks_best_epoch_and_patience():
    stopper = optim.EarlyStopping(patience=2)
    losses = [1.0, 0.8, 0.85, 0.9, 0.79, 0.8, 0.81, 0.5]
    stops = [stopper.step(loss) for loss in losses[:7]]
    assert stops == [False, False, False, True, False, False, True]
    assert (stopper.best_loss, stopper.best_epoch) == (0.79, 4)
    # With min_delta = 0.05 the 0.79 is no real improvement over 0.8.
    stopper = optim.EarlyStopping(patience=2, min_delta=0.05)
    stops = [stopper.step(loss) for loss in losses[:4]]
    assert stops == [False, False, False, True] and stopper.best_epoch == 1


def test_early_stopping_keeps_the_best_weights():
    model = nn.Linear(1, 1)
    stopper = optim.EarlyStopping(patience=1)
    stopper.step(1.0, model)
    best = model.weight.data.copy()
    model.weight.data = model.weight.data + 5
    stopper.step(2.0, model)
    model.load_state_dict(stopper.best_state)
    np.testing.assert_array_equal(model.weight.data, best)


def test_sgd_minimises_a_quadratic():
    pizarra.manual_seed(0)
    target = np.array([3.0, -1.0])
    w = nn.Parameter(np.zeros(2))
    opt = optim.SGD([w], lr=0.1, momentum=0.5)
    for _ in range(100):
        opt.zero_grad()
        ((w - target) ** 2).sum().backward()
        opt.step()
    np.testing.assert_allclose(w.data, target, atol=1e-6)
