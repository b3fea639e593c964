// The page's first section: a Spanish sentence translated by the three variants, with the chosen
// variant's attention matrix (translate-view.js). A new translation or variant asks the steps
// section to decode again (steps-section.js).
import { h } from "../../dom.js";
import { msg, setText } from "../../i18n.js";
import { select } from "../../ui/controls.js";
import { sectionRequests } from "./ask.js";
import { TRANSLATOR_ASSETS } from "./data.js";
import { COURSE_EXAMPLE, SCHEMA } from "./state.js";
import { translateView } from "./translate-view.js";

/** mountTranslateSection(root, {context, state, save, steps}) → {typed(), start(preview), startWithout()}
 * `steps` is the steps section: {run(), stop()}. */
export function mountTranslateSection(root, { context, state, save, steps }) {
  const requests = sectionRequests(context, "translate");
  const input = h("input", {
    type: "text",
    class: "sentence-input",
    id: "attention-source",
    maxlength: SCHEMA.sentence.maxLength,
    dataset: { testid: "source-input" },
    autocomplete: "off",
    spellcheck: "false",
  });
  const variantChoice = select({
    spec: SCHEMA.variant,
    label: msg("attention.variant"),
    value: state.variant,
    optionLabel: (variant) => msg(`attention.variant.${variant}`),
    onChange: (variant) => setVariant(variant),
    testid: "variant",
  });
  const example = (text, onclick, testid) =>
    h("button", { type: "button", class: "button link", dataset: testid ? { testid } : {}, text, onclick });
  const form = h(
    "form",
    {
      class: "sentence-form",
      onsubmit: (event) => {
        event.preventDefault();
        translate();
      },
    },
    h("label", { for: "attention-source", text: msg("attention.source.input") }),
    h(
      "div",
      { class: "sentence-row" },
      input,
      h("button", {
        type: "submit",
        class: "button primary",
        dataset: { testid: "translate" },
        text: msg("attention.translate"),
      }),
    ),
    h(
      "div",
      { class: "examples" },
      example(msg("attention.example.course", { sentence: COURSE_EXAMPLE }), () =>
        useSentence(COURSE_EXAMPLE),
      ),
      example(msg("attention.example.test"), () => preview && useSentence(preview.sentence), "example-test"),
    ),
  );
  const reference = h("p", { class: "hint reference" });
  root.classList.add("translate-panel");
  root.append(form, ...requests.elements, reference, variantChoice.element);
  const view = translateView(root, { onVariant: (variant) => setVariant(variant) });
  let preview = null; // data/attention_page.json: the test sentence and its translations
  let translation = null; // the result on screen, or {notices} when there is none

  function show() {
    if (!translation) return view.clear();
    requests.show(translation.notices);
    if (!translation.variants) return view.clear();
    view.show(translation, state.variant);
  }

  function setVariant(variant) {
    save({ variant });
    variantChoice.input.value = variant;
    show();
    steps.run();
  }

  function showReference(isTestSentence) {
    if (isTestSentence) setText(reference, "attention.reference", { en: preview.reference });
    else reference.replaceChildren();
  }

  function useSentence(text) {
    input.value = text;
    translate();
  }

  /** Translate the input box; a new sentence starts its steps again (a link's own step is kept). */
  function translate({ fromLink = false } = {}) {
    const text = input.value.trim();
    const isTestSentence = Boolean(preview) && text === preview.sentence;
    save({ sentence: isTestSentence ? "" : text, ...(fromLink ? {} : { step: 0 }) });
    showReference(isTestSentence);
    if (!text) {
      translation = { notices: ["empty"], tokens: [] };
      return show();
    }
    requests.ask("attention_translate", { sentence: text }, TRANSLATOR_ASSETS, {
      onResult(result) {
        translation = result;
        show();
        steps.run();
      },
      onStopped() {
        translation = { notices: ["stopped"], tokens: [] };
        show();
        steps.stop(); // the steps shown were another sentence's
      },
    });
  }

  return {
    /** The sentence in the box, as the steps section decodes it. */
    typed: () => input.value.trim(),
    /** The precomputed test sentence's translations, or the link's sentence translated by Python. */
    start(data) {
      preview = data;
      input.value = state.sentence || data.sentence;
      if (state.sentence) return translate({ fromLink: true });
      showReference(true);
      translation = data.translations;
      show();
    },
    /** Without the precomputed example: the link's sentence, or the course's, once Python is up. */
    startWithout() {
      input.value = state.sentence || COURSE_EXAMPLE;
      translate({ fromLink: true });
    },
  };
}
