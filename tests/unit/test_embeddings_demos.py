"""Embeddings page, JSON adapters: answers the page relies on, and clear errors for bad input."""

import json

import numpy as np
import pytest

from pizarra.demos import call
from pizarra.demos import embeddings as demo
from pizarra.demos.door import Refused
from pizarra.embeddings import counts, storage


def ask(function, **args):
    return json.loads(call(function, json.dumps(args)))


def test_count_table_shows_the_dominating_the_and_its_fix():
    raw = ask("embeddings_count_table", weighting="raw")
    ppmi = ask("embeddings_count_table", weighting="ppmi")
    without = ask("embeddings_count_table", weighting="raw", include_the=False)
    assert without["contexts"] == ["player", "field", "court", "Athenian", "king"]
    np.testing.assert_allclose(raw["cosine"], np.round(counts.cosine_matrix(counts.COURSE_COUNTS), 4))
    baseball, basketball, monarchy = 0, 1, 3
    assert raw["cosine"][baseball][monarchy] > raw["cosine"][baseball][basketball]
    assert without["cosine"][baseball][monarchy] < without["cosine"][baseball][basketball]
    assert ppmi["cosine"][baseball][monarchy] < ppmi["cosine"][baseball][basketball]
    assert len(ppmi["singular_values"]) == 2


def test_neighbours_and_analogies_on_glove():
    result = ask("embeddings_neighbours", set="glove_en", words=["king", "France"], k=5)["results"]
    assert "queen" in [n["word"] for n in result[0]["neighbours"]] or "prince" in [
        n["word"] for n in result[0]["neighbours"]
    ]
    assert result[1]["word"] == "france"
    analogy = ask("embeddings_analogy", set="glove_en", a="man", b="woman", c="king")
    assert analogy["add"][0]["word"] == "queen" and analogy["mul"][0]["word"] == "queen"


def test_bad_queries_get_error_codes_not_exceptions():
    result = ask("embeddings_neighbours", set="glove_en", words=["", "!!!", "two words", "kingg"])["results"]
    assert [r["error"] for r in result] == ["empty", "not-a-word", "not-a-word", "unknown"]
    assert "king" in result[3]["suggestions"]
    analogy = ask("embeddings_analogy", set="glove_en", a="man", b="", c="kingg")
    assert analogy["errors"]["b"]["error"] == "empty" and analogy["errors"]["c"]["error"] == "unknown"


def test_projection_of_a_neighbourhood_and_of_a_list():
    around = ask("embeddings_projection", set="glove_en", around="paris", k=10, method="pca")
    assert len(around["points"]) == 11 and around["points"][0]["word"] == "paris"
    listed = ask(
        "embeddings_projection", set="glove_en", words=["cat", "dog", "car", "bus", "xqzv"], method="tsne"
    )
    assert [p["word"] for p in listed["points"]] == ["cat", "dog", "car", "bus"]
    assert listed["errors"][0]["error"] == "unknown"


def test_uploaded_vectors_join_the_views_and_bad_files_are_explained():
    text = "3 2\nrey 1 0\nreina 0.9 0.1\nmesa 0 1\n"
    assert ask("embeddings_upload", text=text, name="mine.txt") == {
        "set": "mine",
        "name": "mine.txt",
        "words": 3,
        "dim": 2,
        "repeated": 0,
    }
    assert (
        ask("embeddings_neighbours", set="mine", words=["rey"], k=1)["results"][0]["neighbours"][0]["word"]
        == "reina"
    )
    assert ask("embeddings_upload", text="a 1 2\nb 1\n") == {
        "error": "format",
        "code": "dimensions",
        "line": 2,
        "expected": 2,
        "found": 1,
    }
    assert ask("embeddings_upload", text="a 1 2\nb 1 x\n") == {
        "error": "format",
        "code": "not-a-number",
        "line": 2,
    }
    assert ask("embeddings_upload", text="\n\n") == {"error": "format", "code": "empty", "line": 0}
    assert ask("embeddings_upload", text="a\n")["code"] == "no-numbers"
    assert ask("embeddings_upload", text="a 1 nan\n")["code"] == "not-finite"


