"""The attention page's engine calls (pizarra.demos.attention) on the committed models, through
the same JSON door the browser uses (pizarra.demos.call)."""

import json

import numpy as np
import pytest

from pizarra import demos


def call(name, **args):
    return json.loads(demos.call(name, json.dumps(args)))


def test_every_variant_translates_and_attention_rows_sum_to_one():
    result = call("attention_translate", sentence="Él trabaja con los dos.", beam=1)
    assert result["notices"] == [] and result["words"] == ["él", "trabaja", "con", "los", "dos", "."]
    assert set(result["variants"]) == {"none", "dot", "additive", "transformer"}
    S, words = len(result["pieces"]), len(result["words"])
    for variant, out in result["variants"].items():
        assert out["pieces"] and len(out["spans"]) == len(out["words"]), variant
        if variant == "none":
            assert out["weights"] is None and out["word_weights"] is None
            continue
        weights = np.array(out["weights"])  # output pieces and </s> × source pieces
        assert weights.shape == (len(out["pieces"]) + 1, S), variant
        np.testing.assert_allclose(weights.sum(axis=1), 1, atol=0.003)  # rounded to 3 decimals
        merged = np.array(out["word_weights"])  # the same merged into words
        assert merged.shape == (len(out["words"]) + 1, words)
        np.testing.assert_allclose(merged.sum(axis=1), 1, atol=0.005)
    heads = np.array(result["variants"]["transformer"]["heads"])  # layers × heads × rows × source pieces
    assert (
        heads.shape[:2] == (2, 4)
        and heads.shape[2:] == np.array(result["variants"]["transformer"]["weights"]).shape
    )
    np.testing.assert_allclose(
        heads[-1].mean(axis=0), result["variants"]["transformer"]["weights"], atol=0.003
    )


def test_only_the_variants_asked_for_are_translated_with_the_decoding_asked_for():
    result = call(
        "attention_translate", sentence="La casa es grande.", variants=["additive"], beam=2, alpha=0, beta=0
    )
    assert list(result["variants"]) == ["additive"] and result["decoding"] == {
        "beam": 2,
        "alpha": 0,
        "beta": 0,
    }


def test_a_character_never_seen_is_unknown_and_the_sentence_still_translates():
    result = call(
        "attention_translate", sentence="Él trabaja con los dos ordenadores ☃.", variants=["additive"]
    )
    assert result["words"][-2:] == ["☃", "."] and result["unknown"][-2:] == [True, False]
    assert not any(result["unknown"][:-2]) and result["notices"] == ["unknown"]
    assert result["variants"]["additive"]["words"]


def test_a_sentence_without_final_punctuation_is_read_with_a_period():
    result = call("attention_translate", sentence="Él trabaja con los dos", variants=["none"])
    assert result["words"][-1] == "." and result["notices"] == ["period"]


def test_empty_input_gets_a_notice_and_no_translation():
    result = call("attention_translate", sentence="   ")
    assert result["notices"] == ["empty"] and "variants" not in result


def test_a_sentence_over_the_maximum_length_is_cut_with_a_notice():
    result = call("attention_translate", sentence=" ".join(["y dijo dios"] * 10), variants=["none"])
    assert len(result["words"]) == 20 and result["words"][-1] == "." and "cut" in result["notices"]


def test_recurrent_steps_show_scores_weights_context_and_beam_candidates():
    result = call(
        "attention_steps", sentence="La casa es grande.", variant="additive", beam=3, alpha=0.6, beta=0.2
    )
    first = result["steps"][0]
    n = len(result["pieces"])
    assert len(first["scores"]) == len(first["weights"]) == n
    w = np.exp(np.array(first["scores"]) - max(first["scores"]))
    np.testing.assert_allclose(first["weights"], w / w.sum(), atol=2e-4)  # w_ij = softmax_j(s_ij)
    assert len(first["context"]) == len(first["hd"]) == 256
    assert result["beam"]["width"] == 3 and all(len(step) <= 3 for step in result["beam"]["steps"])
    assert all(
        {"pieces", "log_p", "score", "finished"} <= set(c) for step in result["beam"]["steps"] for c in step
    )
    pieces = [s["piece"] for s in result["steps"]]  # each piece, then </s> if the translation ended
    assert pieces[: len(result["pieces_out"])] == result["pieces_out"]
    assert pieces[len(result["pieces_out"]) :] in ([], ["</s>"])


def test_transformer_steps_show_every_layer_and_head():
    result = call("attention_steps", sentence="La casa es grande.", variant="transformer", beam=1)
    assert "beam" not in result
    for step in result["steps"]:
        heads = np.array(step["heads"])
        assert heads.shape == (2, 4, len(result["pieces"])) and "scores" not in step
        np.testing.assert_allclose(heads.sum(axis=-1), 1, atol=0.005)
        np.testing.assert_allclose(heads[-1].mean(axis=0), step["weights"], atol=0.002)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        call("attention_steps", sentence="y dijo dios", variant="cosine")
    with pytest.raises(ValueError):
        call("attention_steps", sentence="y dijo dios", beam=9)
    with pytest.raises(ValueError):
        call("attention_translate", sentence="y dijo dios", alpha=2.5)


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
