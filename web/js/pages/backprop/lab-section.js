// Part 2 of the page: a multi-layer perceptron training on a 2-D data set in the engine, in
// chunks of steps so the page stays responsive, with its decision boundary, loss curves, the
// gradient norm of every layer per step, and one layer's ∂L/∂W = (∂L/∂y) xᵀ as heat maps.
import { h } from "../../dom.js";
import { t, formatNumber } from "../../i18n.js";
import { formula } from "../../ui/formula.js";
import { slider, select, numberField, checkbox } from "../../ui/controls.js";
import { lineChart } from "../../ui/line-chart.js";
import { heatmap } from "../../ui/heatmap.js";
import { SCHEMA, labConfig } from "./state.js";
import { boundaryPlot } from "./boundary.js";

const CHUNK_TARGET_MS = 120;  // each call to the engine trains for about this long
const MAX_CHART_POINTS = 2000;
const ACTIVATIONS = { sigmoid: "σ (sigmoid)", tanh: "tanh", relu: "ReLU", leaky_relu: "LeakyReLU", elu: "ELU" };
const OPTIMIZERS = { sgd: "SGD", adam: "Adam" }; // and momentum, in each language's words

export function mountLabSection(root, { engine, state, save }) {
  const settings = { ...state };
  let run = null;          // {generation, data, layers, epochs, norms, step, stopped, best}
  let generation = 0;
  let running = false;
  let chunk = 5;

  // --- settings: every control is built from its SCHEMA entry ---------------------------------
  const change = (key, value) => {
    settings[key] = value;
    save({ [key]: value, trained: 0 });
    restart();
  };
  const choice = (key, label, optionLabel) =>
    select({ spec: SCHEMA[key], label, value: settings[key], optionLabel, testid: `lab-${key}`, onChange: (v) => change(key, v) }).element;
  // A slider shows its value while dragging and starts a new run when released.
  const range = (key, label, format = (v) => formatNumber(v)) => {
    const control = slider({ spec: SCHEMA[key], label, value: settings[key], format, testid: `lab-${key}`, onInput: (v) => { settings[key] = v; } });
    control.input.addEventListener("change", () => change(key, Number(control.input.value)));
    return control.element;
  };
  const percent = (v) => formatNumber(v, { style: "percent", maximumFractionDigits: 0 });
  const rate = (v) => formatNumber(v, { maximumSignificantDigits: 2 });
  const seedField = numberField({ spec: SCHEMA.seed, label: t("bp.lab.seed"), value: settings.seed, testid: "lab-seed", onChange: (v) => change("seed", v) });
  const earlyStopping = checkbox({ label: t("bp.lab.es"), value: settings.es, testid: "lab-es", onChange: (v) => change("es", v) });

  const controls = h("div", { class: "bp-lab-controls" },
    h("fieldset", {}, h("legend", { text: t("bp.lab.data") }),
      choice("data", t("bp.lab.dataset"), (v) => t(`bp.data.${v}`)),
      range("noise", t("bp.lab.noise")),
      range("n", t("bp.lab.points")),
      range("val", t("bp.lab.validation"), percent),
      h("div", { class: "bp-seed" }, seedField.element, h("button", { type: "button", class: "button", dataset: { testid: "lab-reseed" }, onclick: () => change("seed", (settings.seed * 1103515245 + 12345) % 2 ** 31) }, t("bp.lab.reseed"))),
    ),
    h("fieldset", {}, h("legend", { text: t("bp.lab.network") }),
      range("depth", t("bp.lab.depth")),
      range("width", t("bp.lab.width")),
      choice("act", t("bp.lab.activation"), (v) => ACTIVATIONS[v]),
      choice("init", t("bp.lab.init"), (v) => t(`bp.init.${v}`)),
    ),
    h("fieldset", {}, h("legend", { text: t("bp.lab.training") }),
      choice("opt", t("bp.lab.optimizer"), (v) => (v === "momentum" ? t("bp.opt.momentum") : OPTIMIZERS[v])),
      choice("lr", t("bp.lab.lr"), rate),
      choice("batch", t("bp.lab.batch"), (v) => (v === SCHEMA.batch.max ? t("bp.lab.batch.all") : String(v))),
      choice("l2", t("bp.lab.l2"), (v) => (v ? rate(v) : t("bp.lab.none"))),
      range("drop", t("bp.lab.dropout"), percent),
      earlyStopping.element,
      range("patience", t("bp.lab.patience")),
    ),
  );

  // --- the run: buttons, boundary, status -------------------------------------------------------
  const toggle = h("button", { type: "button", class: "button primary", dataset: { testid: "train-toggle" }, "aria-pressed": "false", onclick: () => (running ? pause() : play()) }, t("bp.lab.train"));
  const stepOne = h("button", { type: "button", class: "button", dataset: { testid: "train-step" }, onclick: () => advance(1) }, t("bp.lab.step"));
  const reset = h("button", { type: "button", class: "button", dataset: { testid: "train-reset" }, onclick: () => { save({ trained: 0 }); settings.trained = 0; restart(); } }, t("bp.lab.reset"));
  const status = h("p", { class: "bp-lab-status", role: "status", dataset: { testid: "train-status" } });
  const accuracy = h("p", { class: "bp-lab-accuracy", dataset: { testid: "train-accuracy" } });
  const plotBox = h("div", { class: "bp-boundary-box" });
  const plot = boundaryPlot(plotBox, { label: t("bp.lab.boundary.describe"), testid: "boundary" });
  const legend = h("p", { class: "bp-legend" });

  const lossBox = h("div", { class: "bp-chart" });
  const gradBox = h("div", { class: "bp-chart" });
  const lossChart = lineChart(lossBox, { series: [t("bp.lab.loss.train"), t("bp.lab.loss.val")], xLabel: t("bp.lab.epoch"), yLabel: t("bp.lab.loss"), testid: "loss-chart" });
  let gradChart = null;

  const layerSelect = h("select", { id: "bp-layer", dataset: { testid: "lab-layer" } });
  layerSelect.addEventListener("change", () => {
    settings.layer = Number(layerSelect.value);
    save({ layer: settings.layer });
    inspect();
  });
  const inspectFormula = h("div", { class: "bp-inspect-formula" });
  const maps = h("div", { class: "bp-maps", hidden: true });
  const heat = {
    W: heatmap(maps, { label: "W", colormap: "diverging", maxCellPx: 14, testid: "heat-W" }),
    x: heatmap(maps, { label: "x", colormap: "diverging", maxCellPx: 14, testid: "heat-x" }),
    dy: heatmap(maps, { label: "∂L/∂y", colormap: "diverging", maxCellPx: 14, testid: "heat-dy" }),
    dW: heatmap(maps, { label: "∂L/∂W", colormap: "diverging", maxCellPx: 14, testid: "heat-dW" }),
  };
  const inspectNote = h("p", { class: "bp-help" });

  root.append(
    controls,
    h("div", { class: "bp-lab-main" },
      h("div", { class: "bp-lab-view" },
        h("div", { class: "bp-toolbar" }, toggle, stepOne, reset),
        status, accuracy, plotBox, legend,
      ),
      h("div", { class: "bp-charts" },
        h("section", { "aria-labelledby": "bp-loss-heading" }, h("h3", { id: "bp-loss-heading", text: t("bp.lab.loss.heading") }), h("p", { class: "bp-help", text: t("bp.lab.loss.help") }), lossBox),
        h("section", { "aria-labelledby": "bp-grad-heading" }, h("h3", { id: "bp-grad-heading", text: t("bp.lab.grads.heading") }), h("p", { class: "bp-help", text: t("bp.lab.grads.help") }), gradBox),
      ),
    ),
    h("section", { class: "bp-inspect", "aria-labelledby": "bp-inspect-heading" },
      h("h3", { id: "bp-inspect-heading", text: t("bp.lab.inspect.heading") }),
      h("div", { class: "bp-inspect-head" }, h("div", { class: "control select" }, h("label", { for: "bp-layer", text: t("bp.lab.layer") }), layerSelect), inspectFormula),
      inspectNote,
      maps,
    ),
  );

  // --- talking to the engine ------------------------------------------------------------------
  async function restart() {
    pause();
    const mine = ++generation;
    run = null;
    status.textContent = engine.state === "ready" ? t("bp.lab.preparing") : t("bp.waiting");
    try {
      await engine.ready();
      const started = await engine.call("backprop_lab_start", labConfig(settings));
      if (mine !== generation) return;
      run = { generation: mine, data: started, epochs: [], norms: [], step: 0, stopped: false, best: null, boundary: started.boundary, inspected: null };
      setupLayers(started.layers);
      if (settings.trained > 0) {
        status.textContent = t("bp.lab.replaying", { steps: settings.trained });
        while (mine === generation && run.step < settings.trained && !run.stopped) {
          absorb(await engine.call("backprop_lab_train", { steps: Math.min(2000, settings.trained - run.step), inspect_layer: settings.layer }));
        }
      }
      if (mine === generation) renderRun();
    } catch (error) {
      if (mine !== generation) return;
      status.textContent = t("bp.lab.failed", { message: error.message });
    }
  }

  async function advance(steps) {
    if (!run) return;
    const mine = run.generation;
    const started = performance.now();
    const result = await engine.call("backprop_lab_train", { steps, inspect_layer: settings.layer });
    if (!run || mine !== run.generation) return null;
    absorb(result);
    renderRun();
    save({ trained: run.step });
    settings.trained = run.step;
    return performance.now() - started;
  }

  async function play() {
    if (!run || run.stopped) return;
    running = true;
    toggle.textContent = t("bp.lab.pause");
    toggle.setAttribute("aria-pressed", "true");
    while (running && run && !run.stopped) {
      const elapsed = await advance(chunk).catch((error) => {
        status.textContent = t("bp.lab.failed", { message: error.message });
        return null;
      });
      if (elapsed === null) break;
      chunk = Math.max(1, Math.min(1000, Math.round(chunk * Math.min(2, CHUNK_TARGET_MS / Math.max(elapsed, 1)))));
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    pause();
  }

  function pause() {
    running = false;
    toggle.textContent = t("bp.lab.train");
    toggle.setAttribute("aria-pressed", "false");
  }

  async function inspect() {
    if (!run) return;
    const mine = run.generation;
    const result = await engine.call("backprop_lab_inspect", { layer: settings.layer });
    if (run && mine === run.generation) {
      run.inspected = result;
      renderInspect();
    }
  }

  function absorb(result) {
    run.step = result.step;
    run.norms.push(...result.grad_norms);
    run.epochs.push(...result.epochs);
    run.stopped = result.stopped;
    run.best = result.best_epoch;
    run.boundary = result.boundary;
    run.inspected = result.inspect;
  }

  // --- drawing ------------------------------------------------------------------------------
  function setupLayers(layers) {
    if (settings.layer > layers.length - 1) {
      settings.layer = layers.length - 1; // the network has fewer layers than the link asked for
      save({ layer: settings.layer });
    }
    layerSelect.replaceChildren(
      ...layers.map(([out, inp], i) => h("option", { value: i, selected: i === settings.layer }, t("bp.lab.layer.option", { index: i + 1, out, in: inp }))),
    );
    gradChart?.destroy();
    gradBox.replaceChildren();
    gradChart = lineChart(gradBox, { series: layers.map((_, i) => `‖∂J/∂W${subscript(i + 1)}‖`), xLabel: t("bp.lab.step.axis"), yLabel: "‖∂J/∂W‖", logY: true, testid: "grad-chart" });
  }

  function renderRun() {
    if (!run) return;
    const last = run.epochs.at(-1);
    const epoch = run.epochs.length;
    status.textContent = run.stopped
      ? t("bp.lab.stopped", { epoch, best: run.best ?? epoch })
      : t("bp.lab.progress", { step: run.step, epoch, perEpoch: run.data.steps_per_epoch });
    accuracy.dataset.value = last ? String(last.train_accuracy) : "";
    accuracy.textContent = last
      ? t("bp.lab.accuracy", { train: formatNumber(last.train_accuracy, { style: "percent", maximumFractionDigits: 1 }), val: formatNumber(last.val_accuracy, { style: "percent", maximumFractionDigits: 1 }) })
      : t("bp.lab.accuracy.none");
    stepOne.disabled = toggle.disabled = run.stopped;
    plot.update({ boundary: run.boundary, train: run.data.train, val: run.data.val });
    legend.textContent = t(settings.data === "rain" ? "bp.lab.legend.rain" : "bp.lab.legend");
    lossChart.setData(run.epochs.map((e) => e.epoch), [run.epochs.map((e) => e.train_loss), run.epochs.map((e) => e.val_loss)]);
    lossChart.mark(run.stopped && run.best ? run.best : null, t("bp.lab.best"));
    const stride = Math.ceil(run.norms.length / MAX_CHART_POINTS) || 1;
    const rows = run.norms.filter((_, i) => i % stride === 0);
    gradChart.setData(rows.map((_, i) => i * stride + 1), run.data.layers.map((_, l) => rows.map((row) => (row[l] > 0 ? row[l] : null))));
    renderInspect();
  }

  function renderInspect() {
    const l2 = settings.l2 > 0;
    inspectFormula.replaceChildren(formula(String.raw`\frac{\partial ${l2 ? "J" : "L"}}{\partial W} = \frac{\partial L}{\partial y}\, x^{\top}${l2 ? String.raw` + 2\lambda W` : ""}`, { display: true }));
    const m = run?.inspected;
    maps.hidden = !m;
    inspectNote.textContent = m ? t("bp.lab.inspect.help", { batch: m.x[0]?.length ?? 0 }) : t("bp.lab.inspect.none");
    if (!m) return;
    heat.W.update(m.W);
    heat.x.update(m.x);
    heat.dy.update(m.dy);
    heat.dW.update(m.dW);
  }

  restart();
  return () => {
    running = false;
    lossChart.destroy();
    gradChart?.destroy();
  };
}

function subscript(n) {
  return String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d]);
}
