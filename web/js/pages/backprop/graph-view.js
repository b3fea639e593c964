// The computational graph as SVG (built with DOM calls, never markup strings), laid out by dagre:
// inputs on the left, the output on the right (top to bottom on narrow screens). Every edge
// carries the value flowing forward (above) and the gradient flowing backward (below).
// The drawing scales with its box (and at most to a share of the window's height, so the toolbar,
// the graph and the local rule fit one screen), never below MIN_SCALE: its smallest text stays
// readable (11 px) and a graph wider than a phone scrolls sideways instead.
import dagre from "../../../vendor/dagre/dagre.esm.js";
import { msg, setLiveAttribute, formatNumber } from "../../i18n.js";
import { toNumber } from "./evaluate.js";
import { OP_SYMBOLS } from "./rules.js";

const SVG = "http://www.w3.org/2000/svg";
const NODES = { LR: { width: 108, height: 62 }, TB: { width: 80, height: 62 } };
const EDGE_LABEL = { width: 64, height: 34 };
const MIN_SCALE = 11 / 12; // the smallest text is 12 px at scale 1
const MAX_SCALE = 1.5;
const MAX_HEIGHT_SHARE = 0.43; // of the window's height

function s(tag, attributes = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes))
    if (value !== null && value !== undefined) el.setAttribute(key, value);
  el.append(...children);
  return el;
}

const format = (value) => formatNumber(toNumber(value), { maximumSignificantDigits: 4 });

/** dagre's layout of the graph: node centres and edge polylines. */
function layout(graph, direction) {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: direction,
    nodesep: direction === "LR" ? 22 : 6,
    ranksep: direction === "LR" ? 70 : 56,
    marginx: 8,
    marginy: 8,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(String(node.id), { ...NODES[direction] });
  for (const node of graph.nodes) {
    node.inputs.forEach((parent, slot) =>
      g.setEdge(
        String(parent),
        String(node.id),
        { ...EDGE_LABEL, labelpos: "c" },
        `${parent}>${node.id}>${slot}`,
      ),
    );
  }
  dagre.layout(g);
  return g;
}

/**
 * graphView(container, {onSelect(id)})
 *   .render(graph, state, names)  state: from steps.stateAt
 */
export function graphView(container, { onSelect } = {}) {
  const frame = container;
  let cached = { graph: null, direction: null, layout: null };

  function render(graph, state, names) {
    const direction = (frame.clientWidth || 800) < 560 ? "TB" : "LR";
    if (cached.graph !== graph || cached.direction !== direction)
      cached = { graph, direction, layout: layout(graph, direction) };
    const g = cached.layout;
    const { width, height } = g.graph();
    const style = getComputedStyle(frame);
    const room = (frame.clientWidth || 800) - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const fit = Math.min(room / width, (MAX_HEIGHT_SHARE * innerHeight) / height, MAX_SCALE);
    const scale = Math.max(MIN_SCALE, fit);
    const svg = s("svg", {
      class: "backprop-graph-svg",
      viewBox: `0 0 ${width} ${height}`,
      width: Math.round(width * scale),
      height: Math.round(height * scale),
      role: "img",
      "data-scale": scale.toFixed(3),
    });
    setLiveAttribute(svg, "aria-label", msg("backprop.graph.describe", { nodes: graph.nodes.length }));
    svg.append(
      s(
        "defs",
        {},
        s(
          "marker",
          {
            id: "backprop-arrow",
            viewBox: "0 0 10 10",
            refX: "9",
            refY: "5",
            markerWidth: "7",
            markerHeight: "7",
            orient: "auto-start-reverse",
          },
          s("path", { d: "M0,0 L10,5 L0,10 z", class: "backprop-arrow" }),
        ),
      ),
    );
    for (const e of g.edges()) svg.append(edge(graph, state, g.edge(e), e.name));
    for (const node of graph.nodes)
      svg.append(nodeBox(graph, state, names, node, g.node(String(node.id)), NODES[direction]));
    frame.replaceChildren(svg);
  }

  function edge(graph, state, geometry, key) {
    const known = state.edges.get(key);
    const [parent] = key.split(">").map(Number);
    const points = geometry.points;
    const d = points.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
    const group = s("g", { class: `backprop-edge${known.grad !== null ? " has-grad" : ""}` });
    group.append(s("path", { d, "marker-end": "url(#backprop-arrow)" }));
    const x = geometry.x,
      y = geometry.y;
    if (known.value) group.append(label(x, y - 6, format(graph.nodes[parent].value), "backprop-edge-value"));
    if (known.grad !== null) group.append(label(x, y + 13, `← ${format(known.grad)}`, "backprop-edge-grad"));
    return group;
  }

  function label(x, y, text, cls) {
    const el = s("text", { x, y, class: cls, "text-anchor": "middle" });
    el.textContent = text;
    return el;
  }

  function nodeBox(graph, state, names, node, { x, y }, size) {
    const kind = node.op === "input" ? "input" : node.op === "const" ? "const" : "op";
    const classes = ["backprop-node", `backprop-${kind}`];
    if (state.current === node.id) classes.push("current");
    if (node.issue && state.evaluated.has(node.id)) classes.push("issue");
    if (node.id === graph.output) classes.push("output");
    const group = s("g", {
      class: classes.join(" "),
      transform: `translate(${x - size.width / 2},${y - size.height / 2})`,
      "data-node": node.id,
    });
    group.addEventListener("click", () => onSelect?.(node.id));
    group.append(s("rect", { width: size.width, height: size.height, rx: kind === "op" ? 12 : 6 }));
    const title = kind === "op" ? `${names[node.id]} = ${OP_SYMBOLS[node.op] ?? node.op}` : names[node.id];
    group.append(label(size.width / 2, 18, title, "backprop-node-title"));
    const value = state.evaluated.has(node.id) ? format(node.value) : "·";
    group.append(label(size.width / 2, 36, value, "backprop-node-value"));
    if (state.grads.has(node.id)) {
      const grad = state.complete.has(node.id) ? node.grad : state.grads.get(node.id);
      group.append(
        label(
          size.width / 2,
          54,
          `∂r = ${format(grad)}`,
          `backprop-node-grad${state.complete.has(node.id) ? "" : " partial"}`,
        ),
      );
    }
    return group;
  }

  return { render };
}
