"""The attention page's encoder–decoder (pizarra.attention.translator, .decoding): attention
weights, gradients against finite differences, padding, and decoding consistent with training."""

import numpy as np
import pytest

import pizarra
from pizarra.attention.decoding import beam_search, greedy
from pizarra.attention.translator import BOS, EOS, PAD, VARIANTS, Translator, loss, reversed_within_length
from pizarra.gradcheck import gradcheck

SOURCE_VOCAB, TARGET_VOCAB = 9, 8
SOURCES = np.array([[4, 5, 6, 7, 8], [8, 6, 4, PAD, PAD]])
LENGTHS = np.array([5, 3])
TARGETS = np.array([[BOS, 4, 5, 6, EOS], [BOS, 7, EOS, PAD, PAD]])


def tiny(variant, seed=0, dtype="float64"):
    pizarra.manual_seed(seed)
    model = Translator(SOURCE_VOCAB, TARGET_VOCAB, variant, embedding_dim=3, hidden_size=2, attention_size=3)
    return (model.double() if dtype == "float64" else model).eval()


def log_softmax(o):
    o = o - o.max(axis=-1, keepdims=True)
    return o - np.log(np.exp(o).sum(axis=-1, keepdims=True))


def test_reversal_within_length_reverses_words_and_keeps_padding():
    rows, columns = reversed_within_length(LENGTHS, 5)
    assert SOURCES[rows, columns].tolist() == [[8, 7, 6, 5, 4], [4, 6, 8, PAD, PAD]]
    assert (SOURCES[rows, columns][rows, columns] == SOURCES).all()


def test_padding_never_enters_an_encoder_state():
    model = tiny("additive")
    states, summary = model.encoder(pizarra.tensor(SOURCES), LENGTHS)
    alone, alone_summary = model.encoder(pizarra.tensor(SOURCES[1:, :3]), LENGTHS[1:])
    np.testing.assert_allclose(states.numpy()[1, :3], alone.numpy()[0], atol=1e-12)
    np.testing.assert_allclose(summary.numpy()[1], alone_summary.numpy()[0], atol=1e-12)
    # the summary is [h→ after the last word ; h← after the first word]
    np.testing.assert_allclose(summary.numpy()[1], np.r_[alone.numpy()[0, 2, :2], alone.numpy()[0, 0, 2:]])


@pytest.mark.parametrize("variant", ["dot", "additive"])
def test_attention_weights_sum_to_one_over_the_source_and_skip_padding(variant):
    model = tiny(variant)
    _, weights = model(pizarra.tensor(SOURCES), LENGTHS, TARGETS[:, :-1])
    w = weights.numpy()
    np.testing.assert_allclose(w.sum(axis=-1), 1, atol=1e-12)
    assert (w >= 0).all() and (w[1, :, 3:] == 0).all()


def test_dot_scores_are_decoder_state_dot_annotations():
    model = tiny("dot")
    memory, summary, padding, state = model.encode(pizarra.tensor(SOURCES), LENGTHS)
    step = model.decoder(TARGETS[:, :1], state, memory, summary, padding)
    hd, h = step["hd"].numpy()[:, 0], memory.numpy()
    np.testing.assert_allclose(step["scores"].numpy()[0, 0], h[0] @ hd[0], atol=1e-12)
    s = h[1, :3] @ hd[1]
    np.testing.assert_allclose(step["weights"].numpy()[1, 0, :3], np.exp(s) / np.exp(s).sum(), atol=1e-12)
    # c_i = Σ_j w_ij h_j
    np.testing.assert_allclose(
        step["context"].numpy()[1, 0], step["weights"].numpy()[1, 0] @ h[1], atol=1e-12
    )


def test_bottleneck_context_is_the_summary_at_every_step():
    model = tiny("none")
    memory, summary, padding, state = model.encode(pizarra.tensor(SOURCES), LENGTHS)
    step = model.decoder(TARGETS[:, :-1], state, memory, summary, padding)
    assert step["weights"] is None
    np.testing.assert_array_equal(
        step["context"].numpy(), np.broadcast_to(summary.numpy()[:, None], step["context"].shape)
    )


