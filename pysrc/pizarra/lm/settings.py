"""The settings the language-model page may ask for, with their bounds and choices (the page's
link SCHEMA in ``web/js/pages/lm/state.js`` declares the same; ``tests/test_schemas.py`` compares).
The engine's door (:mod:`pizarra.demos.door`) checks every call against them."""

from __future__ import annotations

MAX_SEED = 2**31 - 1
RANGES = {
    "order": (1, 5),
    "temperature": (0, 2),
    "top_k": (0, 100),
    "length": (1, 400),
    "seed": (0, MAX_SEED),
    "hidden_size": (8, 256),
    "bptt": (4, 128),
    "batch_size": (1, 64),
    "lr": (0.0001, 5),
}
CHOICES = {
    "language": ("en", "es"),
    "cell": ("rnn", "lstm", "gru"),
    "source": ("en", "es", "text"),
    "level": ("char", "word"),
    "optimizer": ("adam", "sgd"),
}
# Live training's preset where gradients explode (course, section 3): a plain RNN, plain SGD with a
# large step and BPTT over 32 characters. Unclipped, ‖∂L/∂θ‖ jumps from about 1 to hundreds within
# its first ten steps and the loss spikes; clipped to 1 it stays below 5 (measured over seeds 0–3;
# tests/unit/test_lm_demos.py checks seed 0, the preset's).
EXPLODING = {
    "cell": "rnn",
    "optimizer": "sgd",
    "lr": 3.0,
    "bptt": 32,
    "hidden_size": 64,
    "batch_size": 16,
    "seed": 0,
}
WHOLE = ("order", "top_k", "length", "seed", "hidden_size", "bptt", "batch_size")
