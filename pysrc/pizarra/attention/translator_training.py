"""Training one translator variant, resumable: the data as subword ids, batches of similar length,
Adam on a warm-up and cosine schedule, the best validation epoch kept.

Batches hold sentences of similar source length (about ``TOKENS_PER_BATCH`` target pieces each, so
little padding is computed), made once from the run's seed; the :class:`~pizarra.training.Trainer`
draws a new order of the batches every epoch. After each epoch the validation sentences are
translated greedily and scored with BLEU against all their references; the weights of the best
epoch are the run's result.

A checkpoint is written every ``CHECKPOINT_EVERY`` steps and at every epoch's end; started again
with the same settings, the run goes on from there and ends with exactly the model an
uninterrupted run gives. The report adds up the seconds of every sitting.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import numpy as np

import pizarra

from .. import optim
from ..data.text import pad
from ..metrics import bleu
from ..training import Trainer, load_checkpoint, save_checkpoint
from .decoding import greedy
from .translator import BOS, EOS, PAD, loss
from .variants import RECURRENT, TRANSFORMER, build

SCHEDULE = {
    "recurrent": {"epochs": 6, "lr": 3e-3, "warmup": 0.0, "clip_norm": 5.0},
    "transformer": {"epochs": 8, "lr": 1.5e-3, "warmup": 0.05, "clip_norm": 1.0},
}
TOKENS_PER_BATCH = 1500
CHECKPOINT_EVERY = 200


def kind(variant: str) -> str:
    return "transformer" if variant == "transformer" else "recurrent"


def warmup_cosine(lr: float, total: int, warmup: float):
    """``lr_t``: a linear rise over the first ``warmup`` share of the steps, then a cosine down to 0."""
    rise = max(1, round(warmup * total)) if warmup else 0

    def schedule(t: int) -> float:
        if t < rise:
            return lr * (t + 1) / rise
        return lr * (1 + math.cos(math.pi * (t - rise) / max(1, total - rise))) / 2

    return schedule


def length_batches(sources: list, targets: list, seed: int, tokens: int = TOKENS_PER_BATCH) -> list[tuple]:
    """``[(source ids (B, S), source lengths (B,), target ids (B, T+1)), …]``: the pairs shuffled
    once, then sorted by source length within windows of 100 batches and cut into batches of
    about ``tokens`` target pieces."""
    order = np.random.default_rng(seed).permutation(len(sources))
    window = max(1, 100 * tokens // max(1, int(np.mean([len(t) for t in targets]))))
    batches = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: (len(sources[i]), len(targets[i])))
        current = []
        for i in chunk:
            current.append(i)
            if len(current) * max(len(targets[j]) for j in current) >= tokens:
                batches.append(current)
                current = []
        if current:
            batches.append(current)
    out = []
    for rows in batches:
        (src, lengths), (tgt, _) = pad([sources[i] for i in rows], PAD), pad([targets[i] for i in rows], PAD)
        out.append((src, lengths, tgt))
    return out


def validation_bleu(model, sources: list, references: list, decode) -> float:
    """BLEU ×100 of greedy translations against every reference of each sentence."""
    produced = []
    for start in range(0, len(sources), 256):
        produced += greedy(model, sources[start : start + 256])["tokens"]
    return 100 * bleu(references, [decode(ids) for ids in produced])


def train(variant: str, data: dict, seed: int, checkpoint: Path, log=print):
    """Train (or go on training) ``variant`` on ``data`` (``train_sources``, ``train_targets``: id
    arrays, targets as ``<s> … </s>``; ``validation_sources``, ``validation_references``: word lists;
    ``decode``: target ids → words; ``source_size``, ``target_size``). Returns the model at its
    best validation epoch and the run's report."""
    schedule = SCHEDULE[kind(variant)]
    batches = length_batches(data["train_sources"], data["train_targets"], seed)
    pizarra.manual_seed(seed)
    model = build(variant, data["source_size"], data["target_size"])

    def objective(batch):
        source, lengths, target = batch[0][0]
        return loss(model, pizarra.tensor(source), lengths, target)

    holder = np.empty(len(batches), dtype=object)
    holder[:] = batches
    trainer = Trainer(
        model,
        optim.Adam(model.parameters(), lr=schedule["lr"]),
        objective,
        [holder],
        batch_size=1,
        epochs=schedule["epochs"],
        seed=seed,
        clip_norm=schedule["clip_norm"],
    )
    trainer.schedule = warmup_cosine(schedule["lr"], trainer.total_steps, schedule["warmup"])
    settings = json.dumps(
        {
            "variant": variant,
            "seed": seed,
            "batches": len(batches),
            "pairs": len(data["train_sources"]),
            "source_size": data["source_size"],
            "target_size": data["target_size"],
            "model": TRANSFORMER if variant == "transformer" else RECURRENT,
            **schedule,
        },
        sort_keys=True,
    )
    saved = load_checkpoint(checkpoint)
    if saved is not None and saved["settings"] == settings:
        trainer.load_state_dict(saved["trainer"])
        progress = saved["progress"]
        log(f"{variant}: resuming at step {trainer.steps} of {trainer.total_steps}")
    else:
        progress = {
            "best": -1.0,
            "best_epoch": None,
            "best_state": None,
            "history": [],
            "seconds": 0.0,
            "sittings": [],
        }
    progress["sittings"].append({"started_step": trainer.steps, "load": os.getloadavg()})

    def keep():
        progress["sittings"][-1]["load_end"] = os.getloadavg()
        save_checkpoint(
            checkpoint, {"settings": settings, "trainer": trainer.state_dict(), "progress": progress}
        )

    losses, started = [], time.perf_counter()
    while not trainer.done:
        losses.append(trainer.step()["loss"])
        progress["seconds"] += time.perf_counter() - started
        started = time.perf_counter()
        if trainer.end_of_epoch:
            score = validation_bleu(
                model, data["validation_sources"], data["validation_references"], data["decode"]
            )
            epoch = round(trainer.epoch)
            progress["history"].append(
                {
                    "epoch": epoch,
                    "loss": float(np.mean(losses[-trainer.steps_per_epoch :])),
                    "validation_bleu": score,
                    "seconds": round(progress["seconds"], 1),
                }
            )
            log(
                f"{variant:11s} epoch {epoch:2d}  loss {progress['history'][-1]['loss']:.3f}  "
                f"validation BLEU {score:.2f}  {progress['seconds']:.0f} s"
            )
            if score > progress["best"]:
                progress.update(best=score, best_epoch=epoch, best_state=model.state_dict())
            keep()
        elif trainer.steps % CHECKPOINT_EVERY == 0:
            log(
                f"{variant:11s} step {trainer.steps}/{trainer.total_steps}  loss {np.mean(losses[-200:]):.3f}  "
                f"{progress['seconds']:.0f} s"
            )
            keep()
    model.load_state_dict(progress["best_state"])
    report = {
        "variant": variant,
        "seed": seed,
        **schedule,
        "batches": len(batches),
        "tokens_per_batch": TOKENS_PER_BATCH,
        "history": progress["history"],
        "best_epoch": progress["best_epoch"],
        "validation_bleu": progress["best"],
        "training_seconds": round(progress["seconds"], 1),
        "sittings": progress["sittings"],
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    return model.eval(), report


def target_ids(vocab, pieces: list[str]) -> np.ndarray:
    """``<s> y_1 … y_T </s>`` as ids."""
    return np.r_[BOS, vocab.encode(pieces), EOS]


SUBWORD_MERGES = {"es": 5000, "en": 4000}


def prepare(tatoeba: Path, everyday: Path | None = None) -> dict:
    """Everything the translators learn from: the split pairs and the everyday set
    (:mod:`.corpus`), one BPE table per language learned on the training pairs, the source and
    target vocabularies of their pieces, and the training and validation data as ids."""
    from ..data.subwords import join
    from ..data.text import Vocab
    from . import corpus
    from .translator import SOURCE_SPECIALS, TARGET_SPECIALS

    everyday_items = corpus.everyday_set(everyday)
    parts = corpus.split(corpus.tatoeba_pairs(tatoeba), everyday_items)
    tables = corpus.subword_tables(parts["train"], SUBWORD_MERGES)
    source = Vocab(list(SOURCE_SPECIALS) + [p for p in tables["es"].vocabulary() if p not in SOURCE_SPECIALS])
    target = Vocab(list(TARGET_SPECIALS) + [p for p in tables["en"].vocabulary() if p not in TARGET_SPECIALS])
    return {
        "parts": parts,
        "everyday": everyday_items,
        "tables": tables,
        "source": source,
        "target": target,
        "train_sources": [source.encode(tables["es"].encode(p["es"])) for p in parts["train"]],
        "train_targets": [target_ids(target, tables["en"].encode(p["en"])) for p in parts["train"]],
        "validation_sources": [source.encode(tables["es"].encode(p["es"])) for p in parts["validation"]],
        "validation_references": [p["en"] for p in parts["validation"]],
        "decode": lambda ids: join(target.decode(ids)),
        "source_size": len(source),
        "target_size": len(target),
    }
