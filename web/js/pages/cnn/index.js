// CNN digits: draw a digit and watch LeNet-5 read it layer by layer; the convolution spelled
// out on a small grid; the test digits it gets wrong; and training it in the browser. The whole
// state lives in the address (state.js), except a model trained here, which the link cannot
// carry (the share notice says so) but the "Python" button's notebook does, as its weights.
// Engine functions: pysrc/pizarra/demos/cnn.py.
import { h } from "../../dom.js";
import { msg, setText, formatPercent } from "../../i18n.js";
import { barChart } from "../../ui/bar-chart.js";
import { codePanel } from "../../ui/code-panel.js";
import { select } from "../../ui/controls.js";
import { notifyFailure } from "../../ui/engine-error.js";
import { drawingPad } from "./pad.js";
import { inputView } from "./maps.js";
import { layerView } from "./layers.js";
import { explainer, IMAGE } from "./explainer.js";
import { KERNELS } from "./convolution.js";
import { testSet } from "./testset.js";
import { trainingPanel } from "./training.js";
import { digitsMeta, modelReport, spriteTiles } from "./data.js";
import { toBase64, encodeDigit, decodeDigit, float32FromBase64 } from "./encoding.js";
import { SCHEMA, STAGES } from "./state.js";

const RASTER = 140; // the drawing is sent to Python at 140×140 (5× the 28×28 input)
const LOW_CONFIDENCE = 0.6;
const MODELS = { type: "enum", values: ["pretrained", "trained"] }; // the site's model, or the one trained here
const CODE = {
  type: "enum",
  values: [
    "pizarra.cnn.LeNet5",
    "pizarra.cnn.normalize_drawing",
    "pizarra.nn.Conv2d",
    "pizarra.nn.MaxPool2d",
    "pizarra.training.Trainer",
    "pizarra.data.digits.augment",
  ],
};

