// CNN digits: draw a digit and watch LeNet-5 read it layer by layer; the convolution spelled
// out on a small grid; the test digits it gets wrong; and training it in the browser.
// Python entry points: pysrc/pizarra/demos/cnn.py.
import { h } from "../dom.js";
import { t, formatNumber } from "../i18n.js";
import { barChart } from "../ui/bar-chart.js";
import { codePanel } from "../ui/code-panel.js";
import { select } from "../ui/controls.js";
import { drawingPad } from "./cnn-pad.js";
import { inputView } from "./cnn-maps.js";
import { layerView, STAGES } from "./cnn-layers.js";
import { explainer, KERNELS } from "./cnn-explainer.js";
import { testSet } from "./cnn-testset.js";
import { trainingPanel } from "./cnn-training.js";
import { modelReport, spriteTiles } from "./cnn-data.js";
import { toBase64, encodeDigit, decodeDigit, float32FromBase64 } from "./cnn-encoding.js";

const SCHEMA = {
  d: { type: "string", default: "", maxLength: 1200, pattern: /^[A-Za-z0-9_-]*$/ },
  layer: { type: "enum", default: "conv1", values: STAGES.map((s) => s.id) },
  ch: { type: "int", default: 0, min: 0, max: 15 },
  k: { type: "enum", default: "edge-v", values: Object.keys(KERNELS) },
  stride: { type: "int", default: 1, min: 1, max: 2 },
  pad: { type: "enum", default: "valid", values: ["valid", "same"] },
  pool: { type: "enum", default: "max", values: ["max", "mean"] },
  mode: { type: "enum", default: "finetune", values: ["finetune", "scratch"] },
  epochs: { type: "int", default: 1, min: 1, max: 10 },
  lr: { type: "float", default: 0.002, min: 0.0001, max: 0.05 },
  bs: { type: "int", default: 64, min: 16, max: 256 },
  seed: { type: "int", default: 0, min: 0, max: 2 ** 31 - 1 },
  aug: { type: "bool", default: true },
};
const RASTER = 140; // the drawing is sent to Python at 140×140 (5× the 28×28 input)
const LOW_CONFIDENCE = 0.6;
const CODE = ["pizarra.vision.LeNet5", "pizarra.digits.normalize_drawing", "pizarra.nn.Conv2d", "pizarra.nn.MaxPool2d", "pizarra.mnist.Trainer", "pizarra.digits.augment"];

