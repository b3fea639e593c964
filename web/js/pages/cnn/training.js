// Training in the browser: the same pizarra Trainer as `build.py train`, run in chunks of about
// a quarter of a second so the page stays live; loss and accuracy curves as it learns, the
// previous run's kept as faded ghosts to compare with.
import { h } from "../../dom.js";
import { msg, setText, formatNumber } from "../../i18n.js";
import { select, slider, numberField, checkbox } from "../../ui/controls.js";
import { lineChart } from "../../ui/line-chart.js";
import { loadSplit } from "./data.js";
import { SCHEMA, trainConfig } from "./state.js";

/**
 * trainingPanel(container, {engine, settings: {mode, epochs, lr, bs, seed, aug}, onSettings(settings),
 *   onTrained(testEvaluation), notify, reference})  → unmount()
 *   reference: a promise of the committed model's report (its curves show before a run of yours)
 */
export function trainingPanel(container, { engine, settings, onSettings, onTrained, notify, reference }) {
  let running = false, stopRequested = false;
  const set = (part) => {
    settings = { ...settings, ...part };
    onSettings(settings);
  };
  const controls = [
    select({ spec: SCHEMA.mode, label: msg("cnn.train.mode"), value: settings.mode, optionLabel: (m) => msg(`cnn.train.mode.${m}`), onChange: (mode) => set({ mode }), testid: "train-mode" }),
    slider({ spec: SCHEMA.epochs, label: msg("cnn.train.epochs"), value: settings.epochs, onInput: (epochs) => set({ epochs }), testid: "train-epochs" }),
    select({ spec: SCHEMA.lr, label: msg("cnn.train.lr"), value: settings.lr, onChange: (lr) => set({ lr }), testid: "train-lr" }),
    select({ spec: SCHEMA.bs, label: msg("cnn.train.batch"), value: settings.bs, onChange: (bs) => set({ bs }), testid: "train-bs" }),
    numberField({ spec: SCHEMA.seed, label: msg("cnn.train.seed"), value: settings.seed, onChange: (seed) => set({ seed }), testid: "train-seed" }),
    checkbox({ label: msg("cnn.train.augment"), value: settings.aug, onChange: (aug) => set({ aug }), testid: "train-aug" }),
  ];
  const startButton = h("button", { type: "button", class: "button primary", dataset: { testid: "train-start" }, onclick: () => (running ? (stopRequested = true) : run()) }, msg("cnn.train.start"));
  const status = h("p", { class: "train-status", dataset: { testid: "train-status" }, "aria-live": "polite", text: msg("cnn.train.idle") });
  const percent = (v) => () => formatNumber(v, { style: "percent", maximumFractionDigits: 2 });
  const speed = h("p", { class: "train-speed", dataset: { testid: "train-speed" } });
  const charts = h("div", { class: "train-charts" });
  const chartsCaption = h("p", { class: "caption" });
  container.append(
    h("div", { class: "train-controls" }, controls.map((c) => c.element)),
    h("div", { class: "train-actions" }, startButton, status, speed),
    chartsCaption,
    charts,
  );
  const lossChart = lineChart(charts, { series: [msg("cnn.train.loss")], xLabel: msg("cnn.train.epoch"), yLabel: msg("cnn.train.lossaxis"), height: 200, testid: "loss-chart" });
  const accuracyChart = lineChart(charts, { series: [msg("cnn.train.batchacc"), msg("cnn.train.valacc")], xLabel: msg("cnn.train.epoch"), yLabel: msg("cnn.train.accuracy"), height: 200, testid: "accuracy-chart" });

  // Before any run of yours: the committed model's own curves, one point per epoch.
  reference.then((report) => {
    if (running || chartsCaption.dataset.live) return;
    const epochs = report.history.map((e) => e.epoch);
    setText(chartsCaption, "cnn.train.reference", { epochs: report.epochs, seconds: () => formatNumber(report.training_seconds), acc: percent(report.test_accuracy) });
    lossChart.setData(epochs, [report.history.map((e) => e.loss)]);
    accuracyChart.setData(epochs, [report.history.map((e) => e.train_accuracy), report.history.map((e) => e.validation_accuracy)]);
  }, () => {});

  async function run() {
    running = true;
    stopRequested = false;
    setText(startButton, "cnn.train.stop");
    const losses = [[]], accuracy = [[], []], xs = [];
    try {
      setText(status, "cnn.train.loading");
      await engine.ready();
      await Promise.all([loadSplit(engine, "train"), loadSplit(engine, "validation"), loadSplit(engine, "test")]);
      const plan = await engine.call("cnn_train_start", trainConfig(settings));
      let epochSeen = 0, examples = 0, seconds = 0;
      if (chartsCaption.dataset.live) {
        lossChart.ghost(); // the previous run of yours stays, faded, under this one
        accuracyChart.ghost();
      } else {
        lossChart.setData([], [[]]);
        accuracyChart.setData([], [[], []]);
      }
      chartsCaption.dataset.live = "1";
      setText(chartsCaption, "cnn.train.yours");
      while (!stopRequested) {
        const p = await engine.call("cnn_train_steps", { budget_ms: 250 });
        xs.push(p.epoch);
        losses[0].push(p.loss);
        accuracy[0].push(p.accuracy);
        accuracy[1].push(null);
        const batchExamples = p.examples_per_second ? Math.round(p.examples_per_second * 0.25) : 0;
        examples += batchExamples;
        seconds += batchExamples / (p.examples_per_second || 1);
        if (Math.floor(p.epoch) > epochSeen || p.done) {
          epochSeen = Math.floor(p.epoch);
          const val = await engine.call("cnn_evaluate", { split: "validation", model: "trained" });
          accuracy[1][accuracy[1].length - 1] = val.accuracy;
        }
        lossChart.setData(xs, losses);
        accuracyChart.setData(xs, accuracy);
        setText(status, "cnn.train.progress", { step: p.step, total: plan.total_steps, epoch: () => formatNumber(p.epoch, { maximumFractionDigits: 2 }), loss: () => formatNumber(p.loss, { maximumFractionDigits: 3 }) });
        const rate = examples / (seconds || 1);
        setText(speed, p.backend === "webgpu" ? "cnn.train.speed.gpu" : "cnn.train.speed.cpu", { n: () => formatNumber(rate, { maximumFractionDigits: 0 }) });
        if (p.done) break;
      }
      const test = await engine.call("cnn_evaluate", { split: "test", model: "trained" });
      setText(status, stopRequested ? "cnn.train.stopped" : "cnn.train.done", { acc: percent(test.accuracy) });
      onTrained(test);
    } catch (error) {
      if (error.code === "restarted") setText(status, "cnn.train.restarted"); // the run lived in the old engine
      else {
        setText(status, "cnn.train.failed");
        notify(msg("cnn.train.failed.detail", { message: error.message }), { kind: "error" });
      }
    } finally {
      running = false;
      setText(startButton, "cnn.train.start");
    }
  }

  return () => {
    stopRequested = true;
    lossChart.destroy();
    accuracyChart.destroy();
  };
}
