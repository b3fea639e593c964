// Section 2: the nearest neighbours by cosine of the words typed, in the set chosen. Before Python
// answers, the precomputed neighbours of the link's words (embeddings_page.json), if it has them all.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { SCHEMA, wordList } from "./state.js";
import { setAssets } from "./data.js";
import { linkableText, neighbourList, queryError, queryForm, waitingLine } from "./views.js";

const K = 10;

/**
 * neighboursSection(container, {state, save, engine, notify, page}) → {ask(), fill()}: the neighbours
 * of the words typed; fill() puts the state's words in the box.
 */
export function neighboursSection(container, { state, save, engine, notify, page }) {
  const input = h("input", {
    type: "text",
    id: "embeddings-words",
    value: state.q,
    maxlength: SCHEMA.q.maxLength,
    autocomplete: "off",
    spellcheck: "false",
    dataset: { testid: "word-input" },
  });
  const lists = h("div", {
    class: "neighbour-grid",
    "aria-live": "polite",
    dataset: { testid: "neighbours" },
  });
  const waiting = waitingLine();
  container.append(
    h("h3", { text: msg("embeddings.neighbours.heading") }),
    queryForm(
      "query-row",
      ask,
      h("label", { for: "embeddings-words", text: msg("embeddings.words") }),
      input,
      h("button", { type: "submit", class: "button primary", text: msg("embeddings.find") }),
    ),
    waiting,
    lists,
  );

  async function ask() {
    const q = linkableText(input, SCHEMA.q);
    if (q === undefined) {
      answerNow(queryError(msg("embeddings.error.characters")));
      return;
    }
    save({ q });
    const words = wordList(state.q);
    if (!words.length) {
      answerNow(neighbourList({ error: "empty" }));
      return;
    }
    const args = { set: state.set, words, k: K };
    const request = () => engine.call("embeddings_neighbours", args, { assets: setAssets(args.set) });
    try {
      const answer = await engine.queue(request, { key: "neighbours", waiting });
      lists.replaceChildren(...answer.results.map(neighbourList));
    } catch (error) {
      notify(msg("embeddings.failed", { message: error.message }), { kind: "error" });
    }
  }

  /** Show `answer` at once, as the newest request: an answer to an earlier one must not replace it. */
  function answerNow(answer) {
    engine.queue(() => null, { key: "neighbours" }).catch(() => {});
    waiting.hidden = true;
    lists.replaceChildren(answer);
  }

  // Words typed by anyone (a link) are looked up in a Map: "constructor" is a word, not a property.
  page.then(
    (data) => {
      const known = new Map(
        Object.hasOwn(data.neighbours, state.set) ? Object.entries(data.neighbours[state.set]) : [],
      );
      const words = wordList(state.q).map((word) => word.toLowerCase());
      if (lists.childElementCount || !words.length || !words.every((word) => known.has(word))) return;
      const scored = ([word, score]) => ({ word, score });
      const entry = (word) => ({ word, neighbours: known.get(word).map(scored) });
      lists.replaceChildren(...words.map((word) => neighbourList(entry(word))));
    },
    () => {},
  );

  return { ask, fill: () => (input.value = state.q) };
}
