"""The committed models' files, and loading them.

``lm_<cell>_<lang>.npz`` (characters) and ``lm_word_<cell>_<lang>.npz`` (words) hold a recurrent
model's state dict in float16 (half the bytes; the perplexities in the cards and tests are those of
the float16 weights), its configuration and its vocabulary (``itos``, the tokens in id order);
``lm_ngram_<level>_<lang>_<order>.npz`` a Kneser–Ney model's counts. The page fetches a file into the engine first
(``{assets: [name]}``); :func:`load` finds it with :func:`pizarra.data.assets.path`. A model trained
on the page goes into the page's notebook in the same layout, in float32 (``save(…, half=False)``,
read back by :func:`read`).
"""

from __future__ import annotations

import json

import numpy as np

from ..data import assets
from ..data.text import Vocab
from ..nn.init import skip_init
from .recurrent import RecurrentLM


def file_name(cell: str, language: str, level: str = "char") -> str:
    return f"lm_{cell}_{language}.npz" if level == "char" else f"lm_word_{cell}_{language}.npz"


def card_name(cell: str, language: str, level: str = "char") -> str:
    return file_name(cell, language, level).replace(".npz", ".md")


def ngram_file_name(level: str, language: str, order: int) -> str:
    """The page's Kneser–Ney model of ``order`` (:meth:`pizarra.lm.NGramModel.save`)."""
    return f"lm_ngram_{level}_{language}_{order}.npz"


def as_committed(state: dict) -> dict:
    """The state dict as stored: every array rounded to float16."""
    return {name: np.asarray(value).astype(np.float16) for name, value in state.items()}


def save(model: RecurrentLM, vocab: Vocab, file, half: bool = True) -> None:
    """The model, its configuration (JSON) and vocabulary as one ``.npz`` (a path or a binary
    file); ``half=False`` keeps the weights in float32, exactly (a model trained on the page, put in
    a notebook). A tied decoder weight is the embedding table: it is stored once."""
    state = model.state_dict()
    if model.tie_weights:
        del state["decoder.weight"]
    state = (
        as_committed(state)
        if half
        else {name: np.asarray(value, dtype=np.float32) for name, value in state.items()}
    )
    np.savez_compressed(file, **state, config=np.array(json.dumps(model.config())), itos=np.array(vocab.itos))


def read(file) -> tuple[RecurrentLM, Vocab]:
    """A model written by :func:`save` (a path or a binary file) and its vocabulary (evaluation mode)."""
    with np.load(file) as data:
        config = json.loads(str(data["config"]))
        with skip_init():  # every parameter is loaded below
            model = RecurrentLM(**config)
        state = {k: data[k] for k in data.files if k not in ("config", "itos")}
        if model.tie_weights:
            state["decoder.weight"] = state["embedding.weight"]
        model.load_state_dict(state)
        return model.eval(), Vocab(data["itos"].tolist())


def load(cell: str, language: str, level: str = "char") -> tuple[RecurrentLM, Vocab]:
    """The committed model of ``cell`` for ``language`` and its vocabulary (evaluation mode)."""
    return read(assets.path(file_name(cell, language, level)))
