"""``python3 build.py train lm``: the corpora, the perplexity tables and the models of the page, at
character level and at word level.

    python -m pizarra.lm.train --sources sources.json --out pysrc/pizarra/weights [--levels char word]

``sources.json`` maps each registry source to its downloaded archive. For each level and language
this writes the corpus the tests read, the Kneser–Ney models the page generates with
(``lm_ngram_<level>_<lang>_<order>.npz``; at word level pruned, :data:`WORD_PRUNE`), the recurrent
models with their model cards (character: ``lm_<cell>_<lang>.npz``; word:
``lm_word_<cell>_<lang>.npz``), and ``lm_results.json``: every model's held-out perplexity, the
word-level interpolation of the LSTM with the best n-gram, the held-out tokens split by how often
the n-gram's context was seen in training, and the bigram table of the course's corpus (shown
before Python is ready). Word-level training is resumable (``--checkpoints``). Cells not asked
for keep their committed models and rows.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import time
from pathlib import Path

import numpy as np

from ..data.text import words
from . import cards, char_training, comparison, corpus, models, word_corpus, word_training
from .ngram import NGramModel, bigram_table
from .recurrent import document_log_probs

RESULTS = "lm_results.json"
CELLS = ("rnn", "lstm", "gru")
# The unit tests recompute each word-level model's perplexity on the start of the first test
# documents (the whole split takes minutes inside Pyodide): the results keep that figure too.
CHECK_DOCUMENTS, CHECK_TOKENS = 4, 300
WORD_PRUNE = 1  # the page's word-level n-grams drop n-grams of order ≥ 3 seen once


def _word_job(job: tuple) -> tuple:
    """One word-level recurrent model, in a worker process: ``(cell, language, report)``, its file written."""
    cell, language, archives, out, checkpoints, seed = job
    parts = word_corpus.read_archives(language, archives)
    vocab = word_corpus.vocabulary(parts["train"])
    ids = {name: [vocab.encode(d) for d in docs] for name, docs in parts.items()}
    model, report = word_training.train(
        cell,
        language,
        ids["train"],
        ids["validation"],
        vocab,
        seed,
        Path(checkpoints) / f"word_{cell}_{language}.pkl",
        log=lambda message: print(message, flush=True),
    )
    model.load_state_dict(models.as_committed(model.state_dict()))
    models.save(model, vocab, out / models.file_name(cell, language, "word"))
    return cell, language, report


def word_level(
    archives: dict, out: Path, languages, cells, seed: int, checkpoints: Path, workers: int, log
) -> dict:
    """The word-level corpora, tables, n-gram files and recurrent models of ``languages``."""
    jobs = [(cell, language, archives, out, checkpoints, seed) for cell in cells for language in languages]
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
    results = {}
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pending = pool.map_async(_word_job, jobs, chunksize=1)
        for language in languages:
            parts = word_corpus.read_archives(language, archives)
            vocab = word_corpus.vocabulary(parts["train"])
            word_corpus.write_documents(parts["test"], out / word_corpus.test_file(language))
            table, kneser_ney = comparison.ngram_table(
                parts["train"], parts["validation"], parts["test"], vocab, log
            )
            for order in comparison.ORDERS:
                pruned = NGramModel(order, "kneser-ney", prune=WORD_PRUNE if order >= 3 else 0).fit(
                    parts["train"], vocab
                )
                pruned.save(out / models.ngram_file_name("word", language, order))
                table.append(
                    {
                        "model": "ngram",
                        "order": order,
                        "smoothing": "kneser-ney",
                        "pruned": WORD_PRUNE,
                        "validation": pruned.perplexity(parts["validation"]),
                        "test": pruned.perplexity(parts["test"]),
                    }
                )
            unknown = vocab.stoi[vocab.UNK]
            results[language] = {
                "language": language,
                "sources": list(word_corpus.SOURCES[language]),
                "vocabulary": len(vocab),
                "documents": {n: len(d) for n, d in parts.items()},
                "tokens": {n: sum(len(doc) + 1 for doc in d) for n, d in parts.items()},
                "unknown": {
                    n: float(np.mean(np.concatenate([vocab.encode(doc) for doc in d]) == unknown))
                    for n, d in parts.items()
                },
                "table": table,
                "training": {},
                "ngrams": kneser_ney,
                "parts": parts,
                "vocab": vocab,
            }
        trained = pending.get()
    for cell, language, report in trained:
        results[language]["training"][cell] = report
    for data in results.values():
        compare_words(data, out, log)
    return results


def compare_words(data: dict, out: Path, log) -> None:
    """Each recurrent model's held-out perplexity, the LSTM mixed with the best n-gram, and the
    test tokens split by how often the best n-gram's context was seen (into ``data``)."""
    parts, vocab, language = data.pop("parts"), data.pop("vocab"), data["language"]
    kneser_ney = data.pop("ngrams")
    rows = [r for r in data["table"] if r["smoothing"] == "kneser-ney" and not r.get("pruned")]
    best = kneser_ney[min(rows, key=lambda r: r["validation"])["order"]]
    ngram_log_p = {name: best.log_probs(parts[name]) for name in ("validation", "test")}
    boundary = vocab.stoi[vocab.EOS]
    log_probs = {"ngram": ngram_log_p["test"]}
    for cell in CELLS:
        path = out / models.file_name(cell, language, "word")
        if not path.exists():
            continue
        network, _ = models.read(path)
        scored = {
            name: document_log_probs(network, [vocab.encode(d) for d in parts[name]], boundary)
            for name in ("validation", "test")
        }
        data["table"] = [r for r in data["table"] if r.get("cell") != cell]
        check = document_log_probs(
            network, [vocab.encode(d[:CHECK_TOKENS]) for d in parts["test"][:CHECK_DOCUMENTS]], boundary
        )
        data["table"].append(
            {
                "model": "recurrent",
                "cell": cell,
                "validation": comparison.perplexity(scored["validation"]),
                "test": comparison.perplexity(scored["test"]),
                "test_check": comparison.perplexity(check),
            }
        )
        log_probs[cell] = scored["test"]
        if cell == "lstm":
            mix = comparison.interpolation(
                scored["validation"], ngram_log_p["validation"], scored["test"], ngram_log_p["test"]
            )
            log_probs["interpolation"] = mix.pop("log_p")
            data["table"].append({"model": "interpolation", "cell": cell, "order": best.order, **mix})
        log(
            f"  word {cell} {language}: test perplexity {data['table'][-1 if cell != 'lstm' else -2]['test']:.2f}"
        )
    data["contexts"] = {
        "order": best.order,
        "rarely": comparison.RARELY,
        "parts": comparison.by_context_count(comparison.context_counts(best, parts["test"]), log_probs),
    }


