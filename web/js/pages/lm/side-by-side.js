// Side by side: an n-gram and a recurrent model continue the same prompt with the same temperature,
// top-k and seed, a word or a character at a time. The text streams as Python writes it; choosing
// any token shows both models' next-token distributions at that step (their 10 most probable).
import { h } from "../../dom.js";
import { msg, setText, formatPercent } from "../../i18n.js";
import { barChart } from "../../ui/bar-chart.js";

// Tokens asked of Python per call: the first piece small, so text appears at once, then larger
// ones (fewer round trips). A word costs Python about as much as a few characters (10 000 choices).
const PIECES = { word: [5, 15], char: [20, 60] };
const SHOWN = { "\n": "↵", "</s>": "¶", "<s>": "⟨s⟩", "<unk>": "�", " ": "␣" };
const WRITTEN = { "</s>": "¶", "<unk>": "�", "\n": "↵" }; // how the text itself writes a token
const MODELS = { ngram: "lm.side.ngram", rnn: "lm.side.rnn" };
const CLOSING = /^[.,;:!?)\]}»”%]$/; // written right after the word before it
const OPENING = /^[([{¿¡«“]$/; // the word after it follows right away

/** How a token reads inside a distribution's labels. */
export const visible = (token) => SHOWN[token] ?? token;

/** The space written before a token: words are spaced as text is (none at a line's start, before
 * closing punctuation or after opening punctuation); characters carry their own. */
export function gapBefore(token, previous, level) {
  if (level === "char" || previous === null || previous === "</s>") return "";
  return CLOSING.test(token) || OPENING.test(previous) ? "" : " ";
}

/** The token at `step` (0-based) of a text of `length`, whose distributions a link opens (`pick` from 1). */
export const pickedStep = (pick, length) => (pick >= 1 && pick <= length ? pick - 1 : null);

/** One model's text: a keyboard-reachable element per token. */
function textView(container, { testid, onPick }) {
  const element = h("div", { class: "generated", dataset: { testid }, "aria-live": "off" });
  container.append(element);
  let level = "char",
    previous = null;

  function add(token, node) {
    const gap = gapBefore(token, previous, level);
    if (gap) element.append(gap);
    element.append(node);
    if (token === "</s>" || token === "\n") element.append(h("br"));
    previous = token;
  }

  return {
    element,
    clear(prompt = [], nextLevel = level) {
      level = nextLevel;
      previous = null;
      element.replaceChildren();
      for (const token of prompt) {
        add(
          token,
          h("span", { class: token === "<unk>" ? "prompt unk" : "prompt", text: WRITTEN[token] ?? token }),
        );
      }
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
        add(token, span);
      });
    },
    select(step) {
      for (const el of element.querySelectorAll(".tok.selected")) el.classList.remove("selected");
      element.querySelector(`.tok[data-step="${step}"]`)?.classList.add("selected");
    },
  };
}

/**
 * sideBySide(container, {engine, operation, notify, assets(args), onPick(step)})
 *   .generate(args, pick)  stream a new text for lm_generate's arguments, once Python is ready, and
 *                    open the distributions at step `pick` (0-based, or null) once it is written: true
 *                    once complete, null if it failed or was stopped (Stop keeps what was written); a
 *                    newer generate() replaces it, and then it never answers
 *   onPick(step)     a token was chosen (its step, 0-based), or null when none is open any more
 */
export function sideBySide(container, { engine, operation, notify, assets, onPick }) {
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
  const choose = (step) => {
    show(step);
    onPick(step);
  };
  const texts = {
    ngram: textView(ngramBox, { testid: "ngram-output", onPick: choose }),
    rnn: textView(rnnBox, { testid: "rnn-output", onPick: choose }),
  };
  const distributions = h("div", { class: "side-distributions", dataset: { testid: "distributions" } });
  const hint = h("p", { class: "hint" });
  container.append(status, writing.element, columns, hint, distributions);
  let steps = { ngram: [], rnn: [] },
    level = "char";

  /** Both models' distributions at `step`, and that token marked in both texts. */
  function show(step) {
    distributions.replaceChildren();
    for (const [name, text] of Object.entries(texts)) {
      text.select(step);
      const at = steps[name]?.[step];
      if (!at) continue;
      const box = h(
        "div",
        { class: "distribution", dataset: { testid: `distribution-${name}` } },
        h("h4", { text: msg(`lm.side.next.${level}`, { model: msg(MODELS[name]), step: step + 1 }) }),
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
  async function write(args, pick) {
    status.hidden = false;
    setText(status, `lm.side.writing.${level}`);
    let written = 0;
    const run = await writing.run(async ({ signal, progress }) => {
      const [first, rest] = PIECES[args.level];
      for (let start = 0; start < args.length; start = written) {
        const count = Math.min(start === 0 ? first : rest, args.length - start);
        const piece = await engine.call(
          "lm_generate",
          { ...args, start, count },
          { assets: assets(args), signal },
        );
        if (signal.aborted) return; // replaced or stopped while the answer was on its way
        if (start === 0) {
          for (const text of Object.values(texts)) text.clear(piece.prompt, args.level);
          const tokens = piece.unknown.map(visible).join(" ");
          if (piece.unknown.length)
            notify(msg(`lm.prompt.unknown.${args.level}`, { tokens }), { kind: "warning" });
        }
        for (const name of Object.keys(texts)) {
          const side = piece[name];
          side.tokens.forEach((token, k) => steps[name].push({ token, p: side.p[k], top: side.top[k] }));
          texts[name].append(side.tokens, start);
        }
        written = start + count;
        if (pick !== null && pick < written && pick >= start) show(pick); // the link's token, once written
        progress(written / args.length);
        setText(status, `lm.side.progress.${level}`, { n: written, total: args.length });
      }
    });
    if (run.outcome === "stopped")
      setText(status, `lm.side.stopped.${level}`, { n: written, total: args.length });
    if (run.outcome !== "done") return null;
    setText(status, `lm.side.done.${level}`, { total: args.length });
    container.dataset.done = "true";
    return true;
  }

  return {
    async generate(args, pick = null) {
      delete container.dataset.done;
      level = args.level;
      steps = { ngram: [], rnn: [] };
      distributions.replaceChildren();
      setText(hint, `lm.side.pick.${level}`);
      Object.values(texts).forEach((text) => text.clear([], level));
      status.replaceChildren();
      try {
        return await engine.queue(() => write(args, pick), { key: "generate", waiting: status });
      } catch (error) {
        status.hidden = false;
        status.replaceChildren();
        notify(msg("lm.side.failed", { message: error.message }), { kind: "error" });
        return null;
      }
    },
  };
}
