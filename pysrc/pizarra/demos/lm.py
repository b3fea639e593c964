"""The language-models page: bigram counts of an editable corpus, sparsity and smoothing, an n-gram
and a recurrent model writing side by side, the recurrent model's insides, and live training."""

from __future__ import annotations

import base64
import io
import json
import math
import time

import numpy as np

import pizarra
from pizarra import backend, notebooks
from pizarra.data import assets
from pizarra.data.text import Vocab, words
from pizarra.lm import NGramModel, RecurrentLM, TruncatedBPTT, corpus, models, settings, word_corpus
from pizarra.lm.ngram import SMOOTHINGS, bigram_table
from pizarra.lm.reading import NGramReader, RecurrentReader, write
from pizarra.notebooks import lm as notebook_recipe

from .door import MAX_CALL_MS, NOTEBOOK, Choice, Flag, Maybe, Number, Record, Refused, Text, Whole, takes
from .door import settings as declared

__all__ = [
    "lm_counts",
    "lm_sparsity",
    "lm_generate",
    "lm_inside",
    "lm_train_start",
    "lm_train_steps",
    "lm_train_sample",
    "lm_notebook",
]

MAX_CORPUS = 20_000  # characters of an edited counting corpus
MAX_TABLE = 14  # tokens shown in the bigram table (the most frequent)
MAX_PASTED = 200 * 1024  # bytes of pasted training text (UTF-8)
LIVE_CORPUS = 200_000  # characters of a chosen corpus used for live training
MAX_PROMPT = 200  # characters of a prompt (web/js/pages/lm/state.js: prompt)
MAX_CONTEXT = 100  # characters of the sparsity question's context (state.js: ctx) …
MAX_WORD = 40  # … and of its next word (state.js: word)
MAX_LENGTH = settings.RANGES["length"][1]
MAX_TRAIN_STEPS = 1000  # steps of one lm_train_steps call
SMOOTHING_K = (0.001, 100)  # add-k smoothing's k
# The arguments of the functions below, declared once (pizarra.demos.door)
GENERATION = {
    **declared(settings, "language", "cell", "order", "temperature", "top_k", "length", "seed", "level"),
    "prompt": Text(MAX_PROMPT),
}
SPARSITY = {
    "corpus_text": Text(MAX_CORPUS),
    "context": Text(MAX_CONTEXT),
    "word": Text(MAX_WORD),
    "order": Whole(2, 5),
    "k": Number(*SMOOTHING_K),
}
SAMPLE = declared(settings, "length", "temperature", "seed")
_cache = {}  # ("ngram", language, order) | ("rnn", cell, language) | ("corpus", language) → object
_session = {}  # the last generation: its settings and readers
_live = {}  # the live training run


def _sentences(text: str) -> list[list[str]]:
    sentences = [words(line, lower=False) for line in text.splitlines()]
    sentences = [s for s in sentences if s]
    if not sentences:
        raise Refused("empty", "corpus_text")
    return sentences


@takes(corpus_text=Text(MAX_CORPUS))
def lm_counts(corpus_text: str) -> dict:
    """The bigram counts and probabilities of a corpus written one sentence per line
    (:func:`pizarra.lm.ngram.bigram_table`)."""
    return bigram_table(_sentences(corpus_text), MAX_TABLE)


@takes(**SPARSITY)
def lm_sparsity(corpus_text: str, context: str, word: str, order: int = 3, k: float = 1.0) -> dict:
    """``p(word | context)`` under an ``order``-gram model with each smoothing; whether the context
    and the whole n-gram were seen, and the tokens outside the vocabulary (read as ``<unk>``)."""
    sentences = _sentences(corpus_text)
    context_tokens, word_tokens = words(context, lower=False), words(word, lower=False)
    if len(word_tokens) != 1:
        raise Refused("bad-format", "word", "word", word)
    fitted = {smoothing: NGramModel(order, smoothing, k=k).fit(sentences) for smoothing in SMOOTHINGS}
    counts = fitted["none"].counts()
    ngram = tuple(([Vocab.BOS] * (order - 1) + context_tokens)[-(order - 1) :]) + (word_tokens[0],)
    return {
        "context": list(ngram[:-1]),
        "word": ngram[-1],
        "k": k,
        "probabilities": {
            smoothing: model.prob(ngram[-1], ngram[:-1]) for smoothing, model in fitted.items()
        },
        "ngram_count": counts.get(ngram, 0),
        "context_count": sum(c for key, c in counts.items() if key[:-1] == ngram[:-1]),
        "unknown": [t for t in context_tokens + word_tokens if t not in fitted["none"].vocab],
    }


