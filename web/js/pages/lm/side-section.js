// Part 2 of the page: the settings of the side-by-side generation, every one built from its SCHEMA
// entry, and the generation itself (side-by-side.js). A changed choice writes again at once, so the
// text on screen is always the link's; the prompt and the typed numbers take effect with Generate.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { select, numberField } from "../../ui/controls.js";
import { sideBySide } from "./side-by-side.js";
import { SCHEMA, generateArgs } from "./state.js";

/** The committed files a generation reads: the corpus (for the n-gram) and the recurrent model. */
export const generationAssets = (args) => [
  `lm_corpus_${args.language}.txt.gz`,
  `lm_${args.cell}_${args.language}.npz`,
];

/** The prompt as its field shows it: a line break is written \n. */
const promptText = (prompt) => prompt.replace(/\n/g, "\\n");

/**
 * mountSideSection(root, {engine, operation, notify, state, save, onGenerate(args), onWritten(), onCorpus()})
 *   → {generate()}: onGenerate when a generation starts, onWritten once it is complete, onCorpus
 *   when the corpus changes
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
      choose("model", "lm-model", "lm.side.model", (m) => m.toUpperCase()),
      choose("corpus", "lm-corpus", "lm.side.corpus", (c) => msg(`lm.corpus.${c}`)),
      choose("order", "lm-order", "lm.side.order", (n) => msg("lm.table.ngram", { n })),
      number("temp", "temperature"),
      number("topk", "top-k"),
      choose("len", "lm-length", "lm.side.length"),
      number("seed", "seed", "lm.side.seed"),
      h("div", { class: "control" }, generateButton),
    ),
    h("p", { class: "hint", text: msg("lm.side.hint") }),
  );
  const side = sideBySide(root, { engine, operation, notify, assets: generationAssets });

  async function generate() {
    Object.assign(state, typed);
    save();
    const args = generateArgs(state);
    onGenerate(args);
    if (await side.generate(args)) onWritten();
  }
  generateButton.addEventListener("click", generate);
  promptInput.addEventListener("keydown", (event) => event.key === "Enter" && generate());
  return { generate };
}
