"""Embeddings page, models: counts and their weightings on the course's table (by hand), word2vec
gradients against finite differences, training that lowers the loss reproducibly, analogies on a
constructed set whose answers are known."""

import math

import numpy as np
import pytest

from pizarra.embeddings import counts as C
from pizarra.embeddings import projection
from pizarra.embeddings.evaluation import analogies, similarity
from pizarra.embeddings.vectors import UnknownWord, VectorSet
from pizarra.embeddings.word2vec import CBOW, SkipGram, log_sigmoid, sgd_update
from pizarra.embeddings.word2vec_training import (
    Word2VecRun,
    keep_probability,
    noise_distribution,
    unigram_table,
    window_contexts,
    window_pairs,
)
from pizarra.gradcheck import numerical_gradient
from pizarra.metrics import spearman

TABLE = C.COURSE_COUNTS


# --- counts -----------------------------------------------------------------------------------


def test_ppmi_matches_the_definition_cell_by_cell():
    total = TABLE.sum()
    got = C.ppmi(C.Sparse.from_dense(TABLE)).to_dense()
    for w in range(4):
        for c in range(6):
            p_wc = TABLE[w, c] / total
            p_w, p_c = TABLE[w].sum() / total, TABLE[:, c].sum() / total
            assert got[w, c] == pytest.approx(max(math.log(p_wc / (p_w * p_c)), 0.0), rel=1e-12)
    # baseball–player: P(w,c) = 475/5321, P(w) = 1921/5321, P(c) = 996/5321
    assert got[0, 0] == pytest.approx(math.log(475 * 5321 / (1921 * 996)), rel=1e-12)


def test_ppmi_stops_the_dominating_the():
    raw = C.cosine_matrix(TABLE)
    weighted = C.cosine_matrix(C.ppmi(C.Sparse.from_dense(TABLE)).to_dense())
    baseball, basketball, democracy, monarchy = 0, 1, 2, 3
    # Raw counts: baseball is closer to monarchy than to basketball, because of "the" …
    assert raw[baseball, monarchy] > raw[baseball, basketball]
    without_the = C.cosine_matrix(TABLE[:, :5])
    assert without_the[baseball, monarchy] < without_the[baseball, basketball]
    # … and PPMI keeps only the sports together.
    assert weighted[baseball, basketball] > 0.1
    assert weighted[baseball, monarchy] == weighted[baseball, democracy] == 0


def test_tf_idf_on_a_hand_table():
    counts = np.array([[2, 0, 1], [4, 2, 0]], dtype=float)  # 2 documents (rows) × 3 terms (columns)
    got = C.tf_idf(C.Sparse.from_dense(counts)).to_dense()
    # term 0 is in both documents: idf = log(2/2) = 0; terms 1 and 2 in one: idf = log 2
    expected = np.array([[2 / 2 * 0, 0, 1 / 2 * math.log(2)], [4 / 4 * 0, 2 / 4 * math.log(2), 0]])
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


def test_tf_idf_on_the_course_table_zeroes_contexts_every_word_has():
    got = C.tf_idf(C.Sparse.from_dense(TABLE)).to_dense()
    # every context occurs with all four words: idf = log(4/4) = 0 everywhere
    np.testing.assert_array_equal(got, np.zeros_like(TABLE))
    one_missing = TABLE.copy()
    one_missing[0, 3] = 0  # baseball never with "Athenian"
    got = C.tf_idf(C.Sparse.from_dense(one_missing)).to_dense()
    np.testing.assert_allclose(got[1:, 3], one_missing[1:, 3] / one_missing[1:].max(axis=1) * math.log(4 / 3))


def test_cooccurrence_counts_both_directions_within_the_window():
    ids = np.array([0, 1, 2, 0])
    m = C.cooccurrence(ids, 3, window=1).to_dense()
    np.testing.assert_array_equal(m, [[0, 1, 1], [1, 0, 1], [1, 1, 0]])
    m = C.cooccurrence(ids, 3, window=3).to_dense()
    # pairs (0,1)(0,2)(0,0)(1,2)(1,0)(2,0), each in both directions
    np.testing.assert_array_equal(m, [[2, 2, 2], [2, 0, 1], [2, 1, 0]])


