// The page's second section: the chosen variant decoding the translated sentence greedily step by
// step, and beam search's candidates when the beam is wider than one (steps-view.js). The
// decoding's settings are the translate section's.
import { msg } from "../../i18n.js";
import { slider } from "../../ui/controls.js";
import { sectionRequests } from "./ask.js";
import { translatorAssets } from "./data.js";
import { SCHEMA, stepsConfig } from "./state.js";
import { stepsView } from "./steps-view.js";

/** The variant whose greedy steps data/attention_page.json holds for the course example. */
const PRECOMPUTED = "additive";

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
  root.append(...requests.elements);
  const view = stepsView(root, { stepControl });
  let steps = null; // the decoding on screen, with the variant it is of

  function show() {
    if (!steps?.steps) return;
    const last = steps.steps.length - 1;
    stepControl.setRange({ min: 0, max: last });
    if (state.step > last) save({ step: last });
    stepControl.set(state.step);
    view.show(steps, state.step);
  }

  function setStep(step) {
    save({ step });
    if (steps?.steps) view.show(steps, step);
  }

  /** Decode the sentence with the variant and decoding in use. */
  function run() {
    const text = sentence();
    if (!text) return;
    const asked = stepsConfig(state);
    requests.ask("attention_steps", { sentence: text, ...asked }, translatorAssets([asked.variant]), {
      onResult(result) {
        steps = { ...result, variant: asked.variant };
        requests.show((result.notices ?? []).filter((code) => code === "empty")); // the translate section says the rest
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
    /** The course example's greedy steps, precomputed for one variant; Python adds beam search's
     * candidates (and decodes any other variant). */
    start(precomputed) {
      if (state.variant !== PRECOMPUTED) return run();
      steps = { ...precomputed, variant: PRECOMPUTED };
      show();
      if (state.beam > 1) run();
    },
  };
}
