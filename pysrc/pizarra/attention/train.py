"""Training the attention page's models: ``python3 build.py train attention``
(``python -m pizarra.attention.train --sources SOURCES.json --out pysrc/pizarra/weights``).

- Four translators (:mod:`.variants`: no attention, dot-product, additive, Transformer) on the
  same subword data (:mod:`.translator_training`), each resumable from its checkpoint, the best
  validation epoch kept.
- The masked language model (:mod:`.mlm`): BERT's 15% masking, Adam on a cosine schedule.

Writes ``attention_subwords.json``, ``attention_<variant>.npz``, ``attention_mlm.npz``, their model
cards (``.md``), the held-out data the tests recompute the metrics on (``attention_test.json``) and
what the page shows before Python is ready (``attention_page.json``).
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

import pizarra

from .. import backend, optim
from ..data.text import Vocab, pad
from ..training import Trainer, cosine_schedule, load_checkpoint, save_checkpoint
from . import cards, corpus, evaluate, explain, mlm, pretrained, translator_training
from .variants import RECURRENT, TRANSFORMER, VARIANTS

MLM = {
    "d_model": 64,
    "nhead": 4,
    "num_layers": 2,
    "dim_feedforward": 128,
    "max_length": corpus.MLM_MAX_TOKENS,
    "dropout": 0.1,
}
MLM_EXAMPLE = "Madrid es la [MASK] de España ."
COURSE_EXAMPLE = "Él trabaja con los dos"
log = functools.partial(print, flush=True)


def _trimmed(batch_ids: np.ndarray) -> np.ndarray:
    """A padded batch without its all-padding right columns."""
    width = int((batch_ids != 0).sum(axis=1).max())
    return batch_ids[:, :width]


def translator_job(variant: str, archives: dict, seed: int, checkpoints: Path) -> tuple:
    """One variant trained (or its finished checkpoint read), in its own process: ``(state, report)``."""
    data = translator_training.prepare(archives["tatoeba"])
    model, report = translator_training.train(variant, data, seed, checkpoints / f"{variant}.pkl", log)
    return pretrained.half(model.state_dict()), report


def train_mlm(
    sentences: dict,
    vocab: Vocab,
    *,
    epochs: int,
    seed: int,
    checkpoint: Path,
    batch_size: int = 64,
    lr: float = 2e-3,
) -> tuple[mlm.MaskedLanguageModel, dict]:
    pizarra.manual_seed(seed)
    model = mlm.MaskedLanguageModel(len(vocab), **MLM)
    ids, _ = pad([vocab.encode(s) for s in sentences["train"]])

    def objective(batch):
        inputs, targets = mlm.choose_masks(_trimmed(batch[0]), pizarra.rng.generator(), len(vocab))
        return mlm.loss(model, inputs, targets)

    trainer = Trainer(
        model,
        optim.Adam(model.parameters(), lr=lr),
        objective,
        [ids],
        batch_size=batch_size,
        epochs=epochs,
        seed=seed,
        clip_norm=1.0,
    )
    trainer.schedule = cosine_schedule(lr, trainer.total_steps)
    settings = json.dumps(
        {"model": MLM, "epochs": epochs, "seed": seed, "lr": lr, "sentences": len(ids)}, sort_keys=True
    )
    saved = load_checkpoint(checkpoint)
    history, seconds = [], 0.0
    if saved is not None and saved["settings"] == settings:
        trainer.load_state_dict(saved["trainer"])
        history, seconds = saved["history"], saved["seconds"]
    while not trainer.done:
        started = time.perf_counter()
        losses = [r["loss"] for r in trainer.run(trainer.steps_per_epoch)]
        seconds += time.perf_counter() - started
        history.append({"epoch": round(trainer.epoch), "loss": float(np.mean(losses))})
        log(f"mlm       epoch {history[-1]['epoch']:2d}  loss {history[-1]['loss']:.3f}")
        save_checkpoint(
            checkpoint,
            {"settings": settings, "trainer": trainer.state_dict(), "history": history, "seconds": seconds},
        )
    model.load_state_dict(pretrained.half(model.state_dict()))
    return model.eval(), {"history": history, "training_seconds": round(seconds, 1)}


def held_out_masks(sentences: list, vocab: Vocab, seed: int) -> list:
    """For each held-out sentence, the positions hidden for evaluation (15%, at least one, never
    ``<unk>``), drawn once from ``seed`` and committed so the tests use the same ones."""
    generator = np.random.default_rng(seed)
    ids, _ = pad([vocab.encode(s) for s in sentences])
    _, targets = mlm.choose_masks(ids, generator, len(vocab))
    return [np.flatnonzero(row != mlm.PAD).tolist() for row in targets]


def mlm_job(archives: dict, epochs: int, seed: int, checkpoints: Path):
    """The masked language model trained and tested (in its own process): ``(state, report, positions, texts, vocab)``."""
    texts = corpus.split_by_position(corpus.wiki_sentences(archives["wiki-offline"]))
    vocab = Vocab.build(texts["train"], min_count=3, max_size=5000, specials=mlm.SPECIALS)
    model, report = train_mlm(texts, vocab, epochs=epochs, seed=seed, checkpoint=checkpoints / "mlm.pkl")
    report["parameters"] = sum(p.numel() for p in model.parameters())
    test_ids, _ = pad([vocab.encode(s) for s in texts["test"]])
    positions = held_out_masks(texts["test"], vocab, seed + 1)
    report["masked_accuracy"] = evaluate.masked_accuracy(model, test_ids, positions)
    guess, report["unigram_accuracy"] = evaluate.unigram_accuracy(
        [vocab.encode(s) for s in texts["train"]], test_ids, positions, len(mlm.SPECIALS)
    )
    report["unigram_guess"] = vocab.itos[guess]
    log(f"mlm: masked accuracy {report['masked_accuracy']:.4f}, unigram {report['unigram_accuracy']:.4f}")
    return model.state_dict(), report, positions, texts, vocab


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Train the attention page's translators and masked language model."
    )
    parser.add_argument("--sources", required=True, help="JSON file: source name -> downloaded archive")
    parser.add_argument("--out", required=True, help="folder for the attention_* files")
    parser.add_argument("--mlm-epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="models trained at once, one process each")
    parser.add_argument(
        "--checkpoints",
        default=str(Path.home() / ".cache" / "pizarra" / "checkpoints" / "attention"),
        help="folder of the runs' checkpoints (a run started again goes on from there)",
    )
    args = parser.parse_args(argv)
    archives = {name: Path(path) for name, path in json.loads(Path(args.sources).read_text()).items()}
    out, checkpoints = Path(args.out), Path(args.checkpoints)
    out.mkdir(parents=True, exist_ok=True)

    # One process per model, every one single-threaded (several BLAS threads per process only wait
    # for each other when the processes share a few cores); each run has its own seeds.
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
    started, load_at_start = time.perf_counter(), os.getloadavg()[0]
    with ProcessPoolExecutor(max_workers=args.jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = {v: pool.submit(translator_job, v, archives, args.seed, checkpoints) for v in VARIANTS}
        masked_job = pool.submit(mlm_job, archives, args.mlm_epochs, args.seed, checkpoints)
        trained = {v: job.result() for v, job in jobs.items()}
        mlm_state, mlm_report, positions, texts, mlm_vocab = masked_job.result()
    data = translator_training.prepare(archives["tatoeba"])
    subwords = pretrained.Subwords(data["tables"]["es"], data["tables"]["en"], data["source"], data["target"])
    pretrained.save_subwords(out / pretrained.SUBWORDS_FILE, subwords)
    models, reports = {}, {}
    for variant, (state, report) in trained.items():
        config = {
            "source_size": data["source_size"],
            "target_size": data["target_size"],
            "seed": args.seed,
            "model": TRANSFORMER if variant == "transformer" else RECURRENT,
        }
        models[variant] = translator_training.build(variant, data["source_size"], data["target_size"])
        models[variant].load_state_dict(state)
        models[variant].eval()
        pretrained.save_translator(out / pretrained.translator_file(variant), models[variant], config)
        reports[variant] = report
    masked_lm = mlm.MaskedLanguageModel(len(mlm_vocab), **MLM)
    masked_lm.load_state_dict(mlm_state)
    masked_lm.eval()
    mlm_config = {
        "model": MLM,
        "seed": args.seed,
        "epochs": args.mlm_epochs,
        "batch_size": 64,
        "lr": 2e-3,
        "min_count": 3,
        "max_size": 5000,
    }
    pretrained.save_mlm(out / pretrained.MLM_FILE, masked_lm, mlm_vocab, mlm_config)

    log("measuring the translators on the test split and the everyday set")
    measured = evaluate.measure_translators(
        models, subwords, data["parts"]["test"], data["everyday"], COURSE_EXAMPLE
    )
    sizes = {
        "pairs": {"train": len(data["parts"]["train"])},
        "sentences": {k: len(data["parts"][k]) for k in ("validation", "test")},
        "everyday": len(data["everyday"]),
        "source_vocab": data["source_size"],
        "target_vocab": data["target_size"],
        "mlm_sentences": {k: len(v) for k, v in texts.items()},
        "mlm_vocab": len(mlm_vocab),
    }
    context = {
        "sizes": sizes,
        "archives": {k: v.name for k, v in archives.items()},
        "backend": backend.current().name,
        "total_seconds": round(time.perf_counter() - started, 1),
        "jobs": args.jobs,
        "cores": os.cpu_count(),
        "load": (load_at_start, os.getloadavg()[0]),
        "decoding": explain.DECODING,
        "merges": translator_training.SUBWORD_MERGES,
        "tokens_per_batch": translator_training.TOKENS_PER_BATCH,
    }
    (out / "attention_test.json").write_text(
        json.dumps(
            {
                "pairs": [{"id": p["id"], "es": p["es"], "en": p["en"]} for p in data["parts"]["test"]],
                "everyday": [{"es": p["es"], "en": p["en"]} for p in data["everyday"]],
                "mlm": {"sentences": texts["test"], "positions": positions},
                "metrics": {
                    "translator": measured,
                    "mlm": {
                        k: mlm_report[k] for k in ("masked_accuracy", "unigram_accuracy", "unigram_guess")
                    },
                },
            },
            ensure_ascii=False,
        )
    )
    (out / "attention_translator.md").write_text(cards.translator_card(reports, measured, context))
    (out / "attention_mlm.md").write_text(cards.mlm_card({**mlm_report}, mlm_config, context))
    preview = explain.page_preview(
        models, subwords, data["parts"]["test"], measured, masked_lm, mlm_vocab, COURSE_EXAMPLE, MLM_EXAMPLE
    )
    (out / "attention_page.json").write_text(
        json.dumps(preview, ensure_ascii=False, default=lambda array: array.tolist())
    )  # NumPy arrays and numbers
    log(f"done in {context['total_seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
