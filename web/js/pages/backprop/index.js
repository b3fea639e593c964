// The Backprop page (course, section 2): a computational graph stepped through forward and
// backward with its local rules and pizarra's code, then a network training in the engine while
// its gradients are watched. The whole state lives in the address (state.js).
// Engine functions: pysrc/pizarra/demos/backprop.py.
import { h } from "../../dom.js";
import { t } from "../../i18n.js";
import { SCHEMA } from "./state.js";
import { mountGraphSection } from "./graph-section.js";
import { mountLabSection } from "./lab-section.js";

export function mount(root, context) {
  const state = context.readState(SCHEMA);
  const save = (patch) => {
    Object.assign(state, patch);
    context.writeState(state, SCHEMA);
  };
  const graphRoot = h("section", { class: "panel", "aria-labelledby": "bp-graph-heading" },
    h("h2", { id: "bp-graph-heading", text: t("bp.graph.heading") }),
    h("p", { class: "section-lead", text: t("bp.graph.intro") }),
  );
  const labRoot = h("section", { class: "panel", "aria-labelledby": "bp-lab-heading" },
    h("h2", { id: "bp-lab-heading", text: t("bp.lab.heading") }),
    h("p", { class: "section-lead", text: t("bp.lab.intro") }),
  );
  root.append(
    h("header", { class: "page-intro" }, h("h1", { text: t("bp.title") }), h("p", { class: "lead", text: t("bp.lead") })),
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
