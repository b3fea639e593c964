"""The Backprop page's expressions: parsing (errors with positions), the graph's size limit, and
values and gradients through pizarra's autograd against the formulas and finite differences."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from pizarra import demos
from pizarra.backprop import expression
from pizarra.backprop.expression import ExpressionError, parse

COURSE = "((x * y) + max(z, w)) * 2"
DEFAULT_GRAPH = Path(__file__).resolve().parents[2] / "web/js/pages/backprop/default-graph.json"


def graph(text, **values):
    return json.loads(demos.call("backprop_graph", json.dumps({"expression_text": text, "values": values})))


def value_and_grads(text, values):
    result = graph(text, **values)
    nodes = result["nodes"]
    grads = {n["label"]: n["grad"] for n in nodes if n["op"] == "input"}
    return nodes[result["output"]]["value"], grads


@pytest.mark.parametrize(
    "text, code, position, details",
    [
        ("x +", "unexpected-end", 3, {}),
        ("(x * y", "unclosed-paren", 0, {}),
        ("max(x, (y)", "unclosed-paren", 3, {}),
        ("x $ 2", "unexpected-char", 2, {"char": "$"}),
        ("x * * y", "unexpected-token", 4, {"token": "*"}),
        ("2 3", "unexpected-token", 2, {"token": "3"}),
        ("x)", "unexpected-token", 1, {"token": ")"}),
        ("  ", "empty", 0, {}),
        ("foo(x) + 1", "unknown-function", 0, {"name": "foo"}),
        ("x + speed", "unknown-name", 4, {"name": "speed"}),
        ("exp + 1", "function-needs-call", 0, {"name": "exp"}),
        ("1 + max(x)", "arity", 4, {"name": "max", "expected": 2, "got": 1}),
        ("tanh(x, y)", "arity", 0, {"name": "tanh", "expected": 1, "got": 2}),
        ("a+b+c+d+e+f+g+h+k", "too-many-variables", 16, {"limit": 8}),
        ("(" * 70 + "x" + ")" * 70, "too-deep", 60, {"limit": 60}),
    ],
)
def test_errors_point_at_the_offending_character(text, code, position, details):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert (caught.value.code, caught.value.position, caught.value.details) == (code, position, details)
    assert f"at character {position + 1}" in str(caught.value)


def test_graphs_over_200_nodes_are_refused_while_parsing():
    ok = " + ".join(["x"] * 100)  # 1 variable + 99 additions = 100 nodes
    assert parse(ok).size == 100
    at_limit = "x" + " + 1" * 99 + " + y"  # x, y, 99 constants, 100 additions = 201
    with pytest.raises(ExpressionError) as caught:
        parse(at_limit)
    assert caught.value.code == "too-many-nodes" and caught.value.details == {"limit": 200}
    with pytest.raises(ExpressionError) as caught:
        parse("x" * 2000)
    assert caught.value.code == "too-long"


def test_precedence_and_associativity_follow_mathematics():
    cases = {
        "2 + 3 * 4": 14,
        "2 * 3 ^ 2": 18,
        "-2 ^ 2": -4,
        "2 ^ 3 ^ 2": 512,
        "2 ** -1": 0.5,
        "(2 + 3) * 4": 20,
        "8 / 4 / 2": 1,
        "8 - 4 - 2": 2,
        "-(-3)": 3,
        "+3 - -2": 5,
        ".5e1 * 2": 10,
    }
    for text, expected in cases.items():
        r = expression.build(parse(text), {})
        assert r.item() == expected, text


def test_course_example_values_and_gradients_from_the_formulas():
    x, y, z, w = 3.0, -4.0, 2.0, 0.0
    result = graph(COURSE, x=x, y=y, z=z, w=w)
    nodes = result["nodes"]
    assert [v["name"] for v in result["variables"]] == ["x", "y", "z", "w"]
    by_op = {}
    for node in nodes:
        by_op.setdefault(node["op"], []).append(node)
    r = nodes[result["output"]]
    assert r["value"] == 2 * (x * y + max(z, w)) and r["grad"] == 1
    grads = {n["label"]: n["grad"] for n in by_op["input"]}
    assert grads == {"x": 2 * y, "y": 2 * x, "z": 2.0, "w": 0.0}
    assert by_op["maximum"][0]["value"] == max(z, w) and by_op["maximum"][0]["edge_grads"] == [2.0, 0.0]
    assert by_op["add"][0]["edge_grads"] == [2.0, 2.0]  # a sum passes the gradient through
    product = by_op["mul"][0]
    assert product["edge_grads"] == [2 * y, 2 * x]  # a product multiplies by the other input
    assert product["function"] == "pizarra.ops.Mul"
    assert r["edge_grads"][1] is None  # nothing flows into the constant 2


def test_edge_gradients_add_up_to_each_nodes_gradient():
    result = graph("x * x + sigmoid(x * y) - exp(y) / (1 + x ^ 2)", x=0.7, y=-1.3)
    nodes = result["nodes"]
    received = {n["id"]: 0.0 for n in nodes}
    for node in nodes:
        for parent, g in zip(node["inputs"], node["edge_grads"]):
            if g is not None:
                received[parent] += g
    for node in nodes[:-1]:
        if node["grad"] is not None:
            assert received[node["id"]] == pytest.approx(node["grad"], rel=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        COURSE,
        "x * x + sigmoid(x * y) - exp(y) / (1 + x ^ 2)",
        "tanh(relu(x) * min(y, 2)) + log(x * x + 1)",
        "-x ^ 3 / (y - 4)",
        "max(x, y) * min(x, -y)",
    ],
)
def test_every_gradient_matches_central_finite_differences(text):
    values = {"x": 0.83, "y": -1.37, "z": 2.0, "w": 0.0}
    tree = parse(text)
    _, grads = value_and_grads(text, values)
    h = 1e-6
    for name in tree.variables:
        up, down = dict(values), dict(values)
        up[name] += h
        down[name] -= h
        estimate = (expression.build(tree, up).item() - expression.build(tree, down).item()) / (2 * h)
        assert grads[name] == pytest.approx(estimate, rel=1e-6, abs=1e-8), (text, name)


def test_division_by_zero_and_log_of_non_positive_are_explained_on_their_node():
    nodes = graph("1 / x + log(y)", x=0.0, y=-2.0)["nodes"]
    issues = {n["op"]: n["issue"] for n in nodes}
    assert issues["div"] == "div-zero" and issues["log"] == "log-nonpositive"
    assert issues["add"] == "nonfinite"
    assert {n["op"]: n["value"] for n in nodes}["div"] == "Infinity"
    assert {n["op"]: n["value"] for n in nodes}["log"] == "NaN"
    assert graph("log(x)", x=2.0)["nodes"][-1]["issue"] is None


def test_a_bad_expression_is_an_answer_not_an_exception():
    result = graph("max(x, ", x=1.0)
    assert result["error"]["code"] == "unexpected-end" and result["error"]["position"] == 7


def test_missing_variables_are_one_and_shared_variables_are_one_node():
    result = graph("x * x")
    assert result["variables"] == [{"name": "x", "value": 1.0}]
    assert [n["op"] for n in result["nodes"]] == ["input", "mul"]
    assert result["nodes"][1]["inputs"] == [0, 0] and result["nodes"][0]["grad"] == 2.0


def test_code_spans_point_at_forward_and_backward():
    node = graph(COURSE, x=3, y=-4, z=2, w=0)["nodes"][-1]
    source = demos.DEMOS["engine_source"](name=node["source"]["name"])["source"].splitlines()
    first, last = node["source"]["forward"]
    assert source[first].strip().startswith("def forward(") and source[last].strip().startswith("return")
    first, last = node["source"]["backward"]
    assert source[first].strip().startswith("def backward(") and source[last].strip().startswith("return")


def test_the_page_precomputed_graph_is_what_pizarra_computes_now():
    live = graph(COURSE, x=3.0, y=-4.0, z=2.0, w=0.0)
    stored = json.loads(DEFAULT_GRAPH.read_text())
    assert stored == live, (
        "regenerate web/js/pages/backprop/default-graph.json with: .venv/bin/python -c "
        "\"import json; from pizarra import demos; print(demos.call('backprop_graph', json.dumps({'expression_text': "
        "'((x * y) + max(z, w)) * 2', 'values': {'x': 3, 'y': -4, 'z': 2, 'w': 0}})))\" > "
        "web/js/pages/backprop/default-graph.json"
    )
    assert not math.isnan(stored["nodes"][-1]["value"]) and np.isclose(stored["nodes"][-1]["value"], -20)
