"""Character-level recurrent language models: BPTT gradients against finite differences, truncated
BPTT's layout and cut, the step-by-step reader against ``pizarra.nn``, perplexity's bookkeeping."""

import math

import numpy as np
import pytest

import pizarra
from pizarra.data.text import Vocab
from pizarra.gradcheck import gradcheck
from pizarra.lm import NGramModel, RecurrentLM, TruncatedBPTT
from pizarra.lm.reading import RecurrentReader, write
from pizarra.lm.recurrent import (
    IGNORE,
    bptt_batches,
    detach,
    negative_log_likelihood,
    paragraph_groups,
    perplexity,
)
from pizarra.nn import functional as F

CELLS = ["rnn", "lstm", "gru"]


def tiny(cell, vocab_size=6, seed=0):
    pizarra.manual_seed(seed)
    return RecurrentLM(vocab_size, cell, embedding_dim=3, hidden_size=4)


def ids(shape, high=6, seed=1):
    return np.random.default_rng(seed).integers(0, high, size=shape)


@pytest.mark.parametrize("cell", CELLS)
def test_bptt_gradients_match_finite_differences(cell):
    model = tiny(cell).double()
    x, y = ids((2, 5)), ids((2, 5), seed=2)

    def loss(*params):
        scores, _ = model(pizarra.tensor(x))
        return F.cross_entropy(scores.reshape(-1, 6), pizarra.tensor(y.reshape(-1)))

    assert gradcheck(loss, list(model.parameters()))


@pytest.mark.parametrize("cell", CELLS)
def test_a_carried_state_continues_the_sequence_and_cuts_the_gradient(cell):
    model = tiny(cell).double()
    x = ids((2, 6))
    whole, _ = model(pizarra.tensor(x))
    first, state = model(pizarra.tensor(x[:, :3]))
    second, _ = model(pizarra.tensor(x[:, 3:]), detach(state))
    np.testing.assert_allclose(second.numpy(), whole.numpy()[:, 3:], rtol=1e-12, atol=1e-12)
    # Truncated BPTT: the second chunk's loss sends no gradient into the first chunk's tokens.
    model.zero_grad()
    second.sum().backward()
    only_first = sorted(set(x[:, :3].ravel()) - set(x[:, 3:].ravel()))
    grad = model.embedding.weight.grad
    assert np.all(grad[only_first] == 0) and np.abs(grad).sum() > 0


def test_bptt_batches_by_hand():
    stream = np.arange(23)
    inputs, targets = bptt_batches(stream, batch_size=2, length=3)
    # 2 rows of 3·3 + 1 = 10 tokens (0–9 and 10–19), 3 chunks of 3 steps; 20–22 left over
    assert inputs.shape == (3, 2, 3)
    assert inputs[0].tolist() == [[0, 1, 2], [10, 11, 12]]
    assert inputs[1].tolist() == [[3, 4, 5], [13, 14, 15]]
    assert targets[2].tolist() == [[7, 8, 9], [17, 18, 19]]
    with pytest.raises(ValueError, match="too few"):
        bptt_batches(np.arange(5), batch_size=2, length=3)


@pytest.mark.parametrize("cell, layers, tied", [(c, 1, False) for c in CELLS] + [(c, 2, True) for c in CELLS])
def test_the_reader_steps_the_same_network(cell, layers, tied):
    pizarra.manual_seed(0)
    model = RecurrentLM(
        7, cell, embedding_dim=4, hidden_size=4, num_layers=layers, dropout=0.3, tie_weights=tied
    ).eval()
    vocab = Vocab(["<unk>", "<s>", "</s>", "a", "b", "c", "d"])
    text = list("abcadbb")
    reader = RecurrentReader(model, vocab, text)
    sequence = np.concatenate([[vocab.stoi["</s>"]], vocab.encode(text)])[None]
    scores, state = model(pizarra.tensor(sequence))
    expected = F.softmax(scores, dim=-1).numpy()[0, -1]
    np.testing.assert_allclose(reader.distribution(), expected, rtol=1e-5, atol=1e-6)
    h = (state[0] if cell == "lstm" else state).numpy()[:, 0]  # every layer's last h
    np.testing.assert_allclose(np.stack(reader.h), h, rtol=1e-5, atol=1e-6)
    record = reader.advance(3)  # the top layer's step
    np.testing.assert_allclose(record["h"], reader.h[-1])
    if cell == "lstm":
        np.testing.assert_allclose(record["h"], record["o"] * np.tanh(record["c"]))
        assert all(0 < record[g].min() and record[g].max() < 1 for g in "fio")
    if cell == "gru":
        assert all(0 < record[g].min() and record[g].max() < 1 for g in "rz")


def test_tied_embeddings_are_one_parameter_and_every_layer_learns():
    pizarra.manual_seed(0)
    model = RecurrentLM(
        6, "lstm", embedding_dim=4, hidden_size=4, num_layers=2, dropout=0.0, tie_weights=True
    ).double()
    assert model.decoder.weight is model.embedding.weight
    assert len(list(model.parameters())) == len(model.state_dict()) - 1  # the shared table counted once
    x, y = ids((2, 5)), ids((2, 5), seed=2)

    def loss(*params):
        scores, _ = model(pizarra.tensor(x))
        return F.cross_entropy(scores.reshape(-1, 6), pizarra.tensor(y.reshape(-1)))

    assert gradcheck(loss, list(model.parameters()))
    with pytest.raises(ValueError, match="tied"):
        RecurrentLM(6, "lstm", embedding_dim=3, hidden_size=4, tie_weights=True)


