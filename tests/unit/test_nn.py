"""Layers, losses and ``Module`` mechanics: finite-difference gradient checks
and formulas computed by hand."""

import math

import numpy as np
import pytest

import pizarra
from pizarra import gradcheck, nn
from pizarra.nn import functional as F
from pizarra.nn import init

rng = np.random.default_rng(7)


def randn(*shape):
    return rng.standard_normal(shape)


# --- Module mechanics -------------------------------------------------------------


class TwoLayers(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(3, 4)
        self.norm = nn.BatchNorm1d(4)
        self.out = nn.Linear(4, 2, bias=False)

    def forward(self, x):
        return self.out(self.norm(self.hidden(x)).tanh())


def test_state_dict_uses_pytorch_names_and_round_trips():
    model = TwoLayers()
    assert list(model.state_dict()) == [
        "hidden.weight",
        "hidden.bias",
        "norm.weight",
        "norm.bias",
        "norm.running_mean",
        "norm.running_var",
        "norm.num_batches_tracked",
        "out.weight",
    ]
    assert [name for name, _ in model.named_parameters()] == [
        "hidden.weight",
        "hidden.bias",
        "norm.weight",
        "norm.bias",
        "out.weight",
    ]
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]

    other = TwoLayers()
    state = {k: v + 1 for k, v in model.state_dict().items()}
    other.load_state_dict(state)
    for key, value in other.state_dict().items():
        np.testing.assert_array_equal(value, state[key])
    assert other.norm.num_batches_tracked.dtype == np.int64
    with pytest.raises(KeyError):
        other.load_state_dict({"hidden.weight": state["hidden.weight"]})
    with pytest.raises(ValueError):
        other.load_state_dict({**state, "out.weight": np.zeros((3, 3))})
    missing, unexpected = other.load_state_dict({"hidden.bias": state["hidden.bias"], "x": 1}, strict=False)
    assert "out.weight" in missing and unexpected == ["x"]


def test_state_dict_is_a_copy():
    layer = nn.Linear(2, 2)
    state = layer.state_dict()
    state["weight"][:] = 0
    assert np.any(layer.weight.data != 0)


def test_train_eval_zero_grad_and_shared_parameters():
    model = TwoLayers()
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    model(pizarra.tensor(randn(5, 3).astype(np.float32))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    shared = nn.Linear(2, 2)
    assert len(list(nn.Sequential(shared, shared).parameters())) == 2


def test_assigning_a_plain_value_over_a_parameter_is_an_error():
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError):
        layer.weight = np.zeros((2, 2))


def test_linear_shapes_and_default_init_bounds():
    pizarra.manual_seed(0)
    layer = nn.Linear(50, 400)
    assert layer.weight.shape == (400, 50) and layer.bias.shape == (400,)
    bound = 1 / math.sqrt(50)
    for p in (layer.weight, layer.bias):
        assert np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.95 * bound
    x = randn(7, 50).astype(np.float32)
    np.testing.assert_allclose(
        layer(pizarra.tensor(x)).numpy(), x @ layer.weight.data.T + layer.bias.data, rtol=1e-5, atol=1e-6
    )


# --- initialisation ----------------------------------------------------------------


def test_xavier_and_he_follow_the_course_formulas():
    pizarra.manual_seed(1)
    w = nn.Parameter(np.empty((300, 200), dtype=np.float32))
    bound = math.sqrt(6) / math.sqrt(200 + 300)
    init.xavier_uniform_(w)
    assert np.abs(w.data).max() <= bound and np.abs(w.data).max() > 0.99 * bound
    init.xavier_normal_(w)
    assert w.data.std() == pytest.approx(math.sqrt(2 / 500), rel=0.02)
    init.kaiming_normal_(w)  # He: N(0, 2/d_in), d_in = 200 columns
    assert w.data.var() == pytest.approx(2 / 200, rel=0.03)
    assert abs(w.data.mean()) < 0.003
    init.kaiming_uniform_(w, nonlinearity="relu")
    assert np.abs(w.data).max() <= math.sqrt(6 / 200)
    assert w.data.var() == pytest.approx(2 / 200, rel=0.03)
    conv = nn.Parameter(np.empty((128, 8, 3, 3), dtype=np.float32))  # fan_in = 8·3·3
    init.kaiming_normal_(conv)
    assert conv.data.var() == pytest.approx(2 / 72, rel=0.05)  # 9216 samples: ±1.5 %
    init.zeros_(w)
    assert not w.data.any()
    init.uniform_(w, -0.1, 0.1)
    assert np.abs(w.data).max() <= 0.1
    init.normal_(w, 3.0, 0.5)
    assert w.data.mean() == pytest.approx(3.0, abs=0.01)