# --------------------------------------------------------------------------- side by side


def _corpus(language: str) -> dict:
    key = ("corpus", language)
    if key not in _cache:
        _cache[key] = corpus.load(language)
    return _cache[key]


def _ngram(level: str, language: str, order: int) -> NGramModel:
    """The committed Kneser–Ney model of ``order`` (``build.py train lm``; no counting in the page)."""
    key = ("ngram", level, language, order)
    if key not in _cache:
        _cache[key] = NGramModel.load(assets.path(models.ngram_file_name(level, language, order)))
    return _cache[key]


def _recurrent(level: str, cell: str, language: str) -> tuple[RecurrentLM, Vocab]:
    key = ("rnn", level, cell, language)
    if key not in _cache:
        _cache[key] = models.load(cell, language, level)
    return _cache[key]


def tokens_of(level: str, text: str) -> list[str]:
    """A prompt as the models read it: its characters, or its lower-cased words and punctuation."""
    return list(text) if level == "char" else words(text)


def _writer(reader, temperature, top_k, seed):
    return {
        "reader": reader,
        "stream": write(reader, 10**9, temperature, top_k or None, np.random.default_rng(seed), keep=10),
        "tokens": [],
        "p": [],
        "top": [],
    }


@takes(**GENERATION, start=Whole(0, MAX_LENGTH), count=Maybe(Whole(0, MAX_LENGTH)))
def lm_generate(
    language: str = "en",
    cell: str = "lstm",
    order: int = 5,
    prompt: str = "",
    temperature: float = 1.0,
    top_k: int = 0,
    length: int = 200,
    seed: int = 0,
    start: int = 0,
    count: int | None = None,
    level: str = "char",
) -> dict:
    """An n-gram (Kneser–Ney, ``order``) and a recurrent model (``cell``) continue the same prompt
    with the same temperature, top-k and seed, one token at a time — a character, or a word
    (``level``). Returns tokens ``start … start + count`` of each (``</s>`` ends a paragraph or a
    sentence), with ``p`` of each chosen token and the 10 most probable next tokens at that step
    (``top``: ``[token, p]``), and the prompt's tokens outside the vocabulary (read as ``<unk>``).
    The same settings always give the same text, however it is asked for in pieces; a piece a page
    stops (KeyboardInterrupt) drops the half-written session, which the next call writes again."""
    if start > length:
        raise Refused("out-of-range", "start", [0, length], start)
    count = length - start if count is None else count
    if start + count > length:
        raise Refused("out-of-range", "count", [0, length - start], count)
    key = (level, language, cell, order, prompt, temperature, top_k, length, seed)
    model, vocab = _recurrent(level, cell, language)
    tokens = tokens_of(level, prompt)
    if _session.get("key") != key:
        _session.clear()
        ngram = NGramReader(_ngram(level, language, order), tokens, restart_at_end=level == "char")
        _session.update(
            key=key,
            prompt=vocab.decode(vocab.encode(tokens)),
            ngram=_writer(ngram, temperature, top_k, seed),
            rnn=_writer(RecurrentReader(model, vocab, tokens, record=True), temperature, top_k, seed),
        )
    answer = {
        "start": start,
        "prompt": _session["prompt"],
        "unknown": sorted({t for t in tokens if t not in vocab}),
    }
    try:
        for name in ("ngram", "rnn"):
            side = _session[name]
            while len(side["tokens"]) < start + count:
                token, p, top, _ = next(side["stream"])
                itos = side["reader"].vocab.itos
                side["tokens"].append(itos[token])
                side["p"].append(round(p, 5))
                side["top"].append([[itos[i], round(q, 5)] for i, q in top])
            answer[name] = {key_: side[key_][start : start + count] for key_ in ("tokens", "p", "top")}
    except KeyboardInterrupt:
        _session.clear()  # a stream stopped half-way cannot go on: the next call starts it again
        raise
    return answer


