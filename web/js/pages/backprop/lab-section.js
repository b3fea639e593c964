// Part 2 of the page: a multi-layer perceptron training on a 2-D data set in the engine, in
// chunks of steps so the page stays responsive, with its decision boundary, loss curves, the
// gradient norm of every layer per step, and one layer's ∂L/∂W = (∂L/∂y) xᵀ as heat maps.
//
// The link always reopens what is on screen: `trained` is the step the run has reached, and a
// changed setting resets the run as "Reset" does (the previous curves stay as faded ghosts). A
// link's steps are replayed with their progress shown, and the replay can be stopped (ui/operation.js:
// the call in flight too, at a step boundary; the link then holds the step reached). Train pressed before Python is ready starts once it is; a run
// at the engine's step limit says so; after an engine restart the run is replayed to its step.
import { h } from "../../dom.js";
import { msg, setText, formatNumber, formatPercent } from "../../i18n.js";
import { formula } from "../../ui/formula.js";
import { slider, select, numberField, checkbox } from "../../ui/controls.js";
import { lineChart } from "../../ui/line-chart.js";
import { heatmap } from "../../ui/heatmap.js";
import { reason, detailsToggle } from "../../ui/engine-error.js";
import { SCHEMA, labConfig } from "./state.js";
import { boundaryPlot } from "./boundary.js";

const CHUNK_TARGET_MS = 120; // each call to the engine trains for about this long
const REPLAY_CHUNK = 500; // steps per call while replaying a link: its progress shows
const MAX_CHART_POINTS = 2000;
const ACTIVATIONS = {
  sigmoid: "σ (sigmoid)",
  tanh: "tanh",
  relu: "ReLU",
  leaky_relu: "LeakyReLU",
  elu: "ELU",
};
const OPTIMIZERS = { sgd: "SGD", adam: "Adam" }; // and momentum, in each language's words
const percentOf = (v) => () => formatPercent(v);
const count = (n) => () => formatNumber(n);

