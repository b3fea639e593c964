"""Training the character-level recurrent models (``build.py train lm``): one RNN, LSTM and GRU
per language on its corpus, Adam on a cosine schedule, in worker processes."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import numpy as np

import pizarra

from .. import backend
from ..training import cosine_schedule
from . import comparison, corpus, models
from .ngram import NGramModel
from .recurrent import RecurrentLM, TruncatedBPTT, document_log_probs, perplexity

# Hyper-parameters of the committed models, per cell: hidden units and training steps.
HIDDEN = {"rnn": 128, "lstm": 128, "gru": 128}
STEPS = {"rnn": 1500, "lstm": 900, "gru": 900}
SETTINGS = {"embedding_dim": 32, "batch_size": 64, "bptt": 64, "lr": 5e-3, "clip_norm": 1.0}
# The unit tests recompute the test perplexity of the first streams only (the whole split takes
# seconds per model): the results keep that figure too.
CHECK_STREAMS = 16


def train_recurrent(
    cell: str, language: str, parts: dict, vocab, seed: int, steps: int, hidden: int
) -> tuple:
    """Train one recurrent model; returns it (weights rounded to float16 as committed) and its report."""
    encoded = {name: [vocab.encode(p) for p in paragraphs] for name, paragraphs in parts.items()}
    boundary = vocab.stoi[vocab.EOS]
    stream = np.concatenate([np.concatenate([[boundary], p]) for p in encoded["train"]])
    pizarra.manual_seed(seed)
    model = RecurrentLM(len(vocab), cell, SETTINGS["embedding_dim"], hidden)
    run = TruncatedBPTT(
        model,
        stream,
        batch_size=SETTINGS["batch_size"],
        bptt=SETTINGS["bptt"],
        lr=SETTINGS["lr"],
        clip_norm=SETTINGS["clip_norm"],
        seed=seed,
        schedule=cosine_schedule(SETTINGS["lr"], steps),
    )
    history, losses, started = [], [], time.perf_counter()
    for step in range(1, steps + 1):
        losses.append(run.step()["loss"])
        if step % 100 == 0 or step == steps:
            history.append(
                {
                    "step": step,
                    "loss": float(np.mean(losses[-100:])),
                    "seconds": time.perf_counter() - started,
                }
            )
            print(
                f"  {cell} {language} step {step}/{steps}  loss {history[-1]['loss']:.3f}  "
                f"{history[-1]['seconds']:.0f} s",
                flush=True,
            )
    seconds = time.perf_counter() - started
    model.load_state_dict(models.as_committed(model.state_dict()))
    report = {
        "model": "recurrent",
        "cell": cell,
        "language": language,
        "seed": seed,
        "steps": steps,
        "epochs": run.trainer.epoch,
        "hidden_size": hidden,
        **SETTINGS,
        "optimizer": "Adam, cosine learning rate to 0",
        "parameters": sum(p.numel() for p in model.parameters()),
        "training_seconds": round(seconds, 1),
        "backend": backend.current().name,
        "history": history,
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


def train_all(
    sources: dict, out: Path, languages, cells, seed: int, steps: dict, workers: int, log=print
) -> dict:
    """The corpora, n-gram tables and the page's n-gram files (here), and every recurrent model of
    ``cells`` (``workers`` processes, one BLAS thread each: on a shared machine several threads per
    process stall each other). Per language: its data, table and trained models' reports."""
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
            log(
                f"{language}: {sum(len(ps) for ps in parts.values())} paragraphs, {sizes} characters, {len(vocab)} tokens"
            )
            chars = {name: [list(p) for p in ps] for name, ps in parts.items()}
            table, kneser_ney = comparison.ngram_table(
                chars["train"], chars["validation"], chars["test"], vocab, log
            )
            for order, model in kneser_ney.items():
                model.save(out / models.ngram_file_name("char", language, order))
            results[language] = {
                "language": language,
                "source": corpus.SOURCE[language],
                "paragraphs": sum(len(ps) for ps in parts.values()),
                "characters": sizes,
                "vocabulary": len(vocab),
                "training": {},
                "table": table,
            }
        trained = pending.get()
    for cell, language, report in trained:
        data = results[language]
        data["table"].append({k: report[k] for k in ("model", "cell", "validation", "test", "test_check")})
        data["training"][cell] = {
            k: v for k, v in report.items() if k not in ("validation", "test", "test_check")
        }
    return results


def contexts(language: str, out: Path, cells) -> dict:
    """The test characters split by how often the 5-gram's context (the 4 characters before) was
    seen in training, and the perplexity of the Kneser–Ney 5-gram and of each committed recurrent
    model on each part, every paragraph read on its own (the n-gram from ``<s>``, the network from
    a zero state after ``</s>``)."""
    parts = corpus.load_file(out / corpus.file_name(language))
    model = NGramModel.load(out / models.ngram_file_name("char", language, comparison.ORDERS[-1]))
    test = [list(p) for p in parts["test"]]
    log_probs = {"ngram": model.log_probs(test)}
    for cell in cells:
        network, vocab = models.read(out / models.file_name(cell, language))
        log_probs[cell] = document_log_probs(network, [vocab.encode(p) for p in test], vocab.stoi[vocab.EOS])
    return {
        "order": comparison.ORDERS[-1],
        "rarely": comparison.RARELY,
        "parts": comparison.by_context_count(comparison.context_counts(model, test), log_probs),
    }