def test_sparse_products_and_the_randomised_svd_match_dense_numpy():
    g = np.random.default_rng(0)
    dense = g.poisson(0.3, (40, 30)).astype(float) * g.random((40, 30))
    sparse = C.Sparse.from_dense(dense)
    x = g.standard_normal((30, 4))
    np.testing.assert_allclose(sparse @ x, dense @ x, rtol=1e-12, atol=1e-12)
    w_exact, s_exact = C.truncated_svd(dense, 5)
    w_random, s_random = C.truncated_svd(sparse, 5, iterations=8)
    np.testing.assert_allclose(s_random, s_exact, rtol=1e-6)
    np.testing.assert_allclose(w_random, w_exact, atol=1e-5)
    u, s, vt = np.linalg.svd(dense, full_matrices=False)
    np.testing.assert_allclose(np.abs(C.truncated_svd(dense, 3, power=0)[0]), np.abs(u[:, :3]), atol=1e-12)


# --- word2vec ---------------------------------------------------------------------------------


def _double(model):
    for table in (model.in_embed.weight, model.out_embed.weight):
        table.data = np.random.default_rng(1).normal(0, 0.5, table.data.shape)
    return model


def _dense(model, gradients):
    dense = {
        "in_embed.weight": np.zeros_like(model.in_embed.weight.data),
        "out_embed.weight": np.zeros_like(model.out_embed.weight.data),
    }
    for name, (rows, grads) in gradients.items():
        np.add.at(dense[name], rows, grads)
    return dense


def _finite_differences(model, loss, eps=1e-6):
    return {
        name: numerical_gradient(loss, table, eps)
        for name, table in (
            ("in_embed.weight", model.in_embed.weight.data),
            ("out_embed.weight", model.out_embed.weight.data),
        )
    }


@pytest.mark.parametrize("kind", ["sgns", "cbow"])
def test_word2vec_gradients_match_finite_differences(kind):
    g = np.random.default_rng(0)
    vocab, dim = 7, 4
    model = _double((SkipGram if kind == "sgns" else CBOW)(vocab, dim, g))
    negatives = np.array([[3, 4], [4, 4], [6, 0]])  # repeated rows must add up
    if kind == "sgns":
        inputs, outputs = np.array([0, 2, 0]), np.array([1, 1, 5])
    else:
        inputs, outputs = np.array([[1, 2, -1, 3], [0, -1, -1, 5], [2, 2, 1, 4]]), np.array([0, 3, 6])
    loss, gradients = model.loss_and_gradients(inputs, outputs, negatives)
    numeric = _finite_differences(model, lambda: model.loss_and_gradients(inputs, outputs, negatives)[0])
    for name, analytic in _dense(model, gradients).items():
        np.testing.assert_allclose(analytic, numeric[name], rtol=1e-6, atol=1e-8)


def test_sgns_loss_is_the_course_formula():
    model = _double(SkipGram(5, 3, np.random.default_rng(0)))
    v, v_out = model.in_embed.weight.data, model.out_embed.weight.data
    sigma = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    loss, _ = model.loss_and_gradients(np.array([2]), np.array([4]), np.array([[0, 1]]))
    expected = (
        -math.log(sigma(v[2] @ v_out[4]))
        - math.log(sigma(-v[2] @ v_out[0]))
        - math.log(sigma(-v[2] @ v_out[1]))
    )
    assert loss == pytest.approx(expected, rel=1e-12)


