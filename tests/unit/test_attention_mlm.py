"""The attention page's masked language model (pizarra.attention.mlm) and what the page shows of
it (pizarra.attention.explain): BERT's masking, multi-head attention against its formulas,
gradients against finite differences, and the reading of typed sentences."""

import math

import numpy as np
import pytest

import pizarra
from pizarra.attention import explain, mlm
from pizarra.data.text import Vocab
from pizarra.gradcheck import gradcheck

VOCAB = 12
IDS = np.array([[3, 4, 5, 6, 7, 8], [9, 10, 11, mlm.UNK, mlm.PAD, mlm.PAD]])


def tiny(seed=0):
    pizarra.manual_seed(seed)
    return (
        mlm.MaskedLanguageModel(
            VOCAB, d_model=4, nhead=2, num_layers=2, dim_feedforward=6, max_length=8, dropout=0.0
        )
        .double()
        .eval()
    )


def softmax(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_masking_chooses_fifteen_percent_of_words_never_padding_or_unknown():
    generator = np.random.default_rng(0)
    ids = generator.integers(len(mlm.SPECIALS), 500, size=(4000, 20))
    ids[:, 15:] = mlm.PAD
    ids[:, 0] = mlm.UNK
    inputs, targets = mlm.choose_masks(ids, generator, 500)
    chosen = targets != mlm.PAD
    words = (ids != mlm.PAD) & (ids != mlm.UNK)
    assert (chosen.sum(axis=1) == round(0.15 * 14)).all()
    assert not (chosen & ~words).any()
    np.testing.assert_array_equal(targets[chosen], ids[chosen])
    np.testing.assert_array_equal(inputs[~chosen], ids[~chosen])
    n = chosen.sum()
    share_masked = np.mean(inputs[chosen] == mlm.MASK)
    share_kept = np.mean(inputs[chosen] == ids[chosen])
    for share, expected in ((share_masked, 0.8), (share_kept, 0.1)):  # within 5 binomial standard deviations
        assert abs(share - expected) < 5 * math.sqrt(expected * (1 - expected) / n)


def test_masking_picks_at_least_one_word_of_a_short_sentence():
    _, targets = mlm.choose_masks(np.array([[3, 4, 0, 0]]), np.random.default_rng(1), VOCAB)
    assert (targets != mlm.PAD).sum() == 1


def test_multi_head_attention_matches_the_formulas_head_by_head():
    model = tiny()
    ids = IDS[0]
    details = mlm.attention_details(model, ids)
    x = model.embed(ids[None])
    for layer, d in zip(model.layers, details):
        attention = layer.self_attn
        E, heads = attention.embed_dim, attention.num_heads
        W, b = attention.in_proj_weight.numpy(), attention.in_proj_bias.numpy()
        X = x.numpy()[0]
        np.testing.assert_allclose(d["X"], X)
        for h in range(heads):
            cols = slice(h * (E // heads), (h + 1) * (E // heads))
            Q = X @ W[:E].T[:, cols] + b[:E][cols]
            K = X @ W[E : 2 * E].T[:, cols] + b[E : 2 * E][cols]
            np.testing.assert_allclose(d["Q"][h], Q, atol=1e-12)
            np.testing.assert_allclose(d["K"][h], K, atol=1e-12)
            np.testing.assert_allclose(d["scores"][h], Q @ K.T / math.sqrt(E // heads), atol=1e-12)
            np.testing.assert_allclose(d["weights"][h], softmax(Q @ K.T / math.sqrt(E // heads)), atol=1e-12)
        np.testing.assert_allclose(d["weights"].sum(axis=-1), 1, atol=1e-12)
        output, weights = attention(x, x, x, average_attn_weights=False)
        np.testing.assert_allclose(d["Z"], output.numpy()[0], atol=1e-12)
        np.testing.assert_allclose(d["weights"], weights.numpy()[0], atol=1e-12)
        x = layer(x)


def test_padding_does_not_change_the_other_positions():
    model = tiny()
    padded = model(IDS).numpy()[1, :4]
    alone = model(IDS[1:, :4]).numpy()[0]
    np.testing.assert_allclose(padded, alone, atol=1e-12)


def test_masked_loss_gradients_match_finite_differences():
    model = tiny()
    inputs, targets = IDS.copy(), np.full_like(IDS, mlm.PAD)
    inputs[0, 2], targets[0, 2] = mlm.MASK, IDS[0, 2]
    inputs[1, 0], targets[1, 0] = mlm.MASK, IDS[1, 0]
    # one parameter of each stage (every one would be slow inside Pyodide)
    checked = (
        "norm.weight",
        "layers.0.self_attn.in_proj_weight",
        "layers.0.norm1.bias",
        "layers.1.self_attn.out_proj.weight",
        "layers.1.linear1.weight",
        "out.weight",
    )
    params = [p for name, p in model.named_parameters() if name in checked]
    assert len(params) == len(checked)
    assert gradcheck(lambda *_: mlm.loss(model, inputs, targets), params)


def test_masked_loss_is_cross_entropy_at_the_masked_positions_only():
    model = tiny()
    targets = np.full_like(IDS, mlm.PAD)
    targets[0, 1], targets[1, 2] = 4, 11
    p = mlm.predict(model, IDS)
    expected = -(np.log(p[0, 1, 4]) + np.log(p[1, 2, 11])) / 2
    np.testing.assert_allclose(mlm.loss(model, IDS, targets).item(), expected, rtol=1e-9)


VOCABULARY = Vocab(list(mlm.SPECIALS) + ["la", "capital", "de", "es", "madrid", "."])


@pytest.mark.parametrize(
    "text, tokens, masks, notices",
    [
        ("La capital de [MASK] es Madrid.", ["la", "capital", "de", "[MASK]", "es", "madrid", "."], [3], []),
        ("[mask] de [ MASK ]", ["[MASK]", "de", "[MASK]"], [0, 2], []),
        ("La capital de Francia", ["la", "capital", "de", "francia"], [], ["no-mask", "unknown"]),
        ("   ", [], [], ["empty"]),
        ("la " * 10 + "[MASK]", ["la"] * 8, [], ["cut", "no-mask"]),
    ],
)
def test_sentences_with_a_mask_are_read_with_their_notices(text, tokens, masks, notices):
    read = explain.mask_tokens(text, VOCABULARY, limit=8)
    assert (read["tokens"], read["masks"], read["notices"]) == (tokens, masks, notices)
