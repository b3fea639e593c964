"""The attention page: Spanish→English translation with visible alignments, decoding step by
step (greedy and beam search), and a masked language model's self-attention head by head.

The committed models are assets: the page asks the engine for ``attention_translator.npz``
(translation calls) and ``attention_mlm.npz`` (self-attention calls) with ``{assets: [...]}``.
"""

from __future__ import annotations

from pizarra import notebooks
from pizarra.attention import explain, pretrained
from pizarra.notebooks import attention as notebook_recipe

__all__ = ["attention_translate", "attention_steps", "attention_mask", "attention_notebook"]

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
    return _decoding_steps(sentence, variant, beam)


def _decoding_steps(sentence: str, variant: str, beam: int, exact: bool = False) -> dict:
    """:func:`attention_steps`, with every digit when ``exact`` (the notebook's result)."""
    if variant not in explain.CHOICES["variant"]:
        raise ValueError(f"unknown variant {variant!r}; one of {', '.join(explain.CHOICES['variant'])}")
    low, high = explain.RANGES["beam"]
    if not low <= int(beam) <= high:
        raise ValueError(f"beam width must be {low}–{high}, not {beam}")
    models, source, target, _ = _translators()
    return explain.decoding_steps(models[variant], source, target, sentence, int(beam), exact)


def attention_mask(sentence: str) -> dict:
    """The masked language model's guesses for each ``[MASK]`` in ``sentence`` and, per layer and
    head, ``Q, K, V``, ``QKᵀ/√d_k`` and its softmax; notices ``empty``, ``no-mask``, ``cut``, ``unknown``."""
    model, vocab, _ = _masked_lm()
    return explain.self_attention(model, vocab, sentence)


# --- the notebook ---------------------------------------------------------------------------

def _array_as_list(array):
    return None if array is None else array.tolist()


def attention_notebook(language: str, link: str, site: dict, sentence: str, mask_sentence: str,
                       variant: str = "additive", beam: int = 1, step: int = 0, layer: int = 0, head: int = 0) -> dict:
    """The page as a Jupyter notebook (:mod:`pizarra.notebooks.attention`): ``sentence`` translated,
    ``variant``'s attention matrix and decoding step ``step`` (beam search of width ``beam``), and
    ``mask_sentence``'s guesses with layer ``layer``, head ``head``. Its ``result`` is what the page
    shows, computed as the page computes it, with every digit."""
    models, source, target, _ = _translators()
    model, vocab, _ = _masked_lm()
    if not (0 <= int(layer) < len(model.layers) and 0 <= int(head) < model.layers[0].self_attn.num_heads):
        raise ValueError(f"no layer {layer}, head {head} in the masked language model")
    decoded = _decoding_steps(sentence, variant, beam, exact=True)          # checks variant and beam
    translated = explain.translations(models, source, target, sentence, exact=True)
    masked = explain.self_attention(model, vocab, mask_sentence, exact=True)
    for read, what in ((translated, "translate"), (masked, "read for [MASK]")):
        if not read["tokens"]:
            raise ValueError(f"there is no sentence to {what}")
    step, beam, layer, head = min(max(int(step), 0), len(decoded["steps"]) - 1), int(beam), int(layer), int(head)
    shown = decoded["steps"][step]
    found = decoded.get("beam")
    result = {
        "tokens": translated["tokens"],
        "translations": {v: out["tokens"] for v, out in translated["variants"].items()},
        "attention": _array_as_list(translated["variants"][variant]["weights"]),
        "step": {"i": step, "word": shown["word"], "top": shown["top"],
                 "scores": _array_as_list(shown["scores"]), "weights": _array_as_list(shown["weights"])},
        "beam": None if found is None else {"translation": found["translation"], "score": found["score"],
                                            "candidates": found["steps"][min(step, len(found["steps"]) - 1)]},
        "mask": {"tokens": masked["tokens"], "guesses": masked["guesses"]},
        "head": {"layer": layer, "head": head, "weights": masked["layers"][layer]["weights"][head].tolist()},
    }
    return notebooks.page_notebook(
        "attention", language, ("Atención: traducir y adivinar palabras", "Attention: translating and guessing words"),
        link, site, [pretrained.TRANSLATOR_FILE, pretrained.MLM_FILE],
        lambda notebook: notebook_recipe.build(notebook, sentence, variant, beam, step, mask_sentence, layer, head),
        result)
