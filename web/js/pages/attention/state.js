// The attention page's whole state in the address (see url-state.js): the sentence translated, the
// variant shown, the decoding step and beam width, the self-attention sentence, layer, head and
// view. The page's controls are built from these entries (ui/controls.js). Links shared before the
// keys had their names carry s, v and m: those still open (aliases, url-state.js).
// No DOM here: Node imports this module too.

// The translators (pizarra.attention.translator.VARIANTS) and the masked language model's shape
// (pizarra.attention.train.MLM: 2 layers of 4 heads; max 32 tokens).
export const VARIANTS = ["none", "dot", "additive"];
export const LAYERS = 2;
export const HEADS = 4;
export const MAX_BEAM = 8; // pizarra.attention.explain.MAX_BEAM
export const MAX_STEP = 25; // pizarra.attention.explain.MAX_OUTPUT: the longest translation
export const COURSE_EXAMPLE = "Él trabaja con los dos";
export const MASK_EXAMPLE = "Madrid es la [MASK] de España .";

export const SCHEMA = {
  // The Spanish sentence; "" is the page's default, a sentence of the test split.
  sentence: { type: "string", default: "", maxLength: 300, aliases: ["s"] },
  variant: { type: "enum", default: "additive", values: VARIANTS, aliases: ["v"] },
  step: { type: "int", default: 0, min: 0, max: MAX_STEP },
  beam: { type: "int", default: 1, min: 1, max: MAX_BEAM, presets: [1, 2, 3, 4, 5, 8] },
  // The self-attention sentence with [MASK] in it; "" is MASK_EXAMPLE.
  masked: { type: "string", default: "", maxLength: 300, aliases: ["m"] },
  layer: { type: "int", default: 0, min: 0, max: LAYERS - 1, presets: [...Array(LAYERS).keys()] },
  head: { type: "int", default: 0, min: 0, max: HEADS - 1, presets: [...Array(HEADS).keys()] },
  view: { type: "enum", default: "lines", values: ["lines", "weights", "scores", "Q", "K", "V"] },
};

/** The steps arguments as pizarra.demos.attention.attention_steps takes them. */
export function stepsConfig(state) {
  return { variant: state.variant, beam: state.beam };
}
