// Side by side: an n-gram and a recurrent model continue the same prompt with the same temperature,
// top-k and seed. The text streams in pieces; choosing any character shows both models'
// next-character distributions at that step (their 10 most probable characters).
import { h } from "../../dom.js";
import { t, formatNumber, formatPercent } from "../../i18n.js";
import { barChart } from "../../ui/bar-chart.js";

const PIECE = 25; // characters asked of Python per call: the text appears as it is written
const SHOWN = { "\n": "↵", "</s>": "¶", "<s>": "⟨s⟩", "<unk>": "�", " ": "␣" };

/** How a token reads inside a distribution's labels. */
export const visible = (token) => SHOWN[token] ?? token;

/** One model's text: a keyboard-reachable element per character. */
function textView(container, { testid, onPick }) {
  const element = h("div", { class: "generated", dataset: { testid }, "aria-live": "off" });
  container.append(element);
  return {
    element,
    clear(prompt = []) {
      element.replaceChildren(...prompt.map((c) => h("span", { class: c === "<unk>" ? "prompt unk" : "prompt", text: c === "<unk>" ? "�" : c })));
    },
    append(tokens, start) {
      tokens.forEach((token, k) => {
        const step = start + k;
        const ends = token === "</s>" || token === "\n";
        const span = h("span", {
          class: `tok${token === "<unk>" ? " unk" : ""}`, role: "button", tabindex: "0", dataset: { step: String(step) },
          text: token === "</s>" ? "¶" : token === "<unk>" ? "�" : token === "\n" ? "↵" : token,
          "aria-label": t("lm.side.step", { step: step + 1, token: visible(token) }),
        });
        span.addEventListener("click", () => onPick(step));
        span.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") (event.preventDefault(), onPick(step));
        });
        element.append(span);
        if (ends) element.append(h("br"));
      });
    },
    select(step) {
      for (const el of element.querySelectorAll(".tok.selected")) el.classList.remove("selected");
      element.querySelector(`.tok[data-step="${step}"]`)?.classList.add("selected");
    },
  };
}

/**
 * sideBySide(container, {engine, operation, notify, assets(args), onPiece(n)})
 *   .generate(args)  stream a new text for lm_generate's arguments: true once it is complete, null
 *                    if it failed, was stopped (Stop keeps what was written) or a newer one replaced it
 */
export function sideBySide(container, { engine, operation, notify, assets, onPiece }) {
  const status = h("p", { class: "side-status", dataset: { testid: "generate-status" }, "aria-live": "polite" });
  const writing = operation({ testid: "generate-operation" });
  const columns = h("div", { class: "side-columns" });
  const ngramBox = h("div", { class: "side-column" }, h("h3", { text: t("lm.side.ngram") }));
  const rnnBox = h("div", { class: "side-column" }, h("h3", { text: t("lm.side.rnn") }));
  columns.append(ngramBox, rnnBox);
  const ngramText = textView(ngramBox, { testid: "ngram-output", onPick: pick });
  const rnnText = textView(rnnBox, { testid: "rnn-output", onPick: pick });
  const distributions = h("div", { class: "side-distributions", dataset: { testid: "distributions" } });
  const hint = h("p", { class: "hint", text: t("lm.side.pick") });
  container.append(status, writing.element, columns, hint, distributions);
  let steps = { ngram: null, rnn: null };

  function pick(step) {
    ngramText.select(step);
    rnnText.select(step);
    distributions.replaceChildren();
    for (const [name, title] of [["ngram", "lm.side.ngram"], ["rnn", "lm.side.rnn"]]) {
      const at = steps[name]?.[step];
      if (!at) continue;
      const box = h("div", { class: "distribution", dataset: { testid: `distribution-${name}` } },
        h("h4", { text: t("lm.side.next", { model: t(title), step: step + 1 }) }));
      distributions.append(box);
      const chart = barChart(box, { labels: at.top.map(([c]) => visible(c)) });
      const chosen = at.top.findIndex(([c]) => c === at.token);
      chart.update(at.top.map(([, p]) => p), { highlight: chosen });
      box.append(h("p", { class: "hint", text: t("lm.side.chosen", { token: visible(at.token), p: formatPercent(at.p) }) }));
    }
  }

  async function generate(args) {
    steps = { ngram: [], rnn: [] };
    distributions.replaceChildren();
    ngramText.clear();
    rnnText.clear();
    status.textContent = t(engine.state === "ready" ? "lm.side.writing" : "lm.side.waiting");
    let written = 0;
    try {
      const run = await writing.run(async ({ signal, progress }) => {
        for (let start = 0; start < args.length; start += PIECE) {
          const piece = await engine.call("lm_generate", { ...args, start, count: Math.min(PIECE, args.length - start) }, { assets: assets(args), signal });
          if (signal.aborted) return; // replaced or stopped while the answer was on its way
          if (start === 0) {
            ngramText.clear(piece.prompt);
            rnnText.clear(piece.prompt);
            if (piece.unknown.length) notify(t("lm.prompt.unknown", { chars: piece.unknown.map(visible).join(" ") }), { kind: "warning" });
          }
          for (const name of ["ngram", "rnn"]) {
            const side = piece[name];
            side.tokens.forEach((token, k) => steps[name].push({ token, p: side.p[k], top: side.top[k] }));
          }
          ngramText.append(piece.ngram.tokens, start);
          rnnText.append(piece.rnn.tokens, start);
          written = Math.min(start + PIECE, args.length);
          progress(written / args.length);
          status.textContent = t("lm.side.progress", { n: written, total: args.length });
          onPiece?.(start + piece.rnn.tokens.length);
        }
      });
      if (run.outcome === "stopped") status.textContent = t("lm.side.stopped", { n: written, total: args.length });
      if (run.outcome !== "done") return null;
      status.textContent = t("lm.side.done", { total: args.length });
      container.dataset.done = "true";
      return true;
    } catch (error) {
      status.textContent = "";
      notify(t("lm.side.failed", { message: error.message }), { kind: "error" });
      return null;
    }
  }

  return {
    generate(args) {
      delete container.dataset.done;
      return generate(args);
    },
  };
}
