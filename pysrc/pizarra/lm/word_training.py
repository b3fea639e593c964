"""Training the word-level recurrent models, resumable: PyTorch's ``word_language_model`` recipe.

Plain SGD at ``lr = 20`` (the tanh RNN: 4) with the gradient norm clipped to 0.25, truncated BPTT
over 35 steps in 20 parallel streams, dropout, tied embeddings; after every epoch the validation perplexity is
measured and, if it did not improve, ``lr`` is divided by 4. The weights of the best epoch are kept.

A run writes a checkpoint every ``CHECKPOINT_EVERY`` steps (and at every epoch's end): the
:class:`~pizarra.lm.TruncatedBPTT` state, the learning rate, the best weights so far, the history
and the seconds spent. Started again with the same settings it goes on from there, and ends with
exactly the model an uninterrupted run gives; the card adds up the seconds of every sitting.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import numpy as np

import pizarra

from .. import backend
from ..training import load_checkpoint, save_checkpoint
from .comparison import perplexity
from .recurrent import RecurrentLM, TruncatedBPTT, document_log_probs

SETTINGS = {"batch_size": 20, "bptt": 35, "lr": 20.0, "clip_norm": 0.25, "anneal": 4.0, "optimizer": "sgd"}
MODELS = {
    # a tanh RNN's steps of lr · 0.25 = 5 throw it out of range within 100 steps (loss 20 nats)
    "rnn": {
        "hidden_size": 256,
        "num_layers": 2,
        "dropout": 0.25,
        "tie_weights": True,
        "epochs": 1,
        "lr": 4.0,
    },
    "lstm": {"hidden_size": 256, "num_layers": 2, "dropout": 0.25, "tie_weights": True, "epochs": 4},
    "gru": {"hidden_size": 256, "num_layers": 2, "dropout": 0.25, "tie_weights": True, "epochs": 1},
}
CHECKPOINT_EVERY = 200


def train(
    cell: str,
    language: str,
    train_ids: list[np.ndarray],
    validation_ids: list[np.ndarray],
    vocab,
    seed: int,
    checkpoint: Path,
    log=print,
) -> tuple[RecurrentLM, dict]:
    """Train (or go on training) the ``cell`` model of ``language`` on documents of ids; returns the
    model at its best validation epoch and the run's report."""
    spec = MODELS[cell]
    lr = spec.get("lr", SETTINGS["lr"])
    boundary = vocab.stoi[vocab.EOS]
    stream = np.concatenate([np.concatenate([[boundary], d]) for d in train_ids] + [[boundary]])
    pizarra.manual_seed(seed)
    model = RecurrentLM(
        len(vocab),
        cell,
        spec["hidden_size"],
        spec["hidden_size"],
        num_layers=spec["num_layers"],
        dropout=spec["dropout"],
        tie_weights=spec["tie_weights"],
    )
    run = TruncatedBPTT(
        model,
        stream,
        batch_size=SETTINGS["batch_size"],
        bptt=SETTINGS["bptt"],
        lr=lr,
        clip_norm=SETTINGS["clip_norm"],
        epochs=spec["epochs"],
        seed=seed,
        optimizer=SETTINGS["optimizer"],
    )
    settings = json.dumps(
        {
            "cell": cell,
            "language": language,
            "seed": seed,
            "tokens": int(len(stream)),
            "vocabulary": len(vocab),
            **SETTINGS,
            **spec,
        },
        sort_keys=True,
    )
    saved = load_checkpoint(checkpoint)
    if saved is not None and saved["settings"] == settings:
        run.load_state_dict(saved["run"])
        progress = saved["progress"]
        log(f"  {cell} {language}: resuming at step {run.steps} of {run.trainer.total_steps}")
    else:
        progress = {
            "lr": lr,
            "best": math.inf,
            "best_state": None,
            "history": [],
            "seconds": 0.0,
            "sittings": [],
        }
    progress["sittings"].append({"started_step": run.steps, "load": os.getloadavg()})
    for group in run.trainer.optimizer.param_groups:
        group["lr"] = progress["lr"]

    def keep():
        progress["sittings"][-1]["load_end"] = os.getloadavg()
        save_checkpoint(checkpoint, {"settings": settings, "run": run.state_dict(), "progress": progress})

    losses, started = [], time.perf_counter()
    while not run.trainer.done:
        losses.append(run.step()["loss"])
        progress["seconds"] += time.perf_counter() - started
        started = time.perf_counter()
        if run.steps % 100 == 0:
            log(
                f"  {cell} {language} step {run.steps}/{run.trainer.total_steps}  loss {np.mean(losses[-100:]):.3f}  "
                f"lr {progress['lr']:g}  {progress['seconds']:.0f} s"
            )
        if run.trainer.end_of_epoch:
            validation = perplexity(document_log_probs(model, validation_ids, boundary))
            model.train()
            improved = validation < progress["best"]
            if improved:
                progress["best"], progress["best_state"] = validation, model.state_dict()
            progress["history"].append(
                {
                    "epoch": round(run.trainer.epoch),
                    "step": run.steps,
                    "lr": progress["lr"],
                    "train_loss": float(np.mean(losses[-run.trainer.steps_per_epoch :])),
                    "validation": validation,
                    "seconds": round(progress["seconds"], 1),
                }
            )
            log(
                f"  {cell} {language} epoch {round(run.trainer.epoch)}: validation perplexity {validation:.2f}"
            )
            if not improved:
                progress["lr"] /= SETTINGS["anneal"]
                for group in run.trainer.optimizer.param_groups:
                    group["lr"] = progress["lr"]
            keep()
        elif run.steps % CHECKPOINT_EVERY == 0:
            keep()
    model.load_state_dict(progress["best_state"])
    model.eval()
    report = {
        "cell": cell,
        "language": language,
        "seed": seed,
        **SETTINGS,
        **spec,
        "parameters": sum(p.numel() for p in model.parameters()),
        "steps": run.steps,
        "tokens": int(len(stream)),
        "training_seconds": round(progress["seconds"], 1),
        "sittings": progress["sittings"],
        "history": progress["history"],
        "backend": backend.current().name,
    }
    return model, report