INSIDE = {"rnn": ("h",), "lstm": ("h", "c", "f", "i", "g", "o"), "gru": ("h", "r", "z", "n")}
SHOWN = Choice(
    tuple(dict.fromkeys(name for names in INSIDE.values() for name in names))
)  # what any cell has inside


@takes(what=SHOWN)
def lm_inside(what: str = "h") -> dict:
    """What the recurrent model of the last generation computed at every step (the prompt and the
    characters written so far): ``what`` = ``h`` (hidden state), LSTM ``c`` (cell), gates ``f``,
    ``i``, ``g`` (candidate C̃), ``o``; GRU ``r``, ``z``, ``n``. ``values``: base64 of int8
    ``round(127 v / scale)``, ``(steps, units)`` row-major; ``tokens`` the character read at each step."""
    if "rnn" not in _session:
        raise Refused("needs-first", None, "lm_generate")
    reader = _session["rnn"]["reader"]
    if what not in INSIDE[reader.cell]:
        raise Refused("not-a-choice", "what", list(INSIDE[reader.cell]), what)
    records = reader.records[1:]  # the first step reads the boundary </s>
    values = np.array([r[what] for r in records])
    scale = float(np.abs(values).max()) or 1.0
    quantised = np.round(values / scale * 127).astype(np.int8)
    tokens = _session["prompt"] + _session["rnn"]["tokens"][: len(records) - len(_session["prompt"])]
    return {
        "what": what,
        "available": INSIDE[reader.cell],
        "steps": len(records),
        "units": values.shape[1],
        "scale": scale,
        "values": base64.b64encode(quantised.tobytes()).decode(),
        "tokens": tokens,
    }


# --------------------------------------------------------------------------- live training


@takes(
    **declared(settings, "cell", "source", "hidden_size", "bptt", "lr", "batch_size", "seed", "optimizer"),
    text=Text(MAX_PASTED),
    clip=Flag(),
)
def lm_train_start(
    cell: str = "lstm",
    source: str = "en",
    text: str = "",
    hidden_size: int = 64,
    bptt: int = 32,
    clip: bool = True,
    lr: float = 3e-3,
    batch_size: int = 16,
    seed: int = 0,
    optimizer: str = "adam",
) -> dict:
    """A new run of a small recurrent model on the start of a corpus's training split (``source`` =
    ``"en"`` or ``"es"``) or on pasted ``text`` (``source="text"``, at most 200 KB), by truncated
    BPTT with ``bptt`` steps, by ``optimizer`` (``"adam"`` or plain ``"sgd"``: see
    :data:`pizarra.lm.settings.EXPLODING`); the gradient norm is clipped to 1 when ``clip``, else only measured."""
    if source == "text":
        if len(text.encode("utf-8")) > MAX_PASTED:  # the door counted characters; the limit is bytes
            raise Refused("too-long", "text", MAX_PASTED, text)
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    else:
        paragraphs, size = [], 0
        for p in _corpus(source)["train"]:
            if size >= LIVE_CORPUS:
                break
            paragraphs.append(p)
            size += len(p) + 1
    vocab = corpus.char_vocab(paragraphs, min_count=1)
    boundary = vocab.stoi[Vocab.EOS]
    stream = (
        np.concatenate([np.concatenate([[boundary], vocab.encode(list(p))]) for p in paragraphs])
        if paragraphs
        else []
    )
    if len(stream) < batch_size * (bptt + 1):
        raise Refused("too-short", "text", batch_size * (bptt + 1))
    pizarra.manual_seed(seed)
    model = RecurrentLM(len(vocab), cell, 16, hidden_size)
    run = TruncatedBPTT(
        model,
        stream,
        batch_size=batch_size,
        bptt=bptt,
        lr=lr,
        clip_norm=1.0 if clip else None,
        seed=seed,
        optimizer=optimizer,
    )
    _live.clear()
    _live.update(
        run=run,
        vocab=vocab,
        config={
            "cell": cell,
            "source": source,
            "hidden_size": hidden_size,
            "bptt": bptt,
            "clip": clip,
            "lr": lr,
            "batch_size": batch_size,
            "seed": seed,
            "optimizer": optimizer,
        },
    )
    return {
        "characters": int(len(stream)),
        "vocabulary": len(vocab),
        "steps_per_epoch": run.trainer.steps_per_epoch,
        "parameters": sum(p.numel() for p in model.parameters()),
        "backend": backend.current().name,
    }


