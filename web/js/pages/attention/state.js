// The attention page's whole state in the address (see url-state.js): the sentence translated, the
// variant shown, its map in words or subword pieces (and the Transformer's layer and head), the
// decoding (beam width, length normalisation α, coverage penalty β) and the step shown, the
// self-attention sentence, layer, head and view. The page's controls are built from these entries
// (ui/controls.js). Links shared before the keys had their names carry s, v and m: those still open
// (aliases, url-state.js).
// No DOM here: Node imports this module too.

// The translators (pizarra.attention.variants.VARIANTS), the Transformer's shape
// (pizarra.attention.variants.TRANSFORMER: 2 layers of 4 heads) and the masked language model's
// (pizarra.attention.train.MLM: 2 layers of 4 heads; max 32 tokens).
export const VARIANTS = ["none", "dot", "additive", "transformer"];
export const CROSS_LAYERS = 2;
export const CROSS_HEADS = 4;
export const MEAN_HEAD = -1; // xhead: the heads' mean (what coverage counts), not one head
export const LAYERS = 2;
export const HEADS = 4;
export const MAX_BEAM = 8; // pizarra.attention.explain.RANGES
export const MAX_STEP = 48; // pizarra.attention.explain.MAX_OUTPUT: the longest translation, in pieces
export const COURSE_EXAMPLE = "Él trabaja con los dos";
export const MASK_EXAMPLE = "Madrid es la [MASK] de España .";

export const SCHEMA = {
  // The Spanish sentence; "" is the page's default, the course's example.
  sentence: { type: "string", default: "", maxLength: 300, aliases: ["s"] },
  variant: { type: "enum", default: "additive", values: VARIANTS, aliases: ["v"] },
  // The alignment map's rows and columns: whole words, or the subword pieces the models read.
  units: { type: "enum", default: "words", values: ["words", "pieces"] },
  // The Transformer's cross-attention on the map: its layer, and one head or their mean.
  xlayer: {
    type: "int",
    default: CROSS_LAYERS - 1,
    min: 0,
    max: CROSS_LAYERS - 1,
    presets: [...Array(CROSS_LAYERS).keys()],
  },
  xhead: {
    type: "int",
    default: MEAN_HEAD,
    min: MEAN_HEAD,
    max: CROSS_HEADS - 1,
    presets: [MEAN_HEAD, ...Array(CROSS_HEADS).keys()],
  },
  step: { type: "int", default: 0, min: 0, max: MAX_STEP },
  // Decoding (pizarra.attention.explain.DECODING, RANGES): beam 1 is greedy; α = 0, β = 0 switch
  // length normalisation and the coverage penalty off.
  beam: { type: "int", default: 4, min: 1, max: MAX_BEAM, presets: [1, 2, 3, 4, 5, 8] },
  alpha: { type: "float", default: 0.6, min: 0, max: 2, step: 0.1 },
  beta: { type: "float", default: 0, min: 0, max: 1, step: 0.05 },
  // The self-attention sentence with [MASK] in it; "" is MASK_EXAMPLE.
  masked: { type: "string", default: "", maxLength: 300, aliases: ["m"] },
  layer: { type: "int", default: 0, min: 0, max: LAYERS - 1, presets: [...Array(LAYERS).keys()] },
  head: { type: "int", default: 0, min: 0, max: HEADS - 1, presets: [...Array(HEADS).keys()] },
  view: { type: "enum", default: "lines", values: ["lines", "weights", "scores", "Q", "K", "V"] },
};

/** The decoding as pizarra.demos.attention takes it (attention_translate, attention_steps). */
export function decodingConfig(state) {
  return { beam: state.beam, alpha: state.alpha, beta: state.beta };
}

/** The steps arguments as pizarra.demos.attention.attention_steps takes them. */
export function stepsConfig(state) {
  return { variant: state.variant, ...decodingConfig(state) };
}
