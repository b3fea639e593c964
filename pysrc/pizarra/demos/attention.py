"""The attention page: Spanish→English translation with visible alignments, decoding step by
step (greedy and beam search), and a masked language model's self-attention head by head.

The committed models are assets: the page asks the engine for ``attention_translator.npz``
(translation calls) and ``attention_mlm.npz`` (self-attention calls) with ``{assets: [...]}``.
"""

from __future__ import annotations

from pizarra.attention import explain, pretrained

__all__ = ["attention_translate", "attention_steps", "attention_mask"]

_loaded = {}


def _translators():
    if "translators" not in _loaded:
        _loaded["translators"] = pretrained.load_translators()
    return _loaded["translators"]


def _masked_lm():
    if "mlm" not in _loaded:
        _loaded["mlm"] = pretrained.load_mlm()
    return _loaded["mlm"]


def attention_translate(sentence: str) -> dict:
    """Each variant's greedy translation of ``sentence`` with its attention matrix (target × source
    words), the source tokens as read, which are unknown, and notices (``empty``, ``cut``, ``unknown``)."""
    models, source, target, _ = _translators()
    return explain.translations(models, source, target, sentence)


def attention_steps(sentence: str, variant: str = "additive", beam: int = 1) -> dict:
    """One variant's decoding of ``sentence`` step by step (``s_ij, w_ij, c_i, hd_i``, the likeliest
    next words) and, with ``beam`` ≥ 2, beam search's translation and candidates per step."""
    if variant not in explain.CHOICES["variant"]:
        raise ValueError(f"unknown variant {variant!r}; one of {', '.join(explain.CHOICES['variant'])}")
    low, high = explain.RANGES["beam"]
    if not low <= int(beam) <= high:
        raise ValueError(f"beam width must be {low}–{high}, not {beam}")
    models, source, target, _ = _translators()
    return explain.decoding_steps(models[variant], source, target, sentence, int(beam))


def attention_mask(sentence: str) -> dict:
    """The masked language model's guesses for each ``[MASK]`` in ``sentence`` and, per layer and
    head, ``Q, K, V``, ``QKᵀ/√d_k`` and its softmax; notices ``empty``, ``no-mask``, ``cut``, ``unknown``."""
    model, vocab, _ = _masked_lm()
    return explain.self_attention(model, vocab, sentence)
