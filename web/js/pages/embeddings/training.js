// Section 2, training live: SGNS or CBOW on a corpus slice or on pasted text, with every setting
// of the course; a loss curve, words per second, and the neighbours of chosen words as they move.
// The run advances in chunks of about a quarter of a second; Stop (ui/operation.js) interrupts the
// chunk in flight (between two of its mini-batches, which Python does whole) and keeps the vectors so far.
import { h } from "../../dom.js";
import { t, formatNumber } from "../../i18n.js";
import { select, slider, numberField } from "../../ui/controls.js";
import { lineChart } from "../../ui/line-chart.js";
import { formula } from "../../ui/formula.js";
import { SCHEMA, trainConfig, wordList } from "./state.js";
import { corpusAsset } from "./data.js";
import { errorMessage } from "./messages.js";
import { neighbourList } from "./views.js";

const MAX_TEXT_BYTES = 1_000_000; // pizarra.demos.embeddings.MAX_TEXT_BYTES

/** trainingSection(container, {state, save, engine, operation, notify, onTrained(source)}) → unmount() */
export function trainingSection(container, { state, save, engine, operation, notify, onTrained }) {
  const set = (key) => (value) => { state[key] = value; save(); };
  const controls = [
    select({ spec: SCHEMA.src, label: t("emb.train.source"), value: state.src, optionLabel: (s) => t(`emb.corpus.${s}`), onChange: (src) => { set("src")(src); textBox.hidden = src !== "text"; }, testid: "train-source" }),
    select({ spec: SCHEMA.model, label: t("emb.train.model"), value: state.model, optionLabel: (m) => t(`emb.method.${m}`), onChange: set("model"), testid: "train-model" }),
    select({ spec: SCHEMA.dim, label: t("emb.train.dim"), value: state.dim, onChange: set("dim"), testid: "train-dim" }),
    slider({ spec: SCHEMA.win, label: t("emb.train.window"), value: state.win, onInput: set("win"), testid: "train-window" }),
    slider({ spec: SCHEMA.neg, label: t("emb.train.negatives"), value: state.neg, onInput: set("neg"), testid: "train-negatives" }),
    slider({ spec: SCHEMA.alpha, label: t("emb.train.alpha"), value: state.alpha, onInput: set("alpha"), testid: "train-alpha" }),
    select({ spec: SCHEMA.t, label: t("emb.train.sample"), value: state.t, onChange: set("t"), testid: "train-sample" }),
    select({ spec: SCHEMA.lr, label: t("emb.train.lr"), value: state.lr, onChange: set("lr"), testid: "train-lr" }),
    slider({ spec: SCHEMA.ep, label: t("emb.train.epochs"), value: state.ep, onInput: set("ep"), testid: "train-epochs" }),
    numberField({ spec: SCHEMA.minc, label: t("emb.train.mincount"), value: state.minc, onChange: set("minc"), testid: "train-mincount" }),
    numberField({ spec: SCHEMA.seed, label: t("emb.train.seed"), value: state.seed, onChange: set("seed"), testid: "train-seed" }),
  ];
  const textArea = h("textarea", { id: "emb-text", rows: 5, dataset: { testid: "train-text" }, placeholder: t("emb.train.text.placeholder") });
  const textSize = h("span", { class: "hint" });
  textArea.addEventListener("input", () => (textSize.textContent = t("emb.train.text.size", { kb: formatNumber(new Blob([textArea.value]).size / 1000, { maximumFractionDigits: 0 }) })));
  const textBox = h("div", { class: "control wide" }, h("label", { for: "emb-text", text: t("emb.train.text") }), textArea, textSize);
  textBox.hidden = state.src !== "text";
  const watch = h("input", { type: "text", id: "emb-watch", value: state.watch, maxlength: SCHEMA.watch.maxLength, dataset: { testid: "train-watch" }, autocomplete: "off" });
  watch.addEventListener("change", () => set("watch")(watch.value.trim()));
  const toggle = h("button", { type: "button", class: "button primary", dataset: { testid: "train-toggle" }, onclick: () => run() }, t("emb.train.start"));
  const training = operation({ testid: "train-operation" });
  const status = h("p", { class: "train-status", "aria-live": "polite", dataset: { testid: "train-status" }, text: t("emb.train.idle") });
  const speed = h("p", { class: "hint", dataset: { testid: "train-speed" } });
  const summary = h("p", { class: "hint", dataset: { testid: "train-loss-summary" } });
  const charts = h("div", { class: "train-chart" });
  const moving = h("div", { class: "neighbour-grid", dataset: { testid: "train-neighbours" } });
  container.append(
    h("div", { class: "train-formula" }, formula(String.raw`L = -\log \sigma(V_i \cdot V'_j) - \sum_{k=1}^{K} \log \sigma(-V_i \cdot V'_k), \quad P_n(w) \propto \mathrm{count}(w)^{\alpha}`, { display: true })),
    h("div", { class: "train-controls" }, controls.map((c) => c.element)),
    textBox,
    h("div", { class: "control wide" }, h("label", { for: "emb-watch", text: t("emb.train.watch") }), watch),
    h("div", { class: "train-actions" }, toggle, training.element, status, speed, summary),
    h("div", { class: "train-output" }, charts, moving),
  );
  const chart = lineChart(charts, { series: [t("emb.train.loss")], xLabel: t("emb.train.progress"), yLabel: t("emb.train.loss"), height: 200, testid: "loss-chart" });

  async function run() {
    if (state.src === "text") {
      const bytes = new Blob([textArea.value]).size;
      if (bytes > MAX_TEXT_BYTES) return void (status.textContent = errorMessage({ error: "too-long", limit: MAX_TEXT_BYTES }));
      if (!textArea.value.trim()) return void (status.textContent = t("emb.error.no-tokens"));
    }
    if (training.running) return;
    toggle.disabled = true;
    const xs = [], losses = [];
    let plan = null;
    try {
      const trained = await training.run(async ({ signal, progress }) => {
        status.textContent = t(engine.state === "ready" ? "emb.train.preparing" : "emb.engine.waiting");
        const args = { ...trainConfig(state), text: state.src === "text" ? textArea.value : "", watch: wordList(state.watch) };
        plan = await engine.call("embeddings_train_start", args, { assets: state.src === "text" ? [] : [corpusAsset(state.src)], signal });
        if (plan.error) return plan;
        progress(0);
        chart.setData([], [[]]);
        summary.textContent = "";
        status.textContent = t("emb.train.plan", { words: formatNumber(plan.vocabulary), tokens: formatNumber(plan.tokens) });
        for (;;) {
          const step = await engine.call("embeddings_train_steps", { seconds: 0.25, k: 5 }, { signal });
          step.losses.forEach((loss, i) => { xs.push(step.progress - ((step.losses.length - 1 - i) / plan.chunks)); losses.push(loss); });
          chart.setData(xs.map((x) => x * 100), [losses]);
          progress(step.progress);
          speed.textContent = t("emb.train.speed", { n: formatNumber(step.words_per_second, { maximumFractionDigits: 0 }) });
          status.textContent = t("emb.train.running", { p: formatNumber(step.progress, { style: "percent", maximumFractionDigits: 0 }), loss: formatNumber(losses.at(-1), { maximumFractionDigits: 3 }) });
          moving.replaceChildren(...step.neighbours.map(neighbourList));
          if (step.done) return step;
        }
      });
      if (trained.outcome === "dropped") return;
      if (trained.value?.error) return void (status.textContent = errorMessage(trained.value));
      if (!plan || plan.error) return void (status.textContent = t("emb.train.stopped.early")); // no run began
      // The vectors so far (all of them, or up to the Stop) become the set "trained".
      const kept = await engine.call("embeddings_train_stop", {});
      if (losses.length) summary.textContent = t("emb.train.summary", { first: formatNumber(losses[0], { maximumFractionDigits: 3 }), last: formatNumber(losses.at(-1), { maximumFractionDigits: 3 }) });
      status.textContent = t(trained.outcome === "stopped" ? "emb.train.stopped" : "emb.train.done", { p: formatNumber(kept.progress, { style: "percent", maximumFractionDigits: 0 }), words: formatNumber(kept.words) });
      onTrained(state.src);
    } catch (error) {
      status.textContent = t("emb.train.failed");
      notify(t("emb.failed", { message: error.message }), { kind: "error" });
    } finally {
      toggle.disabled = false;
    }
  }

  return () => {
    training.stop("unmount");
    chart.destroy();
  };
}
