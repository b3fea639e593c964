"""The engine's door (pizarra.demos.door): every function a page calls declares its arguments, and
a call outside a declaration is refused with its code before the function runs — none of these
tests starts any work: the functions are replaced by one that fails the test if it is called.

The bad values come from the declarations themselves, so a new function or argument is covered
as soon as it is declared."""

import json
import math

import pytest

from pizarra import demos
from pizarra.demos import door
from pizarra.demos.door import (
    ECHO,
    Choice,
    Flag,
    Items,
    Maybe,
    Number,
    Record,
    Refused,
    Table,
    Text,
    Whole,
    takes,
)

FUNCTIONS = sorted(name for module in demos.MODULES for name in module.__all__)


def good(kind):
    """A value the kind accepts."""
    if isinstance(kind, Number):
        return kind.low if math.isfinite(kind.low) else 0
    if isinstance(kind, Text):
        return "a" if kind.form == "name" else ""
    if isinstance(kind, Choice):
        return kind.values[0]
    if isinstance(kind, Flag):
        return False
    if isinstance(kind, Maybe):
        return None
    if isinstance(kind, Items):
        return []
    if isinstance(kind, Table):
        return {}
    assert isinstance(kind, Record), kind
    return {name: good(field) for name, field in kind.fields.items()}


def bad(kind):
    """``[(value, code, field suffix)]``: values the kind refuses, each with the code it refuses them by."""
    if isinstance(kind, Number):
        wrong = [("7", "wrong-type"), (True, "wrong-type"), (None, "wrong-type")]
        wrong += (
            [(0.5 + kind.low, "wrong-type")] if isinstance(kind, Whole) else [(float("nan"), "wrong-type")]
        )
        wrong += [(kind.low - 1, "out-of-range")] if math.isfinite(kind.low) else []
        wrong += [(kind.high + 1, "out-of-range")] if math.isfinite(kind.high) else []
        return [(value, code, "") for value, code in wrong]
    if isinstance(kind, Text):
        wrong = [
            (7, "wrong-type", ""),
            (["a"], "wrong-type", ""),
            ("a" * (kind.max_length + 1), "too-long", ""),
        ]
        return wrong + ([("!!!!", "bad-format", "")] if kind.form else [])
    if isinstance(kind, Choice):
        return [
            ("not one of them", "not-a-choice", ""),
            (True, "not-a-choice", ""),
            (None, "not-a-choice", ""),
        ]
    if isinstance(kind, Flag):
        return [(1, "wrong-type", ""), ("true", "wrong-type", "")]
    if isinstance(kind, Maybe):
        return [(value, code, at) for value, code, at in bad(kind.kind) if value is not None]
    if isinstance(kind, Items):
        return [("x", "wrong-type", ""), ([good(kind.kind)] * (kind.max_items + 1), "too-many", "")] + [
            ([value], code, "[0]" + at) for value, code, at in bad(kind.kind)
        ]
    if isinstance(kind, Table):
        return [
            ("x", "wrong-type", ""),
            ({str(i): good(kind.values) for i in range(kind.max_items + 1)}, "too-many", ""),
        ] + [({"k": value}, code, ".k" + at) for value, code, at in bad(kind.values)]
    assert isinstance(kind, Record), kind
    whole = good(kind)
    wrong = [("x", "wrong-type", ""), ({**whole, "nonsense": 1}, "unknown-argument", ".nonsense")]
    wrong += [
        ({k: v for k, v in whole.items() if k != name}, "missing-argument", f".{name}")
        for name in kind.required
    ]
    for name, field in kind.fields.items():
        wrong += [({**whole, name: value}, code, f".{name}{at}") for value, code, at in bad(field)]
    return wrong


@pytest.fixture
def nothing_runs(monkeypatch):
    """Every demo function replaced by one that fails the test: the door must refuse first."""

    def run(**args):
        raise AssertionError(f"the function ran with {args}")

    for name in demos.DEMOS:
        monkeypatch.setitem(demos.DEMOS, name, run)


def refusal(name, args) -> dict:
    answer = json.loads(demos.answer(name, json.dumps(args)))
    assert list(answer) == ["refused"], answer
    return answer["refused"]


def cases():
    for name in FUNCTIONS:
        kinds, _ = demos.DECLARED[name]
        for field, kind in kinds.items():
            for value, code, at in bad(kind):
                yield pytest.param(name, field, value, code, field + at, id=f"{name}.{field}{at}:{code}")


def test_every_function_of_these_pages_declares_its_arguments():
    assert FUNCTIONS and not set(FUNCTIONS) - set(demos.DECLARED)


@pytest.mark.parametrize("name, field, value, code, where", list(cases()))
def test_each_out_of_bound_argument_is_refused_with_its_code_before_any_work(
    nothing_runs, name, field, value, code, where
):
    kinds, required = demos.DECLARED[name]
    args = {**{other: good(kinds[other]) for other in required}, field: value}
    refused = refusal(name, args)
    assert (refused["code"], refused["field"]) == (code, where)
    assert refused["value"] is None or len(refused["value"]) <= ECHO


@pytest.mark.parametrize("name", FUNCTIONS)
def test_unknown_and_missing_arguments_are_refused_before_any_work(nothing_runs, name):
    kinds, required = demos.DECLARED[name]
    complete = {field: good(kinds[field]) for field in required}
    assert refusal(name, {**complete, "nonsense": 1}) == {
        "code": "unknown-argument",
        "field": "nonsense",
        "limit": None,
        "value": None,
    }
    for field in required:
        partial = {other: value for other, value in complete.items() if other != field}
        assert refusal(name, partial)["code"] == "missing-argument"