def test_document_log_probs_predict_what_an_ngram_predicts_in_the_same_order():
    from pizarra.lm.recurrent import document_log_probs

    vocab = Vocab(["<unk>", "<s>", "</s>", "a", "b", "c"])
    documents = [list("abca"), list("cb"), list("aab")]
    model = RecurrentLM(6, "gru", embedding_dim=3, hidden_size=4).eval()
    log_p = document_log_probs(model, [vocab.encode(d) for d in documents], vocab.stoi["</s>"])
    ngram = NGramModel(2, "add-k").fit(documents, vocab)
    assert len(log_p) == len(ngram.log_probs(documents)) == sum(len(d) + 1 for d in documents)
    # the second document, from a zero state after </s>: its own tokens and its closing </s>
    second = np.r_[vocab.stoi["</s>"], vocab.encode(documents[1]), vocab.stoi["</s>"]]
    scores, _ = model(pizarra.tensor(second[None, :-1]))
    expected = F.log_softmax(scores, dim=-1).numpy()[0, np.arange(3), second[1:]]
    np.testing.assert_allclose(log_p[5:8], expected, rtol=1e-6)


def test_a_bptt_run_resumed_from_its_state_goes_on_exactly():
    stream = ids(400, high=6, seed=4)

    def run():
        return TruncatedBPTT(
            tiny("lstm", seed=2), stream, batch_size=4, bptt=8, lr=0.5, optimizer="sgd", clip_norm=0.25
        )

    whole = run()
    losses = [whole.step()["loss"] for _ in range(9)]
    first = run()
    resumed = [first.step()["loss"] for _ in range(4)]
    second = run()
    second.load_state_dict(first.state_dict())
    resumed += [second.step()["loss"] for _ in range(5)]
    assert resumed == losses


def test_writing_with_a_seed_is_reproducible():
    model = tiny("lstm", vocab_size=7)
    vocab = Vocab(["<unk>", "<s>", "</s>", "a", "b", "c", "d"])

    def text(seed):
        reader = RecurrentReader(model, vocab, list("ab"))
        return [token for token, *_ in write(reader, 40, 1.0, 4, np.random.default_rng(seed))]

    assert text(5) == text(5) and len(text(5)) == 40
    assert any(text(seed) != text(5) for seed in range(6))


def test_paragraph_groups_predict_every_token_once_as_an_ngram_model_does():
    paragraphs = [np.array(p) for p in ([3, 4, 5], [4], [5, 5, 3, 4], [3, 3])]
    inputs, targets = paragraph_groups(paragraphs, groups=3, boundary=2)
    # n-gram bookkeeping: each paragraph's tokens and its </s>
    assert (targets != IGNORE).sum() == sum(len(p) + 1 for p in paragraphs)
    assert inputs[:, 0].tolist() == [2, 2, 2]
    assert sorted(targets[targets != IGNORE].tolist()) == sorted(
        sum(([*p.tolist(), 2] for p in paragraphs), [])
    )
    sentences = [[str(t) for t in p] for p in paragraphs]
    assert NGramModel(2).fit(sentences).log_likelihood(sentences)[1] == (targets != IGNORE).sum()


def test_perplexity_is_the_exponential_of_the_mean_negative_log_likelihood():
    model = tiny("gru", vocab_size=6)
    paragraphs = [ids(n, seed=n) for n in (5, 9, 3, 7)]
    stream = np.concatenate([np.concatenate([[2], p]) for p in paragraphs] + [[2]])
    scores, _ = model(pizarra.tensor(stream[None, :-1]))
    nll = -F.log_softmax(scores, dim=-1).numpy()[0, np.arange(len(stream) - 1), stream[1:]]
    assert perplexity(model, paragraphs, boundary=2, groups=1) == pytest.approx(
        math.exp(nll.mean()), rel=1e-5
    )
    total, count = negative_log_likelihood(model, *paragraph_groups(paragraphs, 1, 2), chunk=4)
    assert count == len(stream) - 1 and total == pytest.approx(nll.sum(), rel=1e-5)


def test_truncated_bptt_learns_and_is_reproducible_however_it_is_split():
    stream = np.tile(np.array([3, 4, 5, 3, 5, 4, 2]), 40)

    def run(seed, splits):
        pizarra.manual_seed(seed)
        trainer = TruncatedBPTT(tiny("lstm", seed=seed), stream, batch_size=4, bptt=8, lr=0.03, seed=seed)
        return [r for n in splits for r in [trainer.step() for _ in range(n)]]

    results = run(0, [12])
    assert [r["loss"] for r in results] == [r["loss"] for r in run(0, [5, 7])]
    assert np.mean([r["loss"] for r in results[-3:]]) < 0.8 * np.mean([r["loss"] for r in results[:3]])
    assert all(r["grad_norm"] > 0 for r in results)


def test_clipping_rescales_the_gradient_and_without_it_the_norm_is_still_measured():
    stream = np.tile(np.arange(2, 6), 50)

    def norm_after_step(clip_norm):
        pizarra.manual_seed(0)
        run = TruncatedBPTT(tiny("rnn"), stream, batch_size=2, bptt=20, clip_norm=clip_norm)
        measured = run.step()["grad_norm"]
        return measured, math.sqrt(sum(float((p.grad**2).sum()) for p in run.model.parameters()))

    measured, kept = norm_after_step(None)
    assert kept == pytest.approx(measured, rel=1e-5) and measured > 1e-3
    measured_clipped, kept_clipped = norm_after_step(1e-3)
    assert measured_clipped == pytest.approx(measured, rel=1e-6)
    assert kept_clipped == pytest.approx(1e-3, rel=1e-3)
