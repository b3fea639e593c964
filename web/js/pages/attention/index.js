// Attention (course, section 4): a Spanish→English translator whose alignments you can see, its
// decoding step by step (greedy and beam search), the bottleneck of translating without attention,
// and a masked language model's self-attention head by head. The whole state lives in the address
// (state.js). Engine functions: pysrc/pizarra/demos/attention.py.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { showBleu } from "./bleu-section.js";
import { MLM_ASSETS, TRANSLATOR_ASSETS, pagePreview } from "./data.js";
import { mountSelfAttentionSection } from "./self-attention-section.js";
import { COURSE_EXAMPLE, MASK_EXAMPLE, SCHEMA, stepsConfig } from "./state.js";
import { mountStepsSection } from "./steps-section.js";
import { mountTranslateSection } from "./translate-section.js";

/** A section with its heading and lead (messages attention.<key>.heading and .lead). */
function panel(key) {
  return h(
    "section",
    { class: "panel", "aria-labelledby": `attention-${key}-h` },
    h("h2", { id: `attention-${key}-h`, text: msg(`attention.${key}.heading`) }),
    h("p", { class: "section-lead", text: msg(`attention.${key}.lead`) }),
  );
}

export function mount(root, context) {
  const state = context.readState(SCHEMA);
  const save = (patch = {}) => {
    Object.assign(state, patch);
    context.writeState(state, SCHEMA);
  };
  save();
  const panels = {
    translate: panel("translate"),
    steps: panel("decode"),
    bleu: panel("bleu"),
    mask: panel("mask"),
  };
  const about = h(
    "section",
    { class: "panel about", "aria-labelledby": "attention-about-h" },
    h("h2", { id: "attention-about-h", text: msg("attention.about.heading") }),
    h("p", { text: msg("attention.about.data") }),
    h(
      "p",
      {},
      msg("attention.about.cards"),
      " ",
      h("a", { href: "data/attention_translator.md", text: "attention_translator.md" }),
      ", ",
      h("a", { href: "data/attention_mlm.md", text: "attention_mlm.md" }),
    ),
  );
  root.append(
    h(
      "header",
      { class: "page-intro" },
      h("h1", { text: msg("attention.title") }),
      h("p", { class: "lead", text: msg("attention.lead") }),
    ),
    ...Object.values(panels),
    about,
  );

  const shared = { context, state, save };
  const steps = mountStepsSection(panels.steps, { ...shared, sentence: () => translation.typed() });
  const translation = mountTranslateSection(panels.translate, { ...shared, steps });
  const selfAttention = mountSelfAttentionSection(panels.mask, shared);
  const cleanups = [];
  context.onLanguageChange(() => {}); // every word is a live message, every number redrawn by its piece

  // The "Python" button: what is on screen now, as pizarra.demos.attention.attention_notebook takes it.
  let preview = null;
  context.offerNotebook(() => ({
    fn: "attention_notebook",
    args: {
      sentence: state.sentence || preview?.sentence || translation.typed() || COURSE_EXAMPLE,
      mask_sentence: state.masked || MASK_EXAMPLE,
      ...stepsConfig(state),
      step: state.step,
      layer: state.layer,
      head: state.head,
    },
    assets: [...TRANSLATOR_ASSETS.assets, ...MLM_ASSETS.assets],
  }));

  // Start: the precomputed example first, then Python for anything else.
  context.whileMounted(pagePreview()).then(
    (data) => {
      preview = data;
      translation.start(data);
      if (!state.sentence) steps.start(data.steps);
      cleanups.push(showBleu(panels.bleu, data.bleu));
      selfAttention.start(data.mask);
    },
    () => {
      context.notify(msg("attention.preview.failed"), { kind: "warning" });
      translation.startWithout();
      selfAttention.startWithout();
    },
  );

  return () => cleanups.forEach((cleanup) => cleanup());
}