def test_limits_are_named_in_the_refusal(nothing_runs):
    assert refusal("backprop_lab_train", {"steps": 10**9})["limit"] == [0, 5000]
    assert refusal("backprop_lab_start", {"depth": 7})["limit"] == [1, 6]  # pizarra.backprop.lab.RANGES
    assert refusal("backprop_lab_start", {"activation": "swish"})["limit"] == [
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "elu",
    ]
    assert refusal("cnn_train_start", {"epochs": 11})["limit"] == [1, 10]  # pizarra.cnn.train.RANGES
    assert refusal("cnn_train_steps", {"budget_ms": 1e9})["limit"] == [0, door.MAX_CALL_MS]
    assert refusal("backprop_graph", {"expression_text": "x" * 1001, "values": {}})["limit"] == 1000
    # issue 26, case 4: the console's calls that never answered
    assert refusal("lm_generate", {"count": 10**7})["limit"] == [0, 400]
    assert refusal("lm_generate", {"prompt": "x" * 2**20})["limit"] == 200
    assert refusal("lm_train_steps", {"max_steps": 10**9, "budget_ms": 1e9})["code"] == "out-of-range"


def test_every_loop_a_call_can_start_has_a_ceiling_at_the_door():
    """Steps, time budgets, characters and items: each argument that sizes work is bounded."""
    bounded = {
        ("backprop_lab_train", "steps"),
        ("backprop_notebook", "trained"),
        ("cnn_train_steps", "budget_ms"),
        ("backprop_graph", "expression_text"),
        ("cnn_predict", "drawing"),
        ("cnn_predict", "size"),
        ("cnn_load_data", "png"),
        ("cnn_load_data", "labels"),
        ("lm_generate", "count"),
        ("lm_generate", "length"),
        ("lm_generate", "prompt"),
        ("lm_counts", "corpus_text"),
        ("lm_train_steps", "budget_ms"),
        ("lm_train_steps", "max_steps"),
        ("lm_train_start", "text"),
        ("lm_train_sample", "length"),
        ("embeddings_train_steps", "seconds"),
        ("embeddings_upload", "text"),
        ("embeddings_train_start", "text"),
        ("embeddings_neighbours", "words"),
        ("embeddings_projection", "k"),
        ("attention_translate", "sentence"),
        ("attention_steps", "beam"),
        ("attention_mask", "sentence"),
    }
    for name, field in bounded:
        kind = demos.DECLARED[name][0][field]
        kind = kind.kind if isinstance(kind, Maybe) else kind
        limit = (
            getattr(kind, "high", None)
            or getattr(kind, "max_length", None)
            or getattr(kind, "max_items", None)
        )
        assert limit is not None and math.isfinite(limit), (name, field)


def test_an_echo_is_short_whatever_the_input():
    megabyte = "x" * 2**20
    answer = demos.answer("backprop_graph", json.dumps({"expression_text": megabyte, "values": {}}))
    assert len(answer) < 300
    assert json.loads(answer)["refused"]["value"] == "x" * (ECHO - 1) + "…"
    assert len(demos.answer("engine_source", json.dumps({"name": "pizarra." + "a" * 150 + "!"}))) < 300


def test_no_python_words_in_a_refusal():
    for name, args in [
        ("cnn_predict", {"drawing": "!!!!", "size": 2}),
        ("cnn_predict", {"drawing": 5, "size": 2}),
        ("cnn_predict", {"digit": "AAAA"}),
        ("engine_source", {"name": "pizarra.nothing"}),
        ("backprop_lab_train", {"steps": "ten"}),
        ("cnn_load_data", {"split": "train", "png": "AAAA", "labels": []}),
    ]:
        answer = demos.answer(name, json.dumps(args))
        assert "refused" in json.loads(answer), answer
        for word in ("Error", "Traceback", "binascii", "attribute", "object has no"):
            assert word not in answer, (name, answer)


def test_an_unexpected_exception_is_a_failure_with_its_details_cut_short(monkeypatch):
    def broken():
        raise RuntimeError("y" * 2**20)

    monkeypatch.setitem(demos.DEMOS, "engine_check", broken)
    failed = json.loads(demos.answer("engine_check", "{}"))["failed"]
    assert failed["message"].startswith("RuntimeError: yyy") and len(failed["message"]) <= demos.DETAILS_LINE
    assert (
        "Traceback" in failed["details"]
        and max(map(len, failed["details"].splitlines())) <= demos.DETAILS_LINE
    )


def test_a_stop_passes_through_the_door(monkeypatch):
    def stopped():
        raise KeyboardInterrupt

    monkeypatch.setitem(demos.DEMOS, "engine_check", stopped)
    with pytest.raises(KeyboardInterrupt):
        demos.answer("engine_check", "{}")


def test_a_declaration_names_every_parameter_and_only_them():
    with pytest.raises(TypeError, match="declare"):
        takes(a=Whole(0, 1))(lambda a, b: None)
    with pytest.raises(TypeError, match="no such parameters"):
        takes(a=Whole(0, 1), c=Flag())(lambda a: None)
    takes(a=Whole(0, 1), c=Flag())(lambda **config: None)  # **config: the names it accepts


def test_choices_keep_their_json_type():
    assert Choice((1, 2)).check(2, "stride") == 2
    with pytest.raises(Refused):
        Choice((1, 2)).check(True, "stride")
    with pytest.raises(Refused):
        Choice(("1",)).check(1, "x")
