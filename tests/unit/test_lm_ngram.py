"""n-gram language models (course, section 3): counts, probabilities and perplexity against hand
computation, Kneser–Ney distributions that sum to 1, sparsity, reproducible sampling."""

import math
from fractions import Fraction as Q

import numpy as np
import pytest

from pizarra.lm import NGramModel, reweight, sample

SAM = [s.split() for s in ("I am Sam", "Sam I am", "I do not like green eggs and ham")]
BEERS = [s.split() for s in ("I want two beers", "I want three beers")]
# Tokens a model of SAM can predict: the 10 words, </s> and <unk> (never <s>).
SAM_V = 12


def test_bigram_counts_of_the_course_corpus():
    counts = NGramModel(2).fit(SAM).counts()
    assert counts[("<s>", "I")] == 2 and counts[("I", "am")] == 2 and counts[("am", "Sam")] == 1
    assert counts[("Sam", "</s>")] == 1 and counts[("ham", "</s>")] == 1
    assert sum(counts.values()) == 3 + 3 + 8 + 3  # every token and each sentence's </s>


def test_maximum_likelihood_bigrams_by_hand():
    model = NGramModel(2).fit(SAM)
    # p(w | prev) = c(prev, w) / c(prev)
    assert model.prob("I", ["<s>"]) == pytest.approx(2 / 3)
    assert model.prob("I", []) == pytest.approx(2 / 3)  # no context = sentence start
    assert model.prob("Sam", []) == pytest.approx(1 / 3)
    assert model.prob("am", ["I"]) == pytest.approx(2 / 3)
    assert model.prob("do", ["I"]) == pytest.approx(1 / 3)
    assert model.prob("</s>", ["Sam"]) == pytest.approx(1 / 2)
    assert model.prob("Sam", ["am"]) == pytest.approx(1 / 2)
    assert model.prob("ham", ["I"]) == 0.0
    assert model.prob("Sam", ["green", "eggs", "and", "am"]) == pytest.approx(
        1 / 2
    )  # only the last token counts


def test_unigram_probabilities_are_relative_frequencies():
    model = NGramModel(1).fit(SAM)
    assert model.prob("I") == pytest.approx(3 / 17) and model.prob("</s>") == pytest.approx(3 / 17)
    assert model.prob("ham", ["I", "am"]) == pytest.approx(1 / 17)


def test_perplexity_by_hand():
    model = NGramModel(2).fit(SAM)
    # p(<s> I am Sam </s>) = 2/3 · 2/3 · 1/2 · 1/2 = 1/9 over 4 predicted tokens
    assert model.perplexity([["I", "am", "Sam"]]) == pytest.approx(9 ** (1 / 4))
    # two sentences: the product of their probabilities over all their tokens
    p_second = 1 / 3 * 1 / 2 * 2 / 3 * 1 / 2  # <s> Sam I am </s>
    assert model.perplexity([["I", "am", "Sam"], ["Sam", "I", "am"]]) == pytest.approx(
        (1 / 9 * p_second) ** (-1 / 8)
    )
    assert model.perplexity([["I", "like", "Sam"]]) == math.inf  # an unseen bigram


def test_sparsity_without_smoothing_and_what_each_smoothing_gives():
    # Trained on "I want two beers" and "I want three beers": p(beers | want four) = 0.
    assert NGramModel(3).fit(BEERS).prob("beers", ["want", "four"]) == 0.0
    # Add-k: the context (want, <unk>) was never seen, so every token gets k / (k |V|), |V| = 7.
    assert NGramModel(3, "add-k", k=1).fit(BEERS).prob("beers", ["want", "four"]) == pytest.approx(1 / 7)
    assert NGramModel(3, "add-k", k=0.1).fit(BEERS).prob("beers", ["want", "two"]) == pytest.approx(1.1 / 1.7)
    # Kneser–Ney falls back to the continuation unigram: beers follows 2 different words, the
    # other five predicted tokens 1 each (sum 7); n₁ = 5, n₂ = 1, so D = 5/7.
    d = Q(5, 7)
    expected = (2 - d) / 7 + d * 6 / 7 * Q(1, 7)
    assert NGramModel(3, "kneser-ney").fit(BEERS).prob("beers", ["want", "four"]) == pytest.approx(
        float(expected)
    )


def test_add_k_by_hand():
    model = NGramModel(2, "add-k", k=1).fit(SAM)
    assert model.prob("am", ["I"]) == pytest.approx((2 + 1) / (3 + SAM_V))
    assert model.prob("ham", ["I"]) == pytest.approx(1 / (3 + SAM_V))


