// Every layer of LeNet-5 for the current digit: all feature maps of each convolution and
// pooling stage, the dense activations, shapes and parameter counts; the selected map large,
// with its 5×5 kernels and the receptive field of one of its pixels on the input: the pixel under
// the pointer, or the one picked by a tap, a click or the arrow keys (it stays until another is).
import { h } from "../../dom.js";
import { msg, setText, formatNumber } from "../../i18n.js";
import { heatmap } from "../../ui/heatmap.js";
import { formula } from "../../ui/formula.js";
import { paintMap, inputView } from "./maps.js";
import { STAGES } from "./state.js";

const FORMULAS = {
  conv: String.raw`Z_{i,j,k} = \mathrm{ReLU}\Big(b_i + \sum_{l,m,n} V_{l,\,j+m-1,\,k+n-1}\,K_{i,l,m,n}\Big)`,
  pool: String.raw`P_{i,j,k} = \max_{0\le m,n<2} Z_{i,\,2j+m,\,2k+n}`,
  dense: String.raw`\mathbf{h} = \mathrm{ReLU}(W\mathbf{x} + \mathbf{b})`,
  out: String.raw`\mathbf{o} = W\mathbf{h} + \mathbf{b},\quad \hat{y} = \mathrm{softmax}(\mathbf{o})`,
};

/**
 * layerView(container, {selected: {layer, ch}, onSelect({layer, ch})})
 *   .setModel(info from cnn_model)   .show(result of cnn_predict | null)
 */
