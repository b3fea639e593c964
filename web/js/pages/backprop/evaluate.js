// The graph evaluated again in the browser, independently of Python, to check every gradient
// pizarra computed with a central finite difference:
//   ∂r/∂v ≈ (r(v + h) − r(v − h)) / 2h,   h = 10⁻⁶ · max(1, |v|)
// where r(v ± h) re-runs the forward pass with node v's value replaced.

/** Python sends non-finite floats as "NaN", "Infinity", "-Infinity". */
export function toNumber(value) {
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  return value;
}

const FORWARD = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  neg: (a) => -a,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
  exp: (a) => Math.exp(a),
  log: (a) => Math.log(a),
  tanh: (a) => Math.tanh(a),
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  relu: (a) => Math.max(a, 0),
};

/** Every node's value, in the graph's topological order, with `overrides` {id: value} applied. */
export function forward(nodes, overrides = {}) {
  const values = [];
  for (const node of nodes) {
    if (node.id in overrides) values.push(overrides[node.id]);
    else if (node.inputs.length === 0) values.push(toNumber(node.value));
    else values.push(FORWARD[node.op](...node.inputs.map((i) => values[i])));
  }
  return values;
}

/** The finite-difference estimate of ∂r/∂(node id), r being the last node. */
export function finiteDifference(nodes, id) {
  const v = toNumber(nodes[id].value);
  if (!Number.isFinite(v)) return NaN;
  const h = 1e-6 * Math.max(1, Math.abs(v));
  const up = forward(nodes, { [id]: v + h }).at(-1);
  const down = forward(nodes, { [id]: v - h }).at(-1);
  return (up - down) / (2 * h);
}

/**
 * The check of one gradient: "ok" when pizarra's gradient and the estimate agree (relative
 * tolerance 10⁻⁴), "differs" when they do not, "unchecked" when no estimate can be made there:
 * the output r or the estimate is not finite (1e999 + x, x / 0), so there is nothing to compare.
 */
export function check(grad, estimate, output) {
  if (!Number.isFinite(output) || !Number.isFinite(estimate)) return "unchecked";
  return Number.isFinite(grad) && Math.abs(grad - estimate) <= 1e-4 * Math.max(1, Math.abs(grad))
    ? "ok"
    : "differs";
}