export function mount(root, context) {
  const { engine, notify } = context;
  const state = context.readState(SCHEMA);
  const save = () => context.writeState(state, SCHEMA);
  save(); // the address keeps only the values that were read (a bad one is dropped, with a notice)
  const cleanups = [];
  let model = "pretrained";
  let busy = false, again = false, strokeEndedAt = null, alive = true;

  // --- draw and predict ---------------------------------------------------------------
  const padBox = h("div", { class: "pad-box" });
  const prediction = h("output", { class: "prediction-digit", dataset: { testid: "prediction" }, "aria-live": "polite" });
  const predictionNote = h("p", { class: "prediction-note", dataset: { testid: "prediction-note" } });
  const probabilities = h("div", { class: "probabilities" });
  const inputBox = h("div", { class: "input-box" }, h("p", { class: "caption", text: t("cnn.input.caption") }));
  const modelChoice = select({ label: t("cnn.model"), value: model, options: [{ value: "pretrained", label: t("cnn.model.pretrained") }, { value: "trained", label: t("cnn.model.trained") }], onChange: (m) => { model = m; refreshModel(); } });
  modelChoice.input.querySelector('option[value="trained"]').disabled = true;
  const pad = drawingPad(padBox, { label: t("cnn.pad.label"), onChange: (phase) => predict(phase) });
  const input = inputView(inputBox, { label: t("cnn.input.label"), testid: "input-28" });
  const bars = barChart(probabilities, { labels: [..."0123456789"], testid: "probabilities" });

  root.append(
    h("header", { class: "cnn-intro" },
      h("h1", { text: t("cnn.title") }),
      h("p", { class: "lead", text: t("cnn.lead") }),
    ),
    h("section", { class: "cnn-draw panel", "aria-labelledby": "cnn-draw-h" },
      h("h2", { id: "cnn-draw-h", class: "visually-hidden", text: t("cnn.draw.heading") }),
      h("div", { class: "pad-column" },
        padBox,
        h("div", { class: "pad-actions" },
          h("button", { type: "button", class: "button", dataset: { testid: "undo" }, onclick: () => pad.undo(), title: t("cnn.undo.key") }, "↶ ", t("cnn.undo")),
          h("button", { type: "button", class: "button", dataset: { testid: "clear" }, onclick: () => pad.clear(), title: t("cnn.clear.key") }, t("cnn.clear")),
        ),
        h("p", { class: "hint", text: t("cnn.pad.hint") }),
      ),
      h("div", { class: "result-column" },
        h("div", { class: "prediction-row" },
          h("div", { class: "prediction-box" }, h("span", { class: "caption", text: t("cnn.prediction") }), prediction),
          inputBox,
        ),
        predictionNote,
        probabilities,
        modelChoice.element,
      ),
    ),
  );

  function showEmpty(message) {
    prediction.textContent = "";
    predictionNote.textContent = message;
    predictionNote.dataset.kind = "empty";
    bars.update([]);
    input.draw(null);
    layers.show(null);
  }

  function show(result, measureFrom = null) {
    input.draw(result.input);
    if (result.empty) return showEmpty(t("cnn.empty"));
    const best = Math.max(...result.probabilities);
    prediction.textContent = String(result.prediction);
    predictionNote.textContent = best < LOW_CONFIDENCE ? t("cnn.lowconfidence", { p: formatNumber(best, { style: "percent", maximumFractionDigits: 0 }) }) : t("cnn.confidence", { p: formatNumber(best, { style: "percent", maximumFractionDigits: 1 }), d: result.prediction });
    predictionNote.dataset.kind = best < LOW_CONFIDENCE ? "low" : "sure";
    bars.update(result.probabilities);
    if (measureFrom !== null) performance.measure("cnn:stroke-to-probabilities", { start: measureFrom, end: performance.now() });
    if (!result.layers) return; // a call made while drawing: the maps follow at the stroke's end
    const maps = Object.fromEntries(Object.entries(result.layers).map(([name, data]) => [name, float32FromBase64(data)]));
    layers.show({ ...result, layers: maps });
  }

  async function predict(phase = "end") {
    if (phase === "end") strokeEndedAt = performance.now();
    if (pad.isEmpty()) {
      strokeEndedAt = null;
      showEmpty(t("cnn.empty"));
      if (state.d) (state.d = ""), save();
      return;
    }
    if (engine.state !== "ready") {
      prediction.textContent = "";
      predictionNote.textContent = t(engine.state === "error" ? "cnn.engine.error" : "cnn.engine.loading");
      predictionNote.dataset.kind = "empty";
      return;
    }
    if (busy) return void (again = true);
    busy = true;
    const endedAt = strokeEndedAt;
    try {
      const args = pad.hasStrokes() ? { drawing: toBase64(pad.raster(RASTER)), size: RASTER } : { digit: toBase64(pad.digit()) };
      // While drawing only the probabilities (3 ms in Python, not 6): a stroke's end then waits less.
      const result = await engine.call("cnn_predict", { ...args, model, layers: phase !== "move" });
      if (!alive) return;
      const measured = endedAt !== null && endedAt === strokeEndedAt;
      show(result, measured ? endedAt : null);
      if (measured) {
        strokeEndedAt = null;
        state.d = result.empty ? "" : await encodeDigit(result.input);
        save();
      }
    } catch (error) {
      if (error.code !== "cancelled") notify(t("cnn.predict.failed", { message: error.message }), { kind: "error" });
    } finally {
      busy = false;
      if (again && alive) {
        again = false;
        predict("again");
      }
    }
  }

  function loadDigit(pixels) {
    pad.setDigit(pixels);
    predict("end");
  }

  // --- every layer ----------------------------------------------------------------------
  const layersSection = h("section", { class: "panel", "aria-labelledby": "cnn-layers-h" },
    h("h2", { id: "cnn-layers-h", text: t("cnn.layers.heading") }),
    h("p", { class: "section-lead", text: t("cnn.layers.lead") }),
  );
  const layersWaiting = h("p", { class: "waiting", text: t("cnn.layers.waiting") });
  layersSection.append(layersWaiting);
  const layers = layerView(layersSection, {
    selected: { layer: state.layer, ch: state.ch },
    onSelect(next) {
      state.layer = next.layer;
      state.ch = next.ch;
      layers.select(next);
      save();
    },
  });

  // --- the convolution on a small grid --------------------------------------------------
  const explainerSection = h("section", { class: "panel", "aria-labelledby": "cnn-explainer-h" },
    h("h2", { id: "cnn-explainer-h", text: t("cnn.explainer.heading") }),
    h("p", { class: "section-lead", text: t("cnn.explainer.lead") }),
  );
  cleanups.push(explainer(explainerSection, {
    settings: { k: state.k, stride: state.stride, pad: state.pad, pool: state.pool },
    onChange(settings) {
      Object.assign(state, settings);
      save();
    },
  }));

  // --- test digits ---------------------------------------------------------------------
  const testSection = h("section", { class: "panel", "aria-labelledby": "cnn-test-h" },
    h("h2", { id: "cnn-test-h", text: t("cnn.test.heading") }),
    h("p", { class: "section-lead", text: t("cnn.test.lead") }),
  );
  const tests = testSet(testSection, {
    async onPick(index) {
      const tiles = await spriteTiles("test");
      loadDigit(tiles[index]);
      padBox.scrollIntoView({ behavior: "smooth", block: "center" });
      pad.element.focus({ preventScroll: true });
    },
  });
  let committed = null;
  modelReport().then((report) => {
    committed = { accuracy: report.test_accuracy, confusion_matrix: report.confusion_matrix, predictions: report.test_predictions, confidence: report.test_confidence, model: "pretrained" };
    if (model === "pretrained") tests.show(committed);
  }, () => notify(t("cnn.data.failed"), { kind: "warning" }));

  // --- training in the browser -----------------------------------------------------------
  const trainSection = h("section", { class: "panel", "aria-labelledby": "cnn-train-h" },
    h("h2", { id: "cnn-train-h", text: t("cnn.train.heading") }),
    h("p", { class: "section-lead", text: t("cnn.train.lead") }),
  );
  let trainedTest = null;
  cleanups.push(trainingPanel(trainSection, {
    engine, notify,
    settings: { mode: state.mode, epochs: state.epochs, lr: state.lr, bs: state.bs, seed: state.seed, aug: state.aug },
    onSettings(settings) {
      Object.assign(state, settings);
      save();
    },
    onTrained(test) {
      trainedTest = { ...test, model: "trained" };
      modelChoice.input.querySelector('option[value="trained"]').disabled = false;
      modelChoice.input.value = model = "trained";
      refreshModel();
    },
  }));

  // --- the code ----------------------------------------------------------------------------
  const codeSection = h("section", { class: "panel", "aria-labelledby": "cnn-code-h" },
    h("h2", { id: "cnn-code-h", text: t("cnn.code.heading") }),
    h("p", { class: "section-lead", text: t("cnn.code.lead") }),
  );
  const code = codePanel(codeSection, { engine, testid: "cnn-code" });
  const codeChoice = select({ label: t("cnn.code.show"), value: CODE[0], options: CODE.map((name) => ({ value: name, label: name })), onChange: (name) => code.show(name) });
  codeSection.insertBefore(codeChoice.element, code.element);

  const about = h("section", { class: "panel about", "aria-labelledby": "cnn-about-h" },
    h("h2", { id: "cnn-about-h", text: t("cnn.about.heading") }),
    h("p", { text: t("cnn.about.data") }),
    h("p", {}, t("cnn.about.card"), " ", h("a", { href: "data/lenet5_mnist.md", text: "lenet5_mnist.md" })),
  );

  root.append(layersSection, explainerSection, testSection, trainSection, codeSection, about);

  async function refreshModel() {
    if (engine.state !== "ready") return;
    layers.setModel(await engine.call("cnn_model", { model }));
    layersWaiting.hidden = true;
    tests.show(model === "trained" && trainedTest ? trainedTest : committed);
    predict("again");
  }

  // --- start: the link's digit, then the engine ---------------------------------------------
  showEmpty(t("cnn.empty"));
  if (state.d) {
    decodeDigit(state.d).then(
      (pixels) => {
        pad.setDigit(pixels);
        input.draw(pixels);
        predict("again");
      },
      () => {
        notify(t("cnn.digit.bad"), { kind: "warning" });
        state.d = "";
        save();
      },
    );
  }
  engine.ready().then(
    async () => {
      if (!alive) return;
      await refreshModel();
      code.show(CODE[0]);
    },
    () => showEmpty(t("cnn.engine.error")),
  );

  return () => {
    alive = false;
    pad.destroy();
    cleanups.forEach((cleanup) => cleanup());
  };
}
