// Language models: count bigrams of an editable corpus, see sparsity and smoothing, let an n-gram
// and a recurrent model write side by side, look inside the recurrent model, train one live, and
// the perplexity table that compares them all. The whole state lives in the address (state.js).
// Engine functions: pysrc/pizarra/demos/lm.py.
import { h } from "../../dom.js";
import { t, formatNumber } from "../../i18n.js";
import { dataJSON } from "../../page-data.js";
import { parseState } from "../../url-state.js";
import { select } from "../../ui/controls.js";
import { formula } from "../../ui/formula.js";
import { bigramTable, countingFormula, sparsityView } from "./counting.js";
import { sideBySide } from "./side-by-side.js";
import { insideView } from "./inside.js";
import { livePanel } from "./live.js";
import { perplexityTable } from "./table.js";
import { SCHEMA, COURSE_CORPUS, INSIDE, clampQuery, clampValue, generateArgs } from "./state.js";

const fetchResults = () => dataJSON("lm_results.json"); // fetched once per visit

/** The committed files a generation reads: the corpus (for the n-gram) and the recurrent model. */
const generationAssets = (args) => [`lm_corpus_${args.language}.txt.gz`, `lm_${args.cell}_${args.language}.npz`];

export function mount(root, context) {
  const { engine, notify, whileMounted } = context;
  const state = readState(context);
  const save = () => context.writeState(state, SCHEMA);
  save();
  const cleanups = [];

  root.append(h("header", { class: "lm-intro" }, h("h1", { text: t("lm.title") }), h("p", { class: "lead", text: t("lm.lead") })));

  // --- counting ----------------------------------------------------------------------------
  const countSection = section("count");
  const corpusInput = h("textarea", { id: "lm-corpus", rows: 4, maxlength: SCHEMA.text.maxLength, dataset: { testid: "corpus-input" }, spellcheck: "false" });
  corpusInput.value = state.text;
  const viewChoice = select({ spec: { type: "enum", values: ["counts", "probabilities"] }, label: t("lm.count.view"), value: "counts", optionLabel: (v) => t(`lm.count.view.${v}`), onChange: (v) => table.setView(v), testid: "count-view" });
  const countStatus = h("p", { class: "hint", "aria-live": "polite" });
  countSection.append(
    h("div", { class: "count-grid" },
      h("div", {}, h("label", { for: "lm-corpus", text: t("lm.count.corpus") }), corpusInput, h("p", { class: "hint", text: t("lm.count.hint") }), countingFormula()),
      h("div", { class: "count-table" }, viewChoice.element, countStatus),
    ),
  );
  const table = bigramTable(countSection.querySelector(".count-table"));
  let countRun = 0;
  async function recount() {
    const mine = ++countRun;
    if (!corpusInput.value.trim()) return void (countStatus.textContent = t("lm.count.empty"));
    countStatus.textContent = t(engine.state === "ready" ? "lm.count.counting" : "lm.side.waiting");
    try {
      const answer = await engine.call("lm_counts", { corpus_text: corpusInput.value });
      if (mine !== countRun) return;
      table.show(answer);
      countStatus.textContent = "";
    } catch (error) {
      if (mine === countRun) countStatus.textContent = t("lm.count.failed", { message: error.message });
    }
  }
  let typing = null;
  corpusInput.addEventListener("input", () => {
    state.text = corpusInput.value.slice(0, SCHEMA.text.maxLength);
    save();
    clearTimeout(typing);
    typing = setTimeout(recount, 300);
  });
  cleanups.push(() => clearTimeout(typing));

  // sparsity and smoothing
  const sparseBox = h("div", { class: "sparse" }, h("h3", { text: t("lm.sparse.heading") }), h("p", { class: "section-lead", text: t("lm.sparse.lead") }));
  const sparseCorpus = h("textarea", { id: "lm-sparse", rows: 2, dataset: { testid: "sparse-corpus" }, spellcheck: "false" });
  sparseCorpus.value = state.sparse;
  const ctxInput = h("input", { id: "lm-ctx", type: "text", value: state.ctx, dataset: { testid: "sparse-context" }, maxlength: SCHEMA.ctx.maxLength });
  const wordInput = h("input", { id: "lm-word", type: "text", value: state.word, dataset: { testid: "sparse-word" }, maxlength: SCHEMA.word.maxLength });
  sparseBox.append(h("div", { class: "sparse-inputs" },
    h("div", { class: "control" }, h("label", { for: "lm-sparse", text: t("lm.sparse.corpus") }), sparseCorpus),
    h("div", { class: "control" }, h("label", { for: "lm-ctx", text: t("lm.sparse.context") }), ctxInput),
    h("div", { class: "control" }, h("label", { for: "lm-word", text: t("lm.sparse.word") }), wordInput),
  ), formula(String.raw`P_{\text{add-}k}(w \mid u) = \frac{c(u\,w) + k}{c(u) + k\,|V|}`, { display: true }));
  countSection.append(sparseBox);
  const sparsity = sparsityView(sparseBox);
  let sparseRun = 0, sparseTimer = null;
  /** The sparsity question as lm_sparsity's arguments (null until the corpus and the word are written). */
  function sparseArgs() {
    const words = ctxInput.value.trim().split(/\s+/).filter(Boolean);
    if (!sparseCorpus.value.trim() || !wordInput.value.trim()) return null;
    return { corpus_text: sparseCorpus.value, context: ctxInput.value, word: wordInput.value.trim(), order: Math.min(5, Math.max(2, words.length + 1)) };
  }
  async function resparse() {
    const mine = ++sparseRun;
    const args = sparseArgs();
    if (!args) return;
    try {
      const answer = await engine.call("lm_sparsity", args);
      if (mine === sparseRun) sparsity.show(answer);
    } catch (error) {
      if (mine === sparseRun) notify(t("lm.sparse.failed", { message: error.message }), { kind: "warning" });
    }
  }
  for (const [input, key] of [[sparseCorpus, "sparse"], [ctxInput, "ctx"], [wordInput, "word"]]) {
    input.addEventListener("input", () => {
      state[key] = input.value.slice(0, SCHEMA[key].maxLength);
      save();
      clearTimeout(sparseTimer);
      sparseTimer = setTimeout(resparse, 300);
    });
  }
  cleanups.push(() => clearTimeout(sparseTimer));

  // --- side by side ------------------------------------------------------------------------
  const sideSection = section("side");
  const promptInput = h("input", { id: "lm-prompt", type: "text", value: state.prompt.replace(/\n/g, "\\n"), dataset: { testid: "prompt-input" }, maxlength: SCHEMA.prompt.maxLength });
  // Text fields, not type=number: a number is accepted with either decimal separator (readInputs).
  const tempInput = h("input", { id: "lm-temp", type: "text", value: shown(state.temp), dataset: { testid: "temperature" }, inputmode: "decimal" });
  const topkInput = h("input", { id: "lm-topk", type: "text", value: shown(state.topk), dataset: { testid: "top-k" }, inputmode: "numeric" });
  const seedInput = h("input", { id: "lm-seed", type: "text", value: shown(state.seed), dataset: { testid: "seed" }, inputmode: "numeric" });
  // A changed choice writes again at once: the text on screen is always the link's.
  const setting = (key) => (value) => {
    state[key] = value;
    save();
    generate();
  };
  const generateButton = h("button", { type: "button", class: "button primary", dataset: { testid: "generate" }, text: t("lm.side.generate") });
  sideSection.append(h("div", { class: "controls-grid side-controls" },
    h("div", { class: "control wide" }, h("label", { for: "lm-prompt", text: t("lm.side.prompt") }), promptInput),
    select({ spec: SCHEMA.model, label: t("lm.side.model"), value: state.model, optionLabel: (m) => m.toUpperCase(), onChange: setting("model"), testid: "lm-model" }).element,
    select({ spec: SCHEMA.corpus, label: t("lm.side.corpus"), value: state.corpus, optionLabel: (c) => t(`lm.corpus.${c}`), onChange: (c) => (setting("corpus")(c), showTable()), testid: "lm-corpus" }).element,
    select({ spec: SCHEMA.order, label: t("lm.side.order"), value: state.order, optionLabel: (n) => t("lm.table.ngram", { n }), onChange: setting("order"), testid: "lm-order" }).element,
    h("div", { class: "control number" }, h("label", { for: "lm-temp", text: t("lm.side.temperature") }), tempInput),
    h("div", { class: "control number" }, h("label", { for: "lm-topk", text: t("lm.side.topk") }), topkInput),
    select({ spec: SCHEMA.len, label: t("lm.side.length"), value: state.len, onChange: setting("len"), testid: "lm-length" }).element,
    h("div", { class: "control number" }, h("label", { for: "lm-seed", text: t("lm.side.seed") }), seedInput),
    h("div", { class: "control" }, generateButton),
  ), h("p", { class: "hint", text: t("lm.side.hint") }));

  /** Read the typed settings: numbers with either decimal separator; temperature and top-k clamped with a notice. */
  function readInputs() {
    state.prompt = promptInput.value.replace(/\\n/g, "\n").slice(0, SCHEMA.prompt.maxLength);
    for (const [input, key] of [[tempInput, "temp"], [topkInput, "topk"]]) {
      const value = Number(input.value.replace(",", "."));
      if (input.value.trim() === "" || !Number.isFinite(value)) {
        notify(t("lm.side.bad", { name: t(`lm.side.${key === "temp" ? "temperature" : "topk"}`), value: SCHEMA[key].default }), { kind: "warning" });
        state[key] = SCHEMA[key].default;
      } else {
        const clamped = clampValue(key, value);
        if (clamped !== value) notify(t("lm.clamped", { name: t(`lm.side.${key === "temp" ? "temperature" : "topk"}`), from: shown(value), to: shown(clamped) }), { kind: "warning" });
        state[key] = clamped;
      }
      input.value = shown(state[key]);
    }
    const seed = Number(seedInput.value.trim());
    state.seed = Number.isSafeInteger(seed) && seed >= 0 && seed <= SCHEMA.seed.max ? seed : SCHEMA.seed.default;
    seedInput.value = shown(state.seed);
    save();
  }

  const side = sideBySide(sideSection, { engine, operation: context.operation, notify, assets: generationAssets });

  // --- inside the recurrent model --------------------------------------------------------------
  const insideSection = section("inside");
  const showChoice = h("div", { class: "inside-choice" });
  insideSection.append(showChoice, formula(String.raw`f_t = \sigma(W_f[h_{t-1}, x_t] + b_f),\; C_t = f_t \odot C_{t-1} + i_t \odot \tilde C_t,\; h_t = o_t \odot \tanh(C_t)`, { display: true }));
  const inside = insideView(insideSection);
  const insideWaiting = h("p", { class: "waiting", text: t("lm.inside.waiting") });
  insideSection.append(insideWaiting);

  function insideChoices(cell) {
    if (!INSIDE[cell].includes(state.show)) {
      notify(t("lm.inside.reset", { what: t(`lm.inside.${state.show}`), model: cell.toUpperCase() }), { kind: "warning" });
      state.show = "h";
      save();
    }
    const spec = { type: "enum", values: INSIDE[cell] };
    showChoice.replaceChildren(select({ spec, label: t("lm.inside.show"), value: state.show, optionLabel: (w) => t(`lm.inside.${w}`), onChange: (w) => { state.show = w; save(); refreshInside(); }, testid: "inside-show" }).element);
  }

  async function refreshInside() {
    try {
      inside.show(await engine.call("lm_inside", { what: state.show }));
      insideWaiting.hidden = true;
    } catch (error) {
      notify(t("lm.inside.failed", { message: error.message }), { kind: "warning" });
    }
  }

  async function generate() {
    readInputs();
    const args = generateArgs(state);
    insideChoices(args.cell);
    if (await side.generate(args)) await refreshInside();
  }
  generateButton.addEventListener("click", generate);
  promptInput.addEventListener("keydown", (event) => event.key === "Enter" && generate());

  // --- live training ---------------------------------------------------------------------------
  const trainSection = section("train");
  let liveSample = null; // () => lm_train_sample's arguments, once a model trained here lives in the engine
  const onStart = (sampleArgs) => {
    liveSample = sampleArgs;
    context.linkLeavesOut(t("lm.link.leftout"));
  };
  cleanups.push(livePanel(trainSection, { engine, operation: context.operation, notify, state, save, assets: (language) => [`lm_corpus_${language}.txt.gz`], onStart }));
  context.engine.onRestart(() => {
    liveSample = null; // the trained model was in the old engine
    context.linkLeavesOut(null);
  });

  // --- the "Python" button: this page as a notebook (pysrc/pizarra/notebooks/lm.py) ----------------
  context.offerNotebook(() => {
    const generation = generateArgs(state);
    return {
      fn: "lm_notebook",
      args: { text: corpusInput.value, sparsity: sparseArgs(), generation, show: state.show, live: liveSample?.() ?? null },
      assets: [...generationAssets(generation), "lm_results.json"],
    };
  });

  // --- the perplexity table ----------------------------------------------------------------
  const tableSection = section("table");
  const perplexities = perplexityTable(tableSection);
  function showTable() {
    fetchResults().then((data) => perplexities.show(state.corpus, data.languages[state.corpus]), () => {});
  }

  const about = h("section", { class: "panel about", "aria-labelledby": "lm-about-h" },
    h("h2", { id: "lm-about-h", text: t("lm.about.heading") }),
    h("p", { text: t("lm.about.data") }),
    h("p", {}, t("lm.about.cards"), " ", ...["rnn", "lstm", "gru"].flatMap((c) => ["en", "es"].map((l) => h("a", { href: `data/lm_${c}_${l}.md`, class: "card-link", text: `lm_${c}_${l}.md` })))),
  );
  root.append(countSection, sideSection, insideSection, trainSection, tableSection, about);

  // --- start: the precomputed table of the course's corpus, then Python -------------------------
  whileMounted(fetchResults()).then((data) => {
    if (corpusInput.value === COURSE_CORPUS && countRun === 0) table.show(data.counting);
    perplexities.show(state.corpus, data.languages[state.corpus]);
  }, () => {
    notify(t("lm.data.failed"), { kind: "warning" });
    if (countRun === 0) recount();
  });
  if (state.text !== COURSE_CORPUS) recount();
  resparse();
  insideChoices(state.model);
  generate();

  return () => cleanups.forEach((cleanup) => cleanup());
}

/** A number as the language writes it, without grouping (the field reads it back). */
const shown = (value) => formatNumber(value, { useGrouping: false, maximumFractionDigits: 6 });

function section(id) {
  return h("section", { class: `panel lm-${id}`, "aria-labelledby": `lm-${id}-h` },
    h("h2", { id: `lm-${id}-h`, text: t(`lm.${id}.heading`) }),
    h("p", { class: "section-lead", text: t(`lm.${id}.lead`) }));
}

/** The link's state, with an out-of-range temperature or top-k clamped (and said so) rather than dropped. */
function readState(context) {
  const { query, clamped } = clampQuery(context.query);
  const { values, rejected } = parseState(query, SCHEMA);
  if (rejected.length) context.notify(t("state.rejected", { keys: rejected.includes("*") ? t("state.toolong") : rejected.join(", ") }), { kind: "warning" });
  for (const { key, from, to } of clamped) context.notify(t("lm.clamped", { name: t(`lm.side.${key === "temp" ? "temperature" : "topk"}`), from: shown(from), to: shown(to) }), { kind: "warning" });
  return values;
}
