"""RNN, LSTM and GRU (course, section 3): gradients through time by finite
differences, PyTorch's layouts, the course's formulas written out by hand."""

import numpy as np
import pytest

import pizarra
from pizarra import nn, optim
from pizarra.gradcheck import gradcheck
from pizarra.nn import functional as F


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def make(cls, *args, **kwargs):
    pizarra.manual_seed(0)
    return cls(*args, **kwargs).double()


def outputs(module, x, hx):
    """Everything the module returns, flattened into one tensor for gradcheck."""
    output, state = module(x, hx)
    states = state if isinstance(state, tuple) else (state,)
    return pizarra.cat([output.reshape(-1)] + [s.reshape(-1) for s in states])


# --- gradients (BPTT) against finite differences ------------------------------------------

OPTIONS = [
    dict(),
    dict(bidirectional=True),
    dict(num_layers=2, batch_first=True),
    dict(num_layers=2, bidirectional=True, batch_first=True),
    dict(bias=False),
]


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "default")
def test_gradients_through_time(cls, options):
    module = make(cls, 2, 3, **options)
    x = rand(2, 3, 2) if options.get("batch_first") else rand(3, 2, 2)
    assert gradcheck(lambda x, *params: outputs(module, x, None), [x, *module.parameters()])


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
def test_gradients_with_respect_to_a_given_initial_state(cls):
    module = make(cls, 2, 3, num_layers=2, bidirectional=True)
    x, h0, c0 = rand(3, 2, 2), rand(4, 2, 3, seed=1), rand(4, 2, 3, seed=2)
    if cls is nn.LSTM:
        check = gradcheck(lambda x, h0, c0: outputs(module, x, (h0, c0)), [x, h0, c0])
    else:
        check = gradcheck(lambda x, h0: outputs(module, x, h0), [x, h0])
    assert check


def test_relu_rnn_gradients():
    module = make(nn.RNN, 2, 3, nonlinearity="relu", bidirectional=True)
    assert gradcheck(lambda x, *params: outputs(module, x, None), [rand(3, 2, 2), *module.parameters()])


def test_dropout_between_layers_is_off_in_eval_mode():
    module = make(nn.LSTM, 2, 3, num_layers=2, dropout=0.5).eval()
    assert gradcheck(lambda x, *params: outputs(module, x, None), [rand(3, 2, 2), *module.parameters()])
    module.train()
    x = pizarra.tensor(rand(3, 2, 2))
    assert not np.allclose(module(x)[0].data, module.eval()(x)[0].data)


# --- layouts and shapes -------------------------------------------------------------------------


def test_lstm_parameter_count_is_the_course_formula_plus_the_second_bias():
    for d_x, d_h in [(3, 5), (10, 7)]:
        course = 4 * (d_h + d_x + 1) * d_h  # W_f, W_i, W_C, W_o on [h, x] plus b
        lstm = nn.LSTM(d_x, d_h)
        assert sum(p.numel() for p in lstm.parameters()) == course + 4 * d_h
        bidirectional = nn.LSTM(d_x, d_h, bidirectional=True)
        assert sum(p.numel() for p in bidirectional.parameters()) == 2 * (course + 4 * d_h)