def test_kneser_ney_bigram_by_hand():
    model = NGramModel(2, "kneser-ney").fit(SAM)
    # Bigrams: 15 different, 13 seen once and 2 twice → D₂ = 13/17.
    # Continuation counts N₁₊(• w): I 2, Sam 2, </s> 3, eight others 1 (sum 15, 11 types) → D₁ = 8/12.
    d2, d1 = Q(13, 17), Q(8, 12)
    p1_am = (1 - d1) / 15 + d1 * 11 / 15 * Q(1, SAM_V)
    p2_am = (2 - d2) / 3 + d2 * 2 / 3 * p1_am  # after I: am 2, do 1
    assert model.prob("am", ["I"]) == pytest.approx(float(p2_am))
    assert model.discounts == pytest.approx([float(d1), float(d2)])


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_kneser_ney_sums_to_one_over_the_vocabulary(order):
    model = NGramModel(order, "kneser-ney").fit(SAM + BEERS)
    contexts = [
        [],
        ["I"],
        ["I", "am"],
        ["Sam", "I"],
        ["want", "four"],
        ["nothing", "seen"],
        ["and", "ham"],
        ["I", "want", "two"],
        ["green", "eggs", "and"],
    ]
    for context in contexts:
        p = model.distribution(context)
        assert p.sum() == pytest.approx(1.0, abs=1e-12)
        assert (p[[i for i, t in enumerate(model.vocab.itos) if t != "<s>"]] > 0).all()
        assert p[model.vocab.stoi["<s>"]] == 0


def test_kneser_ney_sums_to_one_on_characters():
    text = ["the cat sat on the mat", "a hat", "that cat"]
    model = NGramModel(5, "kneser-ney").fit([list(s) for s in text])
    for context in ["", "th", "the c", " ca", "zzzz", "at"]:
        assert model.distribution(list(context)).sum() == pytest.approx(1.0, abs=1e-12)
    assert model.perplexity([list("the hat")]) < model.perplexity([list("xqz jv")])


def test_unknown_tokens_read_as_unk():
    model = NGramModel(2, "add-k").fit(SAM)
    assert model.prob("zebra", ["I"]) == model.prob("<unk>", ["I"])
    assert model.distribution(["zebra"]).sum() == pytest.approx(1.0)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="order"):
        NGramModel(0)
    with pytest.raises(ValueError, match="smoothing"):
        NGramModel(2, "laplace")
    with pytest.raises(ValueError, match="k > 0"):
        NGramModel(2, "add-k", k=0)
    with pytest.raises(RuntimeError, match="fit"):
        NGramModel(2).prob("I", [])


# --- sampling -----------------------------------------------------------------------------------


def test_generation_with_a_fixed_seed_is_reproducible():
    model = NGramModel(2, "kneser-ney").fit(SAM)

    def text(seed):
        return model.generate(
            ["I"],
            max_tokens=30,
            temperature=1.2,
            top_k=5,
            generator=np.random.default_rng(seed),
            stop_at_end=False,
        )

    assert text(7) == text(7)
    assert len(text(7)) == 30
    assert any(text(seed) != text(7) for seed in range(8))


def test_maximum_likelihood_generation_follows_seen_bigrams_and_stops_at_the_end():
    model = NGramModel(2).fit(SAM)
    seen = set(model.counts())
    for seed in range(5):
        tokens = model.generate([], max_tokens=50, generator=np.random.default_rng(seed))
        assert tokens[-1] == "</s>"
        assert all(pair in seen for pair in zip(["<s>"] + tokens[:-1], tokens))


def test_temperature_and_top_k_by_formula():
    p = np.array([0.5, 0.25, 0.15, 0.1, 0.0])
    for t in (0.5, 1.0, 2.0):
        expected = p ** (1 / t) / (p ** (1 / t)).sum()
        assert reweight(p, t) == pytest.approx(expected)
    top2 = reweight(p, 1.0, top_k=2)
    assert top2 == pytest.approx([2 / 3, 1 / 3, 0, 0, 0])
    assert reweight(p, 0.0).tolist() == [1, 0, 0, 0, 0]  # greedy
    assert reweight([0.2, 0.4, 0.4], 0.0).tolist() == [0, 1, 0]  # ties: the lower id


def test_sampling_draws_by_the_cumulative_distribution():
    q = np.array([0.2, 0.0, 0.5, 0.3])
    draws = [sample(q, generator=np.random.default_rng(seed)) for seed in range(2000)]
    counts = np.bincount(draws, minlength=4) / len(draws)
    assert counts[1] == 0
    assert counts == pytest.approx(q, abs=0.04)
    u = np.random.default_rng(3).random()
    assert sample(q, generator=np.random.default_rng(3)) == int(
        np.searchsorted(np.cumsum(q), u, side="right")
    )