# --- gradient checks of layers (parameters included) ----------------------------------


def check_module(module, *inputs, params=True):
    module.double()
    tensors = [*inputs, *module.parameters()] if params else list(inputs)
    gradcheck(lambda *args: module(*args[: len(inputs)]), tensors)


def test_linear_gradients():
    check_module(nn.Linear(4, 3), randn(5, 4))
    check_module(nn.Linear(4, 3), randn(2, 5, 4))


def test_embedding_gradients_and_padding():
    emb = nn.Embedding(6, 3, padding_idx=0).double()
    assert not emb.weight.data[0].any()
    idx = np.array([[1, 0, 3], [3, 5, 0]])
    gradcheck(lambda w: F.embedding(idx, w, padding_idx=0), [emb.weight])
    emb.weight.grad = None
    emb(idx).sum().backward()
    np.testing.assert_allclose(emb.weight.grad[:, 0], [0, 1, 0, 2, 0, 1])  # row 3 used twice


@pytest.mark.parametrize(
    "layer,shape",
    [
        (lambda: nn.BatchNorm1d(3), (6, 3)),
        (lambda: nn.BatchNorm1d(3), (4, 3, 5)),
        (lambda: nn.BatchNorm2d(2), (3, 2, 2, 3)),
        (lambda: nn.LayerNorm(4), (3, 4)),
        (lambda: nn.LayerNorm([2, 3]), (4, 2, 3)),
    ],
)
def test_normalisation_gradients(layer, shape):
    module = layer()
    module.weight.data = randn(*module.weight.shape).astype(np.float32)
    module.bias.data = randn(*module.bias.shape).astype(np.float32)
    check_module(module, randn(*shape))


def test_batch_norm_eval_gradient():
    bn = nn.BatchNorm1d(3).double()
    bn.running_mean.data, bn.running_var.data = randn(3), np.abs(randn(3)) + 0.5
    bn.eval()
    check_module(bn, randn(4, 3))


@pytest.mark.parametrize(
    "module",
    [
        nn.ReLU(),
        nn.Tanh(),
        nn.Sigmoid(),
        nn.LeakyReLU(),
        nn.ELU(),
        nn.Softmax(dim=1),
        nn.LogSoftmax(dim=1),
        nn.Flatten(),
        nn.Identity(),
    ],
)
def test_activation_module_gradients(module):
    x = randn(4, 3, 2)
    x = np.where(np.abs(x) < 0.05, 0.2, x)
    check_module(module, x)


def test_dropout_gradient_with_a_fixed_mask():
    def fn(x):
        pizarra.manual_seed(3)
        return F.dropout(x, 0.4)

    gradcheck(fn, [randn(5, 4)])


# --- activations by hand ----------------------------------------------------------------


def test_activation_values():
    x = pizarra.tensor(np.array([-2.0, 0.5]))
    np.testing.assert_allclose(F.leaky_relu(x).numpy(), [-0.02, 0.5])
    np.testing.assert_allclose(F.elu(x).numpy(), [math.exp(-2) - 1, 0.5])
    np.testing.assert_allclose(F.sigmoid(x).numpy(), [1 / (1 + math.exp(2)), 1 / (1 + math.exp(-0.5))])
    np.testing.assert_allclose(F.relu(x).numpy(), [0, 0.5])
    big = F.sigmoid(pizarra.tensor(np.array([-1000.0, 1000.0]))).numpy()
    np.testing.assert_array_equal(big, [0, 1])


# --- losses ---------------------------------------------------------------------------------

LOGITS = randn(5, 4)
CLASSES = np.array([0, 3, 1, 1, 2])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_loss_gradients(reduction):
    probs = 1 / (1 + np.exp(-randn(3, 2)))
    labels = (randn(3, 2) > 0).astype(float)
    weight = np.array([1.0, 2.0, 0.5, 1.5])
    gradcheck(lambda o, y: F.mse_loss(o, y, reduction=reduction), [randn(3, 2), randn(3, 2)])
    gradcheck(lambda p: F.binary_cross_entropy(p, labels, reduction=reduction), [probs])
    gradcheck(lambda o: F.binary_cross_entropy_with_logits(o, labels, reduction=reduction), [randn(3, 2)])
    gradcheck(lambda o: F.cross_entropy(o, CLASSES, reduction=reduction), [LOGITS])
    gradcheck(
        lambda o: F.cross_entropy(o, CLASSES, weight=weight, ignore_index=1, reduction=reduction), [LOGITS]
    )
    gradcheck(lambda o: F.nll_loss(o.log_softmax(1), CLASSES, reduction=reduction), [LOGITS])
    soft = np.abs(randn(5, 4))
    gradcheck(lambda o: F.cross_entropy(o, soft / soft.sum(1, keepdims=True), reduction=reduction), [LOGITS])


