// Attention (course, section 4): a Spanish→English translator whose alignments you can see, its
// decoding step by step (greedy and beam search), the bottleneck of translating without attention,
// and a masked language model's self-attention head by head. The whole state lives in the address
// (state.js). Engine functions: pysrc/pizarra/demos/attention.py.
import { h } from "../../dom.js";
import { t } from "../../i18n.js";
import { select, slider } from "../../ui/controls.js";
import { bottleneckView } from "./bottleneck-view.js";
import { MLM_ASSETS, TRANSLATOR_ASSETS, pagePreview } from "./data.js";
import { selfAttentionView } from "./self-attention-view.js";
import { COURSE_EXAMPLE, MASK_EXAMPLE, SCHEMA, stepsConfig } from "./state.js";
import { stepsView } from "./steps-view.js";
import { translateView } from "./translate-view.js";

const ERRORS = new Set(["empty", "no-mask"]); // notices that leave nothing to show

/** A section with its heading and lead. */
function section(id, key) {
  return h("section", { class: "panel", "aria-labelledby": `att-${id}-h` },
    h("h2", { id: `att-${id}-h`, text: t(`att.${key}.heading`) }),
    h("p", { class: "section-lead", text: t(`att.${key}.lead`) }));
}

/** A line for the notices of a reading of the input: role=alert when nothing can be shown.
 * `own` words some notices differently for this line: {code: message key}. */
function messageLine(testid, own = {}) {
  const line = h("p", { class: "att-message", dataset: { testid } });
  return {
    element: line,
    show(notices, { waiting = false } = {}) {
      const words = [...(waiting ? [t("att.waiting")] : []), ...notices.map((code) => t(own[code] ?? `att.notice.${code}`))];
      line.textContent = words.join(" ");
      line.setAttribute("role", notices.some((code) => ERRORS.has(code)) ? "alert" : "status");
      line.dataset.kind = notices.some((code) => ERRORS.has(code)) ? "error" : waiting ? "waiting" : "info";
    },
  };
}

