"""The language-models page's engine calls (pizarra.demos.lm): JSON in and out."""

import base64
import json

import numpy as np
import pytest

from pizarra import demos
from pizarra.demos.door import Refused

COURSE = "I am Sam\nSam I am\nI do not like green eggs and ham"


def call(function, **args):
    return json.loads(demos.call(function, json.dumps(args)))


def test_counts_of_the_course_corpus_in_reading_order():
    table = call("lm_counts", corpus_text=COURSE)
    assert table["rows"] == ["<s>", "I", "am", "Sam", "do", "not", "like", "green", "eggs", "and", "ham"]
    assert table["columns"][-1] == "</s>"
    i, j = table["rows"].index("I"), table["columns"].index("am")
    assert table["counts"][i][j] == 2 and table["row_totals"][i] == 3
    assert table["probabilities"][i][j] == pytest.approx(2 / 3)
    for row, total in zip(table["probabilities"], table["row_totals"]):
        assert sum(row) == pytest.approx(1.0 if total else 0.0)


def test_a_long_corpus_shows_its_most_frequent_tokens():
    text = "\n".join(" ".join(f"w{i}" for i in range(k, k + 6)) for k in range(30))
    table = call("lm_counts", corpus_text=text)
    assert table["shown"] == 14 and table["tokens"] == 35 and len(table["columns"]) == 15


def test_counting_refuses_an_empty_or_huge_corpus():
    with pytest.raises(Refused, match="empty: corpus_text"):
        call("lm_counts", corpus_text="  \n ")
    with pytest.raises(Refused, match="too-long: corpus_text"):
        call("lm_counts", corpus_text="a " * 20_000)


def test_sparsity_of_the_course_example():
    answer = call(
        "lm_sparsity",
        corpus_text="I want two beers\nI want three beers",
        context="want four",
        word="beers",
        order=3,
    )
    assert answer["context"] == ["want", "four"] and answer["unknown"] == ["four"]
    assert (
        answer["probabilities"]["none"] == 0 and answer["ngram_count"] == 0 and answer["context_count"] == 0
    )
    assert answer["probabilities"]["add-k"] == pytest.approx(1 / 7)
    assert 0 < answer["probabilities"]["kneser-ney"] < 1


def test_side_by_side_is_the_same_however_it_is_asked_for():
    args = dict(
        language="en", cell="gru", order=3, prompt="ROMEO:\nO", temperature=0.9, top_k=8, length=30, seed=4
    )
    whole = call("lm_generate", **args)
    first, second = (
        call("lm_generate", **args, start=0, count=12),
        call("lm_generate", **args, start=12, count=18),
    )
    for side in ("ngram", "rnn"):
        assert first[side]["tokens"] + second[side]["tokens"] == whole[side]["tokens"]
        assert len(whole[side]["tokens"]) == 30
        for token, p, top in zip(whole[side]["tokens"], whole[side]["p"], whole[side]["top"]):
            assert len(top) == 10 and all(a[1] >= b[1] for a, b in zip(top, top[1:]))
            assert p > 0 and token in [c for c, _ in top]  # top-k 8 ≤ 10 shown
    assert whole["prompt"] == list("ROMEO:\nO") and whole["unknown"] == []
    other = call("lm_generate", **{**args, "seed": 5})
    assert other["rnn"]["tokens"] != whole["rnn"]["tokens"]


def test_unknown_prompt_characters_and_an_empty_prompt():
    answer = call("lm_generate", language="en", cell="rnn", prompt="a☃b", length=5)
    assert answer["unknown"] == ["☃"] and answer["prompt"] == ["a", "<unk>", "b"]
    assert call("lm_generate", language="en", cell="rnn", prompt="", length=3)["prompt"] == []


@pytest.mark.parametrize(
    "bad", [dict(temperature=3), dict(top_k=-1), dict(length=401), dict(cell="cnn"), dict(order=6)]
)
def test_generation_refuses_settings_out_of_range(bad):
    with pytest.raises(ValueError):
        call("lm_generate", **{"language": "en", "cell": "rnn", "length": 5, **bad})


def test_inside_the_lstm_after_a_generation():
    answer = call("lm_generate", language="en", cell="lstm", prompt="AB", length=7, temperature=0)
    gates = call("lm_inside", what="f")
    assert gates["steps"] == 2 + 7 and gates["tokens"] == ["A", "B"] + answer["rnn"]["tokens"]
    values = np.frombuffer(base64.b64decode(gates["values"]), np.int8).reshape(gates["steps"], gates["units"])
    assert values.min() >= 0  # a gate lies in [0, 1]
    assert set(gates["available"]) == {"h", "c", "f", "i", "g", "o"}
    with pytest.raises(Refused, match="not-a-choice: what"):
        call("lm_inside", what="r")


def test_live_training_on_pasted_text():
    text = "\n\n".join(["the cat sat on the mat."] * 40)
    info = call(
        "lm_train_start", cell="gru", source="text", text=text, hidden_size=16, bptt=8, batch_size=4, seed=1
    )
    assert info["vocabulary"] == len(set(text.replace("\n\n", ""))) + 3
    steps = call("lm_train_steps", budget_ms=1, max_steps=3)
    assert steps["step"] == len(steps["losses"]) == len(steps["grad_norms"]) >= 1
    sample = call("lm_train_sample", length=10, seed=2)
    assert len(sample["tokens"]) == 10 and sample == call("lm_train_sample", length=10, seed=2)


def test_live_training_refuses_text_over_200_kb_and_bad_settings():
    with pytest.raises(Refused, match="too-long: text"):
        call("lm_train_start", source="text", text="é" * (100 * 1024 + 1))
    with pytest.raises(Refused, match="out-of-range: bptt"):
        call("lm_train_start", source="text", text="abc " * 1000, bptt=1000)
    with pytest.raises(Refused, match="too-short: text"):
        call("lm_train_start", source="text", text="abc", bptt=8, batch_size=4)


@pytest.mark.parametrize("clip", [False, True])
def test_the_exploding_preset_explodes_unclipped_and_not_clipped(clip):
    """Unclipped, the gradient norm passes 10× the clipping threshold (1) within 200 steps; clipped it never does."""
    from pizarra.lm.settings import EXPLODING

    call("lm_train_start", source="en", clip=clip, **EXPLODING)
    norms = []
    while len(norms) < 200:
        norms += call("lm_train_steps", budget_ms=10_000, max_steps=200 - len(norms))["grad_norms"]
    largest = max(n if n is not None else float("inf") for n in norms)
    assert (largest > 10) != clip