def test_sampling_refuses_bad_settings():
    with pytest.raises(ValueError, match="temperature"):
        reweight([0.5, 0.5], -1)
    with pytest.raises(ValueError, match="top-k"):
        reweight([0.5, 0.5], 1, top_k=-2)


# --- counts as arrays: pruning, all probabilities at once, files ---------------------------------


def _words(text):
    return [s.split() for s in text.splitlines() if s.strip()]


CORPUS = _words("""the cat sat on the mat
the dog sat on the log
a cat saw the dog
the cat saw a bird on the mat
a dog and a cat sat together""")


@pytest.mark.parametrize("prune", [0, 1, 2])
def test_a_pruned_kneser_ney_model_still_sums_to_one(prune):
    model = NGramModel(4, "kneser-ney", prune=prune).fit(CORPUS)
    for context in [[], ["the"], ["the", "cat"], ["cat", "sat", "on"], ["a", "dog", "and"], ["zebra", "the"]]:
        p = model.distribution(context)
        assert p.sum() == pytest.approx(1.0, abs=1e-12)
        assert (p[[i for i, t in enumerate(model.vocab.itos) if t != "<s>"]] > 0).all()


def test_pruning_drops_rare_ngrams_of_order_three_and_up_only():
    full, pruned = (NGramModel(3, "kneser-ney", prune=p).fit(CORPUS) for p in (0, 1))
    assert pruned.counts(2) == full.counts(2)  # bigrams are kept whole
    assert set(pruned.counts(3)) == {g for g, a in full.counts(3).items() if a > 1}
    # What a dropped trigram would have given goes to the bigram below: γ(u) = 1 - Σ_kept max(a - D, 0) / a(u)
    assert pruned.perplexity(CORPUS) > full.perplexity(CORPUS)


def test_pruning_is_for_kneser_ney_only():
    with pytest.raises(ValueError, match="Kneser"):
        NGramModel(3, "add-k", prune=1)


@pytest.mark.parametrize("smoothing", ["none", "add-k", "kneser-ney"])
def test_log_probs_of_a_whole_text_equal_one_distribution_at_a_time(smoothing):
    model = NGramModel(3, smoothing, k=0.5).fit(CORPUS)
    held_out = _words("the cat sat on the log\na bird saw the zebra")
    expected = []
    for sentence in held_out:
        history = []
        for word in sentence + ["</s>"]:
            expected.append(model.prob(word, history))
            history.append(word)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(model.log_probs(held_out), np.log(expected), rtol=1e-12)


def test_word_level_perplexity_by_hand_with_unknown_words():
    from pizarra.data.text import Vocab

    train = _words("I am Sam\nSam I am")
    vocab = Vocab(["<unk>", "<s>", "</s>", "I", "am"])  # "Sam" is outside: it reads as <unk>
    model = NGramModel(2).fit(train, vocab)
    # Counts: <s> I 1, <s> <unk> 1, I am 2, am <unk> 1, am </s> 1, <unk> </s> 1, <unk> I 1
    assert model.prob("Sam", ["am"]) == pytest.approx(1 / 2) == model.prob("<unk>", ["am"])
    # p(<s> I am Bob </s>) = 1/2 · 1 · 1/2 · 1/2 (Bob is <unk> too), over 4 predicted tokens
    assert model.perplexity([["I", "am", "Bob"]]) == pytest.approx((1 / 8) ** (-1 / 4))


def test_a_saved_model_reads_back_the_same(tmp_path):
    for model in (
        NGramModel(4, "kneser-ney", prune=1).fit(CORPUS),
        NGramModel(2, "add-k", k=0.1).fit(CORPUS),
    ):
        model.save(tmp_path / "model.npz")
        again = NGramModel.load(tmp_path / "model.npz")
        assert again.vocab.itos == model.vocab.itos and repr(again) == repr(model)
        np.testing.assert_array_equal(again.log_probs(CORPUS), model.log_probs(CORPUS))
        np.testing.assert_array_equal(
            again.distribution(["the", "cat", "sat"]), model.distribution(["the", "cat", "sat"])
        )


def test_the_most_probable_tokens_are_a_stable_sort_s_first_k():
    """most_probable(p, k) (linear time) is argsort(-p, stable)[:k]: largest first, ties by the lower id."""
    from pizarra.lm.sampling import most_probable

    rng = np.random.default_rng(1)
    for trial in range(500):
        n = int(rng.integers(1, 40))
        p = rng.integers(0, 4, n).astype(float) if trial % 2 else rng.random(n)  # many ties, or none
        for k in (0, 1, int(rng.integers(1, n + 1)), n, n + 2):
            assert most_probable(p, k).tolist() == np.argsort(-p, kind="stable")[:k].tolist()
    assert most_probable([0.2, 0.5, 0.2, 0.1], 2).tolist() == [1, 0]