def _finite(value):
    """JSON has no infinity: an infinite perplexity (a zero probability) is written as ``"Infinity"``."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and math.isinf(value):
        return "Infinity"
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Build the language-model page's corpora, tables and models."
    )
    parser.add_argument("--sources", required=True, help="JSON file: source name → downloaded archive")
    parser.add_argument("--out", required=True, help="folder for the lm_* files (pysrc/pizarra/weights)")
    parser.add_argument("--levels", nargs="+", default=["char", "word"], choices=["char", "word"])
    parser.add_argument("--languages", nargs="+", default=list(corpus.LANGUAGES), choices=corpus.LANGUAGES)
    parser.add_argument(
        "--cells",
        nargs="*",
        default=list(CELLS),
        choices=CELLS,
        help="recurrent models to train (none: only corpora, n-grams and comparisons)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="processes training recurrent models at once")
    parser.add_argument(
        "--checkpoints",
        default=str(Path.home() / ".cache" / "pizarra" / "checkpoints" / "lm"),
        help="folder of the word-level runs' checkpoints (a run started again goes on from there)",
    )
    args = parser.parse_args(argv)
    archives = {name: Path(path) for name, path in json.loads(Path(args.sources).read_text()).items()}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = lambda message: print(message, flush=True)  # noqa: E731
    started, load = time.perf_counter(), os.getloadavg()
    previous = json.loads((out / RESULTS).read_text()) if (out / RESULTS).exists() else {}
    results = {"languages": previous.get("languages", {}), "words": previous.get("words", {})}
    if "char" in args.levels:
        steps = {cell: char_training.STEPS[cell] for cell in CELLS}
        trained = char_training.train_all(
            archives, out, args.languages, args.cells, args.seed, steps, args.workers, log
        )
        for language, data in trained.items():
            kept = results["languages"].get(language, {})
            data["table"] += [
                r for r in kept.get("table", []) if r["model"] == "recurrent" and r["cell"] not in args.cells
            ]
            data["training"] = {
                **{c: v for c, v in kept.get("training", {}).items() if c not in args.cells},
                **data["training"],
            }
            data["table"].sort(
                key=lambda r: (r["model"] == "recurrent", CELLS.index(r["cell"]) if "cell" in r else 0)
            )
            data["contexts"] = char_training.contexts(language, out, CELLS)
            results["languages"][language] = data
    if "word" in args.levels:
        languages = [language for language in args.languages if language in word_corpus.LANGUAGES]
        trained = word_level(
            archives, out, languages, args.cells, args.seed, Path(args.checkpoints), args.workers, log
        )
        for language, data in trained.items():
            kept = results["words"].get(language, {})
            data["training"] = {
                **{c: v for c, v in kept.get("training", {}).items() if c not in args.cells},
                **data["training"],
            }
            results["words"][language] = data
    results["counting"] = bigram_table(
        [words(line, lower=False) for line in corpus.COURSE_CORPUS.splitlines()]
    )
    results["run"] = {
        "seconds": round(time.perf_counter() - started, 1),
        "load": [load, os.getloadavg()],
        "cores": os.cpu_count(),
    }
    cards.write(results, out)
    (out / RESULTS).write_text(json.dumps(_finite(results), indent=1, allow_nan=False) + "\n")
    log(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
