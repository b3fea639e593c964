"""Comparing the two kinds of language model on held-out text, as the page's table shows them.

- :func:`ngram_table`: test perplexity of every order (1–5) with no smoothing, add-k (the ``k``
  that does best on validation) and Kneser–Ney.
- :func:`interpolation`: ``p(w | h) = λ p_rnn(w | h) + (1 - λ) p_ngram(w | h)``, one ``λ`` chosen on
  validation (Mikolov et al. 2011: the two make different mistakes, so the mixture beats both).
- :func:`by_context_count`: the held-out tokens split by how often the n-gram's context (the
  ``n - 1`` tokens before) was seen in training — never, rarely, often — and each model's
  perplexity on each part: where counting runs out, and where it holds its ground.

Every figure is a perplexity ``exp(-(1/N) Σ log p)`` over the same tokens for every model: every
token of every held-out document (or paragraph) and its closing ``</s>``.
"""

from __future__ import annotations

import math

import numpy as np

from .ngram import NGramModel, context_keys

ORDERS = (1, 2, 3, 4, 5)
ADD_K = (1.0, 0.1, 0.01, 0.001)
LAMBDAS = tuple(round(0.05 * i, 2) for i in range(1, 20))
# Context seen 0 times: "never"; 1 … RARELY times: "rarely"; more: "often".
RARELY = 9


def perplexity(log_p: np.ndarray) -> float:
    return math.exp(-float(np.mean(log_p)))


def ngram_table(train: list, validation: list, test: list, vocab, log=print) -> tuple[list[dict], dict]:
    """Rows ``{"model": "ngram", order, smoothing, k, validation, test}`` for every order and
    smoothing, and the fitted Kneser–Ney models by order (to prune, save and compare)."""
    rows, kneser_ney = [], {}
    for order in ORDERS:
        for smoothing in ("none", "add-k", "kneser-ney"):
            k = None
            if smoothing == "add-k":
                tried = {
                    k: NGramModel(order, "add-k", k=k).fit(train, vocab).perplexity(validation) for k in ADD_K
                }
                k = min(tried, key=tried.get)
            model = NGramModel(order, smoothing, k=k or 1.0).fit(train, vocab)
            if smoothing == "kneser-ney":
                kneser_ney[order] = model
            rows.append(
                {
                    "model": "ngram",
                    "order": order,
                    "smoothing": smoothing,
                    "k": k,
                    "validation": model.perplexity(validation),
                    "test": model.perplexity(test),
                }
            )
            log(
                f"  {order}-gram {smoothing:10s} {'' if k is None else f'k={k:<5g}'} test perplexity {rows[-1]['test']:.3f}"
            )
    return rows, kneser_ney


def interpolation(
    rnn_validation: np.ndarray, ngram_validation: np.ndarray, rnn_test: np.ndarray, ngram_test: np.ndarray
) -> dict:
    """The ``λ`` of :data:`LAMBDAS` with the lowest validation perplexity of the mixture, and the
    mixture's validation and test perplexity (arguments: each token's log-probability)."""

    def mixed(rnn, ngram, lam):
        return np.logaddexp(np.log(lam) + rnn, np.log1p(-lam) + ngram)

    scores = {lam: perplexity(mixed(rnn_validation, ngram_validation, lam)) for lam in LAMBDAS}
    best = min(scores, key=scores.get)
    return {
        "lambda": best,
        "validation": scores[best],
        "test": perplexity(mixed(rnn_test, ngram_test, best)),
        "log_p": mixed(rnn_test, ngram_test, best),
    }


def context_counts(model: NGramModel, documents: list) -> np.ndarray:
    """For every predicted token of ``documents`` (in :meth:`NGramModel.log_probs`'s order), how
    many times the ``n - 1`` tokens before it were seen in training as a context of ``model``'s
    top order (an unpruned model: ``a(u) = c(u)``)."""
    windows = np.concatenate([model._windows(model._padded(list(d))) for d in documents])
    level = model.levels[-1]
    j, found = level.find(context_keys(windows[:, :-1]))
    return np.where(found, level.totals[j], 0).astype(np.int64)


def by_context_count(counts: np.ndarray, log_probs: dict[str, np.ndarray]) -> list[dict]:
    """``[{"part": "never" | "rarely" | "often", "share": fraction of tokens, model: perplexity, …}]``."""
    parts = {"never": counts == 0, "rarely": (counts >= 1) & (counts <= RARELY), "often": counts > RARELY}
    return [
        {
            "part": name,
            "tokens": int(mask.sum()),
            "share": float(mask.mean()),
            **{model: perplexity(lp[mask]) if mask.any() else None for model, lp in log_probs.items()},
        }
        for name, mask in parts.items()
    ]
