// The table of every node: its operation, value and ∂r/∂node as pizarra computed them, and each
// gradient checked by a finite difference computed in the browser (evaluate.js): ✓ when they
// agree, ≠ when they do not, and "—" where no check can be computed (the output is not finite).
import { h } from "../../dom.js";
import { msg, formatNumber } from "../../i18n.js";
import { toNumber, finiteDifference, check } from "./evaluate.js";

// The mark of each verdict of evaluate.js's check(), and its words (the verdict is also the class).
const VERDICTS = {
  ok: [" ✓", "backprop.check.ok"],
  differs: [" ≠", "backprop.check.differs"],
  unchecked: [" —", "backprop.check.unchecked"],
};

/** Fill `table` with the graph's nodes as known at `now` (steps.stateAt), named by `names`. */
export function renderNodeTable(table, graph, now, names) {
  const output = toNumber(graph.nodes[graph.output].value);
  const rows = graph.nodes.map((node) => {
    const hasGrad = now.complete.has(node.id) && node.grad !== null;
    const grad = hasGrad ? toNumber(node.grad) : null;
    let estimate = "";
    let verdict = null;
    if (hasGrad) {
      const value = finiteDifference(graph.nodes, node.id);
      verdict = check(grad, value, output);
      estimate = Number.isFinite(value) ? formatNumber(value, { maximumSignificantDigits: 6 }) : "";
    }
    return h(
      "tr",
      { class: now.current === node.id ? "current" : "", dataset: { node: node.id } },
      h("th", { scope: "row", text: names[node.id] }),
      h("td", { text: describe(node, names) }),
      h("td", {
        class: "num",
        dataset: { testid: `value-${names[node.id]}` },
        text: now.evaluated.has(node.id)
          ? formatNumber(toNumber(node.value), { maximumSignificantDigits: 6 })
          : "·",
      }),
      h("td", {
        class: "num",
        dataset: { testid: `grad-${names[node.id]}` },
        text: hasGrad ? formatNumber(grad, { maximumSignificantDigits: 6 }) : node.grad === null ? "—" : "·",
      }),
      h(
        "td",
        { class: "num check" },
        h("span", { dataset: { testid: `check-${names[node.id]}` }, text: estimate }),
        verdict &&
          h(
            "span",
            { class: verdict, title: msg(VERDICTS[verdict][1]), "aria-label": msg(VERDICTS[verdict][1]) },
            VERDICTS[verdict][0],
          ),
      ),
    );
  });
  table.replaceChildren(
    h("caption", { class: "visually-hidden", text: msg("backprop.table.heading") }),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...[
          "backprop.table.node",
          "backprop.table.op",
          "backprop.table.value",
          "backprop.table.grad",
          "backprop.table.check",
        ].map((key) => h("th", { scope: "col", text: msg(key) })),
      ),
    ),
    h("tbody", {}, rows),
  );
}

function describe(node, names) {
  if (node.op === "input") return msg("backprop.table.variable");
  if (node.op === "const") return msg("backprop.table.constant");
  return `${node.op}(${node.inputs.map((i) => names[i]).join(", ")})`;
}