def test_log_sigmoid_is_exact_and_finite_far_out():
    x = np.array([-1000.0, -30.0, -1.5, 0.0, 2.0, 40.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is the right answer
        got = log_sigmoid(x)
    expected = [
        -1000.0,
        -30 - math.log1p(math.exp(-30)),
        -math.log1p(math.exp(1.5)),
        -math.log(2),
        -math.log1p(math.exp(-2)),
        -math.log1p(math.exp(-40)),
        0.0,
    ]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("dim", [3, 4])  # odd rows are added number by number, even ones in pairs
def test_sgd_update_moves_each_touched_row_by_its_summed_gradient(dim):
    model = _double(SkipGram(6, dim, np.random.default_rng(0)))
    before = {
        n: t.data.copy()
        for n, t in (("in_embed.weight", model.in_embed.weight), ("out_embed.weight", model.out_embed.weight))
    }
    _, gradients = model.loss_and_gradients(
        np.array([1, 1, 2]), np.array([3, 3, 0]), np.array([[3, 5], [5, 5], [0, 1]])
    )
    dense = _dense(model, gradients)
    sgd_update(model, gradients, lr=0.1)
    np.testing.assert_allclose(
        model.in_embed.weight.data, before["in_embed.weight"] - 0.1 * dense["in_embed.weight"], rtol=1e-12
    )
    np.testing.assert_allclose(
        model.out_embed.weight.data, before["out_embed.weight"] - 0.1 * dense["out_embed.weight"], rtol=1e-12
    )
    untouched = [0, 3, 4, 5]
    np.testing.assert_array_equal(model.in_embed.weight.data[untouched], before["in_embed.weight"][untouched])


def test_sampling_distributions():
    counts = np.array([81.0, 16.0, 1.0])
    p = noise_distribution(counts, 0.75)
    np.testing.assert_allclose(p, np.array([27.0, 8.0, 1.0]) / 36)
    table = unigram_table(p, size=3600)
    np.testing.assert_array_equal(np.bincount(table), [2700, 800, 100])
    keep = keep_probability(counts, t=0.01)
    np.testing.assert_allclose(
        keep, [math.sqrt(0.01 / (81 / 98)), math.sqrt(0.01 / (16 / 98)), math.sqrt(0.01 / (1 / 98))]
    )
    assert keep_probability(counts, t=0.02)[2] == 1  # f(w) ≤ t: always kept


def test_random_windows_stay_within_the_window_and_the_text():
    ids = np.arange(50)
    centres, contexts = window_pairs(ids, 3, np.random.default_rng(0))
    distance = np.abs(centres - contexts)
    assert distance.min() == 1 and distance.max() == 3
    # the centre's own window b is shared by its pairs: a centre with a pair at distance 3 has all 6 (inside)
    inner = centres[(distance == 3) & (centres >= 3) & (centres < 47)]
    assert all((centres == c).sum() == 6 for c in inner)
    windows = window_contexts(ids, 2, np.random.default_rng(0))
    assert windows.shape == (50, 4)
    assert windows[0, 0] == -1 and windows[0, 1] == -1 and windows[0, 2] == 1


def _toy_corpus(n=4000, seed=0):
    """Two topics that never mix: words 0–4 follow each other, words 5–9 too."""
    g = np.random.default_rng(seed)
    return np.concatenate([g.integers(0, 5, 20, dtype=np.intp) + 5 * (k % 2) for k in range(n // 20)])


@pytest.mark.parametrize("kind", ["sgns", "cbow"])
def test_training_lowers_the_loss_and_separates_the_topics(kind):
    ids = _toy_corpus()
    run = Word2VecRun(
        ids,
        np.bincount(ids),
        model=kind,
        dim=8,
        window=2,
        negatives=3,
        sample=0,
        lr=0.05,
        epochs=5,
        seed=3,
        chunk_words=500,
        batch_size=8,
    )
    losses = [r["loss"] for r in run.run(10_000)]
    assert run.done and np.mean(losses[-4:]) < np.mean(losses[:4])
    vectors = VectorSet([str(i) for i in range(10)], run.model.vectors)
    same = np.mean([vectors.cosine("0", str(j)) for j in range(1, 5)])
    other = np.mean([vectors.cosine("0", str(j)) for j in range(5, 10)])
    assert same > other + 0.5


def test_a_run_is_reproducible_however_its_chunks_are_split():
    ids = _toy_corpus(2000)
    settings = dict(model="sgns", dim=6, window=2, negatives=2, epochs=2, seed=9, chunk_words=300)
    one = Word2VecRun(ids, np.bincount(ids), **settings)
    one.run(100)
    two = Word2VecRun(ids, np.bincount(ids), **settings)
    while not two.done:
        two.run(3)
        np.random.default_rng().random(5)  # other work in between
    np.testing.assert_array_equal(one.model.vectors, two.model.vectors)


# --- vectors and evaluation ---------------------------------------------------------------------


def _analogy_set():
    """Vectors built so that king - man + woman = queen and walking - walk + swim = swimming exactly,
    with distractors."""
    g = np.random.default_rng(0)
    base = {w: g.standard_normal(16) for w in ["man", "king", "walk", "swim", "apple", "river"]}
    gender = g.standard_normal(16)
    tense = g.standard_normal(16)
    base["woman"] = base["man"] + gender
    base["queen"] = base["king"] + gender
    base["walking"] = base["walk"] + tense
    base["swimming"] = base["swim"] + tense
    words = sorted(base)
    return VectorSet(words, np.array([base[w] for w in words]))


def test_analogies_on_a_constructed_set_with_known_answers():
    vectors = _analogy_set()
    for method in ("add", "mul"):
        assert vectors.analogy("man", "woman", "king", method=method)[0][0] == "queen"
        assert vectors.analogy("walk", "walking", "swim", method=method)[0][0] == "swimming"
        answers = [w for w, _ in vectors.analogy("man", "woman", "king", k=20, method=method)]
        assert not {"man", "woman", "king"} & set(answers)
    result = analogies(
        vectors,
        [
            ("man", "woman", "king", "queen"),
            ("walk", "walking", "swim", "swimming"),
            ("man", "king", "woman", "apple"),
            ("man", "woman", "zebra", "queen"),
        ],
    )
    assert result == {"accuracy": 2 / 3, "correct": 2, "covered": 3, "total": 4}


def test_3cosmul_is_the_formula_on_shifted_cosines():
    vectors = _analogy_set()
    a, b, c = (vectors.index[w] for w in ("man", "woman", "king"))
    scores = vectors.analogy_scores(np.array([a]), np.array([b]), np.array([c]), "mul")[0]
    shifted = lambda i, j: (vectors.unit[i] @ vectors.unit[j] + 1) / 2  # noqa: E731
    river = vectors.index["river"]
    assert scores[river] == pytest.approx(
        shifted(river, b) * shifted(river, c) / (shifted(river, a) + 1e-3), rel=1e-5
    )


def test_neighbours_and_unknown_words():
    vectors = VectorSet(["cat", "cats", "dog", "car"], np.array([[1, 0], [0.9, 0.1], [0.6, 0.8], [0, -1.0]]))
    assert [w for w, _ in vectors.neighbours("cat", 3)] == ["cats", "dog", "car"]
    assert vectors.neighbours("Cat", 1)[0][1] == pytest.approx(0.9 / math.hypot(0.9, 0.1))
    with pytest.raises(UnknownWord) as error:
        vectors.neighbours("cta")
    assert "cat" in error.value.suggestions


def test_similarity_score_and_coverage():
    vectors = VectorSet(["a", "b", "c"], np.array([[1, 0], [1, 1], [0, 1.0]]))
    result = similarity(vectors, [("a", "b", 9), ("a", "c", 1), ("b", "c", 8), ("a", "x", 3)])
    assert result["covered"] == 3 and result["total"] == 4
    assert result["spearman"] == pytest.approx(spearman([9, 1, 8], [math.sqrt(0.5), 0, math.sqrt(0.5)]))


# --- projections --------------------------------------------------------------------------------


def test_pca_recovers_the_main_direction():
    t = np.linspace(-1, 1, 9)
    direction = np.array([3.0, 4.0]) / 5
    points = t[:, None] * direction * 10 + np.array([5.0, -2.0])
    xy = projection.pca(points)
    np.testing.assert_allclose(np.abs(xy[:, 0]), np.abs(t * 10), atol=1e-9)
    np.testing.assert_allclose(xy[:, 1], 0, atol=1e-9)


def test_tsne_keeps_two_clusters_apart():
    g = np.random.default_rng(0)
    centres = g.standard_normal((2, 10)) * 5
    points = np.concatenate(
        [centres[0] + g.standard_normal((10, 10)) * 0.1, centres[1] + g.standard_normal((10, 10)) * 0.1]
    )
    xy = projection.tsne(points, perplexity=4, iterations=300, seed=1)
    distance = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    np.fill_diagonal(distance, np.inf)
    nearest = distance.argmin(axis=1)
    assert ((nearest < 10) == (np.arange(20) < 10)).all()  # every word's nearest point is of its cluster
    centre_gap = np.linalg.norm(xy[:10].mean(axis=0) - xy[10:].mean(axis=0))
    assert centre_gap > np.median(distance[np.isfinite(distance)]) * 0.5
    np.testing.assert_array_equal(xy, projection.tsne(points, perplexity=4, iterations=300, seed=1))
