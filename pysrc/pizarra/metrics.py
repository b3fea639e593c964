"""Evaluation metrics of the course, in NumPy (no scipy, no scikit-learn).

Inputs may be lists, NumPy arrays or tensors; labels are integers.

- ``accuracy``: fraction of correct predictions.
- ``confusion_matrix``: ``M[i, j]`` = examples of true class ``i`` predicted as ``j``.
- ``precision = TP / (TP + FP)``, ``recall = TP / (TP + FN)``,
  ``f1 = 2 P R / (P + R)``; ``average="binary"`` for the positive class,
  ``"macro"`` for the unweighted mean over classes (0 where undefined).
- ``spearman``: Pearson correlation of the ranks (ties get their average rank).
- ``perplexity = exp(mean NLL)`` (natural logarithms).
- ``bleu``: corpus BLEU-4 with brevity penalty.
"""

import math
from collections import Counter

import numpy as np


def _flat(values):
    return np.asarray(values).reshape(-1)


def accuracy(y_true, y_pred):
    """Fraction of positions where ``y_pred == y_true``."""
    y_true, y_pred = _flat(y_true), _flat(y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, num_classes=None):
    """``(K, K)`` counts: row = true class, column = predicted class
    (classes ``0..K-1``; ``K`` defaults to the largest label + 1)."""
    # np.bincount takes the platform's index type (int32 on wasm32, where Pyodide runs).
    y_true, y_pred = _flat(y_true).astype(np.intp), _flat(y_pred).astype(np.intp)
    k = num_classes if num_classes is not None else int(max(y_true.max(), y_pred.max())) + 1
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)


def _counts(y_true, y_pred, average, pos_label):
    """True positives, false positives and false negatives per class considered."""
    y_true, y_pred = _flat(y_true), _flat(y_pred)
    if average == "binary":
        labels = np.array([pos_label])
    elif average == "macro":
        labels = np.unique(np.concatenate([y_true, y_pred]))
    else:
        raise ValueError(f"average must be 'binary' or 'macro', not {average!r}")
    is_true = y_true[None, :] == labels[:, None]
    is_pred = y_pred[None, :] == labels[:, None]
    tp = np.sum(is_true & is_pred, axis=1)
    return tp, np.sum(~is_true & is_pred, axis=1), np.sum(is_true & ~is_pred, axis=1)


def _ratio(num, den):
    return np.divide(num, den, out=np.zeros(len(num)), where=den > 0)


def precision(y_true, y_pred, average="binary", pos_label=1):
    """``TP / (TP + FP)``: of the predicted positives, how many are right."""
    tp, fp, _ = _counts(y_true, y_pred, average, pos_label)
    return float(np.mean(_ratio(tp, tp + fp)))


def recall(y_true, y_pred, average="binary", pos_label=1):
    """``TP / (TP + FN)``: of the true positives, how many were found."""
    tp, _, fn = _counts(y_true, y_pred, average, pos_label)
    return float(np.mean(_ratio(tp, tp + fn)))


def f1(y_true, y_pred, average="binary", pos_label=1):
    """``2 P R / (P + R) = 2 TP / (2 TP + FP + FN)``, per class, then averaged."""
    tp, fp, fn = _counts(y_true, y_pred, average, pos_label)
    return float(np.mean(_ratio(2 * tp, 2 * tp + fp + fn)))


def rankdata(values):
    """Ranks ``1..n``; tied values share the average of their ranks
    (``[10, 20, 20, 30] → [1, 2.5, 2.5, 4]``)."""
    values = _flat(values).astype(np.float64)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts_group = np.r_[True, ordered[1:] != ordered[:-1]]
    starts = np.flatnonzero(starts_group)  # first position of each group
    ends = np.r_[starts[1:], values.size]  # one past its last position
    mean_rank = (starts + 1 + ends) / 2  # mean of ranks starts+1 .. ends
    ranks = np.empty(values.size)
    ranks[order] = mean_rank[np.cumsum(starts_group) - 1]
    return ranks


def spearman(x, y):
    """Spearman's ρ: the Pearson correlation of the ranks of ``x`` and ``y``."""
    rx, ry = rankdata(x), rankdata(y)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    return float(np.sum(rx * ry) / np.sqrt(np.sum(rx**2) * np.sum(ry**2)))


def perplexity(mean_nll):
    """``exp(mean negative log-likelihood per token)``, e.g. of a cross-entropy loss."""
    return float(np.exp(np.asarray(mean_nll, dtype=np.float64)))


def _ngrams(tokens, n):
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def bleu(references, hypotheses, max_n=4, smooth=False):
    """Corpus BLEU (Papineni et al. 2002): ``BP · exp(Σ_n (1/N) log p_n)``.

    ``references[i]`` is a list of reference token lists for hypothesis
    ``hypotheses[i]`` (a single token list is taken as one reference).
    ``p_n`` = clipped matching ``n``-grams / hypothesis ``n``-grams, summed
    over the corpus; clipping counts each ``n``-gram at most as often as it
    appears in one reference. ``BP = 1`` if ``c > r`` else ``exp(1 - r/c)``,
    with ``c`` the hypotheses' length and ``r`` the sum of the reference
    lengths closest to each hypothesis (shorter wins a tie).

    Without smoothing any ``p_n = 0`` gives BLEU 0. ``smooth=True`` adds 1
    to numerator and denominator of ``p_n`` for ``n ≥ 2`` (Lin & Och 2004),
    which keeps short sentences from scoring 0.
    """
    matches, totals = np.zeros(max_n), np.zeros(max_n)
    hyp_length = ref_length = 0
    for refs, hyp in zip(references, hypotheses):
        refs = [refs] if refs and isinstance(refs[0], str) else refs
        hyp_length += len(hyp)
        ref_length += min((abs(len(r) - len(hyp)), len(r)) for r in refs)[1]
        for n in range(1, max_n + 1):
            hyp_grams = _ngrams(hyp, n)
            most = Counter()
            for r in refs:
                most |= _ngrams(r, n)  # element-wise max of counts
            matches[n - 1] += sum(min(count, most[g]) for g, count in hyp_grams.items())
            totals[n - 1] += max(len(hyp) - n + 1, 0)
    if smooth:
        matches[1:] += 1
        totals[1:] += 1
    if hyp_length == 0 or np.any(matches == 0):
        return 0.0
    log_precision = np.mean(np.log(matches / totals))
    brevity = 1.0 if hyp_length > ref_length else math.exp(1 - ref_length / hyp_length)
    return float(brevity * math.exp(log_precision))
