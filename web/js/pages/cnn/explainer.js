// The convolution explainer: a small image, a 3×3 kernel, stride and padding, stepping the
// window over the input and writing out the sum that gives each output cell; then pooling, each
// pooled cell shown once the output cells of its window exist. Pure JavaScript, so it works
// before Python has loaded.
import { h } from "../../dom.js";
import { msg, setText, formatNumber, whenRelabelled } from "../../i18n.js";
import { select } from "../../ui/controls.js";
import { convolve, pool, paddingFor, KERNELS } from "./convolution.js";
import { SCHEMA } from "./state.js";

// A tiny "7" (1 = ink), 8×8 (also in the page's notebook).
export const IMAGE = [
  [0, 0, 0, 0, 0, 0, 0, 0],
  [0, 1, 1, 1, 1, 1, 1, 0],
  [0, 0, 0, 0, 0, 1, 1, 0],
  [0, 0, 0, 0, 1, 1, 0, 0],
  [0, 0, 0, 1, 1, 0, 0, 0],
  [0, 0, 0, 1, 1, 0, 0, 0],
  [0, 0, 1, 1, 0, 0, 0, 0],
  [0, 0, 1, 1, 0, 0, 0, 0],
];

const signed = (v) => (v < 0 ? `(${formatNumber(v)})` : formatNumber(v));

function grid(cells, cols, className) {
  return h(
    "div",
    { class: `num-grid ${className}`, style: `grid-template-columns: repeat(${cols}, var(--cell))` },
    cells,
  );
}

