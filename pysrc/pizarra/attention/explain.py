"""What the attention page shows, as plain data: a sentence's translations with their alignments,
one variant's decoding step by step, beam search's candidates, and self-attention head by head.

The same functions feed the page (through :mod:`pizarra.demos.attention`) and the preview that
``build.py train`` precomputes, so both have one shape. Problems with the input come back as
codes (``"empty"``, ``"cut"``, ``"unknown"``, ``"no-mask"``) that the page words in its language.
"""

from __future__ import annotations

import re

import numpy as np

from ..data.text import words
from ..metrics import bleu
from . import corpus, mlm
from .decoding import beam_search, greedy
from .translator import VARIANTS

MAX_SOURCE = corpus.MAX_TOKENS            # the longest source the translators were trained on
MAX_OUTPUT = 25
MAX_BEAM = 8
TOP = 5                                   # candidate words shown per step / per mask
# The settings the page sends (its link SCHEMA, web/js/pages/attention/state.js, agrees).
RANGES = {"beam": (1, MAX_BEAM)}
CHOICES = {"variant": VARIANTS}
MASK_WRITTEN = re.compile(r"\[\s*mask\s*\]", re.IGNORECASE)


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


def source_tokens(text: str, source_vocab) -> dict:
    """The tokens of ``text`` as the translators read them, which are unknown, and notices."""
    tokens = corpus.spanish_tokens(text or "")
    notices = []
    if not tokens:
        return {"tokens": [], "unknown": [], "notices": ["empty"]}
    if len(tokens) > MAX_SOURCE:
        tokens, notices = tokens[:MAX_SOURCE], notices + ["cut"]
    unknown = [t not in source_vocab for t in tokens]
    if any(unknown):
        notices.append("unknown")
    return {"tokens": tokens, "unknown": unknown, "notices": notices}


def translations(models: dict, source_vocab, target_vocab, text: str, exact: bool = False) -> dict:
    """Every variant's greedy translation of ``text`` and its attention matrix ``w`` (rows: the
    output words and ``</s>``; columns: the source tokens; ``None`` for the bottleneck)."""
    _round = _rounder(exact)
    read = source_tokens(text, source_vocab)
    if not read["tokens"]:
        return read
    ids = source_vocab.encode(read["tokens"])
    read["variants"] = {}
    for variant in VARIANTS:
        out = greedy(models[variant], [ids], MAX_OUTPUT)
        read["variants"][variant] = {"tokens": target_vocab.decode(out["tokens"][0]),
                                     "weights": _round(out["weights"][0], 3)}
    return read


def decoding_steps(model, source_vocab, target_vocab, text: str, beam: int = 1, exact: bool = False) -> dict:
    """One variant's greedy decoding of ``text`` step by step: per output position ``i`` the
    scores ``s_ij``, weights ``w_ij``, context ``c_i``, state ``hd_i`` (so ``u_i = [c_i ; hd_i]``)
    and the ``TOP`` most likely next words; with ``beam > 1`` also beam search's result and
    candidates per step."""
    _round = _rounder(exact)
    read = source_tokens(text, source_vocab)
    if not read["tokens"]:
        return read
    ids = source_vocab.encode(read["tokens"])
    out = greedy(model, [ids], MAX_OUTPUT, details=True)
    tokens = target_vocab.decode(out["tokens"][0])
    steps = []
    for i, step in enumerate(out["steps"][:len(tokens) + 1]):
        p = step["probabilities"][0]
        top = np.argsort(p, kind="stable")[::-1][:TOP]
        steps.append({"word": tokens[i] if i < len(tokens) else "</s>",
                      "scores": _round(None if step["scores"] is None else step["scores"][0, :len(ids)]),
                      "weights": _round(None if step["weights"] is None else step["weights"][0, :len(ids)]),
                      "context": _round(step["context"][0], 3), "hd": _round(step["hd"][0], 3),
                      "top": [{"word": target_vocab.itos[k], "p": _round(p[k])} for k in top]})
    read.update(translation=tokens, steps=steps)
    if beam > 1:
        found = beam_search(model, ids, beam, MAX_OUTPUT)
        read["beam"] = {"width": beam, "translation": target_vocab.decode(found["tokens"]),
                        "score": _round(found["score"]), "weights": _round(found["weights"], 3),
                        "steps": [[{"words": target_vocab.decode(c["ids"]), "score": _round(c["score"]),
                                    "finished": c["finished"]} for c in candidates]
                                  for candidates in found["candidates"]]}
    return read


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
        read["guesses"].append({"position": position,
                                "words": [{"word": vocab.itos[k], "p": _round(p[position, k])} for k in top]})
    read["layers"] = [{key: _round(layer[key], 3) for key in ("Q", "K", "V", "scores", "weights")}
                      for layer in mlm.attention_details(model, ids)]
    return read


def showcase(models: dict, source_vocab, target_vocab, test_pairs: list) -> dict:
    """The page's default sentence: among the test pairs of 8–12 source words with no unknown word,
    the one whose additive-attention translation has the highest sentence BLEU (smoothed)."""
    candidates = [p for p in test_pairs if 8 <= len(p["es"]) <= 12 and all(t in source_vocab for t in p["es"])]
    outputs = greedy(models["additive"], [source_vocab.encode(p["es"]) for p in candidates], MAX_OUTPUT)["tokens"]
    scores = [bleu([p["en"]], [target_vocab.decode(o)], smooth=True) for p, o in zip(candidates, outputs)]
    return candidates[int(np.argmax(scores))]


def page_preview(models: dict, source_vocab, target_vocab, test_pairs: list, bleu_tables: dict,
                 masked_lm, mlm_vocab, mlm_example: str) -> dict:
    """What the page shows before Python is ready: the default test sentence's translations and
    the additive variant's steps, the BLEU-by-length table, and the self-attention example."""
    pair = showcase(models, source_vocab, target_vocab, test_pairs)
    text = " ".join(pair["es"])
    return {"sentence": text, "reference": " ".join(pair["en"]), "id": pair["id"],
            "translations": translations(models, source_vocab, target_vocab, text),
            "steps": decoding_steps(models["additive"], source_vocab, target_vocab, text),
            "bleu": bleu_tables, "mask": self_attention(masked_lm, mlm_vocab, mlm_example)}
