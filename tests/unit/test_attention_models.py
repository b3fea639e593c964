"""The committed models of the attention page (pysrc/pizarra/weights/attention_*): the model cards'
test metrics recomputed from the committed weights and held-out data, and the issue's goals."""

import json

import numpy as np
import pytest

from pizarra.attention import evaluate, pretrained
from pizarra.attention.translator import VARIANTS
from pizarra.data import assets
from pizarra.data.text import pad


@pytest.fixture(scope="module")
def held_out():
    return json.loads(assets.path("attention_test.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def translators():
    return pretrained.load_translators()


@pytest.fixture(scope="module")
def greedy_outputs(held_out, translators):
    """Every variant's greedy translations of the test split (token lists)."""
    models, source, target, _ = translators
    sources = [source.encode(p["es"]) for p in held_out["pairs"]]
    return {v: [target.decode(t) for t in evaluate.translate(models[v], sources)] for v in VARIANTS}


@pytest.fixture(scope="module")
def greedy_bleu(held_out, greedy_outputs):
    """Greedy BLEU by source length of every variant on the test split, recomputed."""
    refs, lengths = [p["en"] for p in held_out["pairs"]], [len(p["es"]) for p in held_out["pairs"]]
    return {v: evaluate.bleu_by_length(refs, greedy_outputs[v], lengths) for v in VARIANTS}


@pytest.mark.parametrize("variant", VARIANTS)
def test_test_bleu_recomputed_from_the_committed_weights_matches_the_card(held_out, greedy_bleu, variant):
    card = held_out["metrics"]["translator"][variant]["greedy"]
    ours = greedy_bleu[variant]
    for part in ("overall", "short", "medium", "long"):
        assert ours[part] == pytest.approx(card[part], abs=0.05), part
    assert [ours[f"{t}_range"] for t in evaluate.THIRDS] == [card[f"{t}_range"] for t in evaluate.THIRDS]
    assert [b["count"] for b in ours["bins"]] == [b["count"] for b in card["bins"]]


def test_the_thirds_by_length_keep_each_length_in_one_third():
    """Ranked by length: 3 3 4 4 5 5 6. Each length goes where the middle of its run falls
    (ranks 0.5, 2.5, 4.5 and 6 of 7: thirds 0, 1, 1, 2), so no two thirds share a length."""
    parts = evaluate.thirds([5, 3, 4, 4, 3, 6, 5])
    assert {name: sorted(index.tolist()) for name, index in parts.items()} == {
        "short": [1, 4], "medium": [0, 2, 3, 6], "long": [5]}


def test_the_pages_thirds_of_the_test_split_have_disjoint_length_ranges(greedy_bleu):
    ranges = [greedy_bleu["none"][f"{t}_range"] for t in evaluate.THIRDS]
    assert ranges == [[3, 13], [14, 16], [17, 20]]
    assert all(earlier[1] < later[0] for earlier, later in zip(ranges, ranges[1:]))

def test_both_attention_variants_beat_the_bottleneck_overall_and_on_the_longest_third(greedy_bleu):
    for variant in ("dot", "additive"):
        assert greedy_bleu[variant]["overall"] > greedy_bleu["none"]["overall"], variant
        assert greedy_bleu[variant]["long"] > greedy_bleu["none"]["long"], variant


WIDE_MARGIN = 3   # the "by a wide margin": at least three times the unigram guess's accuracy


def test_masked_accuracy_recomputed_beats_the_unigram_guess_by_a_wide_margin(held_out):
    model, vocab, _ = pretrained.load_mlm()
    card = held_out["metrics"]["mlm"]
    ids, _ = pad([vocab.encode(s) for s in held_out["mlm"]["sentences"]])
    positions = held_out["mlm"]["positions"]
    accuracy = evaluate.masked_accuracy(model, ids, positions)
    assert accuracy == pytest.approx(card["masked_accuracy"], abs=0.002)
    guess = vocab.stoi[card["unigram_guess"]]
    hidden = np.concatenate([ids[n, p] for n, p in enumerate(positions)])
    assert np.mean(hidden == guess) == pytest.approx(card["unigram_accuracy"], abs=1e-12)
    assert accuracy > WIDE_MARGIN * card["unigram_accuracy"]


def test_the_committed_files_hold_what_the_page_loads(translators):
    models, source, target, config = translators
    assert set(models) == set(VARIANTS)
    assert source.itos[:2] == ["<pad>", "<unk>"] and target.itos[:4] == ["<pad>", "<unk>", "<s>", "</s>"]
    for variant, model in models.items():
        assert model.attention == variant and not model.training
