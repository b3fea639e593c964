"""pizarra.metrics.bleu equals sacrebleu's corpus BLEU on the same tokens, to 0.01 (sacrebleu is a
development-only package: this folder runs in the project venv only)."""

import numpy as np
import pytest
import sacrebleu

from pizarra.metrics import bleu

WORDS = "in the beginning god created the heavens and earth . he said , let there be light".split()


def corpus(seed, size=60):
    """References and hypotheses that share some n-grams: each hypothesis is its reference with
    words dropped, replaced and swapped at random (a seeded generator)."""
    generator = np.random.default_rng(seed)
    references, hypotheses = [], []
    for _ in range(size):
        reference = list(generator.choice(WORDS, size=generator.integers(3, 20)))
        hypothesis = [w for w in reference if generator.random() > 0.15]
        for i in range(len(hypothesis)):
            if generator.random() < 0.15:
                hypothesis[i] = str(generator.choice(WORDS))
        if len(hypothesis) > 2 and generator.random() < 0.3:
            i = int(generator.integers(len(hypothesis) - 1))
            hypothesis[i], hypothesis[i + 1] = hypothesis[i + 1], hypothesis[i]
        references.append(reference)
        hypotheses.append(hypothesis)
    return references, hypotheses


def theirs(references, hypotheses, smooth="none", extra=()):
    streams = [[" ".join(r) for r in references]] + [[" ".join(r) for r in e] for e in extra]
    return sacrebleu.corpus_bleu(
        [" ".join(h) for h in hypotheses], streams, tokenize="none", smooth_method=smooth, force=True
    ).score


@pytest.mark.parametrize("seed", range(5))
def test_corpus_bleu_equals_sacrebleu(seed):
    references, hypotheses = corpus(seed)
    ours = 100 * bleu([[r] for r in references], hypotheses)
    assert 5 < ours < 95
    assert abs(ours - theirs(references, hypotheses)) < 0.01


def test_short_hypotheses_get_the_same_brevity_penalty():
    references, hypotheses = corpus(7)
    hypotheses = [h[: max(1, len(h) // 2)] for h in hypotheses]
    assert abs(100 * bleu([[r] for r in references], hypotheses) - theirs(references, hypotheses)) < 0.01


def test_several_references_clip_to_the_most_in_any_one_and_take_the_closest_length():
    references, hypotheses = corpus(8)
    second, _ = corpus(9)
    ours = 100 * bleu([[a, b] for a, b in zip(references, second)], hypotheses)
    assert abs(ours - theirs(references, hypotheses, extra=[second])) < 0.01


def test_smoothing_is_sacrebleus_add_one():
    references, hypotheses = corpus(10, size=3)
    ours = 100 * bleu([[r] for r in references], hypotheses, smooth=True)
    assert abs(ours - theirs(references, hypotheses, smooth="add-k")) < 0.01


def test_no_four_gram_match_is_zero_for_both():
    references = [["a", "b", "c", "d", "e"]]
    hypotheses = [["a", "c", "b", "e", "d"]]
    assert bleu([[r] for r in references], hypotheses) == 0 == theirs(references, hypotheses)
