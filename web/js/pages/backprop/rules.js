// The local rule of each operation (course, section 2), as TeX with the node's own names and
// then with its numbers: the forward formula, and for the backward pass what each input
// receives, ∂r/∂input = ∂r/∂output · ∂output/∂input.
import { formatNumber } from "../../i18n.js";
import { toNumber } from "./evaluate.js";

// One entry per pizarra op name (Function.name): forward(a, b) and backward[i](g, a, b) build TeX
// from TeX operands; `text` holds the catalogue keys of the rule in words, for each pass.
const RULES = {
  add: {
    text: { forward: "backprop.rule.forward.add", backward: "backprop.rule.add" },
    forward: (a, b) => `${a} + ${b}`,
    backward: [(g) => g, (g) => g],
  },
  sub: {
    text: { forward: "backprop.rule.forward.sub", backward: "backprop.rule.sub" },
    forward: (a, b) => `${a} - ${b}`,
    backward: [(g) => g, (g) => `-${g}`],
  },
  neg: {
    text: { forward: "backprop.rule.forward.neg", backward: "backprop.rule.neg" },
    forward: (a) => `-${a}`,
    backward: [(g) => `-${g}`],
  },
  mul: {
    text: { forward: "backprop.rule.forward.mul", backward: "backprop.rule.mul" },
    forward: (a, b) => `${a} \\cdot ${b}`,
    backward: [(g, a, b) => `${g} \\cdot ${b}`, (g, a) => `${g} \\cdot ${a}`],
  },
  div: {
    text: { forward: "backprop.rule.forward.div", backward: "backprop.rule.div" },
    forward: (a, b) => `\\frac{${a}}{${b}}`,
    backward: [(g, a, b) => `\\frac{${g}}{${b}}`, (g, a, b) => `-\\frac{${g} \\cdot ${a}}{${b}^{2}}`],
  },
  pow: {
    text: { forward: "backprop.rule.forward.pow", backward: "backprop.rule.pow" },
    forward: (a, b) => `${a}^{${b}}`,
    backward: [
      (g, a, b) => `${g} \\cdot ${b} \\cdot ${a}^{${b} - 1}`,
      (g, a, b) => `${g} \\cdot ${a}^{${b}} \\ln ${a}`,
    ],
  },
  maximum: {
    text: { forward: "backprop.rule.forward.maximum", backward: "backprop.rule.maximum" },
    forward: (a, b) => `\\max(${a}, ${b})`,
    backward: [(g, a, b) => `${g} \\cdot [${a} > ${b}]`, (g, a, b) => `${g} \\cdot [${b} > ${a}]`],
  },
  minimum: {
    text: { forward: "backprop.rule.forward.minimum", backward: "backprop.rule.minimum" },
    forward: (a, b) => `\\min(${a}, ${b})`,
    backward: [(g, a, b) => `${g} \\cdot [${a} < ${b}]`, (g, a, b) => `${g} \\cdot [${b} < ${a}]`],
  },
  exp: {
    text: { forward: "backprop.rule.forward.exp", backward: "backprop.rule.exp" },
    forward: (a) => `e^{${a}}`,
    backward: [(g, a) => `${g} \\cdot e^{${a}}`],
  },
  log: {
    text: { forward: "backprop.rule.forward.log", backward: "backprop.rule.log" },
    forward: (a) => `\\ln ${a}`,
    backward: [(g, a) => `\\frac{${g}}{${a}}`],
  },
  tanh: {
    text: { forward: "backprop.rule.forward.tanh", backward: "backprop.rule.tanh" },
    forward: (a) => `\\tanh ${a}`,
    backward: [(g, a) => `${g} \\cdot (1 - \\tanh^{2} ${a})`],
  },
  sigmoid: {
    text: { forward: "backprop.rule.forward.sigmoid", backward: "backprop.rule.sigmoid" },
    forward: (a) => `\\sigma(${a})`,
    backward: [(g, a) => `${g} \\cdot \\sigma(${a})\\,(1 - \\sigma(${a}))`],
  },
  relu: {
    text: { forward: "backprop.rule.forward.relu", backward: "backprop.rule.relu" },
    forward: (a) => `\\max(${a}, 0)`,
    backward: [(g, a) => `${g} \\cdot [${a} > 0]`],
  },
};