export function mount(root, context) {
  const { engine, notify, whileMounted } = context;
  const state = context.readState(SCHEMA);
  const save = () => context.writeState(state, SCHEMA);
  save();
  const cleanups = [];
  let preview = null, translation = null, steps = null, masked = null;
  const latest = { translate: 0, steps: 0, mask: 0 }; // only the newest answer of each kind is shown

  // --- translate ------------------------------------------------------------------------------
  const input = h("input", { type: "text", class: "sentence-input", id: "att-source", maxlength: SCHEMA.s.maxLength, dataset: { testid: "source-input" }, autocomplete: "off", spellcheck: "false" });
  const translateMessage = messageLine("translate-message");
  const variantChoice = select({ spec: SCHEMA.v, label: t("att.variant"), value: state.v, optionLabel: (v) => t(`att.variant.${v}`), onChange: (v) => setVariant(v), testid: "variant" });
  const translateSection = section("translate", "translate");
  translateSection.classList.add("translate-panel");
  // Each kind of request shows its progress and Stop in its own section (ui/operation.js).
  const operations = Object.fromEntries(["translate", "steps", "mask"].map((kind) => [kind, context.operation({ testid: `${kind}-operation` })]));
  const form = h("form", { class: "sentence-form", onsubmit: (event) => { event.preventDefault(); translate(); } },
    h("label", { for: "att-source", text: t("att.source.input") }),
    h("div", { class: "sentence-row" }, input,
      h("button", { type: "submit", class: "button primary", dataset: { testid: "translate" }, text: t("att.translate") })),
    h("div", { class: "examples" },
      h("button", { type: "button", class: "button link", text: t("att.example.course", { s: COURSE_EXAMPLE }), onclick: () => useSentence(COURSE_EXAMPLE) }),
      h("button", { type: "button", class: "button link", dataset: { testid: "example-test" }, text: t("att.example.test"), onclick: () => preview && useSentence(preview.sentence) })));
  const reference = h("p", { class: "hint reference" });
  translateSection.append(form, translateMessage.element, operations.translate.element, reference, variantChoice.element);
  const translated = translateView(translateSection, { onVariant: (v) => setVariant(v) });

  // --- decoding step by step -----------------------------------------------------------------------
  const stepsSection = section("steps", "decode");
  const stepControl = slider({ spec: SCHEMA.step, label: t("att.step"), value: state.step, format: (v) => String(v + 1), onInput: (v) => setStep(v), testid: "decode-step" });
  const beamControl = select({ spec: SCHEMA.beam, label: t("att.beam"), value: state.beam, onChange: (k) => { state.beam = k; save(); runSteps(); }, testid: "beam" });
  const stepsMessage = messageLine("steps-message");
  stepsSection.append(stepsMessage.element, operations.steps.element);
  const stepper = stepsView(stepsSection, { stepControl, beamControl });

  // --- the bottleneck ------------------------------------------------------------------------------
  const bottleneckSection = section("bottleneck", "bleu");

  // --- self-attention ------------------------------------------------------------------------------
  const maskSection = section("mask", "mask");
  const maskInput = h("input", { type: "text", class: "sentence-input", id: "att-mask", maxlength: SCHEMA.m.maxLength, dataset: { testid: "mask-input" }, autocomplete: "off", spellcheck: "false" });
  const maskMessage = messageLine("mask-message", { unknown: "att.notice.unknown-mask", cut: "att.notice.cut-mask" });
  const layerControl = select({ spec: SCHEMA.layer, label: t("att.layer"), value: state.layer, optionLabel: (l) => String(l + 1), onChange: (l) => { state.layer = l; save(); showMask(); }, testid: "layer-select" });
  const headControl = select({ spec: SCHEMA.head, label: t("att.head"), value: state.head, optionLabel: (k) => String(k + 1), onChange: (k) => { state.head = k; save(); showMask(); }, testid: "head-select" });
  const viewControl = select({ spec: SCHEMA.view, label: t("att.view"), value: state.view, optionLabel: (v) => t(`att.view.${v}`), onChange: (v) => { state.view = v; save(); showMask(); }, testid: "view-select" });
  maskSection.append(
    h("form", { class: "sentence-form", onsubmit: (event) => { event.preventDefault(); runMask(); } },
      h("label", { for: "att-mask", text: t("att.mask.input") }),
      h("div", { class: "sentence-row" }, maskInput,
        h("button", { type: "submit", class: "button primary", dataset: { testid: "mask-run" }, text: t("att.mask.run") }))),
    maskMessage.element, operations.mask.element);
  const selfAttention = selfAttentionView(maskSection, { layerControl, headControl, viewControl });

  const about = h("section", { class: "panel about", "aria-labelledby": "att-about-h" },
    h("h2", { id: "att-about-h", text: t("att.about.heading") }),
    h("p", { text: t("att.about.data") }),
    h("p", {}, t("att.about.cards"), " ", h("a", { href: "data/attention_translator.md", text: "attention_translator.md" }), ", ",
      h("a", { href: "data/attention_mlm.md", text: "attention_mlm.md" })));

  root.append(h("header", { class: "att-intro" }, h("h1", { text: t("att.title") }), h("p", { class: "lead", text: t("att.lead") })),
    translateSection, stepsSection, bottleneckSection, maskSection, about);

  // --- showing results ----------------------------------------------------------------------------
  function showTranslation() {
    if (!translation) return translated.clear();
    translateMessage.show(translation.notices);
    if (!translation.variants) return translated.clear();
    translated.show(translation, state.v);
  }

  function showSteps() {
    if (!steps?.steps) return;
    stepControl.input.max = String(steps.steps.length - 1);
    if (state.step > steps.steps.length - 1) {
      state.step = steps.steps.length - 1;
      save();
    }
    stepControl.set(state.step);
    stepper.show(steps, state.step, state.v);
  }

  function showMask() {
    if (!masked) return selfAttention.clear();
    maskMessage.show(masked.notices);
    if (!masked.layers) return selfAttention.clear();
    selfAttention.show(masked, { layer: state.layer, head: state.head, view: state.view });
  }

  function setVariant(v) {
    state.v = v;
    variantChoice.input.value = v;
    save();
    showTranslation();
    runSteps();
  }

  function setStep(i) {
    state.step = i;
    save();
    if (steps) stepper.show(steps, i, state.v);
  }

  // --- asking Python: queued while it loads, only the latest answer shown ------------------------
  function whenReady(message, task) {
    if (engine.state === "ready") return task();
    message.show([], { waiting: engine.state !== "error" });
    if (engine.state === "error") return message.show(["engine"]);
    engine.ready().then(task, () => message.show(["engine"]));
  }

  /** Ask Python `fn(args)`: queued while it loads; of each `kind`, only the newest request runs
   * and is shown. Its Stop shows nothing of it: `onStopped()` clears the section, which says so. */
  function ask(kind, message, fn, args, options, onResult, onStopped) {
    const mine = ++latest[kind];
    whenReady(message, async () => {
      if (mine !== latest[kind]) return; // a newer request of this kind replaced it while Python loaded
      try {
        const answer = await operations[kind].run(({ signal }) => engine.call(fn, args, { ...options, signal }));
        if (answer.outcome === "done" && mine === latest[kind]) onResult(answer.value);
        else if (answer.outcome === "stopped") onStopped();
      } catch (error) {
        notify(t("att.failed", { message: error.message }), { kind: "error" });
      }
    });
  }

  const stopSteps = () => {
    steps = null;
    stepper.clear();
    stepsMessage.show(["stopped"]);
  };

  function sentence() {
    return state.s || preview?.sentence || "";
  }

  function useSentence(text) {
    input.value = text;
    translate();
  }

  /** Translate the input box; a new sentence starts its steps again (a link's own step is kept). */
  function translate({ fromLink = false } = {}) {
    const text = input.value.trim();
    state.s = preview && text === preview.sentence ? "" : text;
    if (!fromLink) state.step = 0;
    save();
    reference.textContent = preview && text === preview.sentence ? t("att.reference", { en: preview.reference }) : "";
    if (!text) {
      translation = { notices: ["empty"], tokens: [] };
      steps = null;
      return showTranslation();
    }
    ask("translate", translateMessage, "attention_translate", { sentence: text }, TRANSLATOR_ASSETS, (result) => {
      translation = result;
      showTranslation();
      runSteps();
    }, () => {
      translation = { notices: ["stopped"], tokens: [] };
      showTranslation();
      stopSteps(); // the steps shown were another sentence's
    });
  }

  function runSteps() {
    const text = input.value.trim();
    if (!text) return;
    ask("steps", stepsMessage, "attention_steps", { sentence: text, ...stepsConfig(state) }, TRANSLATOR_ASSETS, (result) => {
      steps = result;
      stepsMessage.show(result.notices.filter((code) => code !== "unknown"));
      showSteps();
    }, stopSteps);
  }

  function runMask() {
    const text = maskInput.value.trim();
    state.m = text === MASK_EXAMPLE ? "" : text;
    save();
    if (!text) {
      masked = { notices: ["empty"] };
      return showMask();
    }
    ask("mask", maskMessage, "attention_mask", { sentence: text }, MLM_ASSETS, (result) => {
      masked = result;
      showMask();
    }, () => {
      masked = { notices: ["stopped"] };
      showMask();
    });
  }

  // --- the "Python" button: what is on screen now, as pizarra.demos.attention.attention_notebook takes it
  context.offerNotebook(() => ({
    fn: "attention_notebook",
    args: {
      sentence: state.s || preview?.sentence || input.value.trim() || COURSE_EXAMPLE,
      mask_sentence: state.m || MASK_EXAMPLE,
      ...stepsConfig(state), step: state.step, layer: state.layer, head: state.head,
    },
    assets: [...TRANSLATOR_ASSETS.assets, ...MLM_ASSETS.assets],
  }));

  // --- start: the precomputed example first, then Python for anything else ----------------------
  maskInput.value = state.m || MASK_EXAMPLE;
  whileMounted(pagePreview()).then((data) => {
    preview = data;
    input.value = sentence();
    cleanups.push(bottleneckView(bottleneckSection, data.bleu));
    if (!state.s) {
      reference.textContent = t("att.reference", { en: data.reference });
      translation = data.translations;
      showTranslation();
      if (state.v === "additive" && state.beam === 1) {
        steps = data.steps;
        showSteps();
      } else runSteps();
    } else translate({ fromLink: true });
    if (!state.m) {
      masked = data.mask;
      showMask();
    } else runMask();
  }, () => {
    notify(t("att.preview.failed"), { kind: "warning" });
    input.value = state.s || COURSE_EXAMPLE;
    translate({ fromLink: true });
    runMask();
  });

  return () => cleanups.forEach((cleanup) => cleanup());
}
