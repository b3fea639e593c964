"""What the attention page shows, as plain data: a sentence's translations by every variant with
their alignments (subword pieces, and the same merged into words), one variant's decoding step by
step, beam search's candidates, and self-attention head by head.

The same functions feed the page (through :mod:`pizarra.demos.attention`) and the preview that
``build.py train`` precomputes, so both have one shape. Problems with the input come back as
codes (``"empty"``, ``"cut"``, ``"unknown"``, ``"no-mask"``) that the page words in its language.
"""

from __future__ import annotations

import re

import numpy as np

from ..data.text import words
from ..tensor import no_grad, tensor
from . import corpus, mlm
from .decoding import beam_search, greedy
from .translator import BOS
from .variants import VARIANTS

MAX_SOURCE = corpus.MAX_TOKENS  # the longest source (words) the translators were trained on
MAX_PIECES = 48  # … and in pieces (the Transformer's positions end at 64)
MAX_OUTPUT = 48  # the longest translation, in pieces
MAX_BEAM = 8
TOP = 5  # candidate words shown per step / per mask
# The page's default decoding (GNMT's values, Wu et al. 2016): beam of 4, length normalisation
# α = 0.6, coverage penalty β = 0.2. ``beam = 1`` is greedy decoding.
DECODING = {"beam": 4, "alpha": 0.6, "beta": 0.2}
# The settings the page sends (its link SCHEMA, web/js/pages/attention/state.js, agrees).
RANGES = {"beam": (1, MAX_BEAM), "alpha": (0, 2), "beta": (0, 1)}
CHOICES = {"variant": VARIANTS}
SENTENCE_ENDS = {".", "?", "!", "…"}
MASK_WRITTEN = re.compile(r"\[\s*mask\s*\]", re.IGNORECASE)


