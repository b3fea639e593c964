"""The settings the Embeddings page may send, with their bounds and choices (the page's
``web/js/pages/embeddings/state.js`` declares the same; ``tests/test_schemas.py`` compares them).

Live training (``embeddings_train_start``) takes the word2vec fields; the count pipeline on a
corpus (``embeddings_corpus_counts``) the ``count_`` fields.
The engine's door (:mod:`pizarra.demos.door`) checks every call against them.
"""

from __future__ import annotations

RANGES = {
    "dim": (2, 300),
    "window": (1, 10),
    "negatives": (1, 20),
    "alpha": (0.0, 1.0),
    "sample": (0.0, 0.01),
    "lr": (0.0001, 0.2),
    "epochs": (1, 20),
    "seed": (0, 2**31 - 1),
    "min_count": (1, 50),
    "count_window": (1, 10),
    "count_dim": (2, 300),
}
CHOICES = {
    "model": ("sgns", "cbow"),
    "source": ("en", "es", "text"),
    "count_source": ("en", "es"),
    "count_weighting": ("raw", "tfidf", "ppmi"),
}
WHOLE = ("dim", "window", "negatives", "epochs", "seed", "min_count", "count_window", "count_dim")
