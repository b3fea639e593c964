// Side by side: an n-gram and a recurrent model continue the same prompt with the same temperature,
// top-k and seed. The text streams in pieces; choosing any character shows both models'
// next-character distributions at that step (their 10 most probable characters).
import { h } from "../../dom.js";
import { msg, setText, formatPercent } from "../../i18n.js";
import { barChart } from "../../ui/bar-chart.js";

const PIECE = 25; // characters asked of Python per call: the text appears as it is written
const SHOWN = { "\n": "↵", "</s>": "¶", "<s>": "⟨s⟩", "<unk>": "�", " ": "␣" };
const WRITTEN = { "</s>": "¶", "<unk>": "�", "\n": "↵" }; // how the text itself writes a token
const MODELS = { ngram: "lm.side.ngram", rnn: "lm.side.rnn" };

/** How a token reads inside a distribution's labels. */
export const visible = (token) => SHOWN[token] ?? token;

/** One model's text: a keyboard-reachable element per character. */
function textView(container, { testid, onPick }) {
  const element = h("div", { class: "generated", dataset: { testid }, "aria-live": "off" });
  container.append(element);
  return {
    element,
    clear(prompt = []) {
      element.replaceChildren(
        ...prompt.map((c) =>
          h("span", { class: c === "<unk>" ? "prompt unk" : "prompt", text: c === "<unk>" ? "�" : c }),
        ),
      );
    },
    append(tokens, start) {
      tokens.forEach((token, k) => {
        const step = start + k;
        const span = h("span", {
          class: `tok${token === "<unk>" ? " unk" : ""}`,
          role: "button",
          tabindex: "0",
          dataset: { step: String(step) },
          text: WRITTEN[token] ?? token,
          "aria-label": msg("lm.side.step", { step: step + 1, token: visible(token) }),
        });
        span.addEventListener("click", () => onPick(step));
        span.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") (event.preventDefault(), onPick(step));
        });
        element.append(span);
        if (token === "</s>" || token === "\n") element.append(h("br"));
      });
    },
    select(step) {
      for (const el of element.querySelectorAll(".tok.selected")) el.classList.remove("selected");
      element.querySelector(`.tok[data-step="${step}"]`)?.classList.add("selected");
    },
  };
}

/**
 * sideBySide(container, {engine, operation, notify, assets(args)})
 *   .generate(args)  stream a new text for lm_generate's arguments, once Python is ready: true once it
 *                    is complete, null if it failed or was stopped (Stop keeps what was written); a
 *                    newer generate() replaces it, and then it never answers
 */
export function sideBySide(container, { engine, operation, notify, assets }) {
  // The status line: it also says when the text waits for Python (engine.queue hides it then).
  const status = h("p", {
    class: "side-status",
    dataset: { testid: "generate-status" },
    "aria-live": "polite",
  });
  const writing = operation({ testid: "generate-operation" });
  const columns = h("div", { class: "side-columns" });
  const ngramBox = h("div", { class: "side-column" }, h("h3", { text: msg(MODELS.ngram) }));
  const rnnBox = h("div", { class: "side-column" }, h("h3", { text: msg(MODELS.rnn) }));
  columns.append(ngramBox, rnnBox);
  const texts = {
    ngram: textView(ngramBox, { testid: "ngram-output", onPick: pick }),
    rnn: textView(rnnBox, { testid: "rnn-output", onPick: pick }),
  };
  const distributions = h("div", { class: "side-distributions", dataset: { testid: "distributions" } });
  const hint = h("p", { class: "hint", text: msg("lm.side.pick") });
  container.append(status, writing.element, columns, hint, distributions);
  let steps = { ngram: null, rnn: null };

  function pick(step) {
    distributions.replaceChildren();
    for (const [name, text] of Object.entries(texts)) {
      text.select(step);
      const at = steps[name]?.[step];
      if (!at) continue;
      const box = h(
        "div",
        { class: "distribution", dataset: { testid: `distribution-${name}` } },
        h("h4", { text: msg("lm.side.next", { model: msg(MODELS[name]), step: step + 1 }) }),
      );
      distributions.append(box);
      const chart = barChart(box, { labels: at.top.map(([c]) => visible(c)) });
      chart.update(
        at.top.map(([, p]) => p),
        { highlight: at.top.findIndex(([c]) => c === at.token) },
      );
      const p = () => formatPercent(at.p);
      box.append(h("p", { class: "hint", text: msg("lm.side.chosen", { token: visible(at.token), p }) }));
    }
  }

  /** Write the text piece by piece (Python is ready): true once complete, null if stopped or dropped. */
  async function write(args) {
    status.hidden = false;
    setText(status, "lm.side.writing");
    let written = 0;
    const run = await writing.run(async ({ signal, progress }) => {
      for (let start = 0; start < args.length; start += PIECE) {
        const count = Math.min(PIECE, args.length - start);
        const piece = await engine.call(
          "lm_generate",
          { ...args, start, count },
          { assets: assets(args), signal },
        );
        if (signal.aborted) return; // replaced or stopped while the answer was on its way
        if (start === 0) {
          for (const text of Object.values(texts)) text.clear(piece.prompt);
          const chars = piece.unknown.map(visible).join(" ");
          if (piece.unknown.length) notify(msg("lm.prompt.unknown", { chars }), { kind: "warning" });
        }
        for (const name of Object.keys(texts)) {
          const side = piece[name];
          side.tokens.forEach((token, k) => steps[name].push({ token, p: side.p[k], top: side.top[k] }));
          texts[name].append(side.tokens, start);
        }
        written = Math.min(start + PIECE, args.length);
        progress(written / args.length);
        setText(status, "lm.side.progress", { n: written, total: args.length });
      }
    });
    if (run.outcome === "stopped") setText(status, "lm.side.stopped", { n: written, total: args.length });
    if (run.outcome !== "done") return null;
    setText(status, "lm.side.done", { total: args.length });
    container.dataset.done = "true";
    return true;
  }

  return {
    async generate(args) {
      delete container.dataset.done;
      steps = { ngram: [], rnn: [] };
      distributions.replaceChildren();
      Object.values(texts).forEach((text) => text.clear());
      status.replaceChildren();
      try {
        return await engine.queue(() => write(args), { key: "generate", waiting: status });
      } catch (error) {
        status.hidden = false;
        status.replaceChildren();
        notify(msg("lm.side.failed", { message: error.message }), { kind: "error" });
        return null;
      }
    },
  };
}