def check_decoding(decoding: dict) -> dict:
    """``decoding`` with every key of :data:`DECODING`, each within :data:`RANGES` (else ValueError)."""
    out = {**DECODING, **(decoding or {})}
    for name, (low, high) in RANGES.items():
        value = out[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise ValueError(f"{name} must be in [{low:g}, {high:g}], got {value!r}")
    out["beam"] = int(out["beam"])
    return {k: out[k] for k in DECODING}


def _rounder(exact: bool):
    """``rounded(value, digits)``: an array or number to the digits the page shows, or with every
    digit it has when ``exact`` (the Python button's notebook compares all of them)."""

    def rounded(value, digits=4):
        if value is None:
            return None
        if np.ndim(value) == 0:
            return float(value) if exact else round(float(value), digits)
        value = np.asarray(value, dtype=np.float64)
        return value if exact else np.round(value, digits)

    return rounded


def read_source(text: str, subwords) -> dict:
    """The words of ``text`` as the translators read them, their pieces, which piece spans each
    word, which words hold a character never seen in training (``unknown``), and notices.

    Nearly every training sentence ends with ``.``, ``?`` or ``!``, and a translator learns to end
    its output after translating that mark: a sentence typed without one is read with a final
    ``.`` (notice ``"period"``), as it would be written."""
    tokens = corpus.spanish_tokens(text or "")
    if not tokens:
        return {"words": [], "pieces": [], "spans": [], "unknown": [], "notices": ["empty"]}
    notices = []
    if len(tokens) > MAX_SOURCE:
        tokens, notices = tokens[:MAX_SOURCE], ["cut"]
    if tokens[-1] not in SENTENCE_ENDS:
        tokens, notices = tokens[: MAX_SOURCE - 1] + ["."], notices + ["period"]
    pieces = subwords.pieces(tokens)
    if len(pieces) > MAX_PIECES:
        pieces = pieces[:MAX_PIECES]
        tokens, notices = tokens[: len(subwords.spans(pieces))], sorted(set(notices) | {"cut"})
    spans = subwords.spans(pieces)
    unknown = [any("<unk>" in p for p in pieces[a:b]) for a, b in spans]
    if any(unknown):
        notices.append("unknown")
    return {"words": tokens, "pieces": pieces, "spans": spans, "unknown": unknown, "notices": notices}


def word_weights(weights: np.ndarray, target_spans: list, source_spans: list) -> np.ndarray:
    """A piece-level alignment ``(target pieces + </s>, source pieces)`` merged into words: the
    weight of target word ``t`` on source word ``s`` is the mean over ``t``'s pieces of the weight
    they put on ``s``'s pieces (so each row still sums to 1); the last row is ``</s>``'s."""
    rows = [weights[a:b].mean(axis=0) for a, b in target_spans] + [weights[-1]]
    rows = np.stack(rows) if rows else np.zeros((0, weights.shape[1]))
    return np.stack([rows[:, a:b].sum(axis=1) for a, b in source_spans], axis=1)


@no_grad()
def alignment(model, source_ids: np.ndarray, target_ids: list[int]):
    """The attention a translation's pieces put on the source, recomputed by teacher forcing on it:
    ``(T+1, S)`` for a recurrent variant (``None`` without attention) and, for the Transformer, every
    layer's and head's ``(layers, heads, T+1, S)``."""
    model.eval()
    previous = np.array([[BOS] + list(target_ids)])
    _, weights = model(tensor(np.asarray(source_ids)[None]), [len(source_ids)], previous)
    if weights is None:
        return None
    return weights.numpy()[:, 0] if weights.ndim == 5 else weights.numpy()[0]


def decode(model, source_ids: np.ndarray, decoding: dict) -> dict:
    """A translation's target ids by ``decoding`` (greedy when ``beam`` is 1), and beam search's
    result when it ran."""
    if decoding["beam"] == 1:
        return {"tokens": greedy(model, [source_ids], MAX_OUTPUT)["tokens"][0], "beam": None}
    found = beam_search(model, source_ids, decoding["beam"], MAX_OUTPUT, decoding["alpha"], decoding["beta"])
    return {"tokens": found["tokens"], "beam": found}


def translation(model, subwords, read: dict, decoding: dict, exact: bool = False) -> dict:
    """One variant's translation of a source read by :func:`read_source`: words, pieces, spans, the
    piece-level attention (``weights``; per layer and head in ``heads`` for the Transformer) and the
    same merged into words (``word_weights``)."""
    _round = _rounder(exact)
    ids = subwords.source_ids(read["pieces"])
    out = decode(model, ids, decoding)
    pieces = subwords.target_pieces(out["tokens"])
    spans = subwords.spans(pieces)
    weights = alignment(model, ids, out["tokens"])
    heads = weights if weights is not None and weights.ndim == 4 else None
    if heads is not None:
        weights = heads[-1].mean(axis=0)  # the last layer, heads averaged
    return {
        "words": subwords.target_words(out["tokens"]),
        "pieces": pieces,
        "spans": spans,
        "weights": _round(weights, 3),
        "heads": _round(heads, 3),
        "word_weights": None if weights is None else _round(word_weights(weights, spans, read["spans"]), 3),
    }


def translations(
    models: dict, subwords, text: str, decoding: dict | None = None, exact: bool = False
) -> dict:
    """Every variant's translation of ``text`` (see :func:`translation`) with one decoding."""
    decoding = check_decoding(decoding)
    read = read_source(text, subwords)
    if not read["words"]:
        return read
    read["decoding"] = decoding
    read["variants"] = {
        variant: translation(model, subwords, read, decoding, exact) for variant, model in models.items()
    }
    return read


def decoding_steps(model, subwords, text: str, decoding: dict | None = None, exact: bool = False) -> dict:
    """One variant's greedy decoding of ``text`` step by step: per output piece ``i`` the likeliest
    next pieces and the attention ``w_ij`` — for a recurrent variant also ``s_ij``, the context
    ``c_i`` and the state ``hd_i`` (so ``u_i = [c_i ; hd_i]``), for the Transformer every layer's and
    head's cross-attention; with ``beam`` ≥ 2 also beam search's result and candidates per step."""
    _round = _rounder(exact)
    decoding = check_decoding(decoding)
    read = read_source(text, subwords)
    if not read["words"]:
        return read
    ids = subwords.source_ids(read["pieces"])
    out = greedy(model, [ids], MAX_OUTPUT, details=True)
    pieces = subwords.target_pieces(out["tokens"][0])
    steps = []
    for i, step in enumerate(out["steps"][: len(pieces) + 1]):
        p = step["probabilities"][0]
        top = np.argsort(p, kind="stable")[::-1][:TOP]
        shown = {
            "piece": pieces[i] if i < len(pieces) else "</s>",
            "weights": _round(None if step["attention"] is None else step["attention"][0, : len(ids)]),
            "top": [{"piece": subwords.target.itos[k], "p": _round(p[k])} for k in top],
        }
        if "heads" in step:
            shown["heads"] = _round(step["heads"][0, :, :, : len(ids)], 3)
        else:
            shown.update(
                scores=_round(None if step["scores"] is None else step["scores"][0, : len(ids)]),
                context=_round(step["context"][0], 3),
                hd=_round(step["hd"][0], 3),
            )
        steps.append(shown)
    read.update(
        translation=subwords.target_words(out["tokens"][0]), pieces_out=pieces, steps=steps, decoding=decoding
    )
    if decoding["beam"] > 1:
        found = decode(model, ids, decoding)["beam"]
        read["beam"] = {
            "width": decoding["beam"],
            "translation": subwords.target_words(found["tokens"]),
            "score": _round(found["score"]),
            "log_p": _round(found["log_p"]),
            "steps": [
                [
                    {
                        "pieces": subwords.target_pieces(c["ids"]),
                        "score": _round(c["score"]),
                        "log_p": _round(c["log_p"]),
                        "finished": c["finished"],
                    }
                    for c in candidates
                ]
                for candidates in found["candidates"]
            ],
        }
    return read


def repeats(tokens: list[str], times: int = 3) -> bool:
    """Whether a token occurs ``times`` or more times in a row (a decoding loop)."""
    run = 1
    for a, b in zip(tokens, tokens[1:]):
        run = run + 1 if a == b else 1
        if run >= times:
            return True
    return False


def page_preview(
    models: dict, subwords, test: list, measured: dict, masked_lm, mlm_vocab, sentence: str, mlm_example: str
) -> dict:
    """What the page shows before Python is ready: the course's sentence translated by every
    variant with the default decoding, the additive variant's steps, the BLEU tables and the
    self-attention example."""
    return {
        "sentence": sentence,
        "translations": translations(models, subwords, sentence),
        "steps": decoding_steps(models["additive"], subwords, sentence, {**DECODING, "beam": 1}),
        "bleu": {
            v: {"greedy": m["test"], "everyday": {k: m["everyday"][k] for k in ("default", "greedy")}}
            for v, m in measured["variants"].items()
        },
        "mask": self_attention(masked_lm, mlm_vocab, mlm_example),
    }


def mask_tokens(text: str, vocab, limit: int) -> dict:
    """The tokens of a sentence with ``[MASK]`` written in it (any case), the masks' positions, and
    notices: ``"empty"``, ``"no-mask"``, ``"cut"`` (over ``limit`` tokens), ``"unknown"``."""
    pieces = MASK_WRITTEN.split(text or "")
    tokens = []
    for k, piece in enumerate(pieces):
        tokens += words(piece)
        if k < len(pieces) - 1:
            tokens.append(mlm.SPECIALS[mlm.MASK])
    notices = []
    if not tokens:
        return {"tokens": [], "masks": [], "unknown": [], "notices": ["empty"]}
    if len(tokens) > limit:
        tokens, notices = tokens[:limit], ["cut"]
    masks = [i for i, t in enumerate(tokens) if t == mlm.SPECIALS[mlm.MASK]]
    unknown = [t not in vocab for t in tokens]
    if not masks:
        notices.append("no-mask")
    if any(unknown):
        notices.append("unknown")
    return {"tokens": tokens, "masks": masks, "unknown": unknown, "notices": notices}


def self_attention(model, vocab, text: str, exact: bool = False) -> dict:
    """The model's ``TOP`` guesses for each ``[MASK]`` of ``text`` and, per layer and head, ``Q, K, V``,
    ``QKᵀ/√d_k`` and its softmax."""
    _round = _rounder(exact)
    read = mask_tokens(text, vocab, model.max_length)
    if not read["tokens"]:
        return read
    ids = vocab.encode(read["tokens"])
    p = mlm.predict(model, ids[None])[0]
    read["guesses"] = []
    for position in read["masks"]:
        top = [k for k in np.argsort(p[position], kind="stable")[::-1] if k >= len(mlm.SPECIALS)][:TOP]
        read["guesses"].append(
            {
                "position": position,
                "words": [{"word": vocab.itos[k], "p": _round(p[position, k])} for k in top],
            }
        )
    read["layers"] = [
        {key: _round(layer[key], 3) for key in ("Q", "K", "V", "scores", "weights")}
        for layer in mlm.attention_details(model, ids)
    ]
    return read
