// Train live: a small RNN, LSTM or GRU on a corpus or on pasted text, by truncated BPTT, with the
// loss and the gradient norm drawn as it learns (without clipping, the explosions show) and a
// sample of its writing every N steps. It runs until Stop (ui/operation.js), which interrupts the
// chunk in flight at a step boundary (Python's steps are whole); the model so far writes a last sample.
import { h } from "../../dom.js";
import { t, formatNumber } from "../../i18n.js";
import { lineChart } from "../../ui/line-chart.js";
import { select, checkbox } from "../../ui/controls.js";
import { SCHEMA, MAX_PASTED_BYTES, trainArgs, utf8Bytes } from "./state.js";
import { visible } from "./side-by-side.js";

const CHUNK_MS = 400;
const SAMPLES_KEPT = 6;

export function livePanel(container, { engine, operation, notify, state, save, assets, onStart }) {
  const text = h("textarea", { class: "paste", rows: 5, dataset: { testid: "train-text" }, "aria-label": t("lm.train.paste"), placeholder: t("lm.train.paste") });
  const size = h("p", { class: "hint", dataset: { testid: "train-size" } });
  const pasteBox = h("div", { class: "paste-box" }, text, size);
  const controls = h("div", { class: "controls-grid" });
  const change = (key) => (value) => {
    state[key] = value;
    save();
    pasteBox.hidden = state.src !== "text";
  };
  controls.append(
    select({ spec: SCHEMA.cell, label: t("lm.train.cell"), value: state.cell, optionLabel: (c) => c.toUpperCase(), onChange: change("cell"), testid: "train-cell" }).element,
    select({ spec: SCHEMA.src, label: t("lm.train.source"), value: state.src, optionLabel: (s) => t(`lm.train.source.${s}`), onChange: change("src"), testid: "train-source" }).element,
    select({ spec: SCHEMA.hidden, label: t("lm.train.hidden"), value: state.hidden, onChange: change("hidden"), testid: "train-hidden" }).element,
    select({ spec: SCHEMA.bptt, label: t("lm.train.bptt"), value: state.bptt, onChange: change("bptt"), testid: "train-bptt" }).element,
    select({ spec: SCHEMA.lr, label: t("lm.train.lr"), value: state.lr, onChange: change("lr"), testid: "train-lr" }).element,
    select({ spec: SCHEMA.batch, label: t("lm.train.batch"), value: state.batch, onChange: change("batch"), testid: "train-batch" }).element,
    select({ spec: SCHEMA.every, label: t("lm.train.every"), value: state.every, onChange: change("every"), testid: "train-every" }).element,
    checkbox({ label: t("lm.train.clip"), value: state.clip, onChange: change("clip"), testid: "train-clip" }).element,
  );
  pasteBox.hidden = state.src !== "text";
  text.addEventListener("input", () => {
    const bytes = utf8Bytes(text.value);
    size.textContent = t("lm.train.size", { kb: formatNumber(bytes / 1024, { maximumFractionDigits: 1 }), max: MAX_PASTED_BYTES / 1024 });
    size.dataset.over = bytes > MAX_PASTED_BYTES ? "true" : "false";
  });
  const start = h("button", { type: "button", class: "button primary", dataset: { testid: "train-start" }, text: t("lm.train.start") });
  const training = operation({ testid: "train-operation" });
  const status = h("p", { class: "side-status", dataset: { testid: "train-status" }, "aria-live": "polite" });
  const charts = h("div", { class: "train-charts" });
  const samples = h("ol", { class: "samples", dataset: { testid: "train-samples" } });
  container.append(controls, pasteBox, h("div", { class: "button-row" }, start, training.element), status, charts, h("h3", { text: t("lm.train.samples") }), samples);
  const loss = lineChart(charts, { series: [t("lm.train.loss")], xLabel: t("lm.train.step"), yLabel: t("lm.train.loss"), height: 180, testid: "loss-chart" });
  const norm = lineChart(charts, { series: [t("lm.train.norm")], xLabel: t("lm.train.step"), yLabel: t("lm.train.norm"), logY: true, height: 180, testid: "norm-chart" });
  const sampleArgs = () => ({ length: 120, temperature: 0.8, seed: state.seed });
  function showSample(sample) {
    samples.prepend(h("li", {}, h("span", { class: "caption", text: t("lm.train.at", { step: sample.step }) }), h("span", { class: "sample-text", text: sample.tokens.map((c) => (c === "</s>" ? "¶ " : c.length > 1 ? visible(c) : c)).join("") })));
    while (samples.children.length > SAMPLES_KEPT) samples.lastChild.remove();
  }

  async function train() {
    if (state.src === "text" && utf8Bytes(text.value) > MAX_PASTED_BYTES) {
      notify(t("lm.train.toolarge", { max: MAX_PASTED_BYTES / 1024 }), { kind: "error" });
      return;
    }
    const needed = state.batch * (state.bptt + 1);
    if (state.src === "text" && [...text.value.trim()].length < needed) {
      notify(t("lm.train.tooshort", { n: needed }), { kind: "error" });
      return;
    }
    if (training.running) return;
    start.disabled = true;
    samples.replaceChildren();
    loss.setData([], [[]]);
    norm.setData([], [[]]);
    status.textContent = t(engine.state === "ready" ? "lm.train.preparing" : "lm.side.waiting");
    let started = false, lastSample = -1;
    try {
      const run = await training.run(async ({ signal }) => {
        const info = await engine.call("lm_train_start", trainArgs(state, state.src === "text" ? text.value : ""), { assets: state.src === "text" ? [] : assets(state.src), signal });
        started = true;
        onStart?.(sampleArgs); // a model now lives in the engine: the page's notebook can take it
        let nextSample = state.every;
        for (;;) {
          const r = await engine.call("lm_train_steps", { budget_ms: CHUNK_MS }, { signal });
          const first = r.step - r.losses.length + 1;
          r.losses.forEach((value, k) => {
            loss.append(first + k, [value]);
            norm.append(first + k, [r.grad_norms[k]]);
          });
          status.textContent = t("lm.train.progress", { step: r.step, epoch: formatNumber(r.epoch, { maximumFractionDigits: 2 }), loss: formatNumber(r.losses.at(-1), { maximumFractionDigits: 3 }), speed: formatNumber(r.characters_per_second, { maximumFractionDigits: 0 }), chars: formatNumber(info.characters), vocab: info.vocabulary });
          if (r.step >= nextSample) {
            nextSample = r.step + state.every;
            const sample = await engine.call("lm_train_sample", sampleArgs(), { signal });
            lastSample = sample.step;
            showSample(sample);
          }
        }
      });
      if (run.outcome !== "stopped") return;
      if (!started) return void (status.textContent = t("lm.train.stopped.early"));
      // The model trained so far stays in the engine: it writes once more, at the step it reached.
      const sample = await engine.call("lm_train_sample", sampleArgs());
      if (sample.step !== lastSample) showSample(sample);
      status.textContent = t("lm.train.stopped", { step: formatNumber(sample.step) });
    } catch (error) {
      notify(t("lm.train.failed", { message: error.message }), { kind: "error" });
    } finally {
      start.disabled = false;
    }
  }

  start.addEventListener("click", train);
  return () => {
    training.stop("unmount");
    loss.destroy();
    norm.destroy();
  };
}
