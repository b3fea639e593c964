// Training in the browser: the same pizarra Trainer as `build.py train`, run in chunks of about
// a quarter of a second so the page stays live; loss and accuracy curves as it learns, the
// previous run's kept as faded ghosts to compare with.
import { h } from "../../dom.js";
import { msg, setText, formatNumber, formatPercent } from "../../i18n.js";
import { select, slider, numberField, checkbox } from "../../ui/controls.js";
import { lineChart } from "../../ui/line-chart.js";
import { notifyFailure } from "../../ui/engine-error.js";
import { loadSplit } from "./data.js";
import { SCHEMA, trainConfig } from "./state.js";

/**
 * trainingPanel(container, {engine, operation, settings: {mode, epochs, lr, bs, seed, aug},
 *   onSettings(settings), onTrained(testEvaluation | null), notify, reference})  → unmount()
 *   reference: a promise of the committed model's report (its curves show before a run of yours)
 * Stop (ui/operation.js) interrupts the call in flight: the weights trained so far are kept and
 * measured on the test digits (a second Stop skips that); the run's steps are whole in Python.
 */
export function trainingPanel(
  container,
  { engine, operation, settings, onSettings, onTrained, notify, reference },
) {
  let running = false;
  const set = (part) => {
    settings = { ...settings, ...part };
    onSettings(settings);
  };
  const controls = [
    select({
      spec: SCHEMA.mode,
      label: msg("cnn.train.mode"),
      value: settings.mode,
      optionLabel: (m) => msg(`cnn.train.mode.${m}`),
      onChange: (mode) => set({ mode }),
      testid: "train-mode",
    }),
    slider({
      spec: SCHEMA.epochs,
      label: msg("cnn.train.epochs"),
      value: settings.epochs,
      onInput: (epochs) => set({ epochs }),
      testid: "train-epochs",
    }),
    select({
      spec: SCHEMA.lr,
      label: msg("cnn.train.lr"),
      value: settings.lr,
      onChange: (lr) => set({ lr }),
      testid: "train-lr",
    }),
    select({
      spec: SCHEMA.bs,
      label: msg("cnn.train.batch"),
      value: settings.bs,
      onChange: (bs) => set({ bs }),
      testid: "train-bs",
    }),
    numberField({
      spec: SCHEMA.seed,
      label: msg("cnn.train.seed"),
      value: settings.seed,
      onChange: (seed) => set({ seed }),
      testid: "train-seed",
    }),
    checkbox({
      label: msg("cnn.train.augment"),
      value: settings.aug,
      onChange: (aug) => set({ aug }),
      testid: "train-aug",
    }),
  ];
  const startButton = h(
    "button",
    { type: "button", class: "button primary", dataset: { testid: "train-start" }, onclick: () => run() },
    msg("cnn.train.start"),
  );
  const training = operation({ testid: "train-operation" });
  const status = h("p", {
    class: "train-status",
    dataset: { testid: "train-status" },
    "aria-live": "polite",
    text: msg("cnn.train.idle"),
  });
  const percent = (v) => () => formatPercent(v);
  const speed = h("p", { class: "train-speed", dataset: { testid: "train-speed" } });
  const charts = h("div", { class: "train-charts" });
  const chartsCaption = h("p", { class: "caption" });
  container.append(
    h(
      "div",
      { class: "train-controls" },
      controls.map((c) => c.element),
    ),
    h("div", { class: "train-actions" }, startButton, training.element, status, speed),
    chartsCaption,
    charts,
  );
  const lossChart = lineChart(charts, {
    series: [msg("cnn.train.loss")],
    xLabel: msg("cnn.train.epoch"),
    yLabel: msg("cnn.train.lossaxis"),
    height: 200,
    testid: "loss-chart",
  });
  const accuracyChart = lineChart(charts, {
    series: [msg("cnn.train.batchacc"), msg("cnn.train.valacc")],
    xLabel: msg("cnn.train.epoch"),
    yLabel: msg("cnn.train.accuracy"),
    height: 200,
    testid: "accuracy-chart",
  });

  // Before any run of yours: the committed model's own curves, one point per epoch.
  reference.then(
    (report) => {
      if (running || chartsCaption.dataset.live) return;
      const epochs = report.history.map((e) => e.epoch);
      setText(chartsCaption, "cnn.train.reference", {
        epochs: report.epochs,
        seconds: () => formatNumber(report.training_seconds),
        acc: percent(report.test_accuracy),
      });
      lossChart.setData(epochs, [report.history.map((e) => e.loss)]);
      accuracyChart.setData(epochs, [
        report.history.map((e) => e.train_accuracy),
        report.history.map((e) => e.validation_accuracy),
      ]);
    },
    () => {},
  );

  async function run() {
    if (running) return;
    running = true;
    startButton.disabled = true;
    const losses = [[]],
      accuracy = [[], []],
      xs = [];
    let plan = null;
    try {
      const trained = await training.run(async ({ signal, progress }) => {
        setText(status, "cnn.train.loading");
        speed.replaceChildren(); // the last run's speed is not this one's
        await engine.ready();
        await Promise.all(
          ["train", "validation", "test"].map((split) => loadSplit(engine, split, { signal })),
        );
        plan = await engine.call("cnn_train_start", trainConfig(settings), { signal });
        progress(0);
        let epochSeen = 0,
          examples = 0,
          seconds = 0;
        if (chartsCaption.dataset.live) {
          lossChart.ghost(); // the previous run of yours stays, faded, under this one
          accuracyChart.ghost();
        } else {
          lossChart.setData([], [[]]);
          accuracyChart.setData([], [[], []]);
        }
        chartsCaption.dataset.live = "1";
        setText(chartsCaption, "cnn.train.yours");
        for (;;) {
          const p = await engine.call("cnn_train_steps", { budget_ms: 250 }, { signal });
          xs.push(p.epoch);
          losses[0].push(p.loss);
          accuracy[0].push(p.accuracy);
          accuracy[1].push(null);
          const batchExamples = p.examples_per_second ? Math.round(p.examples_per_second * 0.25) : 0;
          examples += batchExamples;
          seconds += batchExamples / (p.examples_per_second || 1);
          if (Math.floor(p.epoch) > epochSeen || p.done) {
            epochSeen = Math.floor(p.epoch);
            const val = await engine.call(
              "cnn_evaluate",
              { split: "validation", model: "trained" },
              { signal },
            );
            accuracy[1][accuracy[1].length - 1] = val.accuracy;
          }
          lossChart.setData(xs, losses);
          accuracyChart.setData(xs, accuracy);
          progress(p.step / plan.total_steps);
          setText(status, "cnn.train.progress", {
            step: p.step,
            total: plan.total_steps,
            epoch: () => formatNumber(p.epoch, { maximumFractionDigits: 2 }),
            loss: () => formatNumber(p.loss, { maximumFractionDigits: 3 }),
          });
          const rate = examples / (seconds || 1);
          setText(speed, p.backend === "webgpu" ? "cnn.train.speed.gpu" : "cnn.train.speed.cpu", {
            n: () => formatNumber(rate, { maximumFractionDigits: 0 }),
          });
          if (p.done) return p;
        }
      });
      if (trained.outcome === "dropped") return;
      if (!plan) return void setText(status, "cnn.train.stopped.early"); // stopped before a run began
      // The model trained so far (all of it, or up to the Stop): measured on the test digits.
      const finished = trained.outcome === "done";
      setText(status, finished ? "cnn.train.testing" : "cnn.train.stopped.testing");
      const test = await training.run(({ signal }) =>
        engine.call("cnn_evaluate", { split: "test", model: "trained" }, { signal }),
      );
      if (test.outcome === "dropped") return;
      if (test.outcome === "done")
        setText(status, finished ? "cnn.train.done" : "cnn.train.stopped", {
          acc: percent(test.value.accuracy),
        });
      else setText(status, "cnn.train.stopped.untested");
      onTrained(test.outcome === "done" ? test.value : null);
    } catch (error) {
      if (error.code === "restarted")
        setText(status, "cnn.train.restarted"); // the run lived in the old engine
      else {
        setText(status, "cnn.train.failed");
        notifyFailure(notify, error, "cnn.train.failed.detail");
      }
    } finally {
      running = false;
      startButton.disabled = false;
    }
  }

  return () => {
    training.stop("unmount");
    lossChart.destroy();
    accuracyChart.destroy();
  };
}
