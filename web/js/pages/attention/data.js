// What the attention page shows before Python is ready, and the files its engine calls need.
import { dataJSON } from "../../page-data.js";
import { VARIANTS } from "./state.js";

/** data/attention_page.json, written by `build.py train attention` (pizarra.attention.explain.page_preview):
 * the course example's translations and its decoding steps, BLEU by source length and on the
 * everyday set, and the self-attention example. */
export const pagePreview = () => dataJSON("attention_page.json");

// The committed models the engine needs for each kind of call (pizarra.attention.pretrained): the
// subword tables and the translators asked for; the masked language model.
export const translatorAssets = (variants = VARIANTS) => ({
  assets: ["attention_subwords.json", ...variants.map((variant) => `attention_${variant}.npz`)],
});
export const TRANSLATOR_ASSETS = translatorAssets();
export const MLM_ASSETS = { assets: ["attention_mlm.npz"] };
