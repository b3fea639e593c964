"""Reading and writing text one token at a time, with either kind of model, for generation side by side.

A *reader* follows a text token by token and always knows the distribution of the next token:

- :class:`NGramReader`: ``p(· | last n - 1 tokens)``; after ``</s>`` the context starts again from
  ``<s> … <s>`` when the model's unit ends there (a paragraph of characters), or goes on across it
  when ``</s>`` only ends a sentence of a longer document (words).
- :class:`RecurrentReader`: ``ŷ_t = softmax(c + V h_t)`` after feeding ``</s>`` (the boundary that
  precedes every paragraph or document) and then each token. It steps the trained layers' own
  equations in plain NumPy, one token at a time, and keeps what each step computed in the top layer
  (``h_t``, and for the LSTM ``C_t`` and the gates ``f_t, i_t, C̃_t, o_t``; for the GRU ``r_t, z_t,
  n_t``) for the page's views inside the network. ``tests/unit/test_lm_recurrent.py`` checks it
  against ``pizarra.nn``'s layers.

:func:`write` samples from a reader (:func:`pizarra.lm.sampling.sample`) and advances it.
"""

from __future__ import annotations

import numpy as np

from ..data.text import Vocab
from .sampling import most_probable, sample


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


class NGramReader:
    """Follows a text with an :class:`~pizarra.lm.NGramModel`."""

    def __init__(self, model, tokens=(), restart_at_end: bool = True):
        self.model, self.vocab, self.restart_at_end = model, model.vocab, restart_at_end
        self.bos, self.eos = self.vocab.stoi[Vocab.BOS], self.vocab.stoi[Vocab.EOS]
        self.history = [self.bos] * (model.order - 1)
        for token in self.vocab.encode(list(tokens)):
            self.advance(int(token))

    def distribution(self) -> np.ndarray:
        n = self.model.order
        return self.model._distribution(tuple(self.history[len(self.history) - (n - 1) :]) if n > 1 else ())

    def advance(self, token: int) -> dict:
        restart = token == self.eos and self.restart_at_end
        self.history += [self.bos] * (self.model.order - 1) if restart else [token]
        return {}


class RecurrentReader:
    """Follows a text with a :class:`~pizarra.lm.RecurrentLM` (weights read once, as float64)."""

    def __init__(self, model, vocab: Vocab, tokens=(), record: bool = False):
        self.vocab, self.cell = vocab, model.cell
        self.records = [] if record else None
        rnn = model.rnn
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        self.layers = [
            {name: getattr(rnn, f"{name}_l{layer}").data.astype(np.float64) for name in names}
            for layer in range(rnn.num_layers)
        ]
        self.embedding = model.embedding.weight.data.astype(np.float64)
        self.decoder_w = model.decoder.weight.data.astype(np.float64)
        self.decoder_b = model.decoder.bias.data.astype(np.float64)
        self.h = [np.zeros(rnn.hidden_size) for _ in self.layers]
        self.c = [np.zeros(rnn.hidden_size) for _ in self.layers]
        self.advance(vocab.stoi[Vocab.EOS])
        for token in vocab.encode(list(tokens)):
            self.advance(int(token))

    def distribution(self) -> np.ndarray:
        o = self.decoder_w @ self.h[-1] + self.decoder_b
        e = np.exp(o - o.max())
        return e / e.sum()

    def advance(self, token: int) -> dict:
        """Feed one token: the new state, and what the top layer's step computed (``{"h": h_t, …}``,
        also kept in ``records`` when recording)."""
        x = self.embedding[token]
        for layer in range(len(self.layers)):
            record = self._step(layer, x)
            x = self.h[layer]
        if self.records is not None:
            self.records.append(record)
        return record

    def _step(self, layer: int, x: np.ndarray) -> dict:
        w, h = self.layers[layer], self.h[layer]
        size = len(h)
        x_proj = w["weight_ih"] @ x + w["bias_ih"]  # U x_t + b_i
        h_proj = w["weight_hh"] @ h + w["bias_hh"]  # W h_{t-1} + b_h
        if self.cell == "rnn":
            self.h[layer] = np.tanh(x_proj + h_proj)
            return {"h": self.h[layer]}
        if self.cell == "lstm":
            gates = x_proj + h_proj
            i, f = _sigmoid(gates[:size]), _sigmoid(gates[size : 2 * size])
            g, o = np.tanh(gates[2 * size : 3 * size]), _sigmoid(gates[3 * size :])
            self.c[layer] = f * self.c[layer] + i * g
            self.h[layer] = o * np.tanh(self.c[layer])
            return {"h": self.h[layer], "c": self.c[layer], "f": f, "i": i, "g": g, "o": o}
        r = _sigmoid(x_proj[:size] + h_proj[:size])
        z = _sigmoid(x_proj[size : 2 * size] + h_proj[size : 2 * size])
        n = np.tanh(x_proj[2 * size :] + r * h_proj[2 * size :])
        self.h[layer] = (1 - z) * n + z * h
        return {"h": self.h[layer], "r": r, "z": z, "n": n}


def write(
    reader,
    steps: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: np.random.Generator | None = None,
    keep: int = 0,
):
    """Sample ``steps`` tokens from ``reader``, feeding each back. Yields, per token,
    ``(id, p(id), top)`` with ``top`` the ``keep`` most probable ``(id, p)`` of the model's own
    distribution at that step (before temperature and top-k), and the reader's step record."""
    generator = np.random.default_rng(0) if generator is None else generator
    for _ in range(steps):
        p = reader.distribution()
        token = sample(p, temperature, top_k, generator)
        best = most_probable(p, keep)
        yield token, float(p[token]), [(int(i), float(p[i])) for i in best], reader.advance(token)
