// Section 3, training live: SGNS or CBOW on a corpus slice or on pasted text, with every setting
// of the course; a loss curve, words per second, and the neighbours of chosen words as they move.
// The run advances in chunks of about a quarter of a second; Stop (ui/operation.js) interrupts the
// chunk in flight (between two of its mini-batches, which Python does whole) and keeps the vectors
// so far, which become the set "trained".
import { h } from "../../dom.js";
import { msg, setText, formatNumber, formatPercent } from "../../i18n.js";
import { select, slider, numberField } from "../../ui/controls.js";
import { lineChart } from "../../ui/line-chart.js";
import { formula } from "../../ui/formula.js";
import { SCHEMA, trainConfig, wordList } from "./state.js";
import { corpusAsset } from "./data.js";
import { errorMessage } from "./messages.js";
import { linkableText, neighbourList, waitingLine } from "./views.js";

const MAX_TEXT_BYTES = 1_000_000; // pizarra.demos.embeddings.MAX_TEXT_BYTES
const CHUNK_SECONDS = 0.25;
const WATCHED_NEIGHBOURS = 5;
const LOSS = String.raw`L = -\log \sigma(V_i \cdot V'_j) - \sum_{k=1}^{K} \log \sigma(-V_i \cdot V'_k), \quad
  P_n(w) \propto \mathrm{count}(w)^{\alpha}`;
// Each setting's control: [SCHEMA key, control, name]; the name gives its test id (train-<name>)
// and its label (the message embeddings.train.<name>).
const SETTINGS = [
  ["src", select, "source"],
  ["model", select, "model"],
  ["dim", select, "dim"],
  ["win", slider, "window"],
  ["neg", slider, "negatives"],
  ["alpha", slider, "alpha"],
  ["t", select, "sample"],
  ["lr", select, "lr"],
  ["ep", slider, "epochs"],
  ["minc", numberField, "mincount"],
  ["seed", numberField, "seed"],
];
const OPTION_LABELS = {
  src: (s) => msg(`embeddings.corpus.${s}`),
  model: (m) => msg(`embeddings.method.${m}`),
};
const shownLoss = (value) => () => formatNumber(value, { maximumFractionDigits: 3 });
const shownProgress = (fraction) => () => formatPercent(fraction, { decimals: 0 });

