"""The committed models of the attention page: saving them compactly and loading them back.

- ``attention_subwords.json``: the two subword tables (:class:`pizarra.data.subwords.BPE`) and the
  source and target vocabularies of their pieces — what every translator reads and writes.
- ``attention_<variant>.npz``: one translator each (``none``, ``dot``, ``additive``,
  ``transformer``): its state dict and settings (``config``, JSON), so the page fetches only the
  variants it shows.
- ``attention_mlm.npz``: the masked language model, its vocabulary and settings.

Weights are stored as float16 (half the bytes; the metrics in the model cards are measured with
these rounded weights).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..data import assets
from ..data.subwords import BPE, join, word_spans
from ..data.text import Vocab
from .mlm import MaskedLanguageModel
from .variants import build

SUBWORDS_FILE = "attention_subwords.json"
MLM_FILE = "attention_mlm.npz"


def translator_file(variant: str) -> str:
    return f"attention_{variant}.npz"


def half(state: dict) -> dict:
    """Every array rounded to float16 (what the committed file keeps)."""
    return {name: np.asarray(value, dtype=np.float16) for name, value in state.items()}


class Subwords:
    """Words ↔ pieces ↔ ids for both languages: ``pieces(words)`` (Spanish), ``source_ids``,
    ``target_words(ids)`` (English words from the decoder's ids) and the spans of each word."""

    def __init__(self, spanish: BPE, english: BPE, source: Vocab, target: Vocab):
        self.spanish, self.english, self.source, self.target = spanish, english, source, target

    def pieces(self, words: list[str]) -> list[str]:
        return self.spanish.encode(words)

    def source_ids(self, pieces: list[str]) -> np.ndarray:
        return self.source.encode(pieces)

    def target_pieces(self, ids) -> list[str]:
        return self.target.decode(ids)

    def target_words(self, ids) -> list[str]:
        return join(self.target.decode(ids))

    @staticmethod
    def spans(pieces: list[str]) -> list[tuple[int, int]]:
        return word_spans(pieces)

    def to_dict(self) -> dict:
        return {
            "es": self.spanish.to_dict(),
            "en": self.english.to_dict(),
            "source": self.source.itos,
            "target": self.target.itos,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Subwords":
        return cls(
            BPE.from_dict(data["es"]), BPE.from_dict(data["en"]), Vocab(data["source"]), Vocab(data["target"])
        )


def save_subwords(path: Path, subwords: Subwords) -> None:
    Path(path).write_text(json.dumps(subwords.to_dict(), ensure_ascii=False))


def load_subwords(path: Path | None = None) -> Subwords:
    return Subwords.from_dict(
        json.loads(Path(path or assets.path(SUBWORDS_FILE)).read_text(encoding="utf-8"))
    )


def save_translator(path: Path, model, config: dict) -> None:
    np.savez_compressed(path, **half(model.state_dict()), config=np.array(json.dumps(config)))


def load_translator(variant: str, path: Path | None = None):
    """The committed translator of ``variant`` (evaluation mode) and its settings."""
    with np.load(path or assets.path(translator_file(variant))) as data:
        config = json.loads(str(data["config"]))
        model = build(variant, config["source_size"], config["target_size"])
        model.load_state_dict({k: data[k] for k in data.files if k != "config"})
    return model.eval(), config


def save_mlm(path: Path, model: MaskedLanguageModel, vocab: Vocab, config: dict) -> None:
    np.savez_compressed(
        path,
        **half(model.state_dict()),
        **{"vocab": np.array(vocab.itos), "config": np.array(json.dumps(config))},
    )


def load_mlm(path: Path | None = None) -> tuple[MaskedLanguageModel, Vocab, dict]:
    """``(model, vocab, config)`` from the committed file."""
    with np.load(path or assets.path(MLM_FILE)) as data:
        config = json.loads(str(data["config"]))
        vocab = Vocab(data["vocab"].tolist())
        model = MaskedLanguageModel(len(vocab), **config["model"])
        model.load_state_dict({k: data[k] for k in data.files if k not in ("vocab", "config")})
    return model.eval(), vocab, config
