// One layer of the lab's network looked into: its W, the batch's inputs x, the gradient ∂L/∂y
// that reached its outputs, and their product ∂L/∂W = (∂L/∂y) xᵀ (+ 2λW with L2), as heat maps.
import { h } from "../../dom.js";
import { msg, setText } from "../../i18n.js";
import { formula } from "../../ui/formula.js";
import { heatmap } from "../../ui/heatmap.js";

/** labInspect({onLayer}) → {element, setLayers(layers, selected), update(inspected, {l2})} */
export function labInspect({ onLayer }) {
  const layerSelect = h("select", { id: "backprop-layer", dataset: { testid: "lab-layer" } });
  layerSelect.addEventListener("change", () => onLayer(Number(layerSelect.value)));
  const inspectFormula = h("div", { class: "backprop-inspect-formula" });
  const maps = h("div", { class: "backprop-maps", hidden: true });
  const heat = {
    W: heatmap(maps, { label: "W", colormap: "diverging", maxCellPx: 14, testid: "heat-W" }),
    x: heatmap(maps, { label: "x", colormap: "diverging", maxCellPx: 14, testid: "heat-x" }),
    dy: heatmap(maps, { label: "∂L/∂y", colormap: "diverging", maxCellPx: 14, testid: "heat-dy" }),
    dW: heatmap(maps, { label: "∂L/∂W", colormap: "diverging", maxCellPx: 14, testid: "heat-dW" }),
  };
  const inspectNote = h("p", { class: "backprop-help" });

  const element = h(
    "section",
    { class: "backprop-inspect", "aria-labelledby": "backprop-inspect-heading" },
    h("h3", { id: "backprop-inspect-heading", text: msg("backprop.lab.inspect.heading") }),
    h(
      "div",
      { class: "backprop-inspect-head" },
      h(
        "div",
        { class: "control select" },
        h("label", { for: "backprop-layer", text: msg("backprop.lab.layer") }),
        layerSelect,
      ),
      inspectFormula,
    ),
    inspectNote,
    maps,
  );

  /** The layer picker's options: layers = [[out, in], …], one of them selected. */
  function setLayers(layers, selected) {
    layerSelect.replaceChildren(
      ...layers.map(([out, inp], i) =>
        h(
          "option",
          { value: i, selected: i === selected },
          msg("backprop.lab.layer.option", { index: i + 1, out, in: inp }),
        ),
      ),
    );
    layerSelect.value = String(selected);
  }

  /** Draw the layer the engine looked into (null: none yet); with L2 the formula adds 2λW. */
  function update(inspected, { l2 }) {
    inspectFormula.replaceChildren(
      formula(
        String.raw`\frac{\partial ${l2 ? "J" : "L"}}{\partial W} = \frac{\partial L}{\partial y}\, x^{\top}${l2 ? String.raw` + 2\lambda W` : ""}`,
        { display: true },
      ),
    );
    maps.hidden = !inspected;
    if (!inspected) return setText(inspectNote, "backprop.lab.inspect.none");
    setText(inspectNote, "backprop.lab.inspect.help", { batch: inspected.x[0]?.length ?? 0 });
    heat.W.update(inspected.W);
    heat.x.update(inspected.x);
    heat.dy.update(inspected.dy);
    heat.dW.update(inspected.dW);
  }

  return { element, setLayers, update };
}