def test_parameter_names_and_shapes_follow_pytorch():
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    shapes = {name: array.shape for name, array in lstm.state_dict().items()}
    assert list(shapes)[:8] == [
        "weight_ih_l0",
        "weight_hh_l0",
        "bias_ih_l0",
        "bias_hh_l0",
        "weight_ih_l0_reverse",
        "weight_hh_l0_reverse",
        "bias_ih_l0_reverse",
        "bias_hh_l0_reverse",
    ]
    assert shapes["weight_ih_l0"] == (16, 3) and shapes["weight_hh_l0"] == (16, 4)
    assert shapes["weight_ih_l1"] == (16, 8)  # layer 2 reads both directions: 2H inputs
    assert shapes["bias_hh_l1_reverse"] == (16,)
    assert nn.GRU(3, 4).state_dict()["weight_ih_l0"].shape == (12, 3)
    assert nn.RNN(3, 4).state_dict()["weight_hh_l0"].shape == (4, 4)
    assert list(nn.GRU(3, 4, bias=False).state_dict()) == ["weight_ih_l0", "weight_hh_l0"]
    bound = 1 / np.sqrt(4)  # PyTorch: U(-1/√H, 1/√H)
    assert all(np.abs(p.data).max() <= bound for p in lstm.parameters())


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
def test_output_shapes(cls):
    module = cls(3, 4, num_layers=2, bidirectional=True, batch_first=True)
    output, state = module(pizarra.tensor(rand(5, 7, 3)))  # N=5, T=7
    h_n = state[0] if cls is nn.LSTM else state
    assert output.shape == (5, 7, 8) and h_n.shape == (4, 5, 4)
    if cls is nn.LSTM:
        assert state[1].shape == (4, 5, 4)
    output, state = module(pizarra.tensor(rand(7, 3)))  # one unbatched sequence
    h_n = state[0] if cls is nn.LSTM else state
    assert output.shape == (7, 8) and h_n.shape == (4, 4)


def test_batch_first_only_transposes():
    module = make(nn.GRU, 2, 3, num_layers=2)
    x = rand(4, 3, 2)  # (T, N, features)
    output, h_n = module(pizarra.tensor(x))
    module.batch_first = True
    output_bf, h_n_bf = module(pizarra.tensor(x.transpose(1, 0, 2)))
    np.testing.assert_allclose(output_bf.data, output.data.transpose(1, 0, 2), atol=1e-12)
    np.testing.assert_allclose(h_n_bf.data, h_n.data, atol=1e-12)


def test_unbatched_sequence_equals_a_batch_of_one():
    module = make(nn.LSTM, 2, 3, bidirectional=True)
    x = rand(4, 2)
    output, (h, c) = module(pizarra.tensor(x))
    output1, (h1, c1) = module(pizarra.tensor(x[:, None]))
    np.testing.assert_allclose(output.data, output1.data[:, 0])
    np.testing.assert_allclose(c.data, c1.data[:, 0])


def test_wrong_initial_state_shape_and_empty_sequence_are_rejected():
    with pytest.raises(ValueError, match="hidden state"):
        nn.RNN(2, 3)(pizarra.tensor(rand(4, 1, 2)), pizarra.tensor(rand(2, 1, 3)))
    with pytest.raises(ValueError, match="empty"):
        nn.GRU(2, 3)(pizarra.tensor(rand(0, 1, 2)))


def test_float32_stays_float32():
    output, (h_n, c_n) = nn.LSTM(2, 3)(pizarra.tensor(rand(4, 1, 2).astype(np.float32)))
    assert output.dtype == h_n.dtype == c_n.dtype == np.float32


# --- the course's formulas, written out by hand ---------------------------------------------------


def weights(module, suffix=""):
    state = module.state_dict()
    return [state[f"{name}_l0{suffix}"] for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]


def test_rnn_is_the_course_recurrence():
    module = make(nn.RNN, 2, 3)
    U, W, b_ih, b_hh = weights(module)
    x, h = rand(5, 1, 2), np.zeros(3)
    output, h_n = module(pizarra.tensor(x))
    for t in range(5):
        h = np.tanh(b_ih + b_hh + W @ h + U @ x[t, 0])  # h_t = tanh(b + W h_{t-1} + U x_t)
        np.testing.assert_allclose(output.data[t, 0], h, atol=1e-12)
    np.testing.assert_allclose(h_n.data[0, 0], h, atol=1e-12)


