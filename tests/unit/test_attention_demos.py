"""The attention page's engine calls (pizarra.demos.attention) on the committed models, through
the same JSON door the browser uses (pizarra.demos.call)."""

import json

import numpy as np
import pytest

from pizarra import demos


def call(name, **args):
    return json.loads(demos.call(name, json.dumps(args)))


def test_every_variant_translates_and_attention_rows_sum_to_one():
    result = call("attention_translate", sentence="Y dijo Dios: Sea la luz.")
    assert result["notices"] == [] and result["tokens"][:3] == ["y", "dijo", "dios"]
    for variant, out in result["variants"].items():
        assert out["tokens"], variant
        if variant == "none":
            assert out["weights"] is None
            continue
        weights = np.array(out["weights"])
        # one row per output word and </s> (a translation that never ends stops at 26 words)
        assert weights.shape == (min(len(out["tokens"]) + 1, 26), len(result["tokens"]))
        np.testing.assert_allclose(weights.sum(axis=1), 1, atol=0.003)  # rounded to 3 decimals


def test_unknown_words_are_marked_and_the_sentence_still_translates():
    result = call("attention_translate", sentence="Él trabaja con los dos ordenadores")
    assert result["tokens"][-1] == "ordenadores" and result["unknown"][-1] is True
    assert "unknown" in result["notices"] and result["variants"]["additive"]["tokens"]


def test_empty_input_gets_a_notice_and_no_translation():
    result = call("attention_translate", sentence="   ")
    assert result["notices"] == ["empty"] and "variants" not in result


def test_a_sentence_over_the_maximum_length_is_cut_with_a_notice():
    result = call("attention_translate", sentence=" ".join(["y dijo dios"] * 10))
    assert len(result["tokens"]) == 20 and "cut" in result["notices"]


def test_decoding_steps_show_scores_weights_context_and_beam_candidates():
    result = call("attention_steps", sentence="y dijo dios : sea la luz .", variant="dot", beam=3)
    first = result["steps"][0]
    n = len(result["tokens"])
    assert len(first["scores"]) == len(first["weights"]) == n
    w = np.exp(np.array(first["scores"]) - max(first["scores"]))
    np.testing.assert_allclose(first["weights"], w / w.sum(), atol=2e-4)  # w_ij = softmax_j(s_ij)
    assert len(first["context"]) == len(first["hd"]) == 128
    assert result["beam"]["width"] == 3 and all(len(step) <= 3 for step in result["beam"]["steps"])
    words = [s["word"] for s in result["steps"]]  # each word, then </s> if the translation ended
    assert words[: len(result["translation"])] == result["translation"]
    assert words[len(result["translation"]) :] in ([], ["</s>"])


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        call("attention_steps", sentence="y dijo dios", variant="cosine")
    with pytest.raises(ValueError):
        call("attention_steps", sentence="y dijo dios", beam=9)


def test_mask_guesses_and_heads():
    result = call("attention_mask", sentence="La capital de [MASK] es Madrid.")
    assert result["masks"] == [3] and result["notices"] in ([], ["unknown"])
    guesses = result["guesses"][0]["words"]
    assert len(guesses) == 5 and all(g["word"] not in ("<pad>", "<unk>", "[MASK]") for g in guesses)
    layer = result["layers"][0]
    T = len(result["tokens"])
    assert np.array(layer["Q"]).shape == (4, T, 16) and np.array(layer["weights"]).shape == (4, T, T)
    np.testing.assert_allclose(np.array(layer["weights"]).sum(axis=-1), 1, atol=0.01)


def test_a_sentence_without_mask_gets_the_hint():
    result = call("attention_mask", sentence="La capital de España es Madrid.")
    assert "no-mask" in result["notices"] and result["guesses"] == []
