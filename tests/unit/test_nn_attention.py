"""Attention and the transformer encoder layer (course, section 4):
gradients by finite differences, PyTorch's layouts, formulas by hand."""

import numpy as np
import pytest

import pizarra
from pizarra import nn
from pizarra.gradcheck import gradcheck


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def softmax(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def reference_layer_norm(x, state, name):
    """LayerNorm over the last axis with the weight and bias that `state` holds under `name`."""
    x_hat = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5)
    return x_hat * state[f"{name}.weight"] + state[f"{name}.bias"]


def make(cls, *args, **kwargs):
    pizarra.manual_seed(0)
    return cls(*args, **kwargs).double()


L, S, N, E = 3, 4, 2, 4
CAUSAL = np.triu(np.ones((L, S), bool), k=1)  # True = may not attend
PADDING = np.array([[False, False, False, True], [False, False, False, False]])


# --- MultiheadAttention --------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, masks",
    [
        (dict(), dict()),
        (dict(), dict(attn_mask=CAUSAL, key_padding_mask=PADDING)),
        (dict(batch_first=True), dict(key_padding_mask=PADDING)),
        (dict(bias=False), dict(attn_mask=np.where(CAUSAL, -np.inf, rand(L, S, seed=5)))),  # float mask
        (dict(), dict(attn_mask=np.broadcast_to(CAUSAL, (N * 2, L, S)))),  # one mask per (batch, head)
    ],
)
def test_multihead_attention_gradients(options, masks):
    attention = make(nn.MultiheadAttention, E, 2, **options)
    batch_first = options.get("batch_first", False)
    q = rand(N, L, E) if batch_first else rand(L, N, E)
    kv = rand(N, S, E, seed=1) if batch_first else rand(S, N, E, seed=1)

    def f(q, kv, *params):
        output, weights = attention(q, kv, kv, **masks)
        return pizarra.cat([output.reshape(-1), weights.reshape(-1)])

    assert gradcheck(f, [q, kv, *attention.parameters()])


def test_multihead_attention_layout_and_init():
    attention = nn.MultiheadAttention(6, 3)
    state = attention.state_dict()
    assert {k: v.shape for k, v in state.items()} == {
        "in_proj_weight": (18, 6),
        "in_proj_bias": (18,),
        "out_proj.weight": (6, 6),
        "out_proj.bias": (6,),
    }
    assert list(state) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
    assert not state["in_proj_bias"].any() and not state["out_proj.bias"].any()
    assert np.abs(state["in_proj_weight"]).max() <= np.sqrt(6 / (6 + 18))  # Xavier uniform
    with pytest.raises(ValueError, match="divisible"):
        nn.MultiheadAttention(6, 4)