# One parameter of each stage the gradient flows through (every one would be slow inside Pyodide):
# both encoder directions, the bridge hd_0, the decoder GRU, the attention, u_i's layer and the output.
CHECKED = (
    "encoder.rnn.weight_hh_l0",
    "encoder.rnn_reverse.weight_ih_l0",
    "decoder.bridge.weight",
    "decoder.rnn.bias_hh_l0",
    "decoder.attention.W_q.weight",
    "decoder.attention.v.weight",
    "decoder.combine.bias",
    "decoder.out.bias",
)


@pytest.mark.parametrize("variant", VARIANTS)
def test_translator_gradients_match_finite_differences(variant):
    model = tiny(variant)
    params = [p for name, p in model.named_parameters() if name in CHECKED]
    assert len(params) == (8 if variant == "additive" else 6)

    def f(*_):
        logits, _ = model(pizarra.tensor(SOURCES), LENGTHS, TARGETS[:, :-1])
        return logits

    assert gradcheck(f, params)


@pytest.mark.parametrize("variant", ["dot", "additive"])
def test_attention_layer_gradients_with_respect_to_states(variant):
    """∂/∂hd_i and ∂/∂h_j of c_i through s_ij, w_ij (the attention alone)."""
    decoder = tiny(variant).decoder
    padding = np.array([[False, False, False], [False, False, True]])
    rng = np.random.default_rng(1)

    def f(hd, memory):
        _, weights, context = decoder.attend(hd, memory, None, padding)
        return pizarra.cat([weights.reshape(-1), context.reshape(-1)])

    assert gradcheck(f, [rng.standard_normal((2, 2, 4)), rng.standard_normal((2, 3, 4))])


def test_loss_is_mean_cross_entropy_over_real_target_words():
    model = tiny("additive")
    logits, _ = model(pizarra.tensor(SOURCES), LENGTHS, TARGETS[:, :-1])
    logp = log_softmax(logits.numpy())
    gold = TARGETS[:, 1:]
    keep = gold != PAD
    expected = -np.mean(np.take_along_axis(logp, gold[..., None], axis=-1)[..., 0][keep])
    np.testing.assert_allclose(
        loss(model, pizarra.tensor(SOURCES), LENGTHS, TARGETS).item(), expected, rtol=1e-10
    )


@pytest.mark.parametrize("variant", VARIANTS)
def test_greedy_decoding_equals_teacher_forcing_on_its_own_output(variant):
    model = tiny(variant, seed=3)
    out = greedy(model, [SOURCES[0], SOURCES[1, :3]], max_length=6)
    for n, tokens in enumerate(out["tokens"]):
        previous = np.array([[BOS] + tokens])
        logits, weights = model(
            pizarra.tensor(SOURCES[n : n + 1, : LENGTHS[n]]), LENGTHS[n : n + 1], previous
        )
        chosen = logits.numpy()[0].argmax(axis=-1)
        assert chosen[: len(tokens)].tolist() == tokens
        if variant != "none":
            np.testing.assert_allclose(
                out["weights"][n], weights.numpy()[0][: len(out["weights"][n])], atol=1e-12
            )


@pytest.mark.parametrize("variant", ["none", "additive"])
def test_beam_of_one_is_greedy_and_scores_are_log_probabilities(variant):
    model = tiny(variant, seed=4)
    source = SOURCES[0]
    assert (
        beam_search(model, source, width=1, max_length=6)["tokens"] == greedy(model, [source], 6)["tokens"][0]
    )
    found = beam_search(model, source, width=3, max_length=6)
    for candidates in found["candidates"]:
        assert len(candidates) <= 3
        scores = [c["score"] for c in candidates]
        assert scores == sorted(scores, reverse=True)
        for c in candidates:
            logits, _ = model(pizarra.tensor(source[None]), [len(source)], np.array([[BOS] + c["ids"][:-1]]))
            logp = log_softmax(logits.numpy()[0])
            np.testing.assert_allclose(c["score"], logp[np.arange(len(c["ids"])), c["ids"]].sum(), rtol=1e-9)


# --- GNMT's length normalisation and coverage penalty ---------------------------------------


def test_length_penalty_and_coverage_penalty_by_hand():
    from pizarra.attention.decoding import coverage_penalty, gnmt_score, length_penalty

    assert length_penalty(7, 0.0) == 1.0
    assert length_penalty(7, 0.6) == pytest.approx(((5 + 7) / 6) ** 0.6)
    # Σ_i w_ij per source word: 1.4 (capped to 1), 0.5, 0.1 → β (log 1 + log 0.5 + log 0.1)
    coverage = np.array([1.4, 0.5, 0.1])
    assert coverage_penalty(coverage, 0.2) == pytest.approx(0.2 * (np.log(0.5) + np.log(0.1)))
    assert coverage_penalty(coverage, 0.0) == 0.0 and coverage_penalty(None, 0.2) == 0.0
    assert gnmt_score(-6.0, 7, coverage, 0.6, 0.2) == pytest.approx(
        -6.0 / ((12 / 6) ** 0.6) + 0.2 * (np.log(0.5) + np.log(0.1))
    )