/** mountLabSection(root, {engine, operation, state, save, notify, onLanguageChange}) → unmount() */
export function mountLabSection(root, { engine, operation, state, save, notify, onLanguageChange }) {
  const settings = { ...state };
  let run = null; // {data, maxSteps, epochs, norms, step, stopped, best, boundary, inspected}
  let running = false;
  let wantsToRun = false; // Train pressed before the run was ready: it starts as soon as it is
  let replay = null; // {target} while the link's steps are replayed
  const replaying = operation({ testid: "replay-operation" });
  let failure = null; // the engine's error, if the last call failed
  let chunk = 5;

  // --- settings: every control is built from its SCHEMA entry ---------------------------------
  const change = (key, value) => {
    settings[key] = value;
    settings.trained = 0; // a new setting starts a new run, as Reset does
    save({ [key]: value, trained: 0 });
    restart({ ghost: true });
  };
  const choice = (key, label, optionLabel) =>
    select({
      spec: SCHEMA[key],
      label,
      value: settings[key],
      optionLabel,
      testid: `lab-${key}`,
      onChange: (v) => change(key, v),
    }).element;
  // A slider shows its value while dragging and starts a new run when released.
  const range = (key, label, format = (v) => formatNumber(v)) => {
    const control = slider({
      spec: SCHEMA[key],
      label,
      value: settings[key],
      format,
      testid: `lab-${key}`,
      onInput: (v) => {
        settings[key] = v;
      },
    });
    control.input.addEventListener("change", () => change(key, Number(control.input.value)));
    return control.element;
  };
  const percent = (v) => formatPercent(v, { decimals: 0 }); // settings in whole-percent steps
  const rate = (v) => formatNumber(v, { maximumSignificantDigits: 2 });
  const seedField = numberField({
    spec: SCHEMA.seed,
    label: msg("backprop.lab.seed"),
    value: settings.seed,
    testid: "lab-seed",
    onChange: (v) => change("seed", v),
  });
  const reseed = () => {
    const seed = (settings.seed * 1103515245 + 12345) % 2 ** 31;
    seedField.set(seed);
    change("seed", seed);
  };
  const earlyStopping = checkbox({
    label: msg("backprop.lab.es"),
    value: settings.es,
    testid: "lab-es",
    onChange: (v) => change("es", v),
  });

  const controls = h(
    "div",
    { class: "backprop-lab-controls" },
    h(
      "fieldset",
      {},
      h("legend", { text: msg("backprop.lab.data") }),
      choice("data", msg("backprop.lab.dataset"), (v) => msg(`backprop.data.${v}`)),
      range("noise", msg("backprop.lab.noise")),
      range("n", msg("backprop.lab.points")),
      range("val", msg("backprop.lab.validation"), percent),
      h(
        "div",
        { class: "backprop-seed" },
        seedField.element,
        h(
          "button",
          { type: "button", class: "button", dataset: { testid: "lab-reseed" }, onclick: reseed },
          msg("backprop.lab.reseed"),
        ),
      ),
    ),
    h(
      "fieldset",
      {},
      h("legend", { text: msg("backprop.lab.network") }),
      range("depth", msg("backprop.lab.depth")),
      range("width", msg("backprop.lab.width")),
      choice("act", msg("backprop.lab.activation"), (v) => ACTIVATIONS[v]),
      choice("init", msg("backprop.lab.init"), (v) => msg(`backprop.init.${v}`)),
    ),
    h(
      "fieldset",
      {},
      h("legend", { text: msg("backprop.lab.training") }),
      choice("opt", msg("backprop.lab.optimizer"), (v) =>
        v === "momentum" ? msg("backprop.opt.momentum") : OPTIMIZERS[v],
      ),
      choice("lr", msg("backprop.lab.lr"), rate),
      choice("batch", msg("backprop.lab.batch"), (v) =>
        v === SCHEMA.batch.max ? msg("backprop.lab.batch.all") : String(v),
      ),
      choice("l2", msg("backprop.lab.l2"), (v) => (v ? rate(v) : msg("backprop.lab.none"))),
      range("drop", msg("backprop.lab.dropout"), percent),
      earlyStopping.element,
      range("patience", msg("backprop.lab.patience")),
    ),
  );

  // --- the run: buttons, boundary, status -------------------------------------------------------
  const toggle = h("button", {
    type: "button",
    class: "button primary",
    dataset: { testid: "train-toggle" },
    "aria-pressed": "false",
    onclick: onToggle,
  });
  const stepOne = h(
    "button",
    {
      type: "button",
      class: "button",
      dataset: { testid: "train-step" },
      onclick: () => advance(1).catch(fail),
    },
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
        restart();
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

  const lossBox = h("div", { class: "backprop-chart" });
  const gradBox = h("div", { class: "backprop-chart" });
  const lossChart = lineChart(lossBox, {
    series: [msg("backprop.lab.loss.train"), msg("backprop.lab.loss.val")],
    xLabel: msg("backprop.lab.epoch"),
    yLabel: msg("backprop.lab.loss"),
    testid: "loss-chart",
  });
  const gradSeries = (layers) => layers.map((_, i) => `‖∂J/∂W${subscript(i + 1)}‖`);
  const gradChart = lineChart(gradBox, {
    series: gradSeries(Array(settings.depth + 1)),
    xLabel: msg("backprop.lab.step.axis"),
    yLabel: "‖∂J/∂W‖",
    logY: true,
    testid: "grad-chart",
  });

  const layerSelect = h("select", { id: "backprop-layer", dataset: { testid: "lab-layer" } });
  layerSelect.addEventListener("change", () => {
    settings.layer = Number(layerSelect.value);
    save({ layer: settings.layer });
    inspect();
  });
  const inspectFormula = h("div", { class: "backprop-inspect-formula" });
  const maps = h("div", { class: "backprop-maps", hidden: true });
  const heat = {
    W: heatmap(maps, { label: "W", colormap: "diverging", maxCellPx: 14, testid: "heat-W" }),
    x: heatmap(maps, { label: "x", colormap: "diverging", maxCellPx: 14, testid: "heat-x" }),
    dy: heatmap(maps, { label: "∂L/∂y", colormap: "diverging", maxCellPx: 14, testid: "heat-dy" }),
    dW: heatmap(maps, { label: "∂L/∂W", colormap: "diverging", maxCellPx: 14, testid: "heat-dW" }),
  };
  const inspectNote = h("p", { class: "backprop-help" });

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
      h(
        "div",
        { class: "backprop-charts" },
        h(
          "section",
          { "aria-labelledby": "backprop-loss-heading" },
          h("h3", { id: "backprop-loss-heading", text: msg("backprop.lab.loss.heading") }),
          h("p", { class: "backprop-help", text: msg("backprop.lab.loss.help") }),
          lossBox,
        ),
        h(
          "section",
          { "aria-labelledby": "backprop-grad-heading" },
          h("h3", { id: "backprop-grad-heading", text: msg("backprop.lab.grads.heading") }),
          h("p", { class: "backprop-help", text: msg("backprop.lab.grads.help") }),
          gradBox,
        ),
      ),
    ),
    h(
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
    ),
  );

  // --- talking to the engine ------------------------------------------------------------------
  const atLimit = () => run !== null && run.step >= run.maxSteps;

  // The newest start wins (the engine's queue, key "lab"); every later answer is about the run it
  // was asked for, and is dropped once a restart has replaced that run.
  async function restart({ ghost = false } = {}) {
    pause();
    replaying.stop("restart"); // a replay of the previous run: its call in flight too
    if (ghost) {
      lossChart.ghost();
      gradChart.ghost();
    }
    run = null;
    replay = null;
    failure = null;
    failureBox.replaceChildren();
    renderToggle();
    setText(status, "backprop.lab.preparing");
    let fresh = null;
    try {
      const start = () => engine.call("backprop_lab_start", labConfig(settings));
      const started = await engine.queue(start, { key: "lab", waiting });
      fresh = {
        data: started,
        maxSteps: started.max_steps,
        epochs: [],
        norms: [],
        step: 0,
        stopped: false,
        best: null,
        boundary: started.boundary,
        inspected: null,
      };
      run = fresh;
      setupLayers(started.layers);
      if (settings.trained > 0) await replayLink();
      if (run !== fresh) return; // restarted during the replay
      renderRun();
      if (wantsToRun) play();
    } catch (error) {
      if (fresh === null || run === fresh) fail(error);
    }
  }

  /** Train the run again up to the link's step, showing how far it is; Stop keeps what is done. */
  async function replayLink() {
    const asked = run;
    replay = { target: settings.trained };
    renderToggle();
    renderStatus();
    try {
      const { outcome } = await replaying.run(async ({ signal, progress }) => {
        progress(run.step / replay.target);
        while (run.step < replay.target && !run.stopped && !atLimit()) {
          const steps = Math.min(REPLAY_CHUNK, replay.target - run.step);
          const result = await engine.call(
            "backprop_lab_train",
            { steps, inspect_layer: settings.layer },
            { signal },
          );
          if (signal.aborted) return; // stopped or restarted while the answer was on its way
          absorb(result);
          progress(run.step / replay.target);
          renderStatus();
        }
      });
      if (outcome !== "stopped") return;
      // Stopped mid-call: Python ended at a step boundary after steps this page has not seen yet.
      const since = { steps: 0, since: run.step, inspect_layer: settings.layer };
      const caught = await engine.call("backprop_lab_train", since);
      if (run !== asked) return;
      absorb(caught);
      settings.trained = run.step; // the link now holds the step the replay reached
      save({ trained: run.step });
    } finally {
      if (run === asked) {
        replay = null;
        renderToggle();
      }
    }
  }

  async function advance(steps) {
    if (!run || run.stopped || atLimit()) return null;
    const asked = run;
    const started = performance.now();
    const args = { steps: Math.min(steps, run.maxSteps - run.step), inspect_layer: settings.layer };
    const result = await engine.call("backprop_lab_train", args);
    if (run !== asked) return null;
    absorb(result);
    renderRun();
    settings.trained = run.step;
    save({ trained: run.step });
    return performance.now() - started;
  }

  function onToggle() {
    if (replay) return; // the replay has its own Stop
    if (running || wantsToRun) pause();
    else play();
  }

  async function play() {
    if (!run) {
      wantsToRun = true; // the run is being prepared (or Python is loading): it starts when ready
      return renderToggle();
    }
    if (run.stopped || atLimit()) return;
    running = true;
    renderToggle();
    while (running && run && !run.stopped && !atLimit()) {
      const elapsed = await advance(chunk).catch((error) => (fail(error), null));
      if (elapsed === null) break;
      chunk = Math.max(
        1,
        Math.min(1000, Math.round(chunk * Math.min(2, CHUNK_TARGET_MS / Math.max(elapsed, 1)))),
      );
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    pause();
  }

  function pause() {
    running = false;
    wantsToRun = false;
    renderToggle();
  }

  function fail(error) {
    failure = error;
    failureBox.replaceChildren(...[detailsToggle(error)].filter(Boolean));
    pause();
    renderStatus();
  }

  async function inspect() {
    if (!run) return;
    const asked = run;
    const args = { layer: settings.layer };
    const result = await engine.queue(() => engine.call("backprop_lab_inspect", args), { key: "inspect" });
    if (run !== asked) return;
    run.inspected = result;
    renderInspect();
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
      ...layers.map(([out, inp], i) =>
        h(
          "option",
          { value: i, selected: i === settings.layer },
          msg("backprop.lab.layer.option", { index: i + 1, out, in: inp }),
        ),
      ),
    );
    layerSelect.value = String(settings.layer);
    gradChart.setSeries(gradSeries(layers));
  }

  function renderToggle() {
    const pressed = running || wantsToRun;
    setText(toggle, pressed ? "backprop.lab.pause" : "backprop.lab.train");
    toggle.setAttribute("aria-pressed", String(pressed));
    toggle.disabled = Boolean(replay) || (!pressed && run !== null && (run.stopped || atLimit()));
    stepOne.disabled = !run || run.stopped || atLimit() || Boolean(replay);
  }

  function renderStatus() {
    if (failure) return setText(status, "backprop.lab.failed", { message: reason(failure) });
    if (!run) return setText(status, "backprop.lab.preparing");
    const epoch = run.epochs.length;
    if (replay)
      return setText(status, "backprop.lab.replaying", {
        done: count(run.step),
        steps: count(replay.target),
      });
    if (run.stopped) return setText(status, "backprop.lab.stopped", { epoch, best: run.best ?? epoch });
    if (atLimit()) return setText(status, "backprop.lab.limit", { max: count(run.maxSteps) });
    setText(status, "backprop.lab.progress", { step: run.step, epoch, perEpoch: run.data.steps_per_epoch });
  }

  function renderRun() {
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
    lossChart.setData(
      run.epochs.map((e) => e.epoch),
      [run.epochs.map((e) => e.train_loss), run.epochs.map((e) => e.val_loss)],
    );
    lossChart.mark(run.stopped && run.best ? run.best : null, msg("backprop.lab.best"));
    const stride = Math.ceil(run.norms.length / MAX_CHART_POINTS) || 1;
    const rows = run.norms.filter((_, i) => i % stride === 0);
    gradChart.setData(
      rows.map((_, i) => i * stride + 1),
      run.data.layers.map((_, l) => rows.map((row) => (row[l] > 0 ? row[l] : null))),
    );
    renderInspect();
  }

  function renderInspect() {
    const l2 = settings.l2 > 0;
    inspectFormula.replaceChildren(
      formula(
        String.raw`\frac{\partial ${l2 ? "J" : "L"}}{\partial W} = \frac{\partial L}{\partial y}\, x^{\top}${l2 ? String.raw` + 2\lambda W` : ""}`,
        { display: true },
      ),
    );
    const m = run?.inspected;
    maps.hidden = !m;
    if (m) setText(inspectNote, "backprop.lab.inspect.help", { batch: m.x[0]?.length ?? 0 });
    else setText(inspectNote, "backprop.lab.inspect.none");
    if (!m) return;
    heat.W.update(m.W);
    heat.x.update(m.x);
    heat.dy.update(m.dy);
    heat.dW.update(m.dW);
  }

  // A restarted engine has lost the run: train it again to the step on screen (and in the link).
  engine.onRestart(() => {
    notify(msg("backprop.lab.restarted", { steps: count(settings.trained) }), { kind: "warning" });
    restart();
  });
  onLanguageChange(() => {}); // every word here is a live message, every number redrawn by its piece

  restart();
  return () => {
    running = false;
    lossChart.destroy();
    gradChart.destroy();
  };
}

function subscript(n) {
  return String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d]);
}
