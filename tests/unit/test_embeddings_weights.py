"""Embeddings page, committed vector sets: their evaluation scores recomputed from the committed
files (the numbers in embeddings_page.json and the model cards), and what the page shows before
Python is ready. Never retrains."""

import json
import math

import pytest

from pizarra.data import assets
from pizarra.embeddings import storage
from pizarra.embeddings.cards import scores_table
from pizarra.embeddings.counts import WEIGHTINGS, course_table_json
from pizarra.embeddings.evaluation import analogies, pair_questions, pooled, similarity

SETS = ["glove_en", "sgns_en", "cbow_en", "ppmi_en", "glove_es", "sgns_es", "cbow_es", "ppmi_es"]
SPANISH_SETS = ["glove_es", "sgns_es", "cbow_es", "ppmi_es"]


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
        assert (got["spearman"] is None) == (expected["spearman"] is None)
        if expected["spearman"] is not None:
            assert got["spearman"] == pytest.approx(expected["spearman"], abs=1e-4)


@pytest.mark.parametrize("name", SPANISH_SETS)
def test_spanish_analogies_recomputed(name, committed, benchmarks):
    """Every group of the Spanish analogy set, and the groups pooled, by 3CosAdd."""
    groups = benchmarks["analogy"]["es-analogies"]["groups"]
    assert sorted(groups) == ["capitals", "family", "gerund", "plural", "preterite"]
    vectors, scores = load(name), committed[name]["scores"]
    results = {group: analogies(vectors, pair_questions(pairs), "add") for group, pairs in groups.items()}
    results["pooled"] = pooled(list(results.values()))
    for group, result in results.items():
        expected = scores["es-analogies" if group == "pooled" else f"es-analogies:{group}"]
        assert (result["covered"], result["total"]) == (expected["covered"], expected["total"]), group
        # float32 cosines: another NumPy's BLAS rounds a near-tie the other way (NumPy 2.0.2 finds
        # 549 of 870 where the card, written with 2.4, says 552), so a few answers may flip
        assert abs(result["correct"] - expected["correct"]) <= max(3, 0.005 * result["total"]), group


def test_3cosmul_scores_recomputed_on_spanish(committed, benchmarks):
    family = benchmarks["analogy"]["es-analogies"]["groups"]["family"]
    for name in ("glove_es", "sgns_es"):
        assert (
            analogies(load(name), pair_questions(family), "mul")
            == committed[name]["scores"]["es-analogies:family/mul"]
        )


def test_the_spanish_set_of_the_page_passes_the_course_lessons(committed, benchmarks):
    """The default Spanish set: hombre : mujer :: rey : reina first, at least half the Spanish analogy
    questions it covers answered (every group at least a third, none left uncovered), and the
    neighbours a teacher expects of everyday words."""
    vectors, scores = load("glove_es"), committed["glove_es"]["scores"]
    assert vectors.analogy("hombre", "mujer", "rey", 1)[0][0] == "reina"
    assert scores["es-analogies"]["accuracy"] >= 0.5
    for group in benchmarks["analogy"]["es-analogies"]["groups"]:
        assert (
            scores[f"es-analogies:{group}"]["accuracy"] >= 1 / 3
            and scores[f"es-analogies:{group}"]["covered"] > 0
        )
    expected = {
        "perro": {"gato", "perros", "mascota"},
        "lunes": {"martes", "viernes", "domingo"},
        "madrid": {"barcelona", "españa", "lisboa"},
        "comer": {"comiendo", "comió", "beber"},
    }
    for word, some in expected.items():
        assert some <= {w for w, _ in vectors.neighbours(word, 10)}, word


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


@pytest.mark.parametrize("name", ["glove_en", "glove_es"])
def test_glove_neighbours_shown_before_python_are_the_committed_ones(name, page):
    glove = load(name)
    assert page["neighbours"][name]
    for word, shown in page["neighbours"][name].items():
        computed = glove.neighbours(word, len(shown))
        assert [s for _, s in shown] == pytest.approx([s for _, s in computed], abs=1e-4)
        # Two neighbours as close as float32 sums can tell apart may come in either order
        # (Pyodide's NumPy sums in another order): only such ties may differ.
        for (shown_word, score), (word_here, score_here) in zip(shown, computed):
            assert shown_word == word_here or abs(score - score_here) < 1e-4, (word, shown_word, word_here)


def test_count_tables_shown_before_python_are_the_formulas(page):
    for weighting in WEIGHTINGS:
        for the in (True, False):
            expected = json.loads(json.dumps(course_table_json(weighting, the)))
            assert page["count_table"][f"{weighting}-{'with' if the else 'without'}-the"] == expected


def test_our_sgns_is_close_to_gensim_on_the_same_corpus(committed):
    """The issue's quality goal, on the numbers train.py measured for gensim (in the file's description)
    and ours recomputed above: within 0.05 Spearman on WS353 and 3 points on Google analogies."""
    gensim = storage.load(assets.path("embeddings_sgns_en.npz"))[1]["gensim"]["scores"]
    ours = committed["sgns_en"]["scores"]
    assert abs(ours["ws353"]["spearman"] - gensim["ws353"]["spearman"]) < 0.05
    assert abs(ours["google"]["accuracy"] - gensim["google"]["accuracy"]) < 0.03
