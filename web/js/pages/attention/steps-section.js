// The page's second section: the chosen variant decoding the translated sentence step by step, with
// beam search's candidates for a beam wider than one (steps-view.js).
import { msg } from "../../i18n.js";
import { select, slider } from "../../ui/controls.js";
import { sectionRequests } from "./ask.js";
import { TRANSLATOR_ASSETS } from "./data.js";
import { SCHEMA, stepsConfig } from "./state.js";
import { stepsView } from "./steps-view.js";

/** The variant and beam width whose steps data/attention_page.json holds for the test sentence. */
const PRECOMPUTED = { variant: "additive", beam: 1 };

/** mountStepsSection(root, {context, state, save, sentence}) → {run(), stop(), start(precomputed)}
 * `sentence()` is the sentence to decode (the translate section's box). */
export function mountStepsSection(root, { context, state, save, sentence }) {
  const requests = sectionRequests(context, "steps");
  const stepControl = slider({
    spec: SCHEMA.step,
    label: msg("attention.step"),
    value: state.step,
    format: (step) => String(step + 1),
    onInput: (step) => setStep(step),
    testid: "decode-step",
  });
  const beamControl = select({
    spec: SCHEMA.beam,
    label: msg("attention.beam"),
    value: state.beam,
    testid: "beam",
    onChange: (beam) => {
      save({ beam });
      run();
    },
  });
  root.append(...requests.elements);
  const view = stepsView(root, { stepControl, beamControl });
  let steps = null; // the decoding on screen

  function show() {
    if (!steps?.steps) return;
    const last = steps.steps.length - 1;
    stepControl.setRange({ min: 0, max: last });
    if (state.step > last) save({ step: last });
    stepControl.set(state.step);
    view.show(steps, state.step, state.variant);
  }

  function setStep(step) {
    save({ step });
    if (steps) view.show(steps, step, state.variant);
  }

  /** Decode the sentence with the variant and beam in use. */
  function run() {
    const text = sentence();
    if (!text) return;
    requests.ask("attention_steps", { sentence: text, ...stepsConfig(state) }, TRANSLATOR_ASSETS, {
      onResult(result) {
        steps = result;
        requests.show(result.notices.filter((code) => code !== "unknown")); // the translate section says it
        show();
      },
      onStopped: stop,
    });
  }

  /** Nothing shown: stopped, or another sentence's steps. */
  function stop() {
    steps = null;
    view.clear();
    requests.show(["stopped"]);
  }

  return {
    run,
    stop,
    /** The test sentence's steps: precomputed for the default variant and beam, else Python's. */
    start(precomputed) {
      if (state.variant !== PRECOMPUTED.variant || state.beam !== PRECOMPUTED.beam) return run();
      steps = precomputed;
      show();
    },
  };
}
