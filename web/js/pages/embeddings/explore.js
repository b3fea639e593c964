// Section 3, exploring a vector set: the set picker (with your own vectors), nearest neighbours by
// cosine, and analogies a : b :: c : ? by 3CosAdd and 3CosMul side by side.
import { h } from "../../dom.js";
import { t, formatNumber } from "../../i18n.js";
import { select } from "../../ui/controls.js";
import { formula } from "../../ui/formula.js";
import { SCHEMA, LIVE_SETS, wordList } from "./state.js";
import { setAssets } from "./data.js";
import { errorMessage } from "./messages.js";
import { neighbourList } from "./views.js";

const MAX_UPLOAD_BYTES = 50_000_000; // pizarra.demos.embeddings.MAX_UPLOAD_BYTES

/**
 * exploreSection(container, {state, save, engine, notify, page, onSetChange, onNewSet})
 *   .enable(set)   a set trained or loaded here becomes choosable (and chosen); onNewSet(set) follows
 *   .ready         resolves once the link's set is known to be there (or replaced by the default)
 */
export function exploreSection(container, { state, save, engine, operation, notify, page, onSetChange, onNewSet }) {
  const available = new Set(SCHEMA.set.values.filter((s) => !LIVE_SETS.includes(s)));
  const picker = select({ spec: SCHEMA.set, label: t("emb.set"), value: state.set, optionLabel: (s) => t(`emb.set.${s}`), onChange: choose, testid: "vector-set" });
  const refreshOptions = () => picker.input.querySelectorAll("option").forEach((o) => (o.disabled = !available.has(o.value)));
  refreshOptions();

  const file = h("input", { type: "file", accept: ".txt,.vec,text/plain", class: "visually-hidden", id: "emb-upload", dataset: { testid: "upload-input" } });
  const uploadStatus = h("p", { class: "hint", "aria-live": "polite", dataset: { testid: "upload-status" } });
  const uploading = operation({ testid: "upload-operation" }); // reading a large file: Stop keeps the sets as they were
  file.addEventListener("change", () => file.files[0] && upload(file.files[0]));
  container.append(
    h("div", { class: "set-row" }, picker.element,
      h("label", { for: "emb-upload", class: "button", tabindex: "0", onkeydown: (e) => (e.key === "Enter" || e.key === " ") && file.click() }, t("emb.upload")), file),
    uploadStatus,
    uploading.element,
  );

  // --- neighbours ---------------------------------------------------------------------------
  const wordInput = h("input", { type: "text", value: state.q, maxlength: SCHEMA.q.maxLength, dataset: { testid: "word-input" }, id: "emb-words", autocomplete: "off", spellcheck: "false" });
  const neighbours = h("div", { class: "neighbour-grid", dataset: { testid: "neighbours" }, "aria-live": "polite" });
  const neighbourStatus = h("p", { class: "hint", "aria-live": "polite" });
  const form = h("form", { class: "query-row", onsubmit: (e) => { e.preventDefault(); askNeighbours(); } },
    h("label", { for: "emb-words", text: t("emb.words") }), wordInput, h("button", { type: "submit", class: "button primary", text: t("emb.find") }));
  container.append(h("h3", { text: t("emb.neighbours.heading") }), form, neighbourStatus, neighbours);

  // --- analogies ------------------------------------------------------------------------------
  const slots = Object.fromEntries(["a", "b", "c"].map((k) => [k, h("input", { type: "text", value: state[k], maxlength: 40, size: 10, id: `emb-analogy-${k}`, dataset: { testid: `analogy-${k}` }, "aria-label": t(`emb.analogy.${k}`), autocomplete: "off", spellcheck: "false" })]));
  const analogyResult = h("div", { class: "analogy-result", dataset: { testid: "analogy-result" }, "aria-live": "polite" });
  const analogyForm = h("form", { class: "analogy-row", onsubmit: (e) => { e.preventDefault(); askAnalogy(); } },
    slots.a, h("span", { text: ":" }), slots.b, h("span", { text: "::" }), slots.c, h("span", { text: ": ?" }),
    h("button", { type: "submit", class: "button primary", text: t("emb.analogy.solve") }));
  container.append(
    h("h3", { text: t("emb.analogy.heading") }),
    h("div", { class: "analogy-formulas" },
      formula(String.raw`\text{3CosAdd: } \arg\max_v \cos(v,\, b - a + c)`),
      formula(String.raw`\text{3CosMul: } \arg\max_v \frac{\cos'(v,b)\,\cos'(v,c)}{\cos'(v,a) + \varepsilon}`)),
    analogyForm, analogyResult,
  );

  function choose(set) {
    state.set = set;
    save();
    onSetChange(set);
    askNeighbours();
    askAnalogy();
  }

  const waiting = (box) => engine.state !== "ready" && (box.textContent = t("emb.engine.waiting"));

  async function askNeighbours() {
    state.q = wordInput.value.trim();
    save();
    const words = wordList(state.q);
    if (!words.length) {
      neighbours.replaceChildren(neighbourList({ error: "empty" }));
      return;
    }
    waiting(neighbourStatus);
    try {
      const answer = await engine.call("embeddings_neighbours", { set: state.set, words, k: 10 }, { assets: setAssets(state.set) });
      if (answer.set !== state.set) return;
      neighbourStatus.textContent = "";
      neighbours.replaceChildren(...answer.results.map(neighbourList));
    } catch (error) {
      neighbourStatus.textContent = "";
      notify(t("emb.failed", { message: error.message }), { kind: "error" });
    }
  }

  async function askAnalogy() {
    for (const k of ["a", "b", "c"]) state[k] = slots[k].value.trim();
    save();
    waiting(analogyResult);
    try {
      const answer = await engine.call("embeddings_analogy", { set: state.set, a: state.a, b: state.b, c: state.c, k: 5 }, { assets: setAssets(state.set) });
      if (answer.set !== state.set) return;
      if (answer.errors) {
        analogyResult.replaceChildren(...Object.entries(answer.errors).map(([slot, error]) =>
          h("p", { class: "query-error", role: "alert", dataset: { testid: "query-error" }, text: `${slot}: ${errorMessage(error)}` })));
        return;
      }
      const column = (method) => h("div", { class: "analogy-column" },
        h("h4", { text: t(`emb.analogy.${method}`) }),
        h("ol", {}, answer[method].map((n, i) => h("li", { class: i === 0 ? "best" : "" }, h("span", { class: "word", text: n.word }), h("span", { class: "score", text: formatNumber(n.score, { minimumFractionDigits: 3, maximumFractionDigits: 3 }) })))));
      analogyResult.replaceChildren(column("add"), column("mul"));
    } catch (error) {
      analogyResult.textContent = "";
      notify(t("emb.failed", { message: error.message }), { kind: "error" });
    }
  }

  async function upload(chosen) {
    if (chosen.size > MAX_UPLOAD_BYTES) {
      uploadStatus.textContent = errorMessage({ error: "too-long", limit: MAX_UPLOAD_BYTES });
      return;
    }
    uploadStatus.textContent = t("emb.upload.reading", { name: chosen.name });
    try {
      const read = await uploading.run(async ({ signal }) => engine.call("embeddings_upload", { text: await chosen.text(), name: chosen.name }, { timeoutMs: 300_000, signal }));
      if (read.outcome !== "done") {
        if (read.outcome === "stopped") uploadStatus.textContent = t("emb.upload.stopped", { name: chosen.name });
        return;
      }
      const answer = read.value;
      if (answer.error) {
        uploadStatus.textContent = errorMessage(answer);
        return;
      }
      uploadStatus.textContent = t("emb.upload.done", { name: answer.name, words: formatNumber(answer.words), dim: answer.dim });
      enable("mine");
    } catch (error) {
      uploadStatus.textContent = "";
      notify(t("emb.failed", { message: error.message }), { kind: "error" });
    } finally {
      file.value = "";
    }
  }

  function enable(set) {
    available.add(set);
    refreshOptions();
    picker.input.value = set;
    choose(set);
    onNewSet(set);
  }

  /** Before Python is ready: the precomputed neighbours of the default words in GloVe. */
  page.then((data) => {
    const known = data.neighbours[state.set];
    const words = wordList(state.q);
    if (!known || neighbours.childElementCount || !words.every((w) => known[w.toLowerCase()])) return;
    neighbours.replaceChildren(...words.map((w) => neighbourList({ word: w.toLowerCase(), neighbours: known[w.toLowerCase()].map(([word, score]) => ({ word, score })) })));
  }, () => {});

  // A set trained or loaded here lives in the engine: it is still there after a re-mount (a change
  // of language), but not in someone else's browser that opens the link.
  const restored = available.has(state.set) ? Promise.resolve() : engine.call("embeddings_set_info", { set: state.set }).then(
    () => {
      available.add(state.set);
      refreshOptions();
      picker.input.value = state.set;
    },
    () => {
      notify(t(`emb.set.${state.set}.absent`), { kind: "warning" });
      state.set = SCHEMA.set.default;
      picker.input.value = state.set;
      save();
    });
  restored.then(() => {
    askNeighbours();
    askAnalogy();
  });
  return { enable, ready: restored };
}
