// The page's first section: a Spanish sentence translated by the four variants with one decoding
// (beam width, length normalisation α, coverage penalty β), and the chosen variant's alignment map
// (translate-view.js). A new translation, decoding or variant asks the steps section to decode
// again (steps-section.js).
import { h } from "../../dom.js";
import { formatNumber, msg } from "../../i18n.js";
import { select, slider } from "../../ui/controls.js";
import { sectionRequests } from "./ask.js";
import { TRANSLATOR_ASSETS } from "./data.js";
import { redrawSelect, sentenceForm } from "./section-controls.js";
import { COURSE_EXAMPLE, SCHEMA, decodingConfig } from "./state.js";
import { translateView } from "./translate-view.js";

const sameDecoding = (a, b) => ["beam", "alpha", "beta"].every((key) => a[key] === b[key]);

/** The decoding controls: beam width (1: greedy), α and β (0: switched off). onChange(patch). */
function decodingControls(state, onChange) {
  const off = (v) => (v === 0 ? String(msg("attention.decoding.off")) : formatNumber(v, { decimals: 2 }));
  const beam = select({
    spec: SCHEMA.beam,
    label: msg("attention.beam"),
    value: state.beam,
    testid: "beam",
    optionLabel: (k) => (k === 1 ? String(msg("attention.beam.greedy")) : formatNumber(k)),
    onChange: (value) => onChange({ beam: value }),
  });
  const number = (key) =>
    slider({
      spec: SCHEMA[key],
      label: msg(`attention.${key}`),
      value: state[key],
      format: off,
      testid: key,
      onInput: (value) => onChange({ [key]: value }),
    });
  const alpha = number("alpha"),
    beta = number("beta");
  const element = h(
    "fieldset",
    { class: "decoding", dataset: { testid: "decoding" } },
    h("legend", { text: msg("attention.decoding") }),
    beam.element,
    alpha.element,
    beta.element,
    h("p", { class: "hint", text: msg("attention.decoding.hint") }),
  );
  return { element };
}

/** mountTranslateSection(root, {context, state, save, steps}) → {typed(), start(preview), startWithout()}
 * `steps` is the steps section: {run(), stop(), start(precomputed)}. */
export function mountTranslateSection(root, { context, state, save, steps }) {
  const requests = sectionRequests(context, "translate");
  const variantChoice = select({
    spec: SCHEMA.variant,
    label: msg("attention.variant"),
    value: state.variant,
    optionLabel: (variant) => msg(`attention.variant.${variant}`),
    onChange: (variant) => setVariant(variant),
    testid: "variant",
  });
  /** A select of the map. */
  const mapChoice = redrawSelect({ state, save, redraw: () => show() });
  const mapControls = {
    variant: variantChoice,
    units: mapChoice("units", "units", (units) => msg(`attention.units.${units}`)),
    layer: mapChoice("xlayer", "cross-layer", (layer) => String(layer + 1)),
    head: mapChoice("xhead", "cross-head", (head) =>
      head < 0 ? msg("attention.xhead.mean") : String(head + 1),
    ),
  };
  const decoding = decodingControls(state, (patch) => {
    save({ ...patch, step: 0 });
    translate();
  });
  const { form, input } = sentenceForm(
    {
      id: "attention-source",
      key: "sentence",
      testid: "source-input",
      label: "attention.source.input",
      button: "attention.translate",
      buttonTestid: "translate",
      onSubmit: () => translate(),
    },
    h(
      "div",
      { class: "examples" },
      h("button", {
        type: "button",
        class: "button link",
        dataset: { testid: "example-course" },
        text: msg("attention.example.course", { sentence: COURSE_EXAMPLE }),
        onclick: () => useSentence(COURSE_EXAMPLE),
      }),
    ),
  );
  root.classList.add("translate-panel");
  root.append(form, ...requests.elements);
  const view = translateView(root, {
    onVariant: (variant) => setVariant(variant),
    mapControls,
    decoding: decoding.element,
  });
  let preview = null; // data/attention_page.json: the course example's translations
  let translation = null; // the result on screen, or {notices} when there is none

  function show() {
    if (!translation) return view.clear();
    requests.show(translation.notices);
    if (!translation.variants) return view.clear();
    view.show(translation, state.variant, { units: state.units, layer: state.xlayer, head: state.xhead });
  }

  function setVariant(variant) {
    save({ variant });
    variantChoice.input.value = variant;
    show();
    steps.run();
  }

  function useSentence(text) {
    input.value = text;
    translate();
  }

  /** Translate the input box; a new sentence starts its steps again (a link's own step is kept). */
  function translate({ fromLink = false } = {}) {
    const text = input.value.trim();
    save({ sentence: text === COURSE_EXAMPLE ? "" : text, ...(fromLink ? {} : { step: 0 }) });
    if (!text) {
      translation = { notices: ["empty"] };
      return show();
    }
    requests.ask("attention_translate", { sentence: text, ...decodingConfig(state) }, TRANSLATOR_ASSETS, {
      onResult(result) {
        translation = result;
        show();
        steps.run();
      },
      onStopped() {
        translation = { notices: ["stopped"] };
        show();
        steps.stop(); // the steps shown were another sentence's
      },
    });
  }

  return {
    /** The sentence in the box, as the steps section decodes it. */
    typed: () => input.value.trim(),
    /** The course example's precomputed translations (and steps), or Python's for anything else. */
    start(data) {
      preview = data;
      input.value = state.sentence || data.sentence;
      if (state.sentence || !sameDecoding(decodingConfig(state), preview.translations.decoding)) {
        return translate({ fromLink: true });
      }
      translation = data.translations;
      show();
      steps.start(data.steps);
    },
    /** Without the precomputed example: the link's sentence, or the course's, once Python is up. */
    startWithout() {
      input.value = state.sentence || COURSE_EXAMPLE;
      translate({ fromLink: true });
    },
  };
}