@pytest.mark.parametrize("alpha, beta", [(0.6, 0.0), (0.0, 0.4), (1.0, 0.2)])
def test_beam_candidates_are_ranked_by_the_gnmt_score(alpha, beta):
    from pizarra.attention.decoding import gnmt_score

    model = tiny("additive", seed=4)
    source = SOURCES[0]
    found = beam_search(model, source, width=3, max_length=6, alpha=alpha, beta=beta)
    for candidates in found["candidates"]:
        scores = [c["score"] for c in candidates]
        assert scores == sorted(scores, reverse=True)
        for c in candidates:
            logits, weights = model(
                pizarra.tensor(source[None]), [len(source)], np.array([[BOS] + c["ids"][:-1]])
            )
            logp = log_softmax(logits.numpy()[0])
            log_p = logp[np.arange(len(c["ids"])), c["ids"]].sum()
            coverage = weights.numpy()[0, : len(c["ids"])].sum(axis=0)
            assert c["score"] == pytest.approx(
                gnmt_score(log_p, len(c["ids"]), coverage, alpha, beta), rel=1e-9
            )


# --- the Transformer variant -------------------------------------------------------------------


def tiny_transformer(seed=0):
    from pizarra.attention.transformer import TransformerTranslator

    pizarra.manual_seed(seed)
    model = TransformerTranslator(
        SOURCE_VOCAB,
        TARGET_VOCAB,
        d_model=4,
        nhead=2,
        num_layers=2,
        dim_feedforward=6,
        dropout=0.0,
        max_length=8,
    )
    return model.double().eval()


def test_transformer_gradients_match_finite_differences():
    model = tiny_transformer()
    checked = (
        "source_embedding.weight",
        "target_position.weight",
        "encoder_layers.0.self_attn.in_proj_weight",
        "decoder_layers.1.multihead_attn.in_proj_weight",
        "decoder_layers.0.norm3.weight",
        "out.bias",
    )
    params = [p for name, p in model.named_parameters() if name in checked]
    assert len(params) == len(checked)

    def f(*_):
        logits, _ = model(pizarra.tensor(SOURCES), LENGTHS, TARGETS[:, :-1])
        return logits

    assert gradcheck(f, params)


def test_transformer_cross_attention_skips_padding_and_a_target_never_sees_its_future():
    model = tiny_transformer(seed=1)
    logits, weights = model(pizarra.tensor(SOURCES), LENGTHS, TARGETS[:, :-1])
    w = weights.numpy()  # (layers, N, heads, L, S)
    np.testing.assert_allclose(w.sum(axis=-1), 1, atol=1e-12)
    assert (w[:, 1, :, :, 3:] == 0).all()
    changed = TARGETS[:, :-1].copy()
    changed[:, 3] = 5  # a later target word changes
    again, _ = model(pizarra.tensor(SOURCES), LENGTHS, changed)
    np.testing.assert_allclose(again.numpy()[:, :3], logits.numpy()[:, :3], atol=1e-12)


def test_transformer_greedy_decoding_equals_teacher_forcing_on_its_own_output():
    model = tiny_transformer(seed=3)
    out = greedy(model, [SOURCES[0], SOURCES[1, :3]], max_length=6)
    for n, tokens in enumerate(out["tokens"]):
        logits, weights = model(
            pizarra.tensor(SOURCES[n : n + 1, : LENGTHS[n]]), LENGTHS[n : n + 1], np.array([[BOS] + tokens])
        )
        assert logits.numpy()[0].argmax(axis=-1)[: len(tokens)].tolist() == tokens
        last_layer = weights.numpy()[-1, 0].mean(axis=0)  # heads averaged: what coverage counts
        np.testing.assert_allclose(out["weights"][n], last_layer[: len(out["weights"][n])], atol=1e-12)
    assert beam_search(model, SOURCES[0], width=1, max_length=6)["tokens"] == out["tokens"][0]