/** explainer(container, {settings: {k, stride, pad, pool}, onChange(settings)}) */
export function explainer(container, { settings, onChange }) {
  let step = 0,
    timer = null;
  const stage = h("div", { class: "explainer-stage" });
  const sum = h("p", { class: "explainer-sum", dataset: { testid: "explainer-sum" }, "aria-live": "polite" });
  const poolBox = h("div", { class: "explainer-pool", dataset: { testid: "explainer-pooled" } });
  const position = h("span", { class: "explainer-position" });
  const play = h(
    "button",
    { type: "button", class: "button", onclick: () => (timer ? stop() : start()) },
    msg("cnn.explainer.play"),
  );
  const controls = [
    select({
      spec: SCHEMA.k,
      label: msg("cnn.explainer.kernel"),
      value: settings.k,
      optionLabel: (k) => msg(`cnn.kernel.${k}`),
      onChange: (k) => change({ k }),
      testid: "explainer-k",
    }),
    select({
      spec: SCHEMA.stride,
      label: msg("cnn.explainer.stride"),
      value: settings.stride,
      onChange: (stride) => change({ stride }),
      testid: "explainer-stride",
    }),
    select({
      spec: SCHEMA.pad,
      label: msg("cnn.explainer.padding"),
      value: settings.pad,
      optionLabel: (p) => msg(`cnn.padding.${p}`),
      onChange: (pad) => change({ pad }),
      testid: "explainer-pad",
    }),
    select({
      spec: SCHEMA.pool,
      label: msg("cnn.explainer.pooling"),
      value: settings.pool,
      optionLabel: (p) => msg(`cnn.pooling.${p}`),
      onChange: (p) => change({ pool: p }),
      testid: "explainer-pool",
    }),
  ];
  container.append(
    h(
      "div",
      { class: "explainer-controls" },
      controls.map((c) => c.element),
    ),
    h(
      "div",
      { class: "explainer-buttons" },
      h(
        "button",
        {
          type: "button",
          class: "button",
          "aria-label": msg("cnn.explainer.back"),
          onclick: () => go(step - 1),
        },
        "◀",
      ),
      h(
        "button",
        {
          type: "button",
          class: "button primary",
          dataset: { testid: "explainer-step" },
          onclick: () => go(step + 1),
        },
        msg("cnn.explainer.step"),
        " ▶",
      ),
      play,
      position,
    ),
    stage,
    sum,
    poolBox,
  );

  function change(part) {
    settings = { ...settings, ...part };
    step = 0;
    onChange(settings);
    render();
  }

  function computed() {
    return convolve(IMAGE, KERNELS[settings.k], { stride: settings.stride, padding: settings.pad });
  }

  function go(next) {
    const { steps } = computed();
    step = (next + steps.length) % steps.length;
    render();
  }

  function start() {
    setText(play, "cnn.explainer.pause");
    timer = setInterval(() => go(step + 1), 700);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    setText(play, "cnn.explainer.play");
  }

  function render() {
    const { output, steps } = computed();
    const current = steps[step];
    const p = paddingFor(settings.pad, 3);
    const inWindow = new Map(current.terms.map((term) => [`${term.r},${term.c}`, term]));
    const size = IMAGE.length;
    const inputCells = [];
    for (let r = -p; r < size + p; r++) {
      for (let c = -p; c < size + p; c++) {
        const inside = r >= 0 && r < size && c >= 0 && c < size;
        const v = inside ? IMAGE[r][c] : 0;
        inputCells.push(
          h(
            "span",
            {
              class: `cell${inside ? (v ? " ink" : "") : " pad"}${inWindow.has(`${r},${c}`) ? " window" : ""}`,
            },
            String(v),
          ),
        );
      }
    }
    const kernel = KERNELS[settings.k];
    const kernelCells = kernel
      .flat()
      .map((v) => h("span", { class: `cell kernel-cell${v > 0 ? " pos" : v < 0 ? " neg" : ""}` }, String(v)));
    const outCells = [];
    output.forEach((row, j) =>
      row.forEach((v, c) => {
        const index = j * row.length + c;
        outCells.push(
          h(
            "span",
            { class: `cell out${index === step ? " current" : ""}${index > step ? " todo" : ""}` },
            index > step ? "" : formatNumber(v),
          ),
        );
      }),
    );
    stage.replaceChildren(
      h(
        "figure",
        {},
        h("figcaption", { text: msg("cnn.explainer.input", { n: size, p }) }),
        grid(inputCells, size + 2 * p, "input-grid"),
      ),
      h("span", { class: "op", "aria-hidden": "true" }, "⋆"),
      h(
        "figure",
        {},
        h("figcaption", { text: msg("cnn.explainer.kernelgrid") }),
        grid(kernelCells, 3, "kernel-grid"),
      ),
      h("span", { class: "op", "aria-hidden": "true" }, "="),
      h(
        "figure",
        {},
        h("figcaption", {
          text: msg("cnn.explainer.output", { rows: output.length, cols: output[0].length }),
        }),
        grid(outCells, output[0].length, "output-grid"),
      ),
    );
    const nonzero = current.terms.filter((term) => term.v !== 0 && term.k !== 0);
    const terms = nonzero.length
      ? nonzero.map((term) => `${signed(term.v)}·${signed(term.k)}`).join(" + ")
      : "0";
    setText(sum, "cnn.explainer.sum", {
      row: current.row,
      col: current.col,
      terms,
      sum: formatNumber(current.sum),
      skipped: current.terms.length - nonzero.length,
    });
    setText(position, "cnn.explainer.position", { n: step + 1, total: steps.length });
    // A pooled cell exists once every output cell of its 2×2 window has been computed.
    const pooled = pool(output, settings.pool);
    const cols = output[0].length;
    const ready = (j, c) => (2 * j + 1) * cols + 2 * c + 1 <= step;
    poolBox.replaceChildren(
      h("p", { class: "caption", text: msg(`cnn.explainer.pooled.${settings.pool}`) }),
      pooled.length
        ? grid(
            pooled.flatMap((row, j) =>
              row.map((v, c) =>
                h(
                  "span",
                  { class: `cell out${ready(j, c) ? "" : " todo"}` },
                  ready(j, c) ? formatNumber(v, { maximumFractionDigits: 2 }) : "",
                ),
              ),
            ),
            pooled[0].length,
            "pool-grid",
          )
        : h("p", { text: msg("cnn.explainer.nopool") }),
    );
  }

  render();
  whenRelabelled(stage, render); // numbers in the language's format
  return () => stop();
}
