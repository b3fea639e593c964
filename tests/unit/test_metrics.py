"""Metrics against values computed by hand."""

import math

import numpy as np
import pytest

import pizarra
from pizarra import metrics


def test_accuracy_and_confusion_matrix():
    y_true = [0, 1, 2, 2, 1, 0]
    y_pred = [0, 2, 2, 2, 1, 1]
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(4 / 6)
    assert metrics.accuracy(pizarra.tensor(y_true), np.array(y_pred)) == pytest.approx(4 / 6)
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred), [[1, 1, 0], [0, 1, 1], [0, 0, 2]])
    assert metrics.confusion_matrix([0], [0], num_classes=3).shape == (3, 3)


def test_precision_recall_f1_binary_and_macro():
    y_true = [1, 1, 1, 0, 0, 1, 0]
    y_pred = [1, 0, 1, 1, 0, 1, 0]  # TP = 3, FP = 1, FN = 1
    assert metrics.precision(y_true, y_pred) == pytest.approx(3 / 4)
    assert metrics.recall(y_true, y_pred) == pytest.approx(3 / 4)
    assert metrics.f1(y_true, y_pred) == pytest.approx(3 / 4)
    assert metrics.recall(y_true, y_pred, pos_label=0) == pytest.approx(2 / 3)

    y_true = [0, 1, 2, 2, 1, 0]
    y_pred = [0, 2, 2, 2, 1, 1]
    # per class: P = (1, 1/2, 2/3), R = (1/2, 1/2, 1), F1 = (2/3, 1/2, 4/5)
    assert metrics.precision(y_true, y_pred, average="macro") == pytest.approx((1 + 0.5 + 2 / 3) / 3)
    assert metrics.recall(y_true, y_pred, average="macro") == pytest.approx((0.5 + 0.5 + 1) / 3)
    assert metrics.f1(y_true, y_pred, average="macro") == pytest.approx((2 / 3 + 0.5 + 0.8) / 3)
    assert metrics.precision([1, 1], [0, 0]) == 0.0  # no predicted positives: 0, not NaN


def test_spearman_with_ties():
    np.testing.assert_allclose(metrics.rankdata([10, 20, 20, 30]), [1, 2.5, 2.5, 4])
    np.testing.assert_allclose(metrics.rankdata([3, 1, 3, 3]), [3, 1, 3, 3])
    # ranks x = (1, 2.5, 2.5, 4), y = (1, 3, 2, 4); centred: (-1.5, 0, 0, 1.5), (-1.5, .5, -.5, 1.5)
    # ρ = 4.5 / √(4.5 · 5)
    assert metrics.spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(4.5 / math.sqrt(22.5))
    assert metrics.spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1)
    assert metrics.spearman([1, 2, 3, 4], [1, 4, 9, 16]) == pytest.approx(1)


def test_perplexity_of_a_uniform_model_is_the_vocabulary_size():
    assert metrics.perplexity(math.log(5)) == pytest.approx(5)
    assert metrics.perplexity(pizarra.tensor(0.0)) == 1


def test_bleu_by_hand():
    hyp = "the cat sat on the mat".split()
    ref = "the cat is on the mat".split()
    # p1 = 5/6, p2 = 3/5, p3 = 1/4, p4 = 0/3 → 0 without smoothing.
    assert metrics.bleu([[ref]], [hyp]) == 0
    # add-one for n ≥ 2: (5/6 · 4/6 · 2/5 · 1/4)^(1/4); lengths equal → BP = 1.
    assert metrics.bleu([[ref]], [hyp], smooth=True) == pytest.approx((1 / 18) ** 0.25)
    assert metrics.bleu([[hyp]], [hyp]) == pytest.approx(1)
    # Brevity penalty: c = 2, r = 6 → exp(1 - 6/2); p1 = p2 = 1.
    assert metrics.bleu([ref], ["the cat".split()], max_n=2) == pytest.approx(math.exp(-2))
    # Clipping by the best reference: "the" counts at most twice (second reference); r = 3 < c = 4.
    refs = [["the", "cat"], ["the", "the", "mat"]]
    assert metrics.bleu([refs], [["the"] * 4], max_n=1) == pytest.approx(0.5)


def test_bleu_is_a_corpus_statistic():
    # Corpus BLEU sums counts over sentences before dividing (not a mean of sentence scores):
    # p1 = (2 + 1) / (2 + 2), c = r = 4.
    refs = [[["a", "b"]], [["c", "d"]]]
    hyps = [["a", "b"], ["c", "x"]]
    assert metrics.bleu(refs, hyps, max_n=1) == pytest.approx(3 / 4)
