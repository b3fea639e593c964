// The page's last section: a masked language model's guesses for each [MASK] of a sentence, and
// its self-attention layer by layer and head by head (self-attention-view.js).
import { msg } from "../../i18n.js";
import { sectionRequests } from "./ask.js";
import { MLM_ASSETS } from "./data.js";
import { redrawSelect, sentenceForm } from "./section-controls.js";
import { MASK_EXAMPLE } from "./state.js";
import { selfAttentionView } from "./self-attention-view.js";

/** mountSelfAttentionSection(root, {context, state, save}) → {start(precomputed), startWithout()} */
export function mountSelfAttentionSection(root, { context, state, save }) {
  const requests = sectionRequests(context, "mask", {
    unknown: "attention.notice.unknown-mask",
    cut: "attention.notice.cut-mask",
  });
  const { form, input } = sentenceForm({
    id: "attention-mask",
    key: "masked",
    value: state.masked || MASK_EXAMPLE,
    testid: "mask-input",
    label: "attention.mask.input",
    button: "attention.mask.run",
    buttonTestid: "mask-run",
    onSubmit: () => run(),
  });
  /** A select of the head's picture. */
  const choice = redrawSelect({ state, save, redraw: () => show() });
  const controls = {
    layerControl: choice("layer", "layer-select", (layer) => String(layer + 1)),
    headControl: choice("head", "head-select", (head) => String(head + 1)),
    viewControl: choice("view", "view-select", (view) => msg(`attention.view.${view}`)),
  };
  root.append(form, ...requests.elements);
  const view = selfAttentionView(root, controls);
  let masked = null; // the result on screen, or {notices} when there is none

  function show() {
    if (!masked) return view.clear();
    requests.show(masked.notices);
    if (!masked.layers) return view.clear();
    view.show(masked, { layer: state.layer, head: state.head, view: state.view });
  }

  function run() {
    const text = input.value.trim();
    save({ masked: text === MASK_EXAMPLE ? "" : text });
    if (!text) {
      masked = { notices: ["empty"] };
      return show();
    }
    requests.ask("attention_mask", { sentence: text }, MLM_ASSETS, {
      onResult(result) {
        masked = result;
        show();
      },
      onStopped() {
        masked = { notices: ["stopped"] };
        show();
      },
    });
  }

  return {
    /** The example's precomputed answer, or the link's sentence asked of Python. */
    start(precomputed) {
      if (state.masked) return run();
      masked = precomputed;
      show();
    },
    startWithout: run,
  };
}