/** trainingSection(container, {state, save, engine, operation, notify, onTrained(source)}) → unmount() */
export function trainingSection(container, { state, save, engine, operation, notify, onTrained }) {
  const textArea = h("textarea", {
    id: "embeddings-text",
    rows: 5,
    placeholder: msg("embeddings.train.text.placeholder"),
    dataset: { testid: "train-text" },
  });
  const textSize = h("span", { class: "hint" });
  const bytes = () => new Blob([textArea.value]).size;
  textArea.addEventListener("input", () => {
    const kb = bytes() / 1000;
    setText(textSize, "embeddings.train.text.size", {
      kb: () => formatNumber(kb, { maximumFractionDigits: 0 }),
    });
  });
  const textBox = h(
    "div",
    { class: "control wide", hidden: state.src !== "text" },
    h("label", { for: "embeddings-text", text: msg("embeddings.train.text") }),
    textArea,
    textSize,
  );
  const controls = SETTINGS.map(([key, control, name]) => {
    const set = (value) => {
      save({ [key]: value });
      if (key === "src") textBox.hidden = value !== "text";
    };
    const label = msg(`embeddings.train.${name}`);
    const options = { spec: SCHEMA[key], label, value: state[key], testid: `train-${name}` };
    if (control === slider) return slider({ ...options, onInput: set });
    return control({ ...options, optionLabel: OPTION_LABELS[key], onChange: set });
  });
  const watch = h("input", {
    type: "text",
    id: "embeddings-watch",
    value: state.watch,
    maxlength: SCHEMA.watch.maxLength,
    autocomplete: "off",
    dataset: { testid: "train-watch" },
  });
  watch.addEventListener("change", () => {
    const words = linkableText(watch, SCHEMA.watch);
    if (words === undefined) notify(msg("embeddings.error.characters"), { kind: "warning" });
    else save({ watch: words });
  });
  const toggle = h(
    "button",
    {
      type: "button",
      class: "button primary",
      dataset: { testid: "train-toggle" },
      onclick: () => run(),
    },
    msg("embeddings.train.start"),
  );
  const training = operation({ testid: "train-operation" });
  const waiting = waitingLine();
  const status = h("p", {
    class: "train-status",
    "aria-live": "polite",
    dataset: { testid: "train-status" },
  });
  setText(status, "embeddings.train.idle");
  const speed = h("p", { class: "hint", dataset: { testid: "train-speed" } });
  const summary = h("p", { class: "hint", dataset: { testid: "train-loss-summary" } });
  const charts = h("div", { class: "train-chart" });
  const moving = h("div", { class: "neighbour-grid", dataset: { testid: "train-neighbours" } });
  container.append(
    h("div", { class: "train-formula" }, formula(LOSS, { display: true })),
    h(
      "div",
      { class: "train-controls" },
      controls.map((control) => control.element),
    ),
    textBox,
    h(
      "div",
      { class: "control wide" },
      h("label", { for: "embeddings-watch", text: msg("embeddings.train.watch") }),
      watch,
    ),
    h("div", { class: "train-actions" }, toggle, training.element, waiting, status, speed, summary),
    h("div", { class: "train-output" }, charts, moving),
  );
  const chart = lineChart(charts, {
    series: [msg("embeddings.train.loss")],
    yLabel: msg("embeddings.train.loss"),
    xLabel: msg("embeddings.train.progress"),
    height: 200,
    testid: "loss-chart",
  });

  /** What is wrong with the pasted text before any training starts (a message), or null. */
  function refusal() {
    if (state.src !== "text") return null;
    if (bytes() > MAX_TEXT_BYTES) return errorMessage({ error: "too-long", limit: MAX_TEXT_BYTES });
    return textArea.value.trim() ? null : msg("embeddings.error.no-tokens");
  }

  async function run() {
    const refused = refusal();
    if (refused) return void setText(status, refused);
    if (training.running) return;
    toggle.disabled = true;
    status.replaceChildren();
    const curve = { xs: [], losses: [] };
    let plan = null;
    try {
      const trained = await training.run(({ signal, progress }) =>
        engine.queue(
          async () => {
            signal.throwIfAborted(); // stopped while it waited for Python
            plan = await start(signal);
            return plan.error ? plan : advance(plan, curve, signal, progress);
          },
          { key: "train", waiting },
        ),
      );
      if (trained.outcome === "dropped") return;
      if (trained.value?.error) return void setText(status, errorMessage(trained.value));
      if (!plan || plan.error) return void setText(status, "embeddings.train.stopped.early"); // no run began
      // The vectors so far (all of them, or up to the Stop) become the set "trained".
      const kept = await engine.queue(() => engine.call("embeddings_train_stop", {}), { key: "train" });
      const { losses } = curve;
      if (losses.length) {
        setText(summary, "embeddings.train.summary", {
          first: shownLoss(losses[0]),
          last: shownLoss(losses.at(-1)),
        });
      }
      setText(status, trained.outcome === "stopped" ? "embeddings.train.stopped" : "embeddings.train.done", {
        p: shownProgress(kept.progress),
        words: () => formatNumber(kept.words),
      });
      onTrained(state.src);
    } catch (error) {
      setText(status, "embeddings.train.failed");
      notify(msg("embeddings.failed", { message: error.message }), { kind: "error" });
    } finally {
      toggle.disabled = false;
    }
  }

  /** A new run in the engine: its vocabulary, or an error code (too few words). */
  async function start(signal) {
    setText(status, "embeddings.train.preparing");
    const pasted = state.src === "text";
    const args = { ...trainConfig(state), text: pasted ? textArea.value : "", watch: wordList(state.watch) };
    const assets = pasted ? [] : [corpusAsset(state.src)];
    const plan = await engine.call("embeddings_train_start", args, { assets, signal });
    if (plan.error) return plan;
    chart.setData([], [[]]);
    summary.replaceChildren();
    setText(status, "embeddings.train.plan", {
      words: () => formatNumber(plan.vocabulary),
      tokens: () => formatNumber(plan.tokens),
    });
    return plan;
  }

  /** Train chunk by chunk until the run is done, drawing the loss and the watched words as they move. */
  async function advance(plan, { xs, losses }, signal, progress) {
    progress(0);
    for (;;) {
      const chunk = { seconds: CHUNK_SECONDS, k: WATCHED_NEIGHBOURS };
      const step = await engine.call("embeddings_train_steps", chunk, { signal });
      step.losses.forEach((value, i) => {
        xs.push(step.progress - (step.losses.length - 1 - i) / plan.chunks);
        losses.push(value);
      });
      chart.setData(
        xs.map((x) => x * 100),
        [losses],
      );
      progress(step.progress);
      const perSecond = () => formatNumber(step.words_per_second, { maximumFractionDigits: 0 });
      setText(speed, "embeddings.train.speed", { n: perSecond });
      setText(status, "embeddings.train.running", {
        p: shownProgress(step.progress),
        loss: shownLoss(losses.at(-1)),
      });
      moving.replaceChildren(...step.neighbours.map(neighbourList));
      if (step.done) return step;
    }
  }

  return () => {
    training.stop("unmount");
    chart.destroy();
  };
}
