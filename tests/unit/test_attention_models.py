"""The committed models of the attention page (pysrc/pizarra/weights/attention_*): the model card's
metrics recomputed from the committed weights and held-out data, and the issue's goals — on the
test split (greedy) and on the everyday set (the page's default decoding)."""

import json

import pytest

from pizarra.attention import corpus, evaluate, explain, pretrained
from pizarra.attention.variants import VARIANTS
from pizarra.data import assets
from pizarra.data.subwords import join

ATTENTION = ("dot", "additive", "transformer")
# The page's best variant on the everyday set, from the card (recomputed below).
GOAL_EVERYDAY_BLEU = 25


@pytest.fixture(scope="module")
def held_out():
    return json.loads(assets.path("attention_test.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def subwords():
    return pretrained.load_subwords()


@pytest.fixture(scope="module")
def models():
    return {v: pretrained.load_translator(v)[0] for v in VARIANTS}


# The card keeps every translation it scored; the tests translate a sample again (every sentence of
# the test split, four variants, would take minutes inside Pyodide) and score all of the kept ones.
SAMPLE = 60


def card_of(held_out, variant):
    return held_out["metrics"]["translator"]["variants"][variant]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_cards_test_translations_are_the_committed_models_own(held_out, models, subwords, variant):
    pairs = held_out["pairs"][:: len(held_out["pairs"]) // SAMPLE][:SAMPLE]
    again = evaluate.translate_all(
        models[variant], subwords, [p["es"] for p in pairs], {**explain.DECODING, "beam": 1}
    )
    kept = card_of(held_out, variant)["test_translations"][:: len(held_out["pairs"]) // SAMPLE][:SAMPLE]
    assert [" ".join(t) for t in again] == kept


@pytest.fixture(scope="module")
def greedy_bleu(held_out):
    """Greedy BLEU by source length of every variant's kept test translations, recomputed."""
    pairs = held_out["pairs"]
    return {
        v: evaluate.bleu_by_length(
            [p["en"] for p in pairs],
            [t.split(" ") for t in card_of(held_out, v)["test_translations"]],
            [len(p["es"]) for p in pairs],
        )
        for v in VARIANTS
    }


@pytest.mark.parametrize("variant", VARIANTS)
def test_test_bleu_recomputed_matches_the_card(held_out, greedy_bleu, variant):
    card = card_of(held_out, variant)["test"]
    for part in ("overall", "short", "medium", "long"):
        assert greedy_bleu[variant][part] == pytest.approx(card[part], abs=1e-9)


def test_every_variant_with_attention_beats_the_bottleneck_on_the_longest_third(greedy_bleu):
    for variant in ATTENTION:
        assert greedy_bleu[variant]["overall"] > greedy_bleu["none"]["overall"]
        assert greedy_bleu[variant]["long"] > greedy_bleu["none"]["long"]


def test_the_thirds_by_length_keep_each_length_in_one_third():
    """Ranked by length: 3 3 4 4 5 5 6. Each length goes where the middle of its run falls
    (ranks 0.5, 2.5, 4.5 and 6 of 7: thirds 0, 1, 1, 2), so no two thirds share a length."""
    parts = evaluate.thirds([5, 3, 4, 4, 3, 6, 5])
    assert {name: sorted(index.tolist()) for name, index in parts.items()} == {
        "short": [1, 4],
        "medium": [0, 2, 3, 6],
        "long": [5],
    }


def test_the_thirds_never_share_a_length(greedy_bleu):
    ranges = [greedy_bleu["none"][f"{t}_range"] for t in evaluate.THIRDS]
    assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:]))


def best_variant(held_out):
    return max(VARIANTS, key=lambda v: card_of(held_out, v)["everyday"]["default"])


def test_the_best_variant_translates_the_everyday_set_well_and_as_the_card_says(held_out, models, subwords):
    from pizarra.metrics import bleu

    best = best_variant(held_out)
    kept = card_of(held_out, best)["everyday"]
    sample = held_out["everyday"][:: len(held_out["everyday"]) // 20][:20]
    again = evaluate.translate_all(models[best], subwords, [p["es"] for p in sample], explain.DECODING)
    assert [" ".join(t) for t in again] == kept["translations"][:: len(held_out["everyday"]) // 20][:20]
    score = 100 * bleu([p["en"] for p in held_out["everyday"]], [t.split(" ") for t in kept["translations"]])
    assert score == pytest.approx(kept["default"], abs=1e-9)
    assert score >= GOAL_EVERYDAY_BLEU


def test_the_default_decoding_never_loops_on_the_everyday_set(held_out):
    best = best_variant(held_out)
    looping = [
        t for t in card_of(held_out, best)["everyday"]["translations"] if explain.repeats(t.split(" "))
    ]
    assert not looping, f"{best} repeats a word three times in a row: {looping[:3]}"


def test_every_variant_with_attention_beats_the_bottleneck_on_the_everyday_set(held_out):
    scores = {v: m["everyday"]["default"] for v, m in held_out["metrics"]["translator"]["variants"].items()}
    assert all(scores[v] > scores["none"] for v in ATTENTION)


def test_fewer_than_one_word_in_twenty_of_the_everyday_set_is_unknown(held_out, subwords):
    reads = [explain.read_source(" ".join(p["es"]), subwords) for p in held_out["everyday"]]
    unknown = [u for r in reads for u in r["unknown"]]
    assert sum(unknown) / len(unknown) < 0.05


def test_the_course_example_translates_as_on_the_slide(models, subwords):
    best = explain.translations({v: models[v] for v in ATTENTION}, subwords, "Él trabaja con los dos")
    said = {v: " ".join(out["words"]) for v, out in best["variants"].items()}
    assert any(s in ("he works with both .", "he works with the two .") for s in said.values()), said


def test_subword_pieces_spell_every_test_and_everyday_sentence_back(held_out, subwords):
    for sentence in [p["es"] for p in held_out["pairs"]] + [p["es"] for p in held_out["everyday"]]:
        assert join(subwords.pieces(sentence)) == sentence
    for sentence in [r for p in held_out["pairs"] for r in p["en"]]:
        pieces = subwords.english.encode(sentence)
        assert subwords.target_words(subwords.target.encode(pieces)) == sentence


def test_the_everyday_set_is_kept_out_of_training(held_out):
    banned = {corpus.key(p["es"]) for p in held_out["everyday"]}
    assert not banned & {corpus.key(p["es"]) for p in held_out["pairs"]}


def test_masked_accuracy_recomputed_beats_the_unigram_guess_by_a_wide_margin(held_out):
    import numpy as np

    from pizarra.data.text import pad

    model, vocab, _ = pretrained.load_mlm()
    ids, _ = pad([vocab.encode(s) for s in held_out["mlm"]["sentences"]])
    accuracy = evaluate.masked_accuracy(model, ids, held_out["mlm"]["positions"])
    card = held_out["metrics"]["mlm"]
    assert accuracy == pytest.approx(card["masked_accuracy"], abs=1e-9)
    assert accuracy >= 3 * card["unigram_accuracy"] > 0 and np.isfinite(accuracy)