def test_cross_entropy_over_a_sequence():
    logits, targets = randn(2, 4, 3), np.array([[0, 3, 1], [2, 2, -100]])  # (N, C, T)
    gradcheck(lambda o: F.cross_entropy(o, targets), [logits])
    loss = F.cross_entropy(pizarra.tensor(logits), targets).item()
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    picked = [log_p[n, targets[n, t], t] for n in range(2) for t in range(3) if targets[n, t] != -100]
    assert loss == pytest.approx(-np.mean(picked))


def test_cross_entropy_is_nll_of_log_softmax_and_matches_the_formula():
    o = pizarra.tensor(LOGITS)
    ce = F.cross_entropy(o, CLASSES).item()
    assert ce == pytest.approx(F.nll_loss(F.log_softmax(o, dim=1), CLASSES).item())
    by_hand = np.mean([-LOGITS[i, c] + np.log(np.exp(LOGITS[i]).sum()) for i, c in enumerate(CLASSES)])
    assert ce == pytest.approx(by_hand)
    # Class weights: Σ w[y_i] ℓ_i / Σ w[y_i]; ignored targets drop out of both sums.
    w = np.array([1.0, 2.0, 0.5, 1.5])
    losses = [-LOGITS[i, c] + np.log(np.exp(LOGITS[i]).sum()) for i, c in enumerate(CLASSES)]
    keep = [i for i, c in enumerate(CLASSES) if c != 1]
    expected = sum(w[CLASSES[i]] * losses[i] for i in keep) / sum(w[CLASSES[i]] for i in keep)
    assert F.cross_entropy(o, CLASSES, weight=w, ignore_index=1).item() == pytest.approx(expected)
    np.testing.assert_allclose(F.cross_entropy(o, CLASSES, reduction="none").numpy(), losses)


def test_losses_at_huge_logits_are_finite_and_correct():
    o = pizarra.tensor([[1000.0, -1000.0], [1000.0, -1000.0]], requires_grad=True)
    # -log softmax: class 0 → 0, class 1 → 2000.
    loss = F.cross_entropy(o, np.array([0, 1]), reduction="none")
    np.testing.assert_allclose(loss.numpy(), [0, 2000])
    loss.sum().backward()
    np.testing.assert_allclose(o.grad, [[0, 0], [1, -1]])
    # BCE with logits: softplus(o) - y·o → o=1000,y=0: 1000; o=-1000,y=0: 0; o=1000,y=1: 0.
    bce = F.binary_cross_entropy_with_logits(
        pizarra.tensor([1000.0, -1000.0, 1000.0]), [0.0, 0.0, 1.0], reduction="none"
    )
    np.testing.assert_allclose(bce.numpy(), [1000, 0, 0])
    # BCE on saturated probabilities: the log is clamped at -100, as PyTorch.
    p = pizarra.tensor([0.0, 1.0], requires_grad=True)
    out = F.binary_cross_entropy(p, [1.0, 1.0], reduction="none")
    np.testing.assert_allclose(out.numpy(), [100, 0])
    out.sum().backward()
    assert np.all(np.isfinite(p.grad))


def test_binary_losses_by_hand():
    p, y = np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 0.0])
    expected = -np.mean([math.log(0.9), math.log(0.8), math.log(0.4)])
    assert F.binary_cross_entropy(pizarra.tensor(p), y).item() == pytest.approx(expected)
    logits = np.log(p / (1 - p))
    assert F.binary_cross_entropy_with_logits(pizarra.tensor(logits), y).item() == pytest.approx(expected)
    assert nn.BCELoss()(pizarra.tensor(p), y).item() == pytest.approx(expected)
    assert F.mse_loss(pizarra.tensor(p), y).item() == pytest.approx((0.01 + 0.04 + 0.36) / 3)
    assert nn.MSELoss(reduction="sum")(pizarra.tensor(p), y).item() == pytest.approx(0.41)


def test_loss_modules_match_functions():
    o = pizarra.tensor(LOGITS)
    assert nn.CrossEntropyLoss()(o, CLASSES).item() == F.cross_entropy(o, CLASSES).item()
    assert nn.NLLLoss()(o.log_softmax(1), CLASSES).item() == F.cross_entropy(o, CLASSES).item()
    y = (LOGITS > 0).astype(float)
    assert nn.BCEWithLogitsLoss()(o, y).item() == F.binary_cross_entropy_with_logits(o, y).item()


# --- batch norm, layer norm, dropout by hand ------------------------------------------------


