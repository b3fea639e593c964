// The Backprop page's pure pieces (node --test): its link's variables, the variable sliders' range,
// the local rule's lines, and the finite-difference check's verdicts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SCHEMA, variableSlider } from "../../web/js/pages/backprop/state.js";
import { localRule, nodeNames } from "../../web/js/pages/backprop/rules.js";
import { check } from "../../web/js/pages/backprop/evaluate.js";
import { parseValue } from "../../web/js/url-state.js";

test("the link's variables are ASCII names with finite values, as the parser reads them", () => {
  assert.equal(parseValue("x:3,w2:-0.5", SCHEMA.vars), "x:3,w2:-0.5");
  assert.equal(parseValue("x\u0663:1", SCHEMA.vars), undefined); // an Arabic-Indic digit
  assert.equal(parseValue("x:1e999,y:2", SCHEMA.vars), undefined); // overflows to infinity
  assert.equal(parseValue("x:-1e308", SCHEMA.vars), "x:-1e308");
});

test("a variable's slider spans ±5, or the next of ±10, ±20, ±50… that holds its value", () => {
  assert.deepEqual(variableSlider(3), { type: "float", min: -5, max: 5, step: 0.1 });
  for (const [value, reach] of [
    [5, 5],
    [5.01, 10],
    [-12, 20],
    [20, 20],
    [21, 50],
    [99, 100],
    [150, 200],
    [1e6, 1e6],
  ]) {
    const { min, max, step } = variableSlider(value);
    assert.deepEqual([min, max, step], [-reach, reach, reach / 50], String(value));
  }
});

test("a backward line never repeats a value: ∂r/∂v₁ = ∂r/∂v₃ = 2, not … = 2 = 2", () => {
  // v3 = v1 + v2 with ∂r/∂v3 = 2: each input receives 2.
  const node = (id, op, inputs, value, grad, edges = []) => ({
    id,
    op,
    inputs,
    value,
    grad,
    edge_grads: edges,
    label: null,
  });
  const graph = {
    output: 3,
    nodes: [
      node(0, "input", [], 1, 2),
      node(1, "input", [], 2, 2),
      node(2, "add", [0, 1], 3, 2, [2, 2]),
      node(3, "mul", [2, 2], 9, 1, [6, 6]),
    ],
  };
  graph.nodes[0].label = "a";
  graph.nodes[1].label = "b";
  const { tex, text } = localRule(graph, graph.nodes[2], "backward", nodeNames(graph));
  assert.equal(text, "backprop.rule.add");
  assert.deepEqual(tex, [
    String.raw`\frac{\partial r}{\partial a} = \frac{\partial r}{\partial v_{1}} = 2`,
    String.raw`\frac{\partial r}{\partial b} = \frac{\partial r}{\partial v_{1}} = 2`,
  ]);
  assert.equal(
    localRule(graph, graph.nodes[2], "forward", nodeNames(graph)).text,
    "backprop.rule.forward.add",
  );
});

test("the check agrees, differs, or says it cannot be computed where the output is not finite", () => {
  assert.equal(check(2, 2 + 1e-7, -20), "ok");
  assert.equal(check(2, 1, -20), "differs");
  assert.equal(check(Infinity, NaN, Infinity), "unchecked"); // x / 0
  assert.equal(check(1, 1, Infinity), "unchecked"); // 1e999 + x
  assert.equal(check(Infinity, 3, 5), "differs");
});