def test_multihead_attention_is_the_transformer_formula():
    """Z_h = softmax(Q_h K_hᵀ / √d_k) V_h per head, heads concatenated, then W^O."""
    attention = make(nn.MultiheadAttention, E, 2)
    state = attention.state_dict()
    W_Q, W_K, W_V = np.split(state["in_proj_weight"], 3)
    b_Q, b_K, b_V = np.split(state["in_proj_bias"], 3)
    xq, xkv = rand(L, E), rand(S, E, seed=1)  # one sequence, unbatched
    Q, K, V = xq @ W_Q.T + b_Q, xkv @ W_K.T + b_K, xkv @ W_V.T + b_V
    d_k = E // 2
    heads = [
        softmax(Q[:, h * d_k : (h + 1) * d_k] @ K[:, h * d_k : (h + 1) * d_k].T / np.sqrt(d_k))
        for h in range(2)
    ]
    Z = np.hstack([w @ V[:, h * d_k : (h + 1) * d_k] for h, w in enumerate(heads)])
    expected = Z @ state["out_proj.weight"].T + state["out_proj.bias"]

    output, weights = attention(pizarra.tensor(xq), pizarra.tensor(xkv), pizarra.tensor(xkv))
    np.testing.assert_allclose(output.data, expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(weights.data, (heads[0] + heads[1]) / 2, rtol=1e-12, atol=1e-14)
    _, per_head = attention(
        pizarra.tensor(xq), pizarra.tensor(xkv), pizarra.tensor(xkv), average_attn_weights=False
    )
    np.testing.assert_allclose(per_head.data, heads, rtol=1e-12, atol=1e-14)


def test_masks_give_zero_weight_and_padding_equals_dropping_the_keys():
    attention = make(nn.MultiheadAttention, E, 2)
    q, kv = pizarra.tensor(rand(L, N, E)), pizarra.tensor(rand(S, N, E, seed=1))
    output, weights = attention(q, kv, kv, attn_mask=CAUSAL, key_padding_mask=PADDING)
    assert (weights.data[:, CAUSAL] == 0).all() and (weights.data[0, :, 3] == 0).all()
    np.testing.assert_allclose(weights.data.sum(-1), 1)
    # Sequence 0 with its padded key removed gives the same result.
    short = pizarra.tensor(kv.data[:3, :1])
    alone, _ = attention(q[:, :1], short, short)
    padded, _ = attention(q, kv, kv, key_padding_mask=PADDING)
    np.testing.assert_allclose(padded.data[:, :1], alone.data, atol=1e-12)


def test_unbatched_input_equals_a_batch_of_one():
    attention = make(nn.MultiheadAttention, E, 2, batch_first=True)
    q, kv = rand(L, E), rand(S, E, seed=1)
    output, weights = attention(
        pizarra.tensor(q),
        pizarra.tensor(kv),
        pizarra.tensor(kv),
        key_padding_mask=PADDING[0],
        average_attn_weights=False,
    )
    output1, weights1 = attention(
        pizarra.tensor(q[None]),
        pizarra.tensor(kv[None]),
        pizarra.tensor(kv[None]),
        key_padding_mask=PADDING[:1],
        average_attn_weights=False,
    )
    assert output.shape == (L, E) and weights.shape == (2, L, S)
    np.testing.assert_allclose(output.data, output1.data[0])
    np.testing.assert_allclose(weights.data, weights1.data[0])


def test_need_weights_false_and_dropout_only_in_training():
    attention = make(nn.MultiheadAttention, E, 2, dropout=0.5)
    x = pizarra.tensor(rand(L, N, E))
    output, weights = attention(x, x, x, need_weights=False)
    assert weights is None and output.shape == (L, N, E)
    attention.eval()
    first, second = attention(x, x, x)[0], attention(x, x, x)[0]
    np.testing.assert_array_equal(first.data, second.data)


# --- AdditiveAttention ----------------------------------------------------------------------


def test_additive_attention_gradients():
    attention = make(nn.AdditiveAttention, 3, 2, 4)
    hd, h = rand(N, L, 3), rand(N, S, 2, seed=1)

    def f(hd, h, *params):
        context, weights = attention(hd, h, key_padding_mask=PADDING)
        return pizarra.cat([context.reshape(-1), weights.reshape(-1)])

    assert gradcheck(f, [hd, h, *attention.parameters()])


def test_additive_attention_is_bahdanaus_formula():
    attention = make(nn.AdditiveAttention, 3, 2, 4)
    W_q, W_k = attention.W_q.weight.data, attention.W_k.weight.data
    v = attention.v.weight.data[0]
    W = np.hstack([W_q, W_k])  # vᵀ tanh(W [hd_i; h_j])
    hd, h = rand(3, seed=2), rand(S, 2, seed=3)  # one decoder step, S encoder states
    s = np.array([v @ np.tanh(W @ np.concatenate([hd, h[j]])) for j in range(S)])
    w = np.exp(s) / np.exp(s).sum()
    c = sum(w[j] * h[j] for j in range(S))  # c_i = Σ_j w_ij h_j

    context, weights = attention(pizarra.tensor(hd[None]), pizarra.tensor(h[None]))
    assert context.shape == (1, 2) and weights.shape == (1, S)
    np.testing.assert_allclose(weights.data[0], w, atol=1e-12)
    np.testing.assert_allclose(context.data[0], c, atol=1e-12)
    values = rand(1, S, 5, seed=4)  # separate values: c_i = Σ_j w_ij v_j
    context, _ = attention(pizarra.tensor(hd[None]), pizarra.tensor(h[None]), pizarra.tensor(values))
    np.testing.assert_allclose(context.data[0], w @ values[0], atol=1e-12)


# --- TransformerEncoderLayer ----------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        dict(),
        dict(norm_first=True, batch_first=True),
        dict(bias=False),
    ],
)
def test_transformer_encoder_layer_gradients(options):
    layer = make(nn.TransformerEncoderLayer, E, 2, dim_feedforward=5, dropout=0.0, **options)
    x = rand(N, L, E) if options.get("batch_first") else rand(L, N, E)
    causal, padding = CAUSAL[:, :L], PADDING[:, 1:]
    assert gradcheck(
        lambda x, *p: layer(x, src_mask=causal, src_key_padding_mask=padding), [x, *layer.parameters()]
    )


def test_transformer_encoder_layer_in_eval_mode_is_deterministic_and_differentiable():
    layer = make(nn.TransformerEncoderLayer, E, 2, dim_feedforward=5, dropout=0.1).eval()
    x = rand(L, N, E)
    assert gradcheck(lambda x, *p: layer(x), [x, *layer.parameters()])


