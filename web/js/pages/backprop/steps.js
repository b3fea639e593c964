// Stepping through the graph: the forward pass evaluates the operations in topological order,
// then the backward pass processes them in reverse, each sending ∂r/∂input along its edges
// (the values pizarra's backward computed). Gradients arriving at a node add up, as in
// pizarra's Tensor.backward.
import { toNumber } from "./evaluate.js";

export const isOperation = (node) => node.inputs.length > 0;

/** The operations in evaluation order, and the number of steps of both passes. */
export function plan(graph) {
  const operations = graph.nodes.filter(isOperation).map((node) => node.id);
  return { operations, total: 2 * operations.length };
}

/**
 * What is known after `position` steps (−1 or more than total: everything):
 *   phase: "start" | "forward" | "backward";  current: the node just processed (or null)
 *   evaluated: Set of node ids with a value;  processed: Set of ids whose backward ran
 *   grads: Map id → ∂r/∂node accumulated so far; complete: Set of ids whose gradient is final
 *   edges: Map "parent>child>slot" → {value: bool, grad: number | null}
 */
export function stateAt(graph, position) {
  const { operations, total } = plan(graph);
  const p = position < 0 || position > total ? total : position;
  const F = operations.length;
  const evaluated = new Set(graph.nodes.filter((n) => !isOperation(n)).map((n) => n.id));
  operations.slice(0, Math.min(p, F)).forEach((id) => evaluated.add(id));
  const backwardSteps = Math.max(0, p - F);
  const processedOrder = operations.slice().reverse().slice(0, backwardSteps);
  const processed = new Set(processedOrder);
  const grads = new Map();
  const edges = new Map();
  if (backwardSteps > 0) grads.set(graph.output, 1);
  for (const node of graph.nodes) {
    node.inputs.forEach((parent, slot) => {
      const key = `${parent}>${node.id}>${slot}`;
      const sent = processed.has(node.id) ? node.edge_grads[slot] : undefined;
      edges.set(key, { value: evaluated.has(node.id), grad: sent === undefined ? null : sent });
      if (sent !== undefined && sent !== null) grads.set(parent, (grads.get(parent) ?? 0) + toNumber(sent));
    });
  }
  const consumers = new Map(graph.nodes.map((n) => [n.id, []]));
  for (const node of graph.nodes) for (const parent of node.inputs) consumers.get(parent).push(node.id);
  const complete = new Set(
    graph.nodes
      .filter((n) => grads.has(n.id) && consumers.get(n.id).every((c) => processed.has(c)))
      .map((n) => n.id),
  );
  let current = null;
  if (p > 0 && p <= F) current = operations[p - 1];
  if (p > F) current = processedOrder.at(-1);
  return {
    phase: p === 0 ? "start" : p <= F ? "forward" : "backward",
    position: p,
    total,
    current,
    evaluated,
    processed,
    grads,
    complete,
    edges,
  };
}