export const OP_SYMBOLS = {
  add: "+",
  sub: "−",
  neg: "−",
  mul: "×",
  div: "÷",
  pow: "^",
  maximum: "max",
  minimum: "min",
  exp: "exp",
  log: "log",
  tanh: "tanh",
  sigmoid: "σ",
  relu: "ReLU",
};

/** The names the page gives nodes: variables by name, constants by value, the output r, others v₁, v₂… */
export function nodeNames(graph) {
  let k = 0;
  return graph.nodes.map((node) => {
    if (node.id === graph.output) return "r";
    if (node.op === "input" || node.op === "const") return node.label ?? formatNumber(toNumber(node.value));
    return `v${++k}`;
  });
}

/** A name as TeX: v3 → v_{3}, x2 → x_{2}. */
export function texName(name) {
  const match = /^([A-Za-z]+)(\d+)$/.exec(name);
  return match ? `${match[1]}_{${match[2]}}` : name;
}

/** A number as TeX in the page's language, negative numbers in parentheses. */
export function texNumber(value, { parenthesise = true } = {}) {
  const v = toNumber(value);
  if (Number.isNaN(v)) return "\\text{NaN}";
  if (!Number.isFinite(v)) return v > 0 ? "\\infty" : "-\\infty";
  const text = formatNumber(v, { maximumSignificantDigits: 5 })
    .replace("−", "-")
    .replace(/,/g, "{,}")
    .replace(/\u00a0/g, "\\,");
  return parenthesise && v < 0 ? `(${text})` : text;
}

/** "a = b = b = c" without the repeats: each part unless it reads as the one before it. */
function chain(parts) {
  const bare = (tex) => tex.replace(/^\((.*)\)$/, "$1");
  return parts.filter((part, i) => i === 0 || bare(part) !== bare(parts[i - 1])).join(" = ");
}

/** {text: catalogue key, tex: [lines]} for `node` in `phase` ("forward" | "backward"). */
export function localRule(graph, node, phase, names) {
  const rule = RULES[node.op];
  const symbols = node.inputs.map((i) => texName(names[i]));
  const numbers = node.inputs.map((i) => texNumber(graph.nodes[i].value));
  const out = texName(names[node.id]);
  if (phase === "forward") {
    return {
      text: rule.text.forward,
      tex: [
        chain([
          out,
          rule.forward(...symbols),
          rule.forward(...numbers),
          texNumber(node.value, { parenthesise: false }),
        ]),
      ],
    };
  }
  const partial = (name) => `\\frac{\\partial r}{\\partial ${name}}`;
  const g = partial(out);
  const gValue = texNumber(node.grad);
  const uses = countUses(graph);
  const tex = node.inputs.flatMap((parent, slot) => {
    const sent = node.edge_grads[slot];
    if (sent === null || sent === undefined) return [];
    const assign = uses.get(parent) > 1 ? "\\mathrel{+}=" : "=";
    const symbolic = rule.backward[slot](g, ...symbols);
    const numeric = rule.backward[slot](gValue, ...numbers);
    return [
      `${partial(texName(names[parent]))} ${assign} ${chain([symbolic, numeric, texNumber(sent, { parenthesise: false })])}`,
    ];
  });
  return { text: rule.text.backward, tex };
}

function countUses(graph) {
  const uses = new Map();
  for (const node of graph.nodes)
    for (const parent of node.inputs) uses.set(parent, (uses.get(parent) ?? 0) + 1);
  return uses;
}