def test_batch_norm_training_statistics_and_eval_mode():
    x = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]])
    bn = nn.BatchNorm1d(2).double()
    out = bn(pizarra.tensor(x)).numpy()
    mean, var = x.mean(0), x.var(0)  # biased, for normalising
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-5))
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.1 * mean)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.9 + 0.1 * x.var(0, ddof=1))  # unbiased
    assert bn.num_batches_tracked.item() == 1
    bn.eval()
    test = np.array([[2.0, 0.0]])
    expected = (test - 0.1 * mean) / np.sqrt(0.9 + 0.1 * x.var(0, ddof=1) + 1e-5)
    np.testing.assert_allclose(bn(pizarra.tensor(test)).numpy(), expected)
    assert bn.num_batches_tracked.item() == 1


def test_batch_norm_2d_normalises_each_channel():
    x = randn(4, 3, 5, 5) * 3 + 7
    out = nn.BatchNorm2d(3).double()(pizarra.tensor(x)).numpy()
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-10)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), 1, rtol=1e-3)


def test_layer_norm_normalises_each_example():
    x = np.array([[1.0, 2.0, 6.0], [0.0, 0.0, 3.0]])
    out = nn.LayerNorm(3).double()(pizarra.tensor(x)).numpy()
    mean, var = x.mean(1, keepdims=True), x.var(1, keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-5))


def test_dropout_scales_in_training_and_is_identity_in_eval():
    pizarra.manual_seed(0)
    layer = nn.Dropout(p=0.25)
    x = pizarra.tensor(np.ones((200, 100)))
    out = layer(x).numpy()
    assert set(np.unique(out)) == {0.0, 1 / 0.75}
    assert (out == 0).mean() == pytest.approx(0.25, abs=0.01)
    layer.eval()
    assert layer(x) is x
    assert not F.dropout(x, 1.0).numpy().any()


# --- attention --------------------------------------------------------------------------------


def test_scaled_dot_product_attention_formula_and_masks():
    q, k, v = randn(2, 3, 4), randn(2, 5, 4), randn(2, 5, 6)
    scores = q @ k.transpose(0, 2, 1) / math.sqrt(4)
    weights = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    out, w = F.scaled_dot_product_attention(
        pizarra.tensor(q), pizarra.tensor(k), pizarra.tensor(v), need_weights=True
    )
    np.testing.assert_allclose(w.numpy(), weights)
    np.testing.assert_allclose(out.numpy(), weights @ v)

    qs = randn(2, 4, 3)
    _, w = F.scaled_dot_product_attention(*(pizarra.tensor(qs),) * 3, is_causal=True, need_weights=True)
    assert np.all(np.triu(w.numpy()[0], 1) == 0)  # no attention to the future
    np.testing.assert_allclose(w.numpy()[:, 0, 0], 1)
    mask = np.array([True, True, False, True, False])
    _, w = F.scaled_dot_product_attention(
        pizarra.tensor(q), pizarra.tensor(k), pizarra.tensor(v), attn_mask=mask, need_weights=True
    )
    assert np.all(w.numpy()[..., ~mask] == 0)
    np.testing.assert_allclose(w.numpy().sum(-1), 1)


def test_scaled_dot_product_attention_gradients():
    mask = np.tril(np.ones((3, 5), dtype=bool), 2)
    gradcheck(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=mask),
        [randn(2, 3, 4), randn(2, 5, 4), randn(2, 5, 2)],
    )
    gradcheck(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
        [randn(3, 4), randn(3, 4), randn(3, 2)],
    )


# --- gradient clipping ------------------------------------------------------------------------


def test_clip_grad_norm_rescales_jointly():
    a, b = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(1))
    a.grad, b.grad = np.array([3.0, 0.0]), np.array([4.0])  # joint norm 5
    norm = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    assert float(norm) == pytest.approx(5)
    np.testing.assert_allclose(np.r_[a.grad, b.grad], [0.6, 0, 0.8], rtol=1e-5)
    norm = nn.utils.clip_grad_norm_([a, b], max_norm=10.0)  # already small: unchanged
    np.testing.assert_allclose(np.r_[a.grad, b.grad], [0.6, 0, 0.8], rtol=1e-5)


def test_skip_init_draws_nothing_and_leaves_the_generator_as_it_was():
    """Modules built inside init.skip_init() hold zeros and the shared generator is untouched, so
    what is drawn after is what would have been drawn without them (weights loaded next)."""
    from pizarra.nn.init import skip_init

    pizarra.manual_seed(3)
    expected = nn.Linear(4, 3).weight.data.copy()
    pizarra.manual_seed(3)
    with skip_init():
        skipped = nn.LSTM(5, 4)
        embedding = nn.Embedding(10, 4)
    assert all(not np.any(p.data) for p in [*skipped.parameters(), *embedding.parameters()])
    assert np.array_equal(nn.Linear(4, 3).weight.data, expected)
