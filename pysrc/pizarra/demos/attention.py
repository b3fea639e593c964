"""The attention page: Spanish→English translation by four translators with visible alignments,
decoding step by step (greedy, and beam search with length normalisation and a coverage penalty),
and a masked language model's self-attention head by head.

The committed models are assets: the page asks the engine for ``attention_subwords.json`` and the
``attention_<variant>.npz`` it shows (translation calls) and ``attention_mlm.npz`` (self-attention
calls) with ``{assets: [...]}``.
"""

from __future__ import annotations

from pizarra import notebooks
from pizarra.attention import explain, pretrained
from pizarra.attention.variants import VARIANTS
from pizarra.notebooks import attention as notebook_recipe

from .door import NOTEBOOK, Choice, Items, Maybe, Number, Refused, Text, Whole, takes

__all__ = ["attention_translate", "attention_steps", "attention_mask", "attention_notebook"]

MAX_SENTENCE = 300  # characters of a sentence (web/js/pages/attention/state.js: sentence, masked)
# The arguments of the functions below, declared once (pizarra.demos.door); decoding's ranges are explain.RANGES
SENTENCE = Text(MAX_SENTENCE)
VARIANT = Choice(VARIANTS)
DECODING = {
    "beam": Whole(*explain.RANGES["beam"]),
    "alpha": Number(*explain.RANGES["alpha"]),
    "beta": Number(*explain.RANGES["beta"]),
}
PART = Whole(0, 63)  # a layer's or a head's index: the function checks it against the model's own counts

_loaded = {}


def _subwords():
    if "subwords" not in _loaded:
        _loaded["subwords"] = pretrained.load_subwords()
    return _loaded["subwords"]


def _translator(variant: str):
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; one of {', '.join(VARIANTS)}")
    if variant not in _loaded:
        _loaded[variant] = pretrained.load_translator(variant)[0]
    return _loaded[variant]


def _masked_lm():
    if "mlm" not in _loaded:
        _loaded["mlm"] = pretrained.load_mlm()
    return _loaded["mlm"]


@takes(sentence=SENTENCE, variants=Maybe(Items(VARIANT, len(VARIANTS))), **DECODING)
def attention_translate(
    sentence: str,
    variants: list | None = None,
    beam: int = explain.DECODING["beam"],
    alpha: float = explain.DECODING["alpha"],
    beta: float = explain.DECODING["beta"],
) -> dict:
    """Each variant's translation of ``sentence`` (all four unless ``variants`` names some) with one
    decoding (``beam`` 1: greedy; length normalisation ``alpha``, coverage penalty ``beta``): words,
    pieces, the attention matrix over the source pieces and merged into words (the Transformer's
    per layer and head too); the source as read, which words are unknown, and notices
    (``empty``, ``cut``, ``period``, ``unknown``)."""
    models = {v: _translator(v) for v in (variants or VARIANTS)}
    return explain.translations(models, _subwords(), sentence, {"beam": beam, "alpha": alpha, "beta": beta})


@takes(sentence=SENTENCE, variant=VARIANT, **DECODING)
def attention_steps(
    sentence: str,
    variant: str = "additive",
    beam: int = explain.DECODING["beam"],
    alpha: float = explain.DECODING["alpha"],
    beta: float = explain.DECODING["beta"],
) -> dict:
    """One variant's greedy decoding of ``sentence`` step by step (recurrent: ``s_ij, w_ij, c_i, hd_i``;
    Transformer: every layer's and head's ``w_ij``; the likeliest next pieces) and, with ``beam`` ≥ 2,
    beam search's translation and candidates per step, ranked by GNMT's score."""
    return explain.decoding_steps(
        _translator(variant), _subwords(), sentence, {"beam": beam, "alpha": alpha, "beta": beta}
    )


@takes(sentence=SENTENCE)
def attention_mask(sentence: str) -> dict:
    """The masked language model's guesses for each ``[MASK]`` in ``sentence`` and, per layer and
    head, ``Q, K, V``, ``QKᵀ/√d_k`` and its softmax; notices ``empty``, ``no-mask``, ``cut``, ``unknown``."""
    model, vocab, _ = _masked_lm()
    return explain.self_attention(model, vocab, sentence)


# --- the notebook ---------------------------------------------------------------------------


def _array_as_list(array):
    return None if array is None else array.tolist()


@takes(
    **NOTEBOOK,
    sentence=SENTENCE,
    mask_sentence=SENTENCE,
    variant=VARIANT,
    **DECODING,
    step=Whole(0, explain.MAX_OUTPUT),
    layer=PART,
    head=PART,
)
def attention_notebook(
    language: str,
    link: str,
    site: dict,
    sentence: str,
    mask_sentence: str,
    variant: str = "additive",
    beam: int = explain.DECODING["beam"],
    alpha: float = explain.DECODING["alpha"],
    beta: float = explain.DECODING["beta"],
    step: int = 0,
    layer: int = 0,
    head: int = 0,
) -> dict:
    """The page as a Jupyter notebook (:mod:`pizarra.notebooks.attention`): ``sentence`` translated,
    ``variant``'s attention matrix and decoding step ``step``, and ``mask_sentence``'s guesses with
    layer ``layer``, head ``head``. Its ``result`` is what the page shows, computed as the page
    computes it, with every digit."""
    model, vocab, _ = _masked_lm()
    if layer >= len(model.layers):
        raise Refused("out-of-range", "layer", [0, len(model.layers) - 1], layer)
    if head >= model.layers[0].self_attn.num_heads:
        raise Refused("out-of-range", "head", [0, model.layers[0].self_attn.num_heads - 1], head)
    decoding = explain.check_decoding({"beam": beam, "alpha": alpha, "beta": beta})
    decoded = explain.decoding_steps(_translator(variant), _subwords(), sentence, decoding, exact=True)
    translated = explain.translations(
        {v: _translator(v) for v in VARIANTS}, _subwords(), sentence, decoding, exact=True
    )
    masked = explain.self_attention(model, vocab, mask_sentence, exact=True)
    if not translated["words"]:
        raise Refused("empty", "sentence")
    if not masked["tokens"]:
        raise Refused("empty", "mask_sentence")
    step, layer, head = min(max(int(step), 0), len(decoded["steps"]) - 1), int(layer), int(head)
    shown = decoded["steps"][step]
    found = decoded.get("beam")
    result = {
        "words": translated["words"],
        "translations": {v: out["words"] for v, out in translated["variants"].items()},
        "attention": _array_as_list(translated["variants"][variant]["word_weights"]),
        "step": {
            "i": step,
            "piece": shown["piece"],
            "top": shown["top"],
            "weights": _array_as_list(shown["weights"]),
        },
        "beam": None
        if found is None
        else {
            "translation": found["translation"],
            "score": found["score"],
            "candidates": found["steps"][min(step, len(found["steps"]) - 1)],
        },
        "mask": {"tokens": masked["tokens"], "guesses": masked["guesses"]},
        "head": {"layer": layer, "head": head, "weights": masked["layers"][layer]["weights"][head].tolist()},
    }
    files = [
        pretrained.SUBWORDS_FILE,
        *(pretrained.translator_file(v) for v in VARIANTS),
        pretrained.MLM_FILE,
    ]
    return notebooks.page_notebook(
        "attention",
        language,
        ("Atención: traducir y adivinar palabras", "Attention: translating and guessing words"),
        link,
        site,
        files,
        lambda notebook: notebook_recipe.build(
            notebook, sentence, variant, decoding, step, mask_sentence, layer, head
        ),
        result,
    )
