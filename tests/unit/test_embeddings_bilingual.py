"""Embeddings page, the Spanish set made from GloVe through a dictionary: reading Apertium's dumps,
giving English vectors Spanish names, and analogies that do not answer with a query word's twin."""

import numpy as np
import pytest

from pizarra.embeddings import apertium, bilingual
from pizarra.embeddings.vectors import VectorSet

# lt-print's AT&T text for two entries, "rey<n>" and "perro<n>", and a second section with "ir<vblex>".
ATT = "\n".join(
    [
        "0\t1\tr\tk\t0",
        "1\t2\te\ti\t0",
        "2\t3\ty\tn\t0",
        "3\t4\t<n>\t<n>\t0",
        "4",
        "0\t5\tp\td\t0",
        "5\t6\te\to\t0",
        "6\t7\tr\tg\t0",
        "7\t8\tr\tε\t0",
        "8\t9\to\tε\t0",
        "9\t4\t<n>\t<n>\t0",
        "--",
        "0\t1\ti\tg\t0",
        "1\t2\tr\to\t0",
        "2\t3\t<vblex>\t<vblex>\t0",
        "3",
    ]
)


def test_an_att_dump_gives_every_entry_once():
    assert sorted(apertium.att_inputs(ATT)) == ["ir<vblex>", "perro<n>", "rey<n>"]


def test_analyses_and_answers_are_read():
    assert apertium.split_analysis("rey<n><f>") == ("rey", ["n", "f"])
    assert apertium.split_analysis("<n>") is None
    assert apertium.alternatives("^tiempo<n><m><sg>/time<n><sg>/weather<n><sg>$") == [
        "time<n><sg>",
        "weather<n><sg>",
    ]
    assert apertium.alternatives("^reina<n><f><sg>/@reina<n><f><sg>$") == []
    assert apertium.english_request("queen<n><sg>", ("<pl>",)) == ["^queen<n><pl>$"]
    assert apertium.english_request("Madrid<np><loc>", ("",)) == ["Madrid"]


ENGLISH = VectorSet(
    ["work", "walked", "wine", "came", "girl", "walk", "queen", "kid"],
    np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1], [1, 0, 1], [2, 0, 0], [0, 3, 4.0]]),
)
ROWS = [
    ("trabajar", "trabajar", "v.inf", ["work"]),
    ("trabajo", "trabajo", "n.sg", ["work", "job"]),
    ("caminó", "caminar", "v.past.3sg", ["walked"]),
    ("caminado", "caminar", "v.part", ["walked"]),
    ("vino", "vino", "n.sg", ["wine"]),
    ("vino", "venir", "v.past.3sg", ["came"]),
    ("niña", "niño", "n.sg", ["girl"]),
    ("chica", "chico", "n.sg", ["girl"]),
    ("nena", "nene", "n.sg", ["girl"]),
    ("Reina", "rey", "n.sg", ["sovereign", "queen"]),
    ("crío", "crío", "n.sg", ["brat"]),
]
COUNTS = {"vino": 9, "trabajo": 8, "trabajar": 7, "niña": 6, "chica": 5, "caminado": 4, "caminó": 3}


def test_each_spanish_form_takes_its_translations_unit_vector():
    words, vectors = bilingual.mapped_vectors(ROWS, ENGLISH, COUNTS)
    found = dict(zip(words, vectors))
    np.testing.assert_allclose(found["vino"], [0, 0, 1])  # the noun outranks the verb form ("came")
    np.testing.assert_allclose(found["reina"], [1, 0, 0])  # lower-cased; first translation GloVe knows
    np.testing.assert_allclose(found["niña"], np.array([0, 1, 1]) / np.sqrt(2))
    assert "crío" not in found  # no translation in the English set


def test_a_common_translation_is_preferred_to_a_rare_default(monkeypatch):
    """Apertium's default for amor is "amour"; "love" is the common word."""
    english = VectorSet(["love", "heart", "amour"], np.eye(3))
    rows = [("amor", "amor", "n.sg", ["amour", "love"]), ("corazón", "corazón", "n.sg", ["heart", "amour"])]
    monkeypatch.setattr(bilingual, "COMMON", 2)
    words, vectors = bilingual.mapped_vectors(rows, english, {})
    found = dict(zip(words, vectors))
    np.testing.assert_allclose(found["amor"], [1, 0, 0])
    np.testing.assert_allclose(found["corazón"], [0, 1, 0])
    monkeypatch.setattr(bilingual, "COMMON", 3)
    words, vectors = bilingual.mapped_vectors(rows, english, {})
    np.testing.assert_allclose(dict(zip(words, vectors))["amor"], [0, 0, 1])


def test_twins_keep_base_forms_and_the_best_inflected_form_and_order_by_counts():
    words, _ = bilingual.mapped_vectors(ROWS, ENGLISH, COUNTS, keep=lambda w: w != "vino")
    # trabajar and trabajo are both "work" (base forms: both stay); caminado loses to the preterite;
    # nena is a twin of niña that the corpus never uses.
    assert words == ["trabajo", "trabajar", "niña", "chica", "caminó", "reina"]


def test_read_dictionary_skips_comments(tmp_path):
    path = tmp_path / "d.tsv"
    path.write_text(
        "# header\nreinas\trey\tn.pl\tqueens\ntiempo\ttiempo\tn.sg\ttime|weather\n", encoding="utf-8"
    )
    assert bilingual.read_dictionary(path) == [
        ("reinas", "rey", "n.pl", ["queens"]),
        ("tiempo", "tiempo", "n.sg", ["time", "weather"]),
    ]


def test_an_analogy_never_answers_with_a_query_words_twin():
    """``auto`` is ``coche`` under another name: answering it would answer ``c`` itself."""
    g = np.random.default_rng(0)
    base = {w: g.standard_normal(8) for w in ("man", "car", "bike", "tree")}
    base["woman"] = base["man"] + 0.5 * g.standard_normal(8)
    base["auto"] = base["car"]
    base["cars"] = base["car"] + (base["woman"] - base["man"])
    vectors = VectorSet(list(base), np.array(list(base.values())))
    assert vectors.twins[vectors.index["auto"]] == vectors.twins[vectors.index["car"]]
    assert len(set(vectors.twins.tolist())) == len(base) - 1
    for method in ("add", "mul"):
        answers = [w for w, _ in vectors.analogy("man", "woman", "car", k=3, method=method)]
        assert answers[0] == "cars" and "auto" not in answers
    ids = [np.array([vectors.index[w]]) for w in ("man", "woman", "car")]
    assert vectors.analogy_scores(*ids)[0][vectors.index["auto"]] == -np.inf
    assert vectors.neighbours("car", 1) == [("auto", pytest.approx(1.0))]