@takes(budget_ms=Number(0, MAX_CALL_MS), max_steps=Whole(1, MAX_TRAIN_STEPS))
def lm_train_steps(budget_ms: float = 300, max_steps: int = MAX_TRAIN_STEPS) -> dict:
    """Train for about ``budget_ms`` (at least one step, at most ``max_steps``): each step's loss
    (nats per character) and gradient norm before clipping, and characters per second."""
    run = _live.get("run")
    if run is None:
        raise Refused("needs-first", None, "lm_train_start")
    started, results = time.perf_counter(), []
    while len(results) < max_steps and (not results or (time.perf_counter() - started) * 1000 < budget_ms):
        results.append(run.step())
    seconds = time.perf_counter() - started
    chars = len(results) * run.trainer.data[0].shape[1] * run.trainer.data[0].shape[2]
    return {
        "step": run.steps,
        "epoch": run.trainer.epoch,
        "losses": [r["loss"] for r in results],
        "grad_norms": [r["grad_norm"] if math.isfinite(r["grad_norm"]) else None for r in results],
        "characters_per_second": chars / seconds,
        "backend": backend.current().name,
    }


@takes(**SAMPLE, prompt=Text(MAX_PROMPT))
def lm_train_sample(prompt: str = "", length: int = 120, temperature: float = 0.8, seed: int = 0) -> dict:
    """Text from the live model after ``prompt`` (top-k off)."""
    if "run" not in _live:
        raise Refused("needs-first", None, "lm_train_start")
    vocab = _live["vocab"]
    reader = RecurrentReader(_live["run"].model, vocab, list(prompt))
    tokens = [
        vocab.itos[t] for t, *_ in write(reader, length, temperature, None, np.random.default_rng(seed))
    ]
    return {"step": _live["run"].steps, "prompt": prompt, "tokens": tokens}


# --------------------------------------------------------------------------- the notebook


def _sampled(
    reader, length: int, temperature: float, top_k: int | None, seed: int
) -> list[tuple[str, float]]:
    """``length`` characters written by ``reader`` and the probability of each, as the page writes them."""
    itos = reader.vocab.itos
    return [
        (itos[token], p)
        for token, p, *_ in write(reader, length, temperature, top_k or None, np.random.default_rng(seed))
    ]