export function mount(root, context) {
  const { engine, notify, whileMounted, onLanguageChange } = context;
  const state = context.readState(SCHEMA);
  const save = () => context.writeState(state, SCHEMA);
  save(); // the address keeps only the values that were read (a bad one is dropped, with a notice)
  const cleanups = [];
  let model = "pretrained";
  let busy = false,
    again = false,
    strokeEndedAt = null;

  // --- draw and predict ---------------------------------------------------------------
  const padBox = h("div", { class: "pad-box" });
  const prediction = h("output", {
    class: "prediction-digit",
    dataset: { testid: "prediction" },
    "aria-live": "polite",
  });
  const predictionNote = h("p", { class: "prediction-note", dataset: { testid: "prediction-note" } });
  const probabilities = h("div", { class: "probabilities" });
  const inputBox = h(
    "div",
    { class: "input-box" },
    h("p", { class: "caption", text: msg("cnn.input.caption") }),
  );
  const modelChoice = select({
    spec: MODELS,
    label: msg("cnn.model"),
    value: model,
    optionLabel: (m) => msg(`cnn.model.${m}`),
    onChange: (m) => useModel(m),
    testid: "model",
  });
  modelChoice.input.querySelector('option[value="trained"]').disabled = true;
  const pad = drawingPad(padBox, { label: msg("cnn.pad.label"), onChange: (phase) => predict(phase) });
  const input = inputView(inputBox, { label: msg("cnn.input.label"), testid: "input-28" });
  const bars = barChart(probabilities, { labels: [..."0123456789"], testid: "probabilities" });

  root.append(
    h(
      "header",
      { class: "page-intro" },
      h("h1", { text: msg("cnn.title") }),
      h("p", { class: "lead", text: msg("cnn.lead") }),
    ),
    h(
      "section",
      { class: "cnn-draw panel", "aria-labelledby": "cnn-draw-h" },
      h("h2", { id: "cnn-draw-h", class: "visually-hidden", text: msg("cnn.draw.heading") }),
      h(
        "div",
        { class: "pad-column" },
        padBox,
        h(
          "div",
          { class: "pad-actions" },
          h(
            "button",
            {
              type: "button",
              class: "button",
              dataset: { testid: "undo" },
              onclick: () => pad.undo(),
              title: msg("cnn.undo.key"),
            },
            "↶ ",
            msg("cnn.undo"),
          ),
          h(
            "button",
            {
              type: "button",
              class: "button",
              dataset: { testid: "clear" },
              onclick: () => pad.clear(),
              title: msg("cnn.clear.key"),
            },
            msg("cnn.clear"),
          ),
        ),
        h("p", {
          class: "hint",
          text: msg(
            matchMedia("(hover: none) and (pointer: coarse)").matches ? "cnn.pad.hint.touch" : "cnn.pad.hint",
          ),
        }),
      ),
      h(
        "div",
        { class: "result-column" },
        h(
          "div",
          { class: "prediction-row" },
          h(
            "div",
            { class: "prediction-box" },
            h("span", { class: "caption", text: msg("cnn.prediction") }),
            prediction,
          ),
          inputBox,
        ),
        predictionNote,
        probabilities,
        modelChoice.element,
      ),
    ),
  );

  /** No prediction, and why (key: the message in the note under it). */
  function showNote(key) {
    prediction.textContent = "";
    setText(predictionNote, key);
    predictionNote.dataset.kind = "empty";
  }

  function showEmpty(key) {
    showNote(key);
    bars.update([]);
    input.draw(null);
    layers.show(null);
  }

  function show(result, measureFrom = null) {
    input.draw(result.input);
    if (result.empty) return showEmpty("cnn.empty");
    const best = Math.max(...result.probabilities);
    const percent = () => formatPercent(best);
    prediction.textContent = String(result.prediction);
    if (best < LOW_CONFIDENCE) setText(predictionNote, "cnn.lowconfidence", { p: percent });
    else setText(predictionNote, "cnn.confidence", { p: percent, d: result.prediction });
    predictionNote.dataset.kind = best < LOW_CONFIDENCE ? "low" : "sure";
    bars.update(result.probabilities);
    if (measureFrom !== null)
      performance.measure("cnn:stroke-to-probabilities", { start: measureFrom, end: performance.now() });
    if (!result.layers) return; // a call made while drawing: the maps follow at the stroke's end
    const maps = Object.fromEntries(
      Object.entries(result.layers).map(([name, data]) => [name, float32FromBase64(data)]),
    );
    layers.show({ ...result, layers: maps });
  }

  async function predict(phase = "end") {
    if (phase === "end") strokeEndedAt = performance.now();
    if (pad.isEmpty()) {
      strokeEndedAt = null;
      showEmpty("cnn.empty");
      if (state.d) ((state.d = ""), save());
      return;
    }
    if (engine.state !== "ready") {
      // Asked for now, answered once Python is up: the model's layers arrive, then this digit.
      showNote(engine.state === "error" ? "cnn.engine.error" : "cnn.engine.loading");
      return;
    }
    if (busy) return void (again = true);
    busy = true;
    const endedAt = strokeEndedAt;
    try {
      const args = pad.hasStrokes()
        ? { drawing: toBase64(pad.raster(RASTER)), size: RASTER }
        : { digit: toBase64(pad.digit()) };
      // While drawing only the probabilities (3 ms in Python, not 6): a stroke's end then waits less.
      const result = await engine.call("cnn_predict", { ...args, model, layers: phase !== "move" });
      const measured = endedAt !== null && endedAt === strokeEndedAt;
      show(result, measured ? endedAt : null);
      if (measured) {
        strokeEndedAt = null;
        state.d = result.empty ? "" : await encodeDigit(result.input);
        save();
      }
    } catch (error) {
      if (error.code !== "restarted") notifyFailure(notify, error, "cnn.predict.failed");
    } finally {
      busy = false;
      if (again) {
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
  const layersSection = h(
    "section",
    { class: "panel", "aria-labelledby": "cnn-layers-h" },
    h("h2", { id: "cnn-layers-h", text: msg("cnn.layers.heading") }),
    h("p", { class: "section-lead", text: msg("cnn.layers.lead") }),
  );
  const layersWaiting = h("p", { class: "waiting", text: msg("cnn.layers.waiting") });
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
  const explainerSection = h(
    "section",
    { class: "panel", "aria-labelledby": "cnn-explainer-h" },
    h("h2", { id: "cnn-explainer-h", text: msg("cnn.explainer.heading") }),
    h("p", { class: "section-lead", text: msg("cnn.explainer.lead") }),
  );
  cleanups.push(
    explainer(explainerSection, {
      settings: { k: state.k, stride: state.stride, pad: state.pad, pool: state.pool },
      onChange(settings) {
        Object.assign(state, settings);
        save();
      },
    }),
  );

  // --- test digits: shown once the labels and the committed model's figures have arrived ---------
  const testSection = h(
    "section",
    { class: "panel", "aria-labelledby": "cnn-test-h" },
    h("h2", { id: "cnn-test-h", text: msg("cnn.test.heading") }),
    h("p", { class: "section-lead", text: msg("cnn.test.lead") }),
  );
  let tests = null,
    committed = null,
    trainedTest = null;
  const report = whileMounted(modelReport());
  Promise.all([whileMounted(digitsMeta()), report]).then(
    ([meta, figures]) => {
      committed = {
        accuracy: figures.test_accuracy,
        confusion_matrix: figures.confusion_matrix,
        predictions: figures.test_predictions,
        confidence: figures.test_confidence,
        model: "pretrained",
      };
      tests = testSet(testSection, { meta, onPick: pickTestDigit });
      showEvaluation();
    },
    () => notify(msg("cnn.data.failed"), { kind: "warning" }),
  );

  /** The test-set figures of the model in use, when they are there. */
  function showEvaluation() {
    const evaluation = model === "trained" && trainedTest ? trainedTest : committed; // a stopped measure: the site's, said so
    if (tests && evaluation) tests.show(evaluation);
  }

  async function pickTestDigit(index) {
    const tiles = await whileMounted(spriteTiles("test"));
    loadDigit(tiles[index]);
    padBox.scrollIntoView({ behavior: "smooth", block: "center" });
    pad.element.focus({ preventScroll: true });
  }

  // --- training in the browser -----------------------------------------------------------
  const trainSection = h(
    "section",
    { class: "panel", "aria-labelledby": "cnn-train-h" },
    h("h2", { id: "cnn-train-h", text: msg("cnn.train.heading") }),
    h("p", { class: "section-lead", text: msg("cnn.train.lead") }),
  );
  cleanups.push(
    trainingPanel(trainSection, {
      engine,
      notify,
      reference: report,
      operation: context.operation,
      settings: {
        mode: state.mode,
        epochs: state.epochs,
        lr: state.lr,
        bs: state.bs,
        seed: state.seed,
        aug: state.aug,
      },
      onSettings(settings) {
        Object.assign(state, settings);
        save();
      },
      onTrained(test) {
        trainedTest = test && { ...test, model: "trained" };
        modelChoice.input.querySelector('option[value="trained"]').disabled = false;
        modelChoice.input.value = "trained";
        useModel("trained");
      },
    }),
  );

  // --- the code ----------------------------------------------------------------------------
  const codeSection = h(
    "section",
    { class: "panel", "aria-labelledby": "cnn-code-h" },
    h("h2", { id: "cnn-code-h", text: msg("cnn.code.heading") }),
    h("p", { class: "section-lead", text: msg("cnn.code.lead") }),
  );
  const code = codePanel(codeSection, { engine, testid: "cnn-code" });
  const codeChoice = select({
    spec: CODE,
    label: msg("cnn.code.show"),
    value: CODE.values[0],
    onChange: (name) => code.show(name),
  });
  codeSection.insertBefore(codeChoice.element, code.element);

  const about = h(
    "section",
    { class: "panel about", "aria-labelledby": "cnn-about-h" },
    h("h2", { id: "cnn-about-h", text: msg("cnn.about.heading") }),
    h("p", { text: msg("cnn.about.data") }),
    h("p", {}, msg("cnn.about.card"), " ", h("a", { href: "data/lenet5_mnist.md", text: "lenet5_mnist.md" })),
  );

  root.append(layersSection, explainerSection, testSection, trainSection, codeSection, about);

  /** The model the network view, the predictions and the test figures use; the link cannot carry a trained one. */
  function useModel(name) {
    model = name;
    context.linkLeavesOut(model === "trained" ? msg("cnn.link.leftout") : null);
    refreshModel();
  }

  async function refreshModel() {
    if (engine.state !== "ready") return;
    layers.setModel(await engine.call("cnn_model", { model }));
    layersWaiting.hidden = true;
    showEvaluation();
    predict("again");
  }

  // A restarted engine has lost the model trained here: back to the site's, and say so.
  engine.onRestart(() => {
    if (model === "trained") notify(msg("cnn.restart.lost"), { kind: "warning" });
    trainedTest = null;
    modelChoice.input.value = "pretrained";
    modelChoice.input.querySelector('option[value="trained"]').disabled = true;
    useModel("pretrained");
  });

  // --- start: the link's digit, then the engine ---------------------------------------------
  showEmpty("cnn.empty");
  // The link's digit is on the board before the first prediction (an open tab's engine is ready
  // at once: a prediction made before the digit was decoded would find the board empty).
  const linkDigit = !state.d
    ? Promise.resolve()
    : whileMounted(decodeDigit(state.d)).then(
        (pixels) => {
          pad.setDigit(pixels);
          input.draw(pixels);
        },
        () => {
          notify(msg("cnn.digit.bad"), { kind: "warning" });
          state.d = "";
          save();
        },
      );
  Promise.all([whileMounted(engine.ready()), linkDigit]).then(
    async () => {
      await refreshModel();
      code.show(CODE.values[0]);
    },
    () => showEmpty("cnn.engine.error"),
  );
  linkDigit.then(() => {
    if (engine.state !== "ready" && !pad.isEmpty()) predict("again"); // says the answer is on its way
  });
  onLanguageChange(() => {}); // every word is a live message, every number redrawn by its piece

  // The "Python" button: the link's digit, the model in use (a trained one goes in as its weights),
  // the large map and the convolution explainer, as a notebook (pysrc/pizarra/demos/cnn.py).
  context.offerNotebook(() => {
    const stage = STAGES.find((s) => s.id === state.layer);
    return {
      fn: "cnn_notebook",
      args: {
        digit_code: state.d || null,
        model,
        feature_map: {
          stage: stage.id,
          layer: stage.output,
          channel: stage.kind === "dense" ? null : state.ch,
        },
        explainer: {
          kernel_name: state.k,
          kernel: KERNELS[state.k],
          image: IMAGE,
          stride: state.stride,
          padding: state.pad,
          pooling: state.pool,
        },
      },
    };
  });

  return () => {
    pad.destroy();
    cleanups.forEach((cleanup) => cleanup());
  };
}
