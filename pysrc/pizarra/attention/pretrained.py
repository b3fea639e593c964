"""The committed models of the attention page: saving them compactly and loading them back.

``attention_translator.npz`` holds the three translators (keys ``<variant>.<PyTorch name>``),
both vocabularies (``vocab.source``, ``vocab.target``) and the settings (``config``, JSON);
``attention_mlm.npz`` the masked language model the same way. Weights are stored as float16
(half the bytes; the metrics in the model cards are measured with these rounded weights).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..data import assets
from ..data.text import Vocab
from .mlm import MaskedLanguageModel
from .translator import VARIANTS, Translator

TRANSLATOR_FILE = "attention_translator.npz"
MLM_FILE = "attention_mlm.npz"


def half(state: dict) -> dict:
    """Every array rounded to float16 (what the committed file keeps)."""
    return {name: np.asarray(value, dtype=np.float16) for name, value in state.items()}


def save_translators(path: Path, models: dict, source: Vocab, target: Vocab, config: dict) -> None:
    arrays = {f"{variant}.{name}": value for variant, model in models.items()
              for name, value in half(model.state_dict()).items()}
    np.savez_compressed(path, **arrays, **{"vocab.source": np.array(source.itos), "vocab.target": np.array(target.itos),
                                           "config": np.array(json.dumps(config))})


def load_translators(path: Path | None = None) -> tuple[dict, Vocab, Vocab, dict]:
    """``({variant: Translator}, source vocab, target vocab, config)`` from the committed file."""
    with np.load(path or assets.path(TRANSLATOR_FILE)) as data:
        config = json.loads(str(data["config"]))
        source, target = Vocab(data["vocab.source"].tolist()), Vocab(data["vocab.target"].tolist())
        models = {}
        for variant in VARIANTS:
            model = Translator(len(source), len(target), variant, **config["model"])
            prefix = f"{variant}."
            model.load_state_dict({k[len(prefix):]: data[k] for k in data.files if k.startswith(prefix)})
            models[variant] = model.eval()
    return models, source, target, config


def save_mlm(path: Path, model: MaskedLanguageModel, vocab: Vocab, config: dict) -> None:
    np.savez_compressed(path, **half(model.state_dict()), **{"vocab": np.array(vocab.itos),
                                                             "config": np.array(json.dumps(config))})


def load_mlm(path: Path | None = None) -> tuple[MaskedLanguageModel, Vocab, dict]:
    """``(model, vocab, config)`` from the committed file."""
    with np.load(path or assets.path(MLM_FILE)) as data:
        config = json.loads(str(data["config"]))
        vocab = Vocab(data["vocab"].tolist())
        model = MaskedLanguageModel(len(vocab), **config["model"])
        model.load_state_dict({k: data[k] for k in data.files if k not in ("vocab", "config")})
    return model.eval(), vocab, config
