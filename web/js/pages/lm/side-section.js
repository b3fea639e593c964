// Part 2 of the page: the settings of the side-by-side generation, every one built from its SCHEMA
// entry, and the generation itself (side-by-side.js). The level switch (words or characters) shows
// that level's network, n-gram order and length; prompt, temperature, top-k and seed are shared. A
// changed choice writes again at once, so the text on screen is always the link's; the prompt and
// the typed numbers take effect with Generate. The token picked (its distributions open) is in the
// link too, and a new text closes it.
import { h } from "../../dom.js";
import { msg, setText } from "../../i18n.js";
import { select, numberField } from "../../ui/controls.js";
import { sideBySide, pickedStep } from "./side-by-side.js";
import { SCHEMA, generateArgs } from "./state.js";

/** The committed files a generation reads (pizarra.lm.models): the Kneser–Ney n-gram and the network. */
export const generationAssets = ({ level, language, cell, order }) => [
  `lm_ngram_${level}_${language}_${order}.npz`,
  level === "char" ? `lm_${cell}_${language}.npz` : `lm_word_${cell}_${language}.npz`,
];

/** Each level's own keys: its network, n-gram order and length. */
const LEVEL_KEYS = {
  word: { model: ["wmodel", "lm-wmodel"], order: ["worder", "lm-worder"], length: ["words", "lm-words"] },
  char: { model: ["model", "lm-model"], order: ["order", "lm-order"], length: ["len", "lm-length"] },
};

/** The prompt as its field shows it: a line break is written \n. */
const promptText = (prompt) => prompt.replace(/\n/g, "\\n");

/**
 * mountSideSection(root, {engine, operation, notify, state, save, onGenerate(args), onWritten(), onCorpus()})
 *   → {generate()}: onGenerate when a generation starts, onWritten once it is complete, onCorpus
 *   when the corpus or the level changes
 */
export function mountSideSection(
  root,
  { engine, operation, notify, state, save, onGenerate, onWritten, onCorpus },
) {
  const typed = { prompt: state.prompt, temp: state.temp, topk: state.topk, seed: state.seed }; // until Generate
  const promptInput = h("input", {
    id: "lm-prompt",
    type: "text",
    value: promptText(state.prompt),
    maxlength: SCHEMA.prompt.maxLength,
    dataset: { testid: "prompt-input" },
  });
  promptInput.addEventListener("input", () => {
    typed.prompt = promptInput.value.replace(/\\n/g, "\n").slice(0, SCHEMA.prompt.maxLength);
  });
  const choose = (key, testid, label, optionLabel) =>
    select({
      spec: SCHEMA[key],
      label: msg(label),
      value: state[key],
      optionLabel,
      testid,
      onChange: (value) => {
        state[key] = value;
        if (key === "corpus") onCorpus();
        generate();
      },
    }).element;
  const number = (key, testid, label) =>
    numberField({
      spec: SCHEMA[key],
      label: label && msg(label),
      value: state[key],
      testid,
      onChange: (value) => (typed[key] = value),
      onClamp: (message) => notify(message, { kind: "warning" }),
    }).element;
  const generateButton = h("button", {
    type: "button",
    class: "button primary",
    dataset: { testid: "generate" },
    text: msg("lm.side.generate"),
  });

  // The level switch: two buttons, the one in use pressed.
  const levelButtons = SCHEMA.level.values.map((level) => {
    const button = h("button", {
      type: "button",
      class: "segment",
      dataset: { level },
      "aria-pressed": String(level === state.level),
      text: msg(`lm.level.${level}`),
    });
    button.addEventListener("click", () => {
      if (state.level === level) return;
      state.level = level;
      showLevel();
      onCorpus();
      generate();
    });
    return button;
  });
  const levelSwitch = h(
    "div",
    { class: "control level-control" },
    h("span", { class: "control-label", id: "lm-level-label", text: msg("lm.side.level") }),
    h(
      "div",
      {
        class: "segmented",
        role: "group",
        "aria-labelledby": "lm-level-label",
        dataset: { testid: "lm-level" },
      },
      levelButtons,
    ),
  );
  // Each level's network, order and length: only the level in use is shown.
  const perLevel = Object.fromEntries(
    Object.entries(LEVEL_KEYS).map(([level, keys]) => [
      level,
      [
        choose(keys.model[0], keys.model[1], "lm.side.model", (m) => m.toUpperCase()),
        choose(keys.order[0], keys.order[1], "lm.side.order", (n) => msg("lm.table.ngram", { n })),
        choose(keys.length[0], keys.length[1], `lm.side.length.${level}`),
      ],
    ]),
  );
  const corpusNote = h("p", { class: "hint", dataset: { testid: "corpus-note" } });
  const hint = h("p", { class: "hint" });
  root.append(
    h(
      "div",
      { class: "controls-grid side-controls" },
      h(
        "div",
        { class: "control wide" },
        h("label", { for: "lm-prompt", text: msg("lm.side.prompt") }),
        promptInput,
      ),
      levelSwitch,
      choose("corpus", "lm-corpus", "lm.side.corpus", (c) => msg(`lm.language.${c}`)),
      ...perLevel.word,
      ...perLevel.char,
      number("temp", "temperature"),
      number("topk", "top-k"),
      number("seed", "seed", "lm.side.seed"),
      h("div", { class: "control" }, generateButton),
    ),
    corpusNote,
    hint,
  );
  const side = sideBySide(root, {
    engine,
    operation,
    notify,
    assets: generationAssets,
    onPick: (step) => {
      state.pick = step + 1;
      save();
    },
  });

  function showLevel() {
    for (const button of levelButtons)
      button.setAttribute("aria-pressed", String(button.dataset.level === state.level));
    for (const [level, controls] of Object.entries(perLevel))
      controls.forEach((c) => (c.hidden = level !== state.level));
    setText(hint, `lm.side.hint.${state.level}`);
    setText(corpusNote, `lm.corpus.${state.level}.${state.corpus}`);
  }

  let first = true; // the link's picked token opens with the link's text; a new text closes it
  async function generate() {
    Object.assign(state, typed);
    if (!first) state.pick = 0;
    const args = generateArgs(state);
    const pick = pickedStep(state.pick, args.length);
    if (pick === null) state.pick = 0;
    first = false;
    save();
    showLevel();
    onGenerate(args);
    if (await side.generate(args, pick)) onWritten();
  }
  generateButton.addEventListener("click", generate);
  promptInput.addEventListener("keydown", (event) => event.key === "Enter" && generate());
  showLevel();
  return { generate };
}
