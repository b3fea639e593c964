// Part 2 of the page: a multi-layer perceptron training on a 2-D data set in the engine, with its
// decision boundary, loss curves, the gradient norm of every layer per step, and one layer's
// ∂L/∂W = (∂L/∂y) xᵀ as heat maps. This module composes the lab's pieces — its settings
// (lab-controls.js), its run in the engine (lab-run.js), its curves (lab-charts.js) and its layer
// inspector (lab-inspect.js) — and draws the run: buttons, status, accuracy and boundary.
//
// The link always reopens what is on screen: `trained` is the step the run has reached, and a
// changed setting resets the run as "Reset" does (the previous curves stay as faded ghosts). A
// link's steps are replayed with their progress shown, and the replay can be stopped
// (ui/operation.js: the call in flight too, at a step boundary; the link then holds the step
// reached). Train pressed before Python is ready starts once it is; a run at the engine's step
// limit says so; after an engine restart the run is replayed to its step.
import { h } from "../../dom.js";
import { msg, setText, formatNumber, formatPercent } from "../../i18n.js";
import { reason, detailsToggle } from "../../ui/engine-error.js";
import { boundaryPlot } from "./boundary.js";
import { labControls } from "./lab-controls.js";
import { labCharts } from "./lab-charts.js";
import { labInspect } from "./lab-inspect.js";
import { labRun } from "./lab-run.js";

const percentOf = (v) => () => formatPercent(v);
const count = (n) => () => formatNumber(n);

/** mountLabSection(root, {engine, operation, state, save, notify, onLanguageChange}) → unmount() */
export function mountLabSection(root, { engine, operation, state, save, notify, onLanguageChange }) {
  const settings = { ...state };
  const replaying = operation({ testid: "replay-operation" });

  // --- the pieces: settings, curves, one layer looked into ------------------------------------
  const controls = labControls({
    settings,
    onChange(key, value) {
      settings[key] = value;
      settings.trained = 0; // a new setting starts a new run, as Reset does
      save({ [key]: value, trained: 0 });
      training.restart({ ghost: true });
    },
  });
  const charts = labCharts({ depth: settings.depth });
  const inspector = labInspect({
    onLayer(layer) {
      settings.layer = layer;
      save({ layer });
      training.inspect();
    },
  });

  // --- the run: buttons, boundary, status -------------------------------------------------------
  const toggle = h("button", {
    type: "button",
    class: "button primary",
    dataset: { testid: "train-toggle" },
    "aria-pressed": "false",
    onclick: () => training.toggle(),
  });
  const stepOne = h(
    "button",
    { type: "button", class: "button", dataset: { testid: "train-step" }, onclick: () => training.step() },
    msg("backprop.lab.step"),
  );
  const reset = h(
    "button",
    {
      type: "button",
      class: "button",
      dataset: { testid: "train-reset" },
      onclick: () => {
        settings.trained = 0;
        save({ trained: 0 });
        training.restart();
      },
    },
    msg("backprop.lab.reset"),
  );
  const waiting = h("p", {
    class: "backprop-lab-status waiting",
    hidden: true,
    dataset: { testid: "train-waiting" },
  });
  const status = h("p", {
    class: "backprop-lab-status",
    role: "status",
    dataset: { testid: "train-status" },
  });
  const failureBox = h("div", { class: "backprop-lab-failure" }); // Python's own words of a failure, behind a toggle
  const accuracy = h("p", { class: "backprop-lab-accuracy", dataset: { testid: "train-accuracy" } });
  const plotBox = h("div", { class: "backprop-boundary-box" });
  const plot = boundaryPlot(plotBox, { label: msg("backprop.lab.boundary.describe"), testid: "boundary" });
  const legend = h("p", { class: "backprop-legend" });

  // --- the run in the engine, which tells what to redraw --------------------------------------
  const training = labRun({
    engine,
    replaying,
    settings,
    save,
    waiting,
    view: {
      toggle: renderToggle,
      status: renderStatus,
      run: renderRun,
      inspect: renderInspect,
      layers: setupLayers,
      failure: (error) => failureBox.replaceChildren(...[error && detailsToggle(error)].filter(Boolean)),
      ghost: () => charts.ghost(),
    },
  });

  root.append(
    controls,
    h(
      "div",
      { class: "backprop-lab-main" },
      h(
        "div",
        { class: "backprop-lab-view" },
        h("div", { class: "backprop-toolbar" }, toggle, stepOne, reset),
        replaying.element,
        waiting,
        status,
        failureBox,
        accuracy,
        plotBox,
        legend,
      ),
      charts.element,
    ),
    inspector.element,
  );

  // --- drawing ------------------------------------------------------------------------------
  function setupLayers(layers) {
    if (settings.layer > layers.length - 1) {
      settings.layer = layers.length - 1; // the network has fewer layers than the link asked for
      save({ layer: settings.layer });
    }
    inspector.setLayers(layers, settings.layer);
    charts.setLayers(layers);
  }

  function renderToggle() {
    const { run, pressed, replay } = training;
    const ended = run !== null && (run.stopped || training.atLimit());
    setText(toggle, pressed ? "backprop.lab.pause" : "backprop.lab.train");
    toggle.setAttribute("aria-pressed", String(pressed));
    toggle.disabled = Boolean(replay) || (!pressed && ended);
    stepOne.disabled = !run || ended || Boolean(replay);
  }

  function renderStatus() {
    const { run, replay, failure } = training;
    if (failure) return setText(status, "backprop.lab.failed", { message: reason(failure) });
    if (!run) return setText(status, "backprop.lab.preparing");
    const epoch = run.epochs.length;
    if (replay)
      return setText(status, "backprop.lab.replaying", {
        done: count(run.step),
        steps: count(replay.target),
      });
    if (run.stopped) return setText(status, "backprop.lab.stopped", { epoch, best: run.best ?? epoch });
    if (training.atLimit()) return setText(status, "backprop.lab.limit", { max: count(run.maxSteps) });
    setText(status, "backprop.lab.progress", { step: run.step, epoch, perEpoch: run.data.steps_per_epoch });
  }

  function renderRun() {
    const { run } = training;
    if (!run) return renderStatus();
    const last = run.epochs.at(-1);
    renderStatus();
    renderToggle();
    accuracy.dataset.value = last ? String(last.train_accuracy) : "";
    if (last)
      setText(accuracy, "backprop.lab.accuracy", {
        train: percentOf(last.train_accuracy),
        val: percentOf(last.val_accuracy),
      });
    else setText(accuracy, "backprop.lab.accuracy.none");
    plot.update({ boundary: run.boundary, train: run.data.train, val: run.data.val });
    setText(legend, settings.data === "rain" ? "backprop.lab.legend.rain" : "backprop.lab.legend");
    charts.update(run);
    renderInspect();
  }

  function renderInspect() {
    inspector.update(training.run?.inspected, { l2: settings.l2 > 0 });
  }

  // A restarted engine has lost the run: train it again to the step on screen (and in the link).
  engine.onRestart(() => {
    notify(msg("backprop.lab.restarted", { steps: count(settings.trained) }), { kind: "warning" });
    training.restart();
  });
  onLanguageChange(() => {}); // every word here is a live message, every number redrawn by its piece

  training.restart();
  return () => {
    training.halt();
    charts.destroy();
  };
}
