// Part 4 of the page: train live — a small RNN, LSTM or GRU on a corpus or on pasted text, by
// truncated BPTT, with the loss and the gradient norm drawn as it learns and a sample of its
// writing every N steps. A preset sets up exploding gradients (a plain RNN, plain SGD with a large
// step, clipping off); each new run keeps the last one's curves faded underneath, so a clipped run
// after an unclipped one shows the difference on the same axes. It runs until Stop (ui/operation.js),
// which interrupts the chunk in flight at a step boundary (Python's steps are whole); the model so
// far writes a last sample. The model stays in the engine: the link cannot carry it, the notebook can.
import { h } from "../../dom.js";
import { msg, setText, formatNumber } from "../../i18n.js";
import { lineChart } from "../../ui/line-chart.js";
import { select, checkbox } from "../../ui/controls.js";
import { SCHEMA, EXPLODING, MAX_PASTED_BYTES, trainArgs, utf8Bytes } from "./state.js";
import { visible } from "./side-by-side.js";

const CHUNK_MS = 400;
const SAMPLES_KEPT = 6;
const MAX_KB = MAX_PASTED_BYTES / 1024;
/** The committed corpus a training on it reads. */
const corpusAssets = (language) => [`lm_corpus_${language}.txt.gz`];

/**
 * mountTrainSection(root, {engine, operation, notify, state, save, linkLeavesOut})
 *   → {sampleArgs(): lm_train_sample's arguments while a model trained here is in the engine, else
 *   null; unmount()}
 */
