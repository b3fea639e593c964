// CNN digits: draw a digit and watch LeNet-5 read it layer by layer; the convolution spelled
// out on a small grid; the test digits it gets wrong; and training it in the browser. The whole
// state lives in the address (state.js), except a model trained here, which the link cannot
// carry (the share notice says so) but the "Python" button's notebook does, as its weights.
// Engine functions: pysrc/pizarra/demos/cnn.py.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { codePanel } from "../../ui/code-panel.js";
import { select } from "../../ui/controls.js";
import { drawPanel } from "./draw-panel.js";
import { layerView } from "./layers.js";
import { explainer, IMAGE } from "./explainer.js";
import { KERNELS } from "./convolution.js";
import { testSet } from "./testset.js";
import { trainingPanel } from "./training.js";
import { digitsMeta, modelReport, spriteTiles } from "./data.js";
import { decodeDigit } from "./encoding.js";
import { SCHEMA, STAGES } from "./state.js";

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

  // --- draw and predict ---------------------------------------------------------------
  const drawSection = h(
    "section",
    { class: "cnn-draw panel", "aria-labelledby": "cnn-draw-h" },
    h("h2", { id: "cnn-draw-h", class: "visually-hidden", text: msg("cnn.draw.heading") }),
  );
  const drawing = drawPanel(drawSection, {
    engine,
    notify,
    state,
    save,
    model: () => model,
    onModel: (name) => useModel(name),
    showLayers: (result) => layers.show(result),
  });
  root.append(
    h(
      "header",
      { class: "page-intro" },
      h("h1", { text: msg("cnn.title") }),
      h("p", { class: "lead", text: msg("cnn.lead") }),
    ),
    drawSection,
  );

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
    drawing.pickDigit(tiles[index]);
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
        drawing.offerTrained(true);
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
    drawing.predict("again");
  }

  // A restarted engine has lost the model trained here: back to the site's, and say so.
  engine.onRestart(() => {
    if (model === "trained") notify(msg("cnn.restart.lost"), { kind: "warning" });
    trainedTest = null;
    drawing.offerTrained(false);
    useModel("pretrained");
  });

  // --- start: the link's digit, then the engine ---------------------------------------------
  drawing.showEmpty("cnn.empty");
  // The link's digit is on the board before the first prediction (an open tab's engine is ready
  // at once: a prediction made before the digit was decoded would find the board empty).
  const linkDigit = !state.d
    ? Promise.resolve()
    : whileMounted(decodeDigit(state.d)).then(
        (pixels) => drawing.setDigit(pixels),
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
    () => drawing.showEmpty("cnn.engine.error"),
  );
  linkDigit.then(() => {
    if (engine.state !== "ready" && !drawing.isEmpty()) drawing.predict("again"); // says the answer is on its way
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
    drawing.destroy();
    cleanups.forEach((cleanup) => cleanup());
  };
}
