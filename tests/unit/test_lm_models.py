"""The committed language models: held-out perplexities recomputed from the committed weights and
corpora (never retrained here), the n-gram they are compared with, the split and the model cards."""

import gzip
import io
import json
import math

import numpy as np
import pytest

from pizarra.data import assets
from pizarra.lm import NGramModel, RecurrentLM, char_training, corpus, models
from pizarra.lm.recurrent import perplexity

RESULTS = json.loads(assets.path("lm_results.json").read_text())["languages"]
CELLS = ["rnn", "lstm", "gru"]


def row(language, **match):
    return next(r for r in RESULTS[language]["table"] if all(r.get(k) == v for k, v in match.items()))


@pytest.fixture(scope="module", params=corpus.LANGUAGES)
def language(request):
    return request.param


@pytest.fixture(scope="module")
def parts(language):
    return corpus.load(language)


def test_split_is_by_paragraph_index_and_matches_the_results(language, parts):
    with gzip.open(assets.path(corpus.file_name(language)), "rt", encoding="utf-8") as f:
        paragraphs = f.read().split("\n\n")
    assert parts["test"] == paragraphs[7::20] and parts["validation"] == paragraphs[17::20]
    assert len(parts["train"]) == len(paragraphs) - len(parts["test"]) - len(parts["validation"])
    assert {name: sum(len(p) for p in ps) for name, ps in parts.items()} == RESULTS[language]["characters"]


@pytest.mark.parametrize("cell", CELLS)
def test_held_out_perplexity_recomputed_from_the_committed_weights(language, parts, cell):
    """The first streams of the test split (the whole split takes seconds per model; build.py train
    recorded both figures with the same function), and the model card's figure."""
    model, vocab = models.load(cell, language)
    assert vocab.itos == corpus.char_vocab(parts["train"]).itos
    test = [vocab.encode(p) for p in parts["test"]]
    expected = row(language, model="recurrent", cell=cell)
    recomputed = perplexity(model, test, vocab.stoi[vocab.EOS], first=char_training.CHECK_STREAMS)
    assert recomputed == pytest.approx(expected["test_check"], rel=1e-5)
    card = assets.path(models.card_name(cell, language)).read_text()
    assert f"**{expected['test']:.3f}** on test" in card


def test_best_smoothed_ngram_recomputed_and_every_recurrent_model_beats_the_trigram(language, parts):
    vocab = models.load("lstm", language)[1]
    sentences = {name: [list(p) for p in ps] for name, ps in parts.items()}
    smoothed = [r for r in RESULTS[language]["table"] if r["model"] == "ngram" and r["smoothing"] != "none"]
    best = min(smoothed, key=lambda r: r["test"])
    model = NGramModel(best["order"], best["smoothing"], k=best["k"] or 1.0).fit(sentences["train"], vocab)
    assert model.perplexity(sentences["test"]) == pytest.approx(best["test"], rel=1e-9)
    trigram = row(language, model="ngram", order=3, smoothing="kneser-ney")["test"]
    for cell in CELLS:
        assert row(language, model="recurrent", cell=cell)["test"] < trigram


def test_unsmoothed_ngrams_above_unigrams_are_infinite_on_held_out_text(language):
    for order in (2, 3, 4, 5):
        assert row(language, model="ngram", order=order, smoothing="none")["test"] == "Infinity"
    assert math.isfinite(row(language, model="ngram", order=1, smoothing="none")["test"])


def test_the_counting_table_is_the_course_bigram_table():
    counting = json.loads(assets.path("lm_results.json").read_text())["counting"]
    assert counting["rows"][:4] == ["<s>", "I", "am", "Sam"]
    assert counting["counts"][0][:3] == [2, 0, 1]  # <s> I: 2, <s> Sam: 1
    assert counting["probabilities"][1][1] == pytest.approx(2 / 3)  # P(am | I)


def test_a_model_saved_in_float32_reads_back_exactly():
    """A model trained on the page goes into its notebook with models.save(half=False): unrounded."""
    vocab = corpus.char_vocab(["abc ab"], min_count=1)
    model = RecurrentLM(len(vocab), "gru", 4, 6)
    buffer = io.BytesIO()
    models.save(model, vocab, buffer, half=False)
    again, vocab_again = models.read(io.BytesIO(buffer.getvalue()))
    assert vocab_again.itos == vocab.itos and again.config() == model.config()
    for name, value in model.state_dict().items():
        assert (
            np.array_equal(again.state_dict()[name], value) and again.state_dict()[name].dtype == np.float32
        )