export function mountTrainSection(root, { engine, operation, notify, state, save, linkLeavesOut }) {
  const paste = msg("lm.train.paste");
  const text = h("textarea", {
    class: "paste",
    rows: 5,
    dataset: { testid: "train-text" },
    "aria-label": paste,
    placeholder: paste,
  });
  const size = h("p", { class: "hint", dataset: { testid: "train-size" } });
  const pasteBox = h("div", { class: "paste-box", hidden: state.src !== "text" }, text, size);
  const change = (key) => (value) => {
    state[key] = value;
    save();
    pasteBox.hidden = state.src !== "text";
  };
  const selects = {};
  const choose = (key, testid, label, optionLabel) => {
    selects[key] = select({
      spec: SCHEMA[key],
      label: msg(label),
      value: state[key],
      optionLabel,
      onChange: change(key),
      testid,
    });
    return selects[key].element;
  };
  const clip = checkbox({
    label: msg("lm.train.clip"),
    value: state.clip,
    onChange: change("clip"),
    testid: "train-clip",
  });
  const controls = h(
    "div",
    { class: "controls-grid" },
    choose("cell", "train-cell", "lm.train.cell", (c) => c.toUpperCase()),
    choose("src", "train-source", "lm.train.source", (s) => msg(`lm.train.source.${s}`)),
    choose("hidden", "train-hidden", "lm.train.hidden"),
    choose("bptt", "train-bptt", "lm.train.bptt"),
    choose("opt", "train-optimizer", "lm.train.optimizer", (o) => msg(`lm.train.optimizer.${o}`)),
    choose("lr", "train-lr", "lm.train.lr"),
    choose("batch", "train-batch", "lm.train.batch"),
    choose("every", "train-every", "lm.train.every"),
    clip.element,
  );
  // The preset: its settings in the controls and the link; the seed stays the page's.
  const preset = h("button", {
    type: "button",
    class: "button",
    dataset: { testid: "train-exploding" },
    text: msg("lm.train.exploding"),
  });
  preset.addEventListener("click", () => {
    for (const [key, value] of Object.entries(EXPLODING)) {
      state[key] = value;
      if (key === "clip") clip.input.checked = value;
      else selects[key].set(value);
    }
    save();
    pasteBox.hidden = state.src !== "text";
    notify(msg("lm.train.exploding.set"), { kind: "info" });
  });
  text.addEventListener("input", () => {
    const bytes = utf8Bytes(text.value);
    const kb = () => formatNumber(bytes / 1024, { maximumFractionDigits: 1 });
    setText(size, "lm.train.size", { kb, max: MAX_KB });
    size.dataset.over = bytes > MAX_PASTED_BYTES ? "true" : "false";
  });
  const start = h("button", {
    type: "button",
    class: "button primary",
    dataset: { testid: "train-start" },
    text: msg("lm.train.start"),
  });
  const training = operation({ testid: "train-operation" });
  // The status line: it also says when the run waits for Python (engine.queue hides it then).
  const status = h("p", { class: "side-status", dataset: { testid: "train-status" }, "aria-live": "polite" });
  const charts = h("div", { class: "train-charts" });
  const samples = h("ol", { class: "samples", dataset: { testid: "train-samples" } });
  root.append(
    controls,
    pasteBox,
    h("div", { class: "button-row" }, start, preset, training.element),
    status,
    charts,
    h("h3", { text: msg("lm.train.samples") }),
    samples,
  );
  // Each chart's title above it in full; its y axis names only the unit, which always fits.
  const chart = (title, options) => {
    const box = h("figure", { class: "train-chart" }, h("figcaption", { text: msg(title) }));
    charts.append(box);
    return lineChart(box, { xLabel: msg("lm.train.step"), height: 200, ...options });
  };
  const clipping = () => msg(state.clip ? "lm.train.run.clipped" : "lm.train.run.unclipped"); // names a run's curves
  const loss = chart("lm.train.loss", {
    series: [clipping()],
    yLabel: msg("lm.train.loss.unit"),
    testid: "loss-chart",
  });
  const norm = chart("lm.train.norm", {
    series: [clipping()],
    yLabel: msg("lm.train.norm.unit"),
    logY: true,
    testid: "norm-chart",
  });
  const sampleArgs = () => ({ length: 120, temperature: 0.8, seed: state.seed });
  let live = null; // sampleArgs, once a model trained here is in the engine

  function showSample(sample) {
    const written = sample.tokens.map((c) => (c === "</s>" ? "¶ " : c.length > 1 ? visible(c) : c)).join("");
    samples.prepend(
      h(
        "li",
        {},
        h("span", { class: "caption", text: msg("lm.train.at", { step: sample.step }) }),
        h("span", { class: "sample-text", text: written }),
      ),
    );
    while (samples.children.length > SAMPLES_KEPT) samples.lastChild.remove();
  }

  function showProgress(r, info, largest) {
    const decimals = (v, digits) => () => formatNumber(v, { maximumFractionDigits: digits });
    setText(status, "lm.train.progress", {
      step: r.step,
      epoch: decimals(r.epoch, 2),
      loss: decimals(r.losses.at(-1), 3),
      speed: decimals(r.characters_per_second, 0),
      chars: () => formatNumber(info.characters),
      vocab: info.vocabulary,
      norm: () => formatNumber(largest, { maximumSignificantDigits: 3 }),
    });
    status.dataset.maxNorm = String(largest); // the largest norm of this run (a test hook)
  }

  /** The settings' run (Python is ready), chunk by chunk until Stop; then the model's last sample. */
  async function run() {
    status.hidden = false;
    setText(status, "lm.train.preparing");
    let started = false,
      lastSample = -1;
    const outcome = await training.run(async ({ signal }) => {
      const pasted = state.src === "text";
      const args = trainArgs(state, pasted ? text.value : "");
      const info = await engine.call("lm_train_start", args, {
        assets: pasted ? [] : corpusAssets(state.src),
        signal,
      });
      started = true;
      live = sampleArgs; // a model now lives in the engine: the page's notebook can take it
      linkLeavesOut(msg("lm.link.leftout"));
      let nextSample = state.every,
        largest = 0;
      for (;;) {
        const r = await engine.call("lm_train_steps", { budget_ms: CHUNK_MS }, { signal });
        const first = r.step - r.losses.length + 1;
        r.losses.forEach((value, k) => {
          loss.append(first + k, [value]);
          norm.append(first + k, [r.grad_norms[k]]);
        });
        largest = Math.max(largest, ...r.grad_norms.map((g) => g ?? Infinity)); // null: not finite
        showProgress(r, info, largest);
        if (r.step >= nextSample) {
          nextSample = r.step + state.every;
          const sample = await engine.call("lm_train_sample", sampleArgs(), { signal });
          lastSample = sample.step;
          showSample(sample);
        }
      }
    });
    if (outcome.outcome !== "stopped") return;
    if (!started) {
      setText(status, "lm.train.stopped.early");
      return;
    }
    // The model trained so far stays in the engine: it writes once more, at the step it reached.
    const sample = await engine.call("lm_train_sample", sampleArgs());
    if (sample.step !== lastSample) showSample(sample);
    setText(status, "lm.train.stopped", { step: () => formatNumber(sample.step) });
  }

  async function train() {
    if (state.src === "text" && utf8Bytes(text.value) > MAX_PASTED_BYTES) {
      notify(msg("lm.train.toolarge", { max: MAX_KB }), { kind: "error" });
      return;
    }
    const needed = state.batch * (state.bptt + 1);
    if (state.src === "text" && [...text.value.trim()].length < needed) {
      notify(msg("lm.train.tooshort", { n: needed }), { kind: "error" });
      return;
    }
    start.disabled = true;
    samples.replaceChildren();
    for (const curves of [loss, norm]) {
      curves.ghost(); // the last run's curves stay, faded, under this one's
      curves.setSeries([clipping()]);
    }
    status.replaceChildren();
    delete status.dataset.maxNorm;
    try {
      await engine.queue(run, { key: "train", waiting: status });
    } catch (error) {
      status.hidden = false;
      notify(msg("lm.train.failed", { message: error.message }), { kind: "error" });
    } finally {
      start.disabled = false;
    }
  }

  start.addEventListener("click", train);
  engine.onRestart(() => {
    live = null; // the trained model was in the old engine
    linkLeavesOut(null);
  });
  return {
    sampleArgs: () => live?.() ?? null,
    unmount() {
      training.stop("unmount");
      loss.destroy();
      norm.destroy();
    },
  };
}
