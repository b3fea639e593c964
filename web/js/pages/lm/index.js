// Language models: count bigrams of an editable corpus, see sparsity and smoothing, let an n-gram
// and a recurrent model write side by side (word by word or character by character), look inside
// the recurrent model, train one live, and the perplexity tables that compare them all. The whole state lives in the address (state.js).
// Engine functions: pysrc/pizarra/demos/lm.py.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { mountCountSection } from "./count-section.js";
import { mountSideSection, generationAssets } from "./side-section.js";
import { mountInsideSection } from "./inside-section.js";
import { mountTrainSection } from "./train-section.js";
import { mountTableSection } from "./table-section.js";
import { SCHEMA, generateArgs, sparsityArgs } from "./state.js";

// pizarra.lm.models.card_name: the word-level networks' cards, then the character-level ones'.
const MODEL_CARDS = ["lm_word_", "lm_"].flatMap((prefix) =>
  ["rnn", "lstm", "gru"].flatMap((cell) => [`${prefix}${cell}_en.md`, `${prefix}${cell}_es.md`]),
);

export function mount(root, context) {
  const { engine, notify, whileMounted, operation, linkLeavesOut } = context;
  const state = context.readState(SCHEMA);
  const save = () => context.writeState(state, SCHEMA);
  save(); // a value the link had out of range is written back as the bound in use

  const sections = Object.fromEntries(
    ["count", "side", "inside", "train", "table"].map((id) => [id, section(id)]),
  );
  const cards = MODEL_CARDS.map((card) => h("a", { href: `data/${card}`, class: "card-link", text: card }));
  root.append(
    h(
      "header",
      { class: "page-intro" },
      h("h1", { text: msg("lm.title") }),
      h("p", { class: "lead", text: msg("lm.lead") }),
    ),
    ...Object.values(sections),
    h(
      "section",
      { class: "panel about", "aria-labelledby": "lm-about-h" },
      h("h2", { id: "lm-about-h", text: msg("lm.about.heading") }),
      h("p", { text: msg("lm.about.data") }),
      h("p", {}, msg("lm.about.cards"), " ", cards),
    ),
  );

  const unmountCount = mountCountSection(sections.count, { engine, whileMounted, notify, state, save });
  const inside = mountInsideSection(sections.inside, { engine, notify, state, save });
  const table = mountTableSection(sections.table, { whileMounted, state });
  const side = mountSideSection(sections.side, {
    engine,
    operation,
    notify,
    state,
    save,
    onGenerate: (args) => inside.offer(args.cell),
    onWritten: inside.refresh,
    onCorpus: table.show,
  });
  const train = mountTrainSection(sections.train, { engine, operation, notify, state, save, linkLeavesOut });
  // Every word is a live message and every number is drawn again by its piece (whenRelabelled):
  // a new language changes them in place, and nothing is asked of Python again.
  context.onLanguageChange(() => {});

  // The "Python" button: this page as a notebook (pysrc/pizarra/notebooks/lm.py).
  context.offerNotebook(() => {
    const generation = generateArgs(state);
    return {
      fn: "lm_notebook",
      args: {
        text: state.text,
        sparsity: sparsityArgs(state),
        generation,
        show: state.show,
        live: train.sampleArgs(),
      },
      assets: [...generationAssets(generation), testText(generation), "lm_results.json"],
    };
  });

  side.generate();
  return () => {
    unmountCount();
    train.unmount();
  };
}

/** The held-out text the notebook measures perplexity on (pizarra.lm.corpus, pizarra.lm.word_corpus). */
const testText = ({ level, language }) =>
  level === "char" ? `lm_corpus_${language}.txt.gz` : `lm_words_${language}_test.txt.gz`;

/** A section of the page: a panel with its heading and lead; its module fills it. */
function section(id) {
  return h(
    "section",
    { class: `panel lm-${id}`, "aria-labelledby": `lm-${id}-h` },
    h("h2", { id: `lm-${id}-h`, text: msg(`lm.${id}.heading`) }),
    h("p", { class: "section-lead", text: msg(`lm.${id}.lead`) }),
  );
}
