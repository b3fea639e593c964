"""Embeddings page, committed vector sets: their evaluation scores recomputed from the committed
files (the numbers in embeddings_page.json and the model cards), and what the page shows before
Python is ready. Never retrains."""

import json
import math

import pytest

from pizarra.data import assets
from pizarra.embeddings import storage
from pizarra.embeddings.cards import scores_table
from pizarra.embeddings.counts import WEIGHTINGS, course_table
from pizarra.embeddings.evaluation import analogies, pair_questions, similarity

SETS = ["glove_en", "sgns_en", "cbow_en", "ppmi_en", "sgns_es", "cbow_es", "ppmi_es"]


@pytest.fixture(scope="module")
def page():
    return json.loads(assets.path("embeddings_page.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def benchmarks():
    return json.loads(assets.path("embeddings_benchmarks.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def committed(page):
    return {s["name"]: s for s in page["sets"]}


def load(name):
    return storage.load(assets.path(f"embeddings_{name}.npz"))[0]


def test_every_set_is_committed_small_and_described(committed):
    assert sorted(committed) == sorted(SETS)
    for name in SETS:
        path = assets.path(f"embeddings_{name}.npz")
        assert path.stat().st_size == committed[name]["bytes"] < 8_000_000
        vectors, meta = storage.load(path)
        assert len(vectors) == committed[name]["words"] and vectors.dim == 100
        assert meta["language"] == committed[name]["language"]
        card = assets.path(f"embeddings_{name}.md").read_text(encoding="utf-8")
        gensim = meta.get("gensim", {}).get("scores")
        assert scores_table(committed[name]["scores"], gensim) in card


@pytest.mark.parametrize("name", SETS)
def test_similarity_scores_recomputed(name, committed, benchmarks):
    vectors = load(name)
    for benchmark, item in benchmarks["similarity"].items():
        if item["language"] != committed[name]["language"]:
            continue
        expected = committed[name]["scores"][benchmark]
        got = similarity(vectors, item["pairs"])
        assert got["covered"] == expected["covered"] and got["total"] == expected["total"]
        # Cosines are float32 dot products: BLAS (CPython) and einsum's loops (Pyodide) round them
        # differently, and a near-tie may swap two ranks (seen: 2e-6 on WS353), far below the card's 3 decimals.
        assert got["spearman"] == pytest.approx(expected["spearman"], abs=1e-4)


@pytest.mark.parametrize("name", ["sgns_es", "cbow_es", "ppmi_es"])
def test_spanish_analogies_recomputed(name, committed, benchmarks):
    questions = pair_questions(benchmarks["analogy"]["es-capitals"]["pairs"])
    assert analogies(load(name), questions, "add") == committed[name]["scores"]["es-capitals"]


def test_3cosmul_scores_recomputed_on_spanish(committed, benchmarks):
    questions = pair_questions(benchmarks["analogy"]["es-capitals"]["pairs"])
    assert analogies(load("sgns_es"), questions, "mul") == committed["sgns_es"]["scores"]["es-capitals/mul"]


def test_msr_analogies_of_sgns_recomputed(committed, benchmarks):
    assert (
        analogies(load("sgns_en"), benchmarks["analogy"]["msr"]["questions"], "add")
        == committed["sgns_en"]["scores"]["msr"]
    )


@pytest.mark.parametrize("name, every", [("glove_en", 80), ("sgns_en", 25), ("cbow_en", 25), ("ppmi_en", 25)])
def test_english_analogies_agree_on_a_sample(name, every, committed, benchmarks):
    """Every 25th (GloVe: 80th) covered Google and MSR question (recomputing all of them, for every
    set, would take too long for a unit test): the sample's accuracy, by 3CosAdd and 3CosMul, must
    lie within 4 standard errors of the committed score."""
    vectors = load(name)
    for benchmark in ("google", "msr"):
        covered = [
            q
            for q in benchmarks["analogy"][benchmark]["questions"]
            if all(vectors.find(w) is not None for w in q)
        ]
        for method, key in (("add", benchmark), ("mul", f"{benchmark}/mul")):
            expected = committed[name]["scores"][key]
            assert len(covered) == expected["covered"]
            sample = analogies(vectors, covered[::every], method)
            error = math.sqrt(
                max(expected["accuracy"] * (1 - expected["accuracy"]), 1e-4) / sample["covered"]
            )
            assert abs(sample["accuracy"] - expected["accuracy"]) < 4 * error


def test_glove_neighbours_shown_before_python_are_the_committed_ones(page):
    glove = load("glove_en")
    for word, shown in page["neighbours"]["glove_en"].items():
        assert [w for w, _ in shown] == [w for w, _ in glove.neighbours(word, len(shown))]


def test_count_tables_shown_before_python_are_the_formulas(page):
    for weighting in WEIGHTINGS:
        for the in (True, False):
            expected = json.loads(json.dumps(course_table(weighting, the), default=lambda a: a.tolist()))
            assert page["count_table"][f"{weighting}-{'with' if the else 'without'}-the"] == expected


def test_our_sgns_is_close_to_gensim_on_the_same_corpus(committed):
    """The issue's quality goal, on the numbers train.py measured for gensim (in the file's description)
    and ours recomputed above: within 0.05 Spearman on WS353 and 3 points on Google analogies."""
    gensim = storage.load(assets.path("embeddings_sgns_en.npz"))[1]["gensim"]["scores"]
    ours = committed["sgns_en"]["scores"]
    assert abs(ours["ws353"]["spearman"] - gensim["ws353"]["spearman"]) < 0.05
    assert abs(ours["google"]["accuracy"] - gensim["google"]["accuracy"]) < 0.03
