// What the page shows before Python is ready, and the files each engine call needs.
// embeddings_page.json (written by `build.py train embeddings`): every committed set's evaluation
// scores, default neighbours, and the course table under every weighting. Fetched once per visit.
import { dataJSON } from "../../page-data.js";
import { COMMITTED_SETS } from "./state.js";

const DATA = new URL("../../../data/", import.meta.url);

export const pageData = () => dataJSON("embeddings_page.json");

/** The committed files a call on `set` needs (none for the sets trained or loaded here). */
export function setAssets(set) {
  return COMMITTED_SETS.includes(set) ? [`embeddings_${set}.npz`] : [];
}

export const corpusAsset = (language) => `embeddings_corpus_${language}.txt`;
export const BENCHMARKS = "embeddings_benchmarks.json";
export const cardURL = (set) => new URL(`embeddings_${set}.md`, DATA).href;
