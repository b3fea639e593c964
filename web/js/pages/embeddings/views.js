// Small views shared by the page's sections: a word's neighbour list (or the message for a bad query).
import { h } from "../../dom.js";
import { formatNumber } from "../../i18n.js";
import { errorMessage } from "./messages.js";

/** One query's answer: its nearest words with their cosines, or the message for its error. */
export function neighbourList(entry) {
  if (entry.error) return h("div", { class: "neighbour-box error", role: "alert", dataset: { testid: "query-error" } }, h("p", { text: errorMessage(entry) }));
  return h("div", { class: "neighbour-box" },
    h("h4", { text: entry.word }),
    h("ol", { class: "neighbour-list" }, entry.neighbours.map((n) =>
      h("li", {}, h("span", { class: "word", text: n.word }), h("span", { class: "score", text: formatNumber(n.score, { minimumFractionDigits: 3, maximumFractionDigits: 3 }) })))),
  );
}