def test_lstm_step_is_the_course_gate_formulas():
    module = make(nn.LSTM, 2, 3)
    W_ih, W_hh, b_ih, b_hh = weights(module)
    H = 3
    # The course's W_gate acts on [h_{t-1}, x_t]; PyTorch stacks the gates i, f, g (= C̃), o.
    W = {
        gate: np.hstack([W_hh[k * H : (k + 1) * H], W_ih[k * H : (k + 1) * H]])
        for k, gate in enumerate("ifCo")
    }
    b = {gate: b_ih[k * H : (k + 1) * H] + b_hh[k * H : (k + 1) * H] for k, gate in enumerate("ifCo")}
    h_prev, C_prev, x = rand(3, seed=1), rand(3, seed=2), rand(2, seed=3)
    hx = np.concatenate([h_prev, x])
    f = sigmoid(W["f"] @ hx + b["f"])
    i = sigmoid(W["i"] @ hx + b["i"])
    C_tilde = np.tanh(W["C"] @ hx + b["C"])
    C = f * C_prev + i * C_tilde
    o = sigmoid(W["o"] @ hx + b["o"])
    h = o * np.tanh(C)
    output, (h_n, c_n) = module(
        pizarra.tensor(x[None, None]),
        (pizarra.tensor(h_prev[None, None]), pizarra.tensor(C_prev[None, None])),
    )
    np.testing.assert_allclose(h_n.data[0, 0], h, atol=1e-12)
    np.testing.assert_allclose(c_n.data[0, 0], C, atol=1e-12)
    np.testing.assert_allclose(output.data[0, 0], h, atol=1e-12)


def test_gru_step_is_pytorchs_formula():
    module = make(nn.GRU, 2, 3)
    W_ih, W_hh, b_ih, b_hh = weights(module)
    (W_ir, W_iz, W_in), (W_hr, W_hz, W_hn) = np.split(W_ih, 3), np.split(W_hh, 3)
    (b_ir, b_iz, b_in), (b_hr, b_hz, b_hn) = np.split(b_ih, 3), np.split(b_hh, 3)
    h_prev, x = rand(3, seed=1), rand(2, seed=2)
    r = sigmoid(W_ir @ x + b_ir + W_hr @ h_prev + b_hr)
    z = sigmoid(W_iz @ x + b_iz + W_hz @ h_prev + b_hz)
    n = np.tanh(W_in @ x + b_in + r * (W_hn @ h_prev + b_hn))
    h = (1 - z) * n + z * h_prev
    _, h_n = module(pizarra.tensor(x[None, None]), pizarra.tensor(h_prev[None, None]))
    np.testing.assert_allclose(h_n.data[0, 0], h, atol=1e-12)


def test_bidirectional_is_a_forward_and_a_backward_rnn_concatenated():
    module = make(nn.RNN, 2, 3, bidirectional=True)
    x = rand(4, 1, 2)

    def run(U, W, b_ih, b_hh, sequence):
        h, states = np.zeros(3), []
        for x_t in sequence:
            h = np.tanh(b_ih + b_hh + W @ h + U @ x_t)
            states.append(h)
        return np.array(states)

    forward = run(*weights(module), x[:, 0])
    backward = run(*weights(module, "_reverse"), x[::-1, 0])[::-1]  # reads x_T … x_1
    output, h_n = module(pizarra.tensor(x))
    np.testing.assert_allclose(output.data[:, 0], np.hstack([forward, backward]), atol=1e-12)
    np.testing.assert_allclose(h_n.data[:, 0], [forward[-1], backward[0]], atol=1e-12)


# --- learning -----------------------------------------------------------------------------------


def test_small_lstm_learns_to_remember_the_first_token():
    """Many-to-one: the label is the first of 6 random bits, so the LSTM must
    carry it through 5 distracting steps."""
    pizarra.manual_seed(0)
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2, (64, 6))
    x = pizarra.tensor(np.eye(2, dtype=np.float32)[bits])  # (N, T, 2) one-hot
    y = pizarra.tensor(bits[:, 0])

    lstm, head = nn.LSTM(2, 8, batch_first=True), nn.Linear(8, 2)
    opt = optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=0.05)
    losses = []
    for _ in range(40):
        _, (h_n, _) = lstm(x)
        loss = F.cross_entropy(head(h_n[-1]), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0]