def test_transformer_encoder_layer_names_and_formula():
    layer = make(nn.TransformerEncoderLayer, E, 2, dim_feedforward=5, dropout=0.0)
    assert list(layer.state_dict()) == [
        "self_attn.in_proj_weight",
        "self_attn.in_proj_bias",
        "self_attn.out_proj.weight",
        "self_attn.out_proj.bias",
        "linear1.weight",
        "linear1.bias",
        "linear2.weight",
        "linear2.bias",
        "norm1.weight",
        "norm1.bias",
        "norm2.weight",
        "norm2.bias",
    ]
    state = layer.state_dict()

    def layer_norm(x, name):
        return reference_layer_norm(x, state, name)

    x = rand(L, E)
    z, _ = layer.self_attn(pizarra.tensor(x), pizarra.tensor(x), pizarra.tensor(x))
    x1 = layer_norm(x + z.data, "norm1")  # residual + layer norm
    hidden = np.maximum(0, x1 @ state["linear1.weight"].T + state["linear1.bias"])
    expected = layer_norm(x1 + hidden @ state["linear2.weight"].T + state["linear2.bias"], "norm2")
    np.testing.assert_allclose(layer(pizarra.tensor(x)).data, expected, atol=1e-12)


def test_unknown_activation_is_rejected():
    with pytest.raises(ValueError, match="activation"):
        nn.TransformerEncoderLayer(E, 2, activation="swishy")


# --- TransformerDecoderLayer ----------------------------------------------------------------


@pytest.mark.parametrize("options", [dict(), dict(norm_first=True, batch_first=True)])
def test_transformer_decoder_layer_gradients(options):
    layer = make(nn.TransformerDecoderLayer, E, 2, dim_feedforward=5, dropout=0.0, **options)
    shape = (N, L, E) if options.get("batch_first") else (L, N, E)
    memory_shape = (N, S, E) if options.get("batch_first") else (S, N, E)
    x, memory = rand(*shape), rand(*memory_shape, seed=3)
    assert gradcheck(
        lambda x, m, *p: layer(x, m, tgt_mask=nn.causal_mask(L), memory_key_padding_mask=PADDING),
        [x, memory, *layer.parameters()],
    )


def test_transformer_decoder_layer_names_formula_and_cross_attention_weights():
    layer = make(nn.TransformerDecoderLayer, E, 2, dim_feedforward=5, dropout=0.0)
    assert list(layer.state_dict()) == [
        "self_attn.in_proj_weight",
        "self_attn.in_proj_bias",
        "self_attn.out_proj.weight",
        "self_attn.out_proj.bias",
        "multihead_attn.in_proj_weight",
        "multihead_attn.in_proj_bias",
        "multihead_attn.out_proj.weight",
        "multihead_attn.out_proj.bias",
        "linear1.weight",
        "linear1.bias",
        "linear2.weight",
        "linear2.bias",
        "norm1.weight",
        "norm1.bias",
        "norm2.weight",
        "norm2.bias",
        "norm3.weight",
        "norm3.bias",
    ]
    state = layer.state_dict()

    def layer_norm(x, name):
        return reference_layer_norm(x, state, name)

    x, memory = rand(L, E), rand(S, E, seed=2)
    mask = nn.causal_mask(L)
    z, _ = layer.self_attn(pizarra.tensor(x), pizarra.tensor(x), pizarra.tensor(x), attn_mask=mask)
    x1 = layer_norm(x + z.data, "norm1")  # masked self-attention
    c, weights = layer.multihead_attn(
        pizarra.tensor(x1), pizarra.tensor(memory), pizarra.tensor(memory), average_attn_weights=False
    )
    x2 = layer_norm(x1 + c.data, "norm2")  # Q from the target, K and V from M
    hidden = np.maximum(0, x2 @ state["linear1.weight"].T + state["linear1.bias"])
    expected = layer_norm(x2 + hidden @ state["linear2.weight"].T + state["linear2.bias"], "norm3")
    out, per_head = layer.forward_with_weights(pizarra.tensor(x), pizarra.tensor(memory), tgt_mask=mask)
    np.testing.assert_allclose(out.data, expected, atol=1e-12)
    np.testing.assert_allclose(per_head.data, weights.data, atol=1e-12)
    assert per_head.shape == (2, L, S) and np.allclose(per_head.data.sum(-1), 1)


def test_causal_mask_hides_the_future_only():
    assert nn.causal_mask(3).tolist() == [[False, True, True], [False, False, True], [False, False, False]]
