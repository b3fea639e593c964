// What the attention page shows before Python is ready, and the files its engine calls need.
import { dataJSON } from "../../page-data.js";

/** data/attention_page.json, written by `build.py train attention` (pizarra.attention.explain.page_preview):
 * the default test sentence's translations and decoding steps, BLEU by source length, and the
 * self-attention example. */
export const pagePreview = () => dataJSON("attention_page.json");

// The committed models the engine needs for each kind of call (pizarra.data.assets).
export const TRANSLATOR_ASSETS = { assets: ["attention_translator.npz"] };
export const MLM_ASSETS = { assets: ["attention_mlm.npz"] };