export function layerView(container, { selected, onSelect }) {
  let info = null,
    result = null;
  const rows = h("div", { class: "stages", dataset: { testid: "layers" } });
  const detailTitle = h("h3", { class: "detail-title" });
  const detailFormula = h("div", { class: "detail-formula" });
  const mapBox = h("div", { class: "detail-map" });
  const inputBox = h(
    "div",
    { class: "detail-input" },
    h("p", { class: "caption", text: msg("cnn.layers.field") }),
  );
  const kernelBox = h("div", { class: "detail-kernels" });
  const big = heatmap(mapBox, { label: "", maxCellPx: 12, selectable: true, testid: "feature-map" });
  const input = inputView(inputBox, { label: msg("cnn.input.label"), testid: "field-input" });
  const hint = h("p", { class: "hint", text: msg("cnn.layers.pick") });
  // Only the title is announced when the selection changes, not the whole panel again.
  detailTitle.setAttribute("aria-live", "polite");
  container.append(
    h(
      "div",
      { class: "layers-grid" },
      rows,
      h(
        "section",
        { class: "detail card-like", "aria-labelledby": "cnn-detail-title" },
        detailTitle,
        detailFormula,
        h("div", { class: "detail-body" }, mapBox, inputBox),
        hint,
        kernelBox,
      ),
    ),
  );
  detailTitle.id = "cnn-detail-title";
  let picked = null; // [row, col] picked on the map, framed while the pointer is elsewhere
  const frameField = (cell) => {
    const stage = stageOf(selected.layer);
    const field = info && stage.kind !== "dense" ? layerInfo(stage.output).field : null;
    if (!cell || !field) return input.frame(null);
    const r0 = field.start + cell[0] * field.jump,
      c0 = field.start + cell[1] * field.jump;
    input.frame({ r0, r1: r0 + field.size - 1, c0, c1: c0 + field.size - 1 });
  };
  big.onHover((row, col) => frameField(row === null ? picked : [row, col]));
  big.onSelect((row, col) => {
    picked = row === null ? null : [row, col];
    frameField(picked);
  });

  const stageOf = (id) => STAGES.find((s) => s.id === id);
  const layerInfo = (name) => info.layers.find((l) => l.name === name);
  const channelsOf = (stage) => (stage.kind === "dense" ? 1 : layerInfo(stage.output).shape[0]);

  function renderRows() {
    rows.replaceChildren(
      ...STAGES.map((stage) => {
        const shape = layerInfo(stage.output).shape;
        const params = stage.weights ? layerInfo(stage.weights).params : 0;
        const field = layerInfo(stage.output).field;
        const thumbs = Array.from({ length: channelsOf(stage) }, (_, ch) =>
          h(
            "button",
            {
              type: "button",
              class: `thumb ${stage.kind}`,
              "aria-pressed": String(
                selected.layer === stage.id && (stage.kind === "dense" || selected.ch === ch),
              ),
              "aria-label":
                stage.kind === "dense"
                  ? msg(`cnn.stage.${stage.id}`)
                  : msg("cnn.layers.map", { layer: () => msg(`cnn.stage.${stage.id}`), ch: ch + 1 }),
              dataset: { layer: stage.id, ch: String(ch) },
              onclick: () => onSelect({ layer: stage.id, ch: stage.kind === "dense" ? 0 : ch }),
            },
            h("canvas", {}),
          ),
        );
        return h(
          "div",
          { class: `stage stage-${stage.kind}`, dataset: { stage: stage.id } },
          h(
            "div",
            { class: "stage-label" },
            h("strong", { text: msg(`cnn.stage.${stage.id}`) }),
            h("span", { class: "shape", text: shape.join("×") }),
            h("span", { class: "params", text: msg("cnn.layers.params", { n: () => formatNumber(params) }) }),
            field
              ? h("span", { class: "field", text: msg("cnn.layers.fieldsize", { n: field.size }) })
              : null,
          ),
          h(
            "div",
            { class: "thumbs" },
            thumbs,
            stage.id === "out"
              ? h(
                  "div",
                  { class: "logit-labels", "aria-hidden": "true" },
                  [..."0123456789"].map((d) => h("span", { text: d })),
                )
              : null,
          ),
        );
      }),
    );
  }

  function paintRows() {
    for (const stage of STAGES) {
      const shape = layerInfo(stage.output).shape;
      const values = result?.layers?.[stage.output];
      const top = values ? Math.max(...values, 1e-6) : 1; // one colour scale per layer, so its maps compare
      rows.querySelectorAll(`[data-layer="${stage.id}"] canvas`).forEach((canvas, ch) => {
        if (stage.kind === "dense")
          paintMap(
            canvas,
            values || new Array(shape[0]).fill(0),
            1,
            shape[0],
            stage.id === "out" ? { colormap: "diverging" } : {},
          );
        else {
          const size = shape[1] * shape[2];
          paintMap(
            canvas,
            values ? values.slice(ch * size, (ch + 1) * size) : new Array(size).fill(0),
            shape[1],
            shape[2],
            { min: 0, max: top },
          );
        }
      });
    }
  }

  let shownMap = null;
  function renderDetail() {
    const stage = stageOf(selected.layer);
    const shape = layerInfo(stage.output).shape;
    const ch = selected.ch;
    const sameMap = shownMap === `${stage.id}:${ch}`;
    shownMap = `${stage.id}:${ch}`;
    if (stage.kind === "dense") setText(detailTitle, `cnn.stage.${stage.id}`);
    else setText(detailTitle, "cnn.layers.map", { layer: () => msg(`cnn.stage.${stage.id}`), ch: ch + 1 });
    detailFormula.replaceChildren(
      formula(FORMULAS[stage.id === "out" ? "out" : stage.kind], { display: true }),
      h("p", {
        class: "caption",
        text: msg(`cnn.explain.${stage.kind === "dense" && stage.id === "out" ? "out" : stage.kind}`),
      }),
    );
    const values = result?.layers?.[stage.output];
    if (stage.kind === "dense") {
      const n = shape[0];
      big.update([values ? Array.from(values) : new Array(n).fill(0)], stage.id === "out" ? {} : { min: 0 });
    } else {
      const size = shape[1] * shape[2];
      const flat = values ? values.slice(ch * size, (ch + 1) * size) : new Array(size).fill(0);
      big.update(
        Array.from({ length: shape[1] }, (_, r) => Array.from(flat.slice(r * shape[2], (r + 1) * shape[2]))),
        { min: 0 },
      );
    }
    big.element.querySelector("figcaption")?.remove();
    inputBox.hidden = stage.kind === "dense";
    hint.hidden = stage.kind === "dense";
    input.draw(result?.input);
    if (!sameMap) big.select(null); // another map: no pixel picked on it yet
    frameField(picked);
    kernelBox.replaceChildren();
    if (stage.kind === "conv") {
      const kernels = info.kernels[stage.weights][ch]; // (in_channels, 5, 5)
      kernelBox.append(
        h("p", { class: "caption", text: msg("cnn.layers.kernels", { n: kernels.length }) }),
        h(
          "div",
          { class: "kernels" },
          kernels.map((k, l) => {
            const canvas = h("canvas", { class: "kernel", title: msg("cnn.layers.kernel", { l: l + 1 }) });
            paintMap(canvas, k.flat(), 5, 5, { colormap: "diverging" });
            return canvas;
          }),
        ),
      );
    }
  }

  return {
    setModel(model) {
      info = model;
      renderRows();
      paintRows();
      const ch = Math.min(selected.ch, channelsOf(stageOf(selected.layer)) - 1);
      if (ch === selected.ch) renderDetail();
      else onSelect({ layer: selected.layer, ch }); // the link asked for a map this layer does not have
    },
    show(prediction) {
      result = prediction;
      if (!info) return;
      paintRows();
      renderDetail();
    },
    select(next) {
      selected = next;
      if (!info) return;
      rows.querySelectorAll(".thumb").forEach((b) => {
        const stage = stageOf(b.dataset.layer);
        b.setAttribute(
          "aria-pressed",
          String(
            b.dataset.layer === next.layer && (stage.kind === "dense" || Number(b.dataset.ch) === next.ch),
          ),
        );
      });
      renderDetail();
    },
  };
}
