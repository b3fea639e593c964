"""A page's Stop raises KeyboardInterrupt in the call it stops, between any two bytecodes (the
engine's interrupt; SIGINT here). What a page keeps in the engine must stay whole: a training step
is done whole or not at all, and the run then trains on as if it had never been stopped."""

import json
import signal

import numpy as np
import pytest

import pizarra
from pizarra import demos, nn, optim
from pizarra.backprop.lab import Config, TrainingRun
from pizarra.embeddings.word2vec_training import Word2VecRun
from pizarra.nn import functional as F
from pizarra.training import Trainer, uninterrupted


@pytest.fixture(autouse=True)
def python_handles_sigint():
    """Python's own SIGINT handler, as in the browser's engine, even where the test runner was
    started with SIGINT ignored (a background job)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_where_sigint_is_ignored_the_block_changes_nothing():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    done = []
    with uninterrupted():
        stop_now()
        done.append("block")
    done.append("after")
    assert done == ["block", "after"] and signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def stop_now():
    """What the page's Stop does to the running call."""
    signal.raise_signal(signal.SIGINT)


def call(function, **args):
    return json.loads(demos.call(function, json.dumps(args)))


def test_an_interrupt_inside_the_block_waits_for_its_end_and_nested_blocks_for_the_outermost():
    done = []
    with pytest.raises(KeyboardInterrupt):
        with uninterrupted():
            with uninterrupted():
                stop_now()
                done.append("inner")
            done.append("outer")
    assert done == ["inner", "outer"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with pytest.raises(KeyboardInterrupt):  # outside a block it stops at once, as before
        stop_now()
        done.append("never")
    assert done == ["inner", "outer"]


def make_run(stop_at=None):
    data = np.random.default_rng(0)
    x = data.standard_normal((40, 3)).astype(np.float32)
    y = (x.sum(axis=1) > 0).astype(np.float32)
    pizarra.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Dropout(0.3), nn.Linear(8, 1))
    calls = []

    def loss(batch):
        calls.append(1)
        if len(calls) == stop_at:
            stop_now()  # half-way through the step: before its backward and its update
        return F.binary_cross_entropy_with_logits(
            model(pizarra.tensor(batch[0])).reshape(-1), pizarra.tensor(batch[1])
        )

    return model, Trainer(model, optim.Adam(model.parameters(), lr=0.05), loss, (x, y), batch_size=16, seed=5)


def test_a_stopped_training_step_is_whole_and_the_run_trains_on_as_if_never_stopped():
    model_a, whole = make_run()
    losses_a = [r["loss"] for r in whole.run(9)]
    model_b, stopped = make_run(stop_at=3)  # the last step of the first epoch
    losses_b = [r["loss"] for r in stopped.run(2)]
    with pytest.raises(KeyboardInterrupt):
        stopped.step()
    assert stopped.steps == 3  # the step the Stop arrived in was done whole
    losses_b += [r["loss"] for r in stopped.run(6)]
    assert stopped.steps == 9 and losses_b == losses_a[:2] + losses_a[3:]
    for p, q in zip(model_a.parameters(), model_b.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_a_stopped_word2vec_chunk_goes_on_from_the_next_mini_batch():
    ids = np.random.default_rng(3).integers(0, 30, 1500, dtype=np.intp)
    settings = dict(
        model="sgns", dim=6, window=2, negatives=2, sample=0, epochs=1, seed=9, chunk_words=500, batch_size=32
    )
    one = Word2VecRun(ids, np.bincount(ids), **settings)
    one.run(100)
    two = Word2VecRun(ids, np.bincount(ids), **settings)
    two.run(1)
    compute, calls = two.model.loss_and_gradients, []

    def stopped_in_the_middle(*args):
        calls.append(1)
        if len(calls) == 4:
            stop_now()
        return compute(*args)

    two.model.loss_and_gradients = stopped_in_the_middle
    with pytest.raises(KeyboardInterrupt):
        two.step()
    assert two.chunks == 1 and two.progress == 1 / 3  # the chunk under way is not counted yet
    while not two.done:
        two.step()
    np.testing.assert_array_equal(one.model.vectors, two.model.vectors)


def test_a_stopped_lab_step_keeps_its_epoch_and_the_page_catches_up_from_the_step_it_saw():
    config = Config(dataset="xor", batch_size=16, n=64, validation=0.25, seed=3)
    whole, stopped = TrainingRun(config), TrainingRun(config)
    whole.run(12)
    evaluate, calls = stopped.evaluate, []

    def stopped_while_evaluating(*args):
        calls.append(1)
        if len(calls) == 1:
            stop_now()
        return evaluate(*args)

    stopped.evaluate = stopped_while_evaluating
    epoch = stopped.steps_per_epoch
    with pytest.raises(KeyboardInterrupt):
        stopped.run(12)  # stopped as the first epoch ended
    assert stopped.step_count == epoch and len(stopped.epochs) == 1 and len(stopped.grad_norms) == epoch
    stopped.run(12 - epoch)
    assert stopped.epochs == whole.epochs and stopped.grad_norms == whole.grad_norms

    call("backprop_lab_start", dataset="xor", batch_size=16, n=64, validation=0.25, seed=3)
    seen = call("backprop_lab_train", steps=2)
    call("backprop_lab_train", steps=5)  # a call whose answer the page never got (stopped)
    caught_up = call("backprop_lab_train", steps=0, since=seen["step"])
    assert caught_up["step"] == 7 and len(caught_up["grad_norms"]) == 5
    assert [e["step"] for e in caught_up["epochs"]] == [s for s in range(3, 8) if s % epoch == 0]


def test_a_stopped_generation_is_written_again_the_same():
    args = dict(
        language="en", cell="gru", order=3, prompt="ROMEO:\n", temperature=0.9, top_k=8, length=30, seed=4
    )
    whole = call("lm_generate", **args)
    call("lm_generate", **{**args, "seed": 5})  # another generation: the session is written anew
    call("lm_generate", **args, start=0, count=10)
    session = demos.lm._session
    stream = session["rnn"]["stream"]

    def stopped_stream():
        yield next(stream)
        stop_now()

    session["rnn"]["stream"] = stopped_stream()
    with pytest.raises(KeyboardInterrupt):
        call("lm_generate", **args, start=10, count=10)
    rest = call("lm_generate", **args, start=10, count=20)
    for side in ("ngram", "rnn"):
        assert rest[side]["tokens"] == whole[side]["tokens"][10:]