def test_an_upload_is_checked_against_its_own_header_and_its_size():
    """Issue 26, case 3: a header that says 1000 words of 100 dimensions over 3 lines is refused,
    as is a word of a million dimensions; repeated words are counted, not dropped in silence."""
    three = "".join(f"w{i} " + " ".join(["0.5"] * 100) + "\n" for i in range(3))
    assert ask("embeddings_upload", text="1000 100\n" + three) == {
        "error": "format",
        "code": "header-words",
        "line": 1,
        "declared": 1000,
        "found": 3,
    }
    assert ask("embeddings_upload", text="3 50\n" + three) == {
        "error": "format",
        "code": "dimensions",
        "line": 2,
        "expected": 50,
        "found": 100,
    }
    huge = "one " + " ".join(["1"] * 1_000_000) + "\n"
    assert ask("embeddings_upload", text=huge) == {
        "error": "format",
        "code": "too-many-dimensions",
        "line": 1,
        "dim": 1_000_000,
        "limit": storage.MAX_DIM,
    }
    assert ask("embeddings_upload", text="5000000 300\n") == {
        "error": "format",
        "code": "too-many-words",
        "line": 1,
        "words": 5_000_000,
        "dim": 300,
        "limit": 66_666,
    }
    repeated = ask("embeddings_upload", text="4 2\nrey 1 0\nrey 0 1\nmesa 0 1\nmesa 1 1\n")
    assert (repeated["words"], repeated["repeated"]) == (2, 2)


def test_storage_round_trip_keeps_cosines():
    g = np.random.default_rng(0)
    vectors = g.standard_normal((50, 20)).astype(np.float32)
    codes, scales = storage.quantise(vectors)
    restored = codes * scales[:, None]
    cos = lambda v: counts.cosine_matrix(v)  # noqa: E731
    assert np.abs(cos(restored) - cos(vectors)).max() < 0.01


def test_live_training_on_pasted_text_lowers_the_loss_and_keeps_the_vectors():
    g = np.random.default_rng(0)
    animals, tools = ["cat", "dog", "horse", "cow"], ["hammer", "saw", "drill", "wrench"]
    lines = [" ".join(g.choice(animals if i % 2 else tools, 12)) for i in range(300)]
    start = ask(
        "embeddings_train_start",
        source="text",
        text="\n".join(lines),
        model="sgns",
        dim=10,
        window=3,
        negatives=3,
        sample=0,
        lr=0.05,
        epochs=4,
        seed=1,
        min_count=1,
        watch=["cat"],
    )
    assert start["vocabulary"] == 8
    losses = []
    while True:
        step = ask("embeddings_train_steps", seconds=0.05)
        losses += step["losses"]
        if step["done"]:
            break
    assert losses[-1] < losses[0]
    assert step["neighbours"][0]["neighbours"][0]["word"] in animals
    assert ask("embeddings_train_stop")["set"] == "trained"
    assert (
        ask("embeddings_neighbours", set="trained", words=["saw"], k=1)["results"][0]["neighbours"][0]["word"]
        in tools
    )


def test_pasted_text_over_the_limit_or_without_words_is_refused():
    with pytest.raises(Refused, match="too-long: text"):
        ask("embeddings_train_start", source="text", text="a" * (demo.MAX_TEXT_BYTES + 1))
    assert (
        ask("embeddings_train_start", source="text", text="é" * (demo.MAX_TEXT_BYTES // 2 + 1))["error"]
        == "too-long"
    )
    assert ask("embeddings_train_start", source="text", text="!!! ... ???")["error"] == "no-tokens"
    with pytest.raises(ValueError, match="dim"):
        ask("embeddings_train_start", source="text", text="a b", dim=100_000)


def test_count_pipeline_on_a_corpus_slice():
    answer = ask(
        "embeddings_corpus_counts",
        count_source="en",
        count_window=2,
        count_weighting="ppmi",
        count_dim=10,
        words=["war", "zzzz"],
    )
    assert answer["vocabulary"] == demo.COUNT_VOCABULARY
    war, unknown = answer["neighbours"]
    assert war["word"] == "war" and len(war["neighbours"]) == 8
    assert unknown["error"] == "unknown"
    with pytest.raises(ValueError, match="count_weighting"):
        ask("embeddings_corpus_counts", count_weighting="bm25")
