// The Backprop page (course, section 2): a computational graph stepped through forward and
// backward with its local rules and pizarra's code, then a network training in the engine while
// its gradients are watched. The whole state lives in the address (backprop/state.js).
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { SCHEMA } from "./backprop/state.js";
import { mountGraphSection } from "./backprop/graph-section.js";
import { mountLabSection } from "./backprop/lab-section.js";

export function mount(root, context) {
  const state = context.readState(SCHEMA);
  const save = (patch) => {
    Object.assign(state, patch);
    context.writeState(state, SCHEMA);
  };
  const graphRoot = h("section", { class: "bp-section", "aria-labelledby": "bp-graph-heading" },
    h("h2", { id: "bp-graph-heading", text: t("bp.graph.heading") }),
    h("p", { class: "bp-intro", text: t("bp.graph.intro") }),
  );
  const labRoot = h("section", { class: "bp-section", "aria-labelledby": "bp-lab-heading" },
    h("h2", { id: "bp-lab-heading", text: t("bp.lab.heading") }),
    h("p", { class: "bp-intro", text: t("bp.lab.intro") }),
  );
  root.append(
    h("header", { class: "bp-header" }, h("h1", { text: t("bp.title") }), h("p", { class: "lead", text: t("bp.lead") })),
    graphRoot,
    labRoot,
  );
  const unmountGraph = mountGraphSection(graphRoot, { engine: context.engine, state, save });
  const unmountLab = mountLabSection(labRoot, { engine: context.engine, state, save });
  return () => {
    unmountGraph();
    unmountLab();
  };
}
