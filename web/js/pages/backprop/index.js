// The Backprop page (course, section 2): a computational graph stepped through forward and
// backward with its local rules and pizarra's code, then a network training in the engine while
// its gradients are watched. The whole state lives in the address (state.js).
// Engine functions: pysrc/pizarra/demos/backprop.py.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { SCHEMA, labConfig, parseValues } from "./state.js";
import { mountGraphSection } from "./graph-section.js";
import { mountLabSection } from "./lab-section.js";

export function mount(root, context) {
  const state = context.readState(SCHEMA);
  const save = (patch) => {
    Object.assign(state, patch);
    context.writeState(state, SCHEMA);
  };
  const graphRoot = h(
    "section",
    { class: "panel", "aria-labelledby": "backprop-graph-heading" },
    h("h2", { id: "backprop-graph-heading", text: msg("backprop.graph.heading") }),
    h("p", { class: "section-lead", text: msg("backprop.graph.intro") }),
  );
  const labRoot = h(
    "section",
    { class: "panel", "aria-labelledby": "backprop-lab-heading" },
    h("h2", { id: "backprop-lab-heading", text: msg("backprop.lab.heading") }),
    h("p", { class: "section-lead", text: msg("backprop.lab.intro") }),
  );
  root.append(
    h(
      "header",
      { class: "page-intro" },
      h("h1", { text: msg("backprop.title") }),
      h("p", { class: "lead", text: msg("backprop.lead") }),
    ),
    graphRoot,
    labRoot,
  );
  const { engine, notify, onLanguageChange } = context;
  const unmountGraph = mountGraphSection(graphRoot, { engine, state, save, onLanguageChange });
  const unmountLab = mountLabSection(labRoot, {
    engine,
    operation: context.operation,
    state,
    save,
    notify,
    onLanguageChange,
  });
  context.offerNotebook(() => ({
    fn: "backprop_notebook",
    args: {
      expression_text: state.expr,
      values: parseValues(state.vars),
      lab_config: labConfig(state),
      trained: state.trained,
    },
  }));
  return () => {
    unmountGraph();
    unmountLab();
  };
}
