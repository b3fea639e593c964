"""The committed word-level language models: held-out perplexities recomputed from the committed
weights and test documents (a sample for the recurrent ones), the interpolation's formula, the
split by how often the n-gram's context was seen, and the page's claim: at word level the LSTM
beats the best n-gram by at least 15 %, and mixed with it does better still."""

import json
import math

import numpy as np
import pytest

from pizarra.data import assets
from pizarra.lm import NGramModel, comparison, models, train, word_corpus
from pizarra.lm.recurrent import document_log_probs

RESULTS = json.loads(assets.path("lm_results.json").read_text())["words"]
CELLS = ["rnn", "lstm", "gru"]


@pytest.fixture(scope="module", params=word_corpus.LANGUAGES)
def language(request):
    return request.param


@pytest.fixture(scope="module")
def test_documents(language):
    return word_corpus.read_documents(assets.path(word_corpus.test_file(language)))


def rows(language, **match):
    return [r for r in RESULTS[language]["table"] if all(r.get(k) == v for k, v in match.items())]


def test_the_committed_test_documents_are_the_measured_ones(language, test_documents):
    data = RESULTS[language]
    assert len(test_documents) == data["documents"]["test"]
    assert sum(len(d) + 1 for d in test_documents) == data["tokens"]["test"]


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
def test_the_pages_ngrams_score_the_test_documents_as_the_table_says(language, test_documents, order):
    model = NGramModel.load(assets.path(models.ngram_file_name("word", language, order)))
    (row,) = rows(language, model="ngram", order=order, smoothing="kneser-ney", pruned=train.WORD_PRUNE)
    assert model.perplexity(test_documents) == pytest.approx(row["test"], rel=1e-9)
    assert len(model.vocab) == RESULTS[language]["vocabulary"]


@pytest.mark.parametrize("cell", CELLS)
def test_held_out_perplexity_recomputed_from_the_committed_weights(language, test_documents, cell):
    network, vocab = models.load(cell, language, "word")
    sample = [vocab.encode(d[: train.CHECK_TOKENS]) for d in test_documents[: train.CHECK_DOCUMENTS]]
    (row,) = rows(language, model="recurrent", cell=cell)
    log_p = document_log_probs(network, sample, vocab.stoi[vocab.EOS])
    assert comparison.perplexity(log_p) == pytest.approx(row["test_check"], rel=1e-5)
    card = assets.path(models.card_name(cell, language, "word")).read_text()
    assert f"**{row['test']:.2f}** on test" in card


def test_the_lstm_beats_the_best_ngram_by_fifteen_percent_and_the_mixture_does_better(language):
    ngrams = rows(language, model="ngram")
    best = min(float(r["test"]) for r in ngrams if r["smoothing"] != "none")
    (lstm,) = rows(language, model="recurrent", cell="lstm")
    (mixture,) = rows(language, model="interpolation")
    assert lstm["test"] <= 0.85 * best
    assert mixture["test"] < lstm["test"] and 0 < mixture["lambda"] < 1


def test_interpolation_is_its_formula():
    rnn, ngram = np.log([0.5, 0.1, 0.2, 0.05]), np.log([0.1, 0.3, 0.2, 0.05])
    mix = comparison.interpolation(rnn, ngram, rnn, ngram)
    lam = mix["lambda"]
    by_hand = math.exp(-np.mean(np.log(lam * np.exp(rnn) + (1 - lam) * np.exp(ngram))))
    assert mix["test"] == pytest.approx(by_hand) == pytest.approx(mix["validation"])
    others = [
        math.exp(-np.mean(np.log(m * np.exp(rnn) + (1 - m) * np.exp(ngram)))) for m in comparison.LAMBDAS
    ]
    assert mix["validation"] == pytest.approx(min(others))


def test_the_parts_by_context_count_add_up_to_the_whole(language):
    data = RESULTS[language]
    parts = data["contexts"]["parts"]
    assert [p["part"] for p in parts] == ["never", "rarely", "often"]
    assert sum(p["tokens"] for p in parts) == data["tokens"]["test"]
    assert sum(p["share"] for p in parts) == pytest.approx(1)
    (lstm,) = rows(language, model="recurrent", cell="lstm")
    whole = math.exp(sum(p["tokens"] * math.log(p["lstm"]) for p in parts) / data["tokens"]["test"])
    assert whole == pytest.approx(lstm["test"], rel=1e-9)
    # Counting runs out where a context was never seen: there the network wins by the widest margin.
    never = parts[0]
    assert never["lstm"] < never["ngram"]