@takes(
    **NOTEBOOK,
    text=Text(MAX_CORPUS),
    sparsity=Maybe(Record(SPARSITY, optional=("order", "k"))),
    generation=Record(GENERATION, optional=("level",)),
    show=SHOWN,
    live=Maybe(Record(SAMPLE)),
)
def lm_notebook(
    language: str,
    link: str,
    site: dict,
    text: str,
    sparsity: dict | None,
    generation: dict,
    show: str = "h",
    live: dict | None = None,
) -> dict:
    """The page as a Jupyter notebook (:mod:`pizarra.notebooks.lm`): the counting table of ``text``,
    the sparsity question (``lm_sparsity``'s arguments; ``None`` or a question it refuses: left out),
    the generation of ``generation`` (``lm_generate``'s arguments) and ``show`` inside its recurrent
    model, the model trained on the page (``live``: ``lm_train_sample``'s ``length``, ``temperature``
    and ``seed``; left out when none is trained) and the table's perplexities. Its ``result`` is what
    the page shows, computed as the page computes it (the generation's ``p`` unrounded)."""
    try:
        counting = {
            k: v
            for k, v in lm_counts(text).items()
            if k in ("rows", "columns", "counts", "probabilities", "row_totals")
        }
    except ValueError:
        counting, text = None, None
    try:
        sparse = lm_sparsity(**sparsity) if sparsity else None
    except ValueError:
        sparse = None
    g = generation
    if show not in INSIDE[g["cell"]]:
        raise Refused("not-a-choice", "show", list(INSIDE[g["cell"]]), show)
    level = g.get("level", "char")
    model, vocab = _recurrent(level, g["cell"], g["language"])
    chars = tokens_of(level, g["prompt"])
    readers = {
        "ngram": NGramReader(_ngram(level, g["language"], g["order"]), chars, restart_at_end=level == "char"),
        "rnn": RecurrentReader(model, vocab, chars, record=True),
    }
    written = {
        name: _sampled(reader, g["length"], g["temperature"], g["top_k"], g["seed"])
        for name, reader in readers.items()
    }
    values = np.array([r[show] for r in readers["rnn"].records[1:]])
    results = json.loads(assets.path("lm_results.json").read_text())  # build.py train's
    table = results["languages" if level == "char" else "words"][g["language"]]["table"]
    result = {
        "counting": counting,
        "sparsity": None
        if sparse is None
        else {k: sparse[k] for k in ("context", "word", "ngram_count", "context_count", "probabilities")},
        "generation": {
            "prompt": vocab.decode(vocab.encode(chars)),
            **{name: {"tokens": [t for t, _ in w], "p": [p for _, p in w]} for name, w in written.items()},
        },
        "inside": {
            "what": show,
            "steps": values.shape[0],
            "units": values.shape[1],
            "scale": float(np.abs(values).max()),
            "unit_0": values[:, 0].tolist(),
        },
        "live": None,
        # the network's perplexity on the whole test split at character level; at word level on the
        # sample the tests recompute (the notebook steps it in NumPy, too slow for the whole split)
        "perplexity": {
            "ngram": next(
                r["test"]
                for r in table
                if r["model"] == "ngram"
                and r["order"] == g["order"]
                and r["smoothing"] == "kneser-ney"
                and bool(r.get("pruned")) == (level == "word")
            ),
            "rnn": next(
                r["test" if level == "char" else "test_check"]
                for r in table
                if r.get("cell") == g["cell"] and r["model"] == "recurrent"
            ),
        },
    }
    trained = None
    if live and "run" not in _live:
        raise Refused("needs-first", "live", "lm_train_start")  # the engine restarted and lost the model
    if live:
        run, buffer = _live["run"], io.BytesIO()
        models.save(run.model, _live["vocab"], buffer, half=False)
        sample = _sampled(
            RecurrentReader(run.model, _live["vocab"]),
            live["length"],
            live["temperature"],
            None,
            live["seed"],
        )
        result["live"] = {"step": run.steps, "tokens": [t for t, _ in sample], "p": [p for _, p in sample]}
        trained = {"npz": buffer.getvalue(), "config": _live["config"], "step": run.steps, "sample": live}
    test_text = corpus.file_name(g["language"]) if level == "char" else word_corpus.test_file(g["language"])
    files = [
        models.ngram_file_name(level, g["language"], g["order"]),
        models.file_name(g["cell"], g["language"], level),
        test_text,
    ]
    return notebooks.page_notebook(
        "lm",
        language,
        (
            "Modelos de lenguaje: n-gramas contra redes recurrentes",
            "Language models: n-grams against recurrent networks",
        ),
        link,
        site,
        files,
        lambda notebook: notebook_recipe.build(
            notebook, text, sparsity if sparse else None, g, show, trained
        ),
        result,
    )
