"""The four translators the page compares, and their sizes: three recurrent encoder–decoders
(:mod:`.translator`: no attention, dot-product, additive) and a Transformer (:mod:`.transformer`)."""

from __future__ import annotations

from .transformer import TransformerTranslator
from .translator import Translator

VARIANTS = ("none", "dot", "additive", "transformer")
RECURRENT = {
    "embedding_dim": 128,
    "hidden_size": 128,
    "attention_size": 128,
    "output_size": 256,
    "dropout": 0.2,
}
TRANSFORMER = {
    "d_model": 128,
    "nhead": 4,
    "num_layers": 2,
    "dim_feedforward": 512,
    "dropout": 0.1,
    "max_length": 64,
}


def build(variant: str, source_size: int, target_size: int):
    """A fresh model of ``variant`` (``pizarra.manual_seed`` first, for its initial weights)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; one of {', '.join(VARIANTS)}")
    if variant == "transformer":
        return TransformerTranslator(source_size, target_size, **TRANSFORMER)
    return Translator(source_size, target_size, variant, **RECURRENT)
